//! Quick entry of the workflow records from the command line: `followup` (跟踪检查 / 回头看),
//! `claim` (整改进展), `determine` (整改结果认定), `close` (对账销号) and `reopen`.
//!
//! Each command builds one record and hands it to `Ledger::create` through `entry`, so the
//! rules that guard the TUI refuse here exactly what the status machine forbids, and a refused
//! step writes nothing (not even a copy of an attached file).

use super::entry::{
    Part, RecordTarget, Step, begin, finish, finish_with_evidence, label, quiet, said,
};
use super::inputs::{self, EvidenceArgs};
use super::{CliResult, Context, Out, json};
use crate::domain::{
    Channel, CheckKind, CheckMethod, CheckPlan, CheckVerdict, ClaimedStatus, Closure,
    Determination, FollowUpCheck, Id, Labelled, ProgressReport, Reopen, ReopenReason, ReviewMethod,
    ReviewVerdict,
};
use crate::i18n::{Msg, tr};
use crate::ledger::Ledger;
use crate::store::SledStore;
use clap::Args;
use serde_json::json;

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
    /// 检查类型（默认为检查计划的类型，无计划时为回头看）/ kind of check (default: the plan's, else 回头看)
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// 检查计划（默认为检查当天正在进行、包含该问题的计划）/ the check plan whose round this check belongs to (default: the one running for the finding on the check's date)
    #[arg(long, value_name = "PLAN", conflicts_with = "no_plan")]
    pub plan: Option<String>,
    /// 不计入任何检查计划 / count the check in no plan
    #[arg(long)]
    pub no_plan: bool,
    #[command(flatten)]
    pub evidence: EvidenceArgs,
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
    /// 整改措施 / the measures taken
    #[arg(long, value_name = "TEXT")]
    pub measures: Option<String>,
    /// 未完成原因 / why it is not finished
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// 下一步措施 / the next steps
    #[arg(long, value_name = "TEXT")]
    pub next_steps: Option<String>,
    /// 整改金额：类别=金额，可重复，如 上缴财政=12万元 / an amount by kind, repeatable
    #[arg(long = "amount", value_name = "KIND=MONEY")]
    pub amounts: Vec<String>,
    /// 申请延期至 / the new deadline the unit asks for
    #[arg(long, value_name = "DATE", allow_negative_numbers = true)]
    pub requested_deadline: Option<String>,
    /// 报送渠道（默认系统录入）/ how the report came in (default: 系统录入)
    #[arg(long, value_name = "CHANNEL")]
    pub channel: Option<String>,
    #[command(flatten)]
    pub evidence: EvidenceArgs,
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
    /// 认定标准（适用的条款）/ the 认定标准 clause applied
    #[arg(long, value_name = "TEXT")]
    pub standard: Option<String>,
    /// 认定金额：类别=金额，可重复 / a confirmed amount by kind, repeatable
    #[arg(long = "amount", value_name = "KIND=MONEY")]
    pub amounts: Vec<String>,
    #[command(flatten)]
    pub evidence: EvidenceArgs,
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

/// `rectify followup FINDING --verdict …`: a 跟踪检查 / 回头看 by the current user, counted in
/// the round of the check plan named, or of the one running for the finding that day.
pub fn followup(ctx: &Context, args: &FollowupArgs, out: &mut Out) -> CliResult {
    let verdict = CheckVerdict::parse_label(&args.verdict)?;
    let method = args.method.as_deref().map(CheckMethod::parse_label);
    let method = method.transpose()?;
    let kind = args.kind.as_deref().map(CheckKind::parse_label);
    let kind = kind.transpose()?;
    let next_check = inputs::opt_date(ctx, args.next.as_deref())?;
    let (paper, attachments) = args.evidence.read()?;
    let entry = begin(ctx, &args.target)?;
    let method = match method {
        Some(m) => m,
        None => last_method(&entry.ledger, entry.finding.id)?,
    };
    let (plan, auto) = match (&args.plan, args.no_plan) {
        (Some(text), _) => (
            Some(plan_for_check(&entry.ledger, text, entry.date)?),
            false,
        ),
        (None, true) => (None, false),
        (None, false) => (
            entry.ledger.running_plan(entry.finding.id, entry.date)?,
            true,
        ),
    };
    let kind = kind.unwrap_or_else(|| plan.as_ref().map_or(CheckKind::LookBack, |p| p.kind));
    let check = FollowUpCheck {
        id: Id::new(),
        finding: entry.finding.id,
        date: entry.date,
        checker: ctx.user.as_str().into(),
        kind,
        method,
        verdict,
        note: args.note.clone().unwrap_or_default(),
        next_check,
        project: plan.as_ref().and_then(|p| p.project),
        archived: false,
        plan: plan.as_ref().map(|p| p.id),
        evidence: paper,
    };
    let mut parts = vec![
        label("check_kind", kind),
        label("method", method),
        label("verdict", verdict),
        said("note", &check.note),
        quiet("checker", json!(check.checker)),
        quiet("next_check", json!(next_check)),
    ];
    parts.push(match &plan {
        Some(p) => Part {
            key: "plan",
            json: json!({"id": p.id.to_string(), "title": p.title, "auto": auto}),
            text: Some(if auto {
                format!(
                    "{}“{}”{}",
                    tr(
                        "（计入正在进行的检查计划",
                        "(counted in the running check plan "
                    ),
                    p.title,
                    tr("）", ")")
                )
            } else {
                format!(
                    "{}“{}”{}",
                    tr("（计入检查计划", "(counted in the check plan "),
                    p.title,
                    tr("）", ")")
                )
            }),
        },
        None => quiet("plan", serde_json::Value::Null),
    });
    finish_with_evidence(ctx, entry, Step::Followup, check, &attachments, parts, out)
}

