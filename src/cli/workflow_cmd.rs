//! Quick entry of the workflow records from the command line: `followup` (跟踪检查 / 回头看),
//! `claim` (整改进展), `determine` (整改结果认定), `close` (对账销号) and `reopen`.
//!
//! Each command builds one record and hands it to `Ledger::create`, so the rules that guard the
//! TUI refuse here exactly what the status machine forbids, and a refused step writes nothing.
//! The CLI only adds words to a refusal: which step was refused and, for 销号 and 重新打开,
//! what would have to happen first.

use super::{CliError, CliResult, Context, Out};
use crate::domain::{
    CheckKind, CheckMethod, CheckVerdict, ClaimedStatus, Closure, Determination, Finding,
    FollowUpCheck, Id, Labelled, ProgressReport, Reopen, ReopenReason, ReviewMethod, ReviewVerdict,
    Status,
};
use crate::i18n::{Lang, Msg, tr};
use crate::ledger::{Ledger, LedgerError};
use crate::store::{Entity, EntityKind, Record, SledStore};
use crate::text::display_safe;
use chrono::NaiveDate;
use clap::Args;
use serde_json::{Value, json};

/// What every workflow command takes: the finding, the record's date, and the output form.
#[derive(Debug, Args)]
pub struct RecordTarget {
    /// 问题编号或记录编号 / the finding: its number, id or an id fragment
    pub finding: String,
    /// 日期（默认今天，可写 +N / -N）/ the record's date (default: today; +N / -N days)
    #[arg(long, value_name = "DATE", allow_negative_numbers = true)]
    pub date: Option<String>,
    /// 输出 JSON / print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FollowupArgs {
    #[command(flatten)]
    pub target: RecordTarget,
    /// 核查结论：已整改、部分整改、未整改、持续整改、虚假整改 / the verdict
    #[arg(long, value_name = "VERDICT")]
    pub verdict: String,
    /// 核查方式（默认沿用该问题上次的方式）/ how it was checked (default: as last time)
    #[arg(long, value_name = "METHOD")]
    pub method: Option<String>,
    /// 检查情况 / what was found
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// 下次检查日期 / when to check again
    #[arg(long, value_name = "DATE", allow_negative_numbers = true)]
    pub next: Option<String>,
    /// 检查类型（默认回头看）/ kind of check (default: 回头看)
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
}

#[derive(Debug, Args)]
pub struct ClaimArgs {
    #[command(flatten)]
    pub target: RecordTarget,
    /// 报送状态：整改中、已整改、部分整改、申请持续整改 / the status the unit claims
    #[arg(long, value_name = "STATUS")]
    pub status: String,
    /// 整改情况 / the unit's account of what it did
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// 报送人（默认为操作人）/ who reported it (default: the current user)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

#[derive(Debug, Args)]
pub struct DetermineArgs {
    #[command(flatten)]
    pub target: RecordTarget,
    /// 认定结论：已整改、部分整改、未整改、持续整改、不予认定 / the verdict
    #[arg(long, value_name = "VERDICT")]
    pub verdict: String,
    /// 认定意见 / the reviewer's opinion
    #[arg(long, value_name = "TEXT")]
    pub opinion: Option<String>,
    /// 认定方式（默认书面审核）/ how it was reviewed (default: 书面审核)
    #[arg(long, value_name = "METHOD")]
    pub method: Option<String>,
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    #[command(flatten)]
    pub target: RecordTarget,
    /// 备注 / remark
    #[arg(long, value_name = "TEXT")]
    pub remark: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReopenArgs {
    #[command(flatten)]
    pub target: RecordTarget,
    /// 原因：回头看发现反弹、认定有误、虚假整改、上级检查指出 / why it is opened again
    #[arg(long, value_name = "REASON")]
    pub reason: String,
    /// 说明 / note
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

/// Which workflow step a command is, for its messages and its hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Followup,
    Claim,
    Determine,
    Close,
    Reopen,
}

impl Step {
    /// "不能销号" — put before the ledger's reason when it refuses.
    fn refused(self) -> (&'static str, &'static str) {
        match self {
            Step::Followup => ("不能登记跟踪检查", "cannot record the follow-up check"),
            Step::Claim => ("不能登记整改进展", "cannot record the progress report"),
            Step::Determine => ("不能登记整改认定", "cannot record the determination"),
            Step::Close => ("不能销号", "cannot close"),
            Step::Reopen => ("不能重新打开", "cannot reopen"),
        }
    }

