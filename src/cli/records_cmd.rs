//! The records of what rectification achieved and of the pressure applied, from the command
//! line: `outcome` (整改成效), `accountability` (追责问责, one person per record) and
//! `supervise` (督办). None of them changes a finding's status; each is saved through the same
//! `entry` path as the workflow steps, so the same rules refuse the same things.

use super::entry::{
    Part, RecordTarget, Step, begin, finish, finish_with_evidence, label, quiet, record_of, said,
};
use super::inputs::EvidenceArgs;
use super::{CliResult, Context, Out, json};
use crate::domain::{
    Accountability, AccountabilityMeasure, DecidingBody, Id, Labelled, Money, Outcome, OutcomeKind,
    Supervision, SupervisionKind,
};
use crate::i18n::{Msg, tr};
use crate::store::{EntityKind, Record};
use clap::Args;
use serde_json::json;

#[derive(Debug, Args)]
pub struct OutcomeArgs {
    #[command(flatten)]
    pub target: RecordTarget,
    /// 成效类别：上缴财政、归还原资金渠道、追回资金、完善制度、建议被采纳 … / the kind of outcome
    #[arg(long, value_name = "KIND")]
    pub kind: String,
    /// 金额，如 12万元（按金额统计的类别必填）/ the amount, e.g. 12万元 (required for kinds measured in money)
    #[arg(long, value_name = "MONEY")]
    pub amount: Option<String>,
    /// 项数（默认为制度名称的个数）/ how many pieces (default: the number of rules named)
    #[arg(long, value_name = "N")]
    pub count: Option<String>,
    /// 制度名称（完善制度必填，可重复）/ the name of a rule made or revised (required for 完善制度; repeatable)
    #[arg(long = "rule", value_name = "NAME")]
    pub rules: Vec<String>,
    /// 说明 / note
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    #[command(flatten)]
    pub evidence: EvidenceArgs,
}

#[derive(Debug, Args)]
pub struct AccountabilityArgs {
    #[command(flatten)]
    pub target: RecordTarget,
    /// 被问责人 / the person held to account
    #[arg(long, value_name = "NAME")]
    pub person: String,
    /// 问责方式：提醒谈话、批评教育、诫勉、通报批评、党内警告、记过 … / the measure
    #[arg(long, value_name = "MEASURE")]
    pub measure: String,
    /// 决定机关：纪委监委、组织部门、主管部门、本单位、司法机关 / the body that decided
    #[arg(long = "decided-by", value_name = "BODY")]
    pub decided_by: String,
    /// 职务 / the person's position
    #[arg(long, value_name = "TEXT")]
    pub position: Option<String>,
    /// 所在单位 / the person's unit, as the decision names it
    #[arg(long, value_name = "TEXT")]
    pub entity: Option<String>,
    /// 决定文号 / the decision's document number
    #[arg(long = "doc", value_name = "DOC-NO")]
    pub doc: Option<String>,
    /// 说明 / note
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct SuperviseArgs {
    #[command(flatten)]
    pub target: RecordTarget,
    /// 督办方式：电话催办、督办函、约谈、通报、提请推进会、提请追责 / the kind of supervision
    #[arg(long, value_name = "KIND")]
    pub kind: String,
    /// 督办内容 / what was asked
    #[arg(long, value_name = "TEXT")]
    pub summary: Option<String>,
    /// 回复期限 / when the answer is due
    #[arg(long, value_name = "DATE", allow_negative_numbers = true)]
    pub due: Option<String>,
    /// 被督办单位（默认为牵头单位）/ the unit pressed (default: the finding's lead unit)
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
}

/// `rectify outcome FINDING --kind …`: 整改成效, money recovered or rules made.
pub fn outcome(ctx: &Context, args: &OutcomeArgs, out: &mut Out) -> CliResult {
    let kind = OutcomeKind::parse_label(&args.kind)?;
    let amount = args.amount.as_deref().map(Money::parse).transpose()?;
    let count = args.count.as_deref().map(parse_count).transpose()?;
    let rules: Vec<String> = args
        .rules
        .iter()
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    if !kind.is_counted() && amount.is_none() {
        return Err(Msg::new(
            format!(
                "“{}”按金额统计，请用 --amount 填写金额，如 --amount 12万元",
                kind.zh()
            ),
            format!(
                "\"{}\" is measured in money: give the amount with --amount, e.g. --amount 12万元",
                kind.en()
            ),
        )
        .into());
    }
    if kind == OutcomeKind::RulesImproved && rules.is_empty() {
        return Err(Msg::new(
            "完善制度须用 --rule 写明制度名称（每个制度一个 --rule）",
            "rules improved needs the names of the rules: one --rule NAME for each",
        )
        .into());
    }
    let (paper, attachments) = args.evidence.read()?;
    let entry = begin(ctx, &args.target)?;
    let outcome = Outcome {
        id: Id::new(),
        finding: entry.finding.id,
        date: entry.date,
        recorded_by: ctx.user.clone(),
        kind,
        amount,
        count,
        documents: rules,
        note: args.note.clone().unwrap_or_default(),
        evidence: paper,
        archived: false,
    };
    let size = match amount {
        Some(m) => m.display(),
        None => format!("{}{}", outcome.pieces(), tr("项", " pieces")),
    };
    let parts = vec![
        label("kind", kind),
        Part {
            key: "amount",
            json: json::money(amount),
            text: Some(size),
        },
        quiet("count", json!(count)),
        quiet("pieces", json!(outcome.pieces())),
        Part {
            key: "documents",
            json: json!(outcome.documents),
            text: Some(outcome.documents.join(tr("、", ", "))),
        },
        said("note", &outcome.note),
        quiet("recorded_by", json!(outcome.recorded_by)),
    ];
    finish_with_evidence(ctx, entry, Step::Outcome, outcome, &attachments, parts, out)
}

fn parse_count(text: &str) -> CliResult<u32> {
    match text.trim().parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(Msg::new(
            format!("项数“{}”应为正整数", text.trim()),
            format!(
                "the count \"{}\" must be a whole number above zero",
                text.trim()
            ),
        )
        .into()),
    }
}