/// The plan named by `--plan`: a check plan, running on the check's date. (That the finding is
/// in its scope is the ledger's rule.)
fn plan_for_check(
    ledger: &Ledger<SledStore>,
    text: &str,
    date: chrono::NaiveDate,
) -> CliResult<CheckPlan> {
    let plan = super::plan_cmd::plan_of(ledger, text)?;
    if plan.is_running_on(date) {
        return Ok(plan);
    }
    let end = plan.end.map(|d| d.to_string()).unwrap_or_default();
    Err(if plan.archived {
        Msg::new(
            format!("检查计划“{}”已归档", plan.title),
            format!("the check plan \"{}\" is archived", plan.title),
        )
    } else {
        Msg::new(
            format!(
                "检查日期 {date} 不在检查计划“{}”的期间（{} 至 {end}）内",
                plan.title, plan.start
            ),
            format!(
                "the check's date {date} is outside the period of the check plan \"{}\" ({} to {end})",
                plan.title, plan.start
            ),
        )
    }
    .into())
}

/// `rectify claim FINDING --status …`: the unit's 整改进展, which awaits a determination.
pub fn claim(ctx: &Context, args: &ClaimArgs, out: &mut Out) -> CliResult {
    let claimed = ClaimedStatus::parse_label(&args.status)?;
    let by = args.by.as_deref().map(str::trim).filter(|b| !b.is_empty());
    let by = by.map_or_else(|| ctx.user.clone(), str::to_string);
    let amounts = inputs::kind_amounts(&args.amounts)?;
    let requested_deadline = inputs::opt_date(ctx, args.requested_deadline.as_deref())?;
    let channel = args.channel.as_deref().map(Channel::parse_label);
    let channel = channel.transpose()?.unwrap_or(Channel::Typed);
    let (paper, attachments) = args.evidence.read()?;
    let entry = begin(ctx, &args.target)?;
    let report = ProgressReport {
        id: Id::new(),
        finding: entry.finding.id,
        date: entry.date,
        submitted_by: by,
        narrative: args.note.clone().unwrap_or_default(),
        measures: args.measures.clone().unwrap_or_default(),
        reason_if_incomplete: args.reason.clone().unwrap_or_default(),
        next_steps: args.next_steps.clone().unwrap_or_default(),
        claimed,
        amount_rectified: inputs::total(&amounts),
        archived: false,
        channel,
        requested_deadline,
        amounts,
        evidence: paper,
    };
    let mut parts = vec![
        said("submitted_by", &report.submitted_by),
        label("claimed", claimed),
        said("narrative", &report.narrative),
        said("measures", &report.measures),
        said("reason_if_incomplete", &report.reason_if_incomplete),
        said("next_steps", &report.next_steps),
        amounts_part(&report.amounts),
        quiet("amount_rectified", json::money(report.amount_rectified)),
        Part {
            key: "channel",
            json: json!(channel.label_in(crate::i18n::Lang::Zh)),
            text: (channel != Channel::Typed).then(|| channel.label().to_string()),
        },
    ];
    parts.push(Part {
        key: "requested_deadline",
        json: json!(requested_deadline),
        text: requested_deadline
            .map(|d| format!("{}{d}", tr("申请延期至", "asks for a deadline of "))),
    });
    finish_with_evidence(ctx, entry, Step::Claim, report, &attachments, parts, out)
}

/// `rectify determine FINDING --verdict …`: the auditor's 整改结果认定.
pub fn determine(ctx: &Context, args: &DetermineArgs, out: &mut Out) -> CliResult {
    let verdict = ReviewVerdict::parse_label(&args.verdict)?;
    let method = match &args.method {
        Some(m) => ReviewMethod::parse_label(m)?,
        None => ReviewMethod::WrittenReview,
    };
    let amounts = inputs::kind_amounts(&args.amounts)?;
    let (paper, attachments) = args.evidence.read()?;
    let entry = begin(ctx, &args.target)?;
    let determination = Determination {
        id: Id::new(),
        finding: entry.finding.id,
        date: entry.date,
        reviewer: ctx.user.clone(),
        method,
        verdict,
        standard: args.standard.clone().unwrap_or_default(),
        opinion: args.opinion.clone().unwrap_or_default(),
        amount_confirmed: inputs::total(&amounts),
        archived: false,
        amounts,
        evidence: paper,
    };
    let parts = vec![
        label("method", method),
        label("verdict", verdict),
        said("opinion", &determination.opinion),
        said("standard", &determination.standard),
        amounts_part(&determination.amounts),
        quiet(
            "amount_confirmed",
            json::money(determination.amount_confirmed),
        ),
        quiet("reviewer", json!(determination.reviewer)),
    ];
    finish_with_evidence(
        ctx,
        entry,
        Step::Determine,
        determination,
        &attachments,
        parts,
        out,
    )
}

/// Amounts by kind: JSON always, text when there are some.
fn amounts_part(amounts: &[crate::domain::KindAmount]) -> Part {
    let text: Vec<String> = amounts
        .iter()
        .map(|a| format!("{}{}", a.kind.label(), a.amount.display()))
        .collect();
    Part {
        key: "amounts",
        json: json::amounts(amounts),
        text: Some(text.join(tr("，", ", "))),
    }
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