    /// What to do instead, when the ledger refused because of the finding's status.
    fn hint(self, status: Status, number: &str) -> Option<Msg> {
        match (self, status) {
            // A draft's refusal already says it is not issued; nothing to add.
            (_, Status::NotStarted) => None,
            (Step::Close, Status::Closed) => {
                Some(Msg::new("该问题已经销号", "It is already closed"))
            }
            (Step::Close, Status::AwaitingReview) => Some(Msg::new(
                format!(
                    "单位已报送整改情况，须先认定为已整改：rectify determine {number} --verdict 已整改"
                ),
                format!(
                    "The unit's report awaits review; determine it first: rectify determine {number} --verdict rectified"
                ),
            )),
            (Step::Close, s) if s != Status::Rectified => Some(Msg::new(
                "销号前须经认定或跟踪检查确认为已整改",
                "A finding is closed only after a determination or a check has found it rectified",
            )),
            (Step::Reopen, s) if s != Status::Closed => Some(Msg::new(
                format!(
                    "只有已销号的问题才能重新打开；如发现虚假整改，可登记跟踪检查：rectify followup {number} --verdict 虚假整改"
                ),
                format!(
                    "Only a closed finding can be reopened; to record a fake rectification, check it: rectify followup {number} --verdict fake"
                ),
            )),
            _ => None,
        }
    }