/// `rectify accountability FINDING --person … --measure … --decided-by …`: 追责问责.
pub fn accountability(ctx: &Context, args: &AccountabilityArgs, out: &mut Out) -> CliResult {
    let measure = AccountabilityMeasure::parse_label(&args.measure)?;
    let decided_by = DecidingBody::parse_label(&args.decided_by)?;
    let entry = begin(ctx, &args.target)?;
    let text = |o: &Option<String>| o.as_deref().unwrap_or_default().trim().to_string();
    let record = Accountability {
        id: Id::new(),
        finding: entry.finding.id,
        date: entry.date,
        recorded_by: ctx.user.clone(),
        person: args.person.trim().to_string(),
        position: text(&args.position),
        entity: text(&args.entity),
        measure,
        decided_by,
        document: text(&args.doc),
        note: args.note.clone().unwrap_or_default(),
        archived: false,
    };
    let parts = vec![
        said("person", &record.person),
        said("position", &record.position),
        said("entity", &record.entity),
        label("measure", measure),
        label("decided_by", decided_by),
        said("document", &record.document),
        said("note", &record.note),
        quiet("recorded_by", json!(record.recorded_by)),
    ];
    finish(ctx, entry, Step::Accountability, record, parts, out)
}

/// `rectify supervise FINDING --kind …`: a 督办 step, pressing the lead unit unless told
/// otherwise.
pub fn supervise(ctx: &Context, args: &SuperviseArgs, out: &mut Out) -> CliResult {
    let kind = SupervisionKind::parse_label(&args.kind)?;
    let due = super::inputs::opt_date(ctx, args.due.as_deref())?;
    let entry = begin(ctx, &args.target)?;
    let unit = match &args.unit {
        Some(text) => match record_of(&entry.ledger, text, EntityKind::Unit)? {
            Record::Unit(u) => Some(u.id),
            _ => None,
        },
        None => entry.finding.lead_unit(),
    };
    let names = json::Names::load(&entry.ledger)?;
    let record = Supervision {
        id: Id::new(),
        finding: entry.finding.id,
        date: entry.date,
        by: ctx.user.clone(),
        kind,
        target_unit: unit,
        summary: args.summary.clone().unwrap_or_default(),
        response_due: due,
        archived: false,
    };
    let due_text = due.map(|d| format!("{}{d}", tr("回复期限 ", "answer due ")));
    let parts = vec![
        label("kind", kind),
        Part {
            key: "target_unit",
            json: json!(unit.map(|u| json!({"id": u.to_string(), "name": names.unit(u)}))),
            text: unit.map(|u| names.unit(u)),
        },
        said("summary", &record.summary),
        Part {
            key: "response_due",
            json: json!(due),
            text: due_text,
        },
        quiet("by", json!(record.by)),
    ];
    finish(ctx, entry, Step::Supervise, record, parts, out)
}
