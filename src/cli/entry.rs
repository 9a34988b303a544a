//! Where every command that adds a record to a finding starts and ends: `begin` reads the date,
//! opens the store and finds the finding; `finish` hands the record to `Ledger::create` (so the
//! rules that guard the TUI refuse here exactly what they refuse there, and a refused step
//! writes nothing) and reports it, in text or JSON, with the finding's status.
//!
//! The workflow steps (`followup`, `claim`, `determine`, `close`, `reopen`) and the records of
//! what rectification achieved and the pressure applied (`outcome`, `accountability`,
//! `referral add`, `supervise`) all go through here. The CLI only adds words to a refusal:
//! which step was refused and, for 销号 and 重新打开, what would have to happen first.

use super::inputs::{Attachments, HasEvidence};
use super::json;
use super::{CliError, CliResult, Context, Out};
use crate::domain::{Finding, Id, Labelled, Status};
use crate::i18n::{Lang, Msg, tr};
use crate::ledger::{Ledger, LedgerError};
use crate::store::{Entity, EntityKind, Record, SledStore};
use crate::text::display_safe;
use chrono::NaiveDate;
use clap::Args;
use serde_json::{Value, json};

/// What every record command takes: the finding, the record's date, and the output form.
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

/// Which step a command is, for its messages and its hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Followup,
    Claim,
    Determine,
    Close,
    Reopen,
    Outcome,
    Accountability,
    Referral,
    Supervise,
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
            Step::Outcome => ("不能登记整改成效", "cannot record the outcome"),
            Step::Accountability => ("不能登记追责问责", "cannot record the accountability"),
            Step::Referral => ("不能登记移送", "cannot record the referral"),
            Step::Supervise => ("不能登记督办", "cannot record the supervision"),
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
            Step::Outcome => EntityKind::Outcome,
            Step::Accountability => EntityKind::Accountability,
            Step::Referral => EntityKind::Referral,
            Step::Supervise => EntityKind::Supervision,
        }
    }
}

/// One field of a saved record: its JSON (labels in Chinese, the JSON contract) and, if the
/// text report shows it, its words in the current language.
pub(super) struct Part {
    pub key: &'static str,
    pub json: Value,
    pub text: Option<String>,
}

/// A vocabulary field, shown.
pub(super) fn label<T: Labelled>(key: &'static str, v: T) -> Part {
    Part {
        key,
        json: json!(v.label_in(Lang::Zh)),
        text: Some(v.label().to_string()),
    }
}

/// A text field, shown.
pub(super) fn said(key: &'static str, text: &str) -> Part {
    Part {
        key,
        json: json!(text),
        text: Some(text.to_string()),
    }
}

/// A field only the JSON carries.
pub(super) fn quiet(key: &'static str, json: Value) -> Part {
    Part {
        key,
        json,
        text: None,
    }
}

/// Where a command stands once the finding is found: the store is open and the date read.
pub(super) struct Entry {
    pub ledger: Ledger<SledStore>,
    pub finding: Finding,
    pub date: NaiveDate,
    pub json: bool,
}

/// Read the date, then open the store and find the finding. Everything else typed is read by
/// the caller before this, so a typo costs nothing and touches nothing.
pub(super) fn begin(ctx: &Context, target: &RecordTarget) -> CliResult<Entry> {
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

/// Save the record, then report it with the finding's status.
pub(super) fn finish<T: Entity>(
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

/// Like `finish`, for a record that carries evidence: the files are copied into the ledger's
/// evidence folder only once the ledger has said it will take the record, so a refused step
/// leaves neither a journal line nor a stray copy behind.
pub(super) fn finish_with_evidence<T: Entity + HasEvidence>(
    ctx: &Context,
    entry: Entry,
    step: Step,
    mut record: T,
    attachments: &Attachments,
    mut parts: Vec<Part>,
    out: &mut Out,
) -> CliResult {
    // The files first, then the paper registered by name.
    record
        .evidence_mut()
        .splice(0..0, attachments.placeholders());
    if let Err(e) = entry.ledger.check_new(&record) {
        return Err(refuse(&entry, step, e));
    }
    let dir = entry.ledger.store().dir().to_path_buf();
    for (i, kept) in attachments.keep(&dir)?.into_iter().enumerate() {
        if let Some(slot) = record.evidence_mut().get_mut(i) {
            *slot = kept;
        }
    }
    let evidence = record.evidence_mut().clone();
    if !evidence.is_empty() {
        parts.push(Part {
            key: "evidence",
            json: json::evidence(&evidence),
            text: Some(super::inputs::evidence_text(&evidence)),
        });
    }
    finish(ctx, entry, step, record, parts, out)
}

/// The finding named on the command line, resolved like `show` does; anything else is refused
/// with what it is instead.
pub(super) fn finding_of(ledger: &Ledger<SledStore>, text: &str) -> CliResult<Finding> {
    match ledger.resolve(text)? {
        Record::Finding(f) => Ok(f),
        other => Err(not_a(text, &other, EntityKind::Finding)),
    }
}

/// "“X”是项目，不是问题".
pub(super) fn not_a(text: &str, found: &Record, wanted: EntityKind) -> CliError {
    let kind = found.kind();
    Msg::new(
        format!(
            "“{}”是{}，不是{}",
            text.trim(),
            kind.label_in(Lang::Zh),
            wanted.label_in(Lang::Zh)
        ),
        format!(
            "\"{}\" is a {}, not a {}",
            text.trim(),
            kind.label_in(Lang::En),
            wanted.label_in(Lang::En)
        ),
    )
    .into()
}

/// A record of a given kind named on the command line (id, id fragment).
pub(super) fn record_of(
    ledger: &Ledger<SledStore>,
    text: &str,
    wanted: EntityKind,
) -> CliResult<Record> {
    let record = ledger.resolve(text)?;
    if record.kind() == wanted {
        Ok(record)
    } else {
        Err(not_a(text, &record, wanted))
    }
}

/// Hand the record to the ledger; a refusal names the step and, when the finding's status was
/// the reason, what has to happen first.
fn save<T: Entity>(entry: &mut Entry, record: T, step: Step) -> CliResult {
    match entry.ledger.create(record) {
        Ok(_) => Ok(()),
        Err(e) => Err(refuse(entry, step, e)),
    }
}

fn refuse(entry: &Entry, step: Step, error: LedgerError) -> CliError {
    let hint = match &error {
        LedgerError::Rule(_) => match entry.ledger.status_of(&entry.finding, entry.date) {
            Ok(status) => step.hint(status.status, &entry.finding.number),
            Err(e) => return e.into(),
        },
        _ => None,
    };
    refusal(step, error, hint)
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
            "record": record_kind(step.kind()),
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

/// A record's kind as `show --json` and `history --json` name it (serde's name).
pub(super) fn record_kind(kind: EntityKind) -> Value {
    serde_json::to_value(kind).unwrap_or(Value::Null)
}