    /// The kind of record the step writes.
    fn kind(self) -> EntityKind {
        match self {
            Step::Followup => EntityKind::Check,
            Step::Claim => EntityKind::Progress,
            Step::Determine => EntityKind::Determination,
            Step::Close => EntityKind::Closure,
            Step::Reopen => EntityKind::Reopen,
        }
    }
}

/// One field of a saved record: its JSON (labels in Chinese, the JSON contract) and, if the
/// text report shows it, its words in the current language.
struct Part {
    key: &'static str,
    json: Value,
    text: Option<String>,
}

/// A vocabulary field, shown.
fn label<T: Labelled>(key: &'static str, v: T) -> Part {
    Part {
        key,
        json: json!(v.label_in(Lang::Zh)),
        text: Some(v.label().to_string()),
    }
}

/// A text field, shown.
fn said(key: &'static str, text: &str) -> Part {
    Part {
        key,
        json: json!(text),
        text: Some(text.to_string()),
    }
}

/// A field only the JSON carries.
fn quiet(key: &'static str, json: Value) -> Part {
    Part {
        key,
        json,
        text: None,
    }
}

/// Where a command stands once the finding is found: the store is open and the date read.
struct Entry {
    ledger: Ledger<SledStore>,
    finding: Finding,
    date: NaiveDate,
    json: bool,
}

/// Read the date, then open the store and find the finding. Everything else typed is read by
/// the caller before this, so a typo costs nothing and touches nothing.
fn begin(ctx: &Context, target: &RecordTarget) -> CliResult<Entry> {
    let date = ctx.date_or_today(target.date.as_deref())?;
    let ledger = ctx.open()?;
    let finding = finding_of(&ledger, &target.finding)?;
    Ok(Entry {
        ledger,
        finding,
        date,
        json: target.json,
    })
}

/// `rectify followup FINDING --verdict …`: a 跟踪检查 / 回头看 by the current user.
pub fn followup(ctx: &Context, args: &FollowupArgs, out: &mut Out) -> CliResult {
    let verdict = CheckVerdict::parse_label(&args.verdict)?;
    let method = args.method.as_deref().map(CheckMethod::parse_label);
    let method = method.transpose()?;
    let kind = match &args.kind {
        Some(k) => CheckKind::parse_label(k)?,
        None => CheckKind::LookBack,
    };
    let next_check = match &args.next {
        Some(t) => Some(ctx.date_or_today(Some(t))?),
        None => None,
    };
    let entry = begin(ctx, &args.target)?;
    let method = match method {
        Some(m) => m,
        None => last_method(&entry.ledger, entry.finding.id)?,
    };
    let check = FollowUpCheck {
        id: Id::new(),
        finding: entry.finding.id,
        date: entry.date,
        checker: ctx.user.clone(),
        kind,
        method,
        verdict,
        note: args.note.clone().unwrap_or_default(),
        next_check,
        project: None,
        archived: false,
        plan: None,
        evidence: Vec::new(),
    };
    let parts = vec![
        label("check_kind", kind),
        label("method", method),
        label("verdict", verdict),
        said("note", &check.note),
        quiet("checker", json!(check.checker)),
        quiet("next_check", json!(next_check)),
    ];
    finish(ctx, entry, Step::Followup, check, parts, out)
}

/// `rectify claim FINDING --status …`: the unit's 整改进展, which awaits a determination.
pub fn claim(ctx: &Context, args: &ClaimArgs, out: &mut Out) -> CliResult {
    let claimed = ClaimedStatus::parse_label(&args.status)?;
    let by = args.by.as_deref().map(str::trim).filter(|b| !b.is_empty());
    let by = by.map_or_else(|| ctx.user.clone(), str::to_string);
    let entry = begin(ctx, &args.target)?;
    let report = ProgressReport {
        id: Id::new(),
        finding: entry.finding.id,
        date: entry.date,
        submitted_by: by,
        narrative: args.note.clone().unwrap_or_default(),
        measures: String::new(),
        reason_if_incomplete: String::new(),
        next_steps: String::new(),
        claimed,
        amount_rectified: None,
        archived: false,
        channel: crate::domain::Channel::Typed,
        requested_deadline: None,
        amounts: Vec::new(),
        evidence: Vec::new(),
    };
    let parts = vec![
        said("submitted_by", &report.submitted_by),
        label("claimed", claimed),
        said("narrative", &report.narrative),
    ];
    finish(ctx, entry, Step::Claim, report, parts, out)
}

/// `rectify determine FINDING --verdict …`: the auditor's 整改结果认定.
pub fn determine(ctx: &Context, args: &DetermineArgs, out: &mut Out) -> CliResult {
    let verdict = ReviewVerdict::parse_label(&args.verdict)?;
    let method = match &args.method {
        Some(m) => ReviewMethod::parse_label(m)?,
        None => ReviewMethod::WrittenReview,
    };
    let entry = begin(ctx, &args.target)?;
    let determination = Determination {
        id: Id::new(),
        finding: entry.finding.id,
        date: entry.date,
        reviewer: ctx.user.clone(),
        method,
        verdict,
        standard: String::new(),
        opinion: args.opinion.clone().unwrap_or_default(),
        amount_confirmed: None,
        archived: false,
        amounts: Vec::new(),
        evidence: Vec::new(),
    };
    let parts = vec![
        label("method", method),
        label("verdict", verdict),
        said("opinion", &determination.opinion),
        quiet("reviewer", json!(determination.reviewer)),
    ];
    finish(ctx, entry, Step::Determine, determination, parts, out)
}

/// `rectify close FINDING`: 对账销号, allowed only once the finding is 已整改.
pub fn close(ctx: &Context, args: &CloseArgs, out: &mut Out) -> CliResult {
    let entry = begin(ctx, &args.target)?;
    let closure = Closure {
        id: Id::new(),
        finding: entry.finding.id,
        date: entry.date,
        closed_by: ctx.user.clone(),
        remark: args.remark.clone().unwrap_or_default(),
        archived: false,
    };
    let parts = vec![
        said("closed_by", &closure.closed_by),
        said("remark", &closure.remark),
    ];
    finish(ctx, entry, Step::Close, closure, parts, out)
}

/// `rectify reopen FINDING --reason …`: a closed finding opened again.
pub fn reopen(ctx: &Context, args: &ReopenArgs, out: &mut Out) -> CliResult {
    let reason = ReopenReason::parse_label(&args.reason)?;
    let entry = begin(ctx, &args.target)?;
    let reopen = Reopen {
        id: Id::new(),
        finding: entry.finding.id,
        date: entry.date,
        by: ctx.user.clone(),
        reason,
        note: args.note.clone().unwrap_or_default(),
        archived: false,
    };
    let parts = vec![
        said("by", &reopen.by),
        label("reason", reason),
        said("note", &reopen.note),
    ];
    finish(ctx, entry, Step::Reopen, reopen, parts, out)
}

/// Save the record, then report it with the finding's status.
fn finish<T: Entity>(
    ctx: &Context,
    mut entry: Entry,
    step: Step,
    record: T,
    parts: Vec<Part>,
    out: &mut Out,
) -> CliResult {
    let id = record.id();
    save(&mut entry, record, step)?;
    report(ctx, &entry, step, id, &parts, out)
}

/// The finding named on the command line, resolved like `show` does; anything else is refused
/// with what it is instead.
fn finding_of(ledger: &Ledger<SledStore>, text: &str) -> CliResult<Finding> {
    match ledger.resolve(text)? {
        Record::Finding(f) => Ok(f),
        other => {
            let what = other.kind().label();
            Err(Msg::new(
                format!("“{}”是{}，不是问题", text.trim(), what),
                format!("\"{}\" is a {}, not a finding", text.trim(), what),
            )
            .into())
        }
    }
}

/// The method of the finding's latest check, as the TUI's quick form prefills it: the same
/// auditor usually checks the same finding the same way.
fn last_method(ledger: &Ledger<SledStore>, finding: Id) -> CliResult<CheckMethod> {
    let records = ledger.records_of(finding)?;
    Ok(records
        .checks
        .iter()
        .filter(|c| !c.archived)
        .max_by_key(|c| (c.date, c.id))
        .map(|c| c.method)
        .unwrap_or(CheckMethod::DocumentReview))
}

/// Hand the record to the ledger; a refusal names the step and, when the finding's status was
/// the reason, what has to happen first.
fn save<T: Entity>(entry: &mut Entry, record: T, step: Step) -> CliResult {
    let error = match entry.ledger.create(record) {
        Ok(_) => return Ok(()),
        Err(e) => e,
    };
    let hint = match &error {
        LedgerError::Rule(_) => {
            let status = entry.ledger.status_of(&entry.finding, entry.date)?.status;
            step.hint(status, &entry.finding.number)
        }
        _ => None,
    };
    Err(refusal(step, error, hint))
}

fn refusal(step: Step, error: LedgerError, hint: Option<Msg>) -> CliError {
    let reason = match CliError::from(error) {
        CliError::Fail(m) => m,
        other => return other,
    };
    let (zh, en) = step.refused();
    let (hint_zh, hint_en) = match hint {
        Some(h) => (format!("。{}", h.zh), format!(". {}", h.en)),
        None => (String::new(), String::new()),
    };
    CliError::Fail(Msg::new(
        format!("{zh}：{}{hint_zh}", reason.zh),
        format!("{en}: {}{hint_en}", reason.en),
    ))
}

/// Print what was saved and the finding's status now (or on the record's date, if that is
/// later: a record dated ahead shows its effect).
fn report(
    ctx: &Context,
    entry: &Entry,
    step: Step,
    id: Id,
    parts: &[Part],
    out: &mut Out,
) -> CliResult {
    let (finding, date) = (&entry.finding, entry.date);
    let as_of = date.max(ctx.today);
    let status = entry.ledger.status_of(finding, as_of)?;
    if entry.json {
        let mut value = json!({
            "id": id.to_string(),
            "record": record_kind(step),
            "finding": finding.id.to_string(),
            "number": finding.number,
            "status": status.status.label_in(Lang::Zh),
            "reopened": status.reopened,
            "as_of": as_of,
            "date": date,
        });
        if let Some(o) = value.as_object_mut() {
            for part in parts {
                o.insert(part.key.into(), part.json.clone());
            }
        }
        return out.json(&value);
    }
    let details: Vec<&str> = parts
        .iter()
        .filter_map(|p| p.text.as_deref())
        .filter(|t| !t.trim().is_empty())
        .collect();
    out.line(&display_safe(&format!(
        "{}{} {}{}{} {} {}",
        tr("已登记", "saved "),
        step.kind().label(),
        id.short(),
        tr("：问题 ", ": finding "),
        finding.number,
        date,
        details.join(" ")
    )))?;
    let (zh_mark, en_mark) = match status.reopened {
        true => ("，曾重新打开", ", reopened"),
        false => ("", ""),
    };
    let line = Msg::new(
        format!(
            "问题 {} 现在的状态：{}{zh_mark}（截至 {as_of}）",
            finding.number,
            status.status.label_in(Lang::Zh)
        ),
        format!(
            "finding {} is now {}{en_mark} (as of {as_of})",
            finding.number,
            status.status.label_in(Lang::En)
        ),
    );
    out.line(&display_safe(&line.to_string()))
}

/// The record's kind as `show --json` and `history --json` name it (serde's name).
fn record_kind(step: Step) -> Value {
    serde_json::to_value(step.kind()).unwrap_or(Value::Null)
}
