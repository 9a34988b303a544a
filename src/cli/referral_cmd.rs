//! `rectify referral add|update|list`: 移送 to 纪委监委, 公安, 主管部门 … and the receiver's
//! progress. `update` changes the referral field by field through `Ledger::update_record`, so
//! `history` shows each step (已移送 → 已受理 → 已反馈) with who recorded it and when.

use super::entry::{RecordTarget, Step, begin, finish, label, quiet, record_of, said};
use super::inputs::{opt_date, past_date};
use super::json::{self, feedback_overdue};
use super::listing::Listing;
use super::{CliError, CliResult, Context, Out};
use crate::domain::{Finding, Id, Labelled, Referral, ReferralReceiver, ReferralStatus};
use crate::i18n::{Lang, Msg, tr};
use crate::store::{EntityKind, Record, Store};
use crate::text::display_safe;
use clap::{Args, Subcommand};
use serde_json::{Value, json};
use std::collections::HashMap;

#[derive(Debug, Subcommand)]
pub enum ReferralCommand {
    /// 登记移送 / record a referral of a finding
    Add(ReferralAddArgs),
    /// 更新移送的办理情况 / record the receiver's progress on a referral
    Update(ReferralUpdateArgs),
    /// 列出全部移送 / list every referral
    List(ReferralListArgs),
}

#[derive(Debug, Args)]
pub struct ReferralAddArgs {
    #[command(flatten)]
    pub target: RecordTarget,
    /// 移送对象：纪委监委、公安、检察院、法院、主管部门、税务、其他 / who it is referred to
    #[arg(long = "to", value_name = "RECEIVER")]
    pub to: String,
    /// 审计事项移送处理书文号 / the referral document's number
    #[arg(long = "doc-no", value_name = "DOC-NO")]
    pub doc_no: String,
    /// 移送事项 / what is referred
    #[arg(long, value_name = "TEXT")]
    pub summary: Option<String>,
    /// 涉及人数 / how many persons are involved
    #[arg(long, value_name = "N")]
    pub persons: Option<String>,
    /// 反馈期限 / when feedback is due
    #[arg(
        long = "feedback-due",
        value_name = "DATE",
        allow_negative_numbers = true
    )]
    pub feedback_due: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReferralUpdateArgs {
    /// 移送记录编号（或其片段）/ the referral: its id or an id fragment
    pub referral: String,
    /// 移送状态：已移送、已受理、办理中、已反馈、已办结 / the referral's status
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// 反馈情况 / the receiver's feedback
    #[arg(long, value_name = "TEXT")]
    pub feedback: Option<String>,
    /// 反馈日期（状态改为已反馈、已办结时默认今天）/ when the feedback came (default: today, once fed back)
    #[arg(
        long = "feedback-on",
        value_name = "DATE",
        allow_negative_numbers = true
    )]
    pub feedback_on: Option<String>,
    /// 输出 JSON / print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReferralListArgs {
    /// 输出 JSON / print JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, command: &ReferralCommand, out: &mut Out) -> CliResult {
    match command {
        ReferralCommand::Add(a) => add(ctx, a, out),
        ReferralCommand::Update(a) => update(ctx, a, out),
        ReferralCommand::List(a) => list(ctx, a, out),
    }
}

/// `rectify referral add FINDING --to … --doc-no …`.
fn add(ctx: &Context, args: &ReferralAddArgs, out: &mut Out) -> CliResult {
    let receiver = ReferralReceiver::parse_label(&args.to)?;
    let persons = match args.persons.as_deref().map(str::trim) {
        Some(text) => text.parse::<u32>().map_err(|_| {
            Msg::new(
                format!("涉及人数“{text}”应为整数"),
                format!("the number of persons \"{text}\" must be a whole number"),
            )
        })?,
        None => 0,
    };
    let feedback_due = opt_date(ctx, args.feedback_due.as_deref())?;
    let entry = begin(ctx, &args.target)?;
    let referral = Referral {
        id: Id::new(),
        finding: entry.finding.id,
        date: entry.date,
        recorded_by: ctx.user.clone(),
        receiver,
        doc_no: args.doc_no.trim().to_string(),
        summary: args.summary.clone().unwrap_or_default(),
        persons,
        feedback_due,
        status: ReferralStatus::Sent,
        feedback_on: None,
        feedback: String::new(),
        archived: false,
    };
    let due_text = feedback_due.map(|d| format!("{}{d}", tr("反馈期限 ", "feedback due ")));
    let parts = vec![
        label("receiver", receiver),
        said("doc_no", &referral.doc_no),
        label("referral_status", referral.status),
        said("summary", &referral.summary),
        quiet("persons", json!(persons)),
        super::entry::Part {
            key: "feedback_due",
            json: json!(feedback_due),
            text: due_text,
        },
        quiet("recorded_by", json!(referral.recorded_by)),
    ];
    finish(ctx, entry, Step::Referral, referral, parts, out)
}

/// `rectify referral update REFERRAL --status … [--feedback …] [--feedback-on …]`.
fn update(ctx: &Context, args: &ReferralUpdateArgs, out: &mut Out) -> CliResult {
    let status = args.status.as_deref().map(ReferralStatus::parse_label);
    let status = status.transpose()?;
    let feedback_on = match &args.feedback_on {
        Some(t) => Some(past_date(ctx, Some(t), ("反馈日期", "feedback date"))?),
        None => None,
    };
    if status.is_none() && args.feedback.is_none() && feedback_on.is_none() {
        return Err(Msg::new(
            "没有要更新的内容：请给出 --status、--feedback 或 --feedback-on",
            "nothing to update: give --status, --feedback or --feedback-on",
        )
        .into());
    }
    let mut ledger = ctx.open()?;
    let old = match record_of(&ledger, &args.referral, EntityKind::Referral)? {
        Record::Referral(r) => r,
        _ => return Err(Msg::new("记录类型不符", "wrong record kind").into()),
    };
    if old.archived {
        return Err(Msg::new(
            format!("移送记录 {} 已归档，不能更新", old.id.short()),
            format!(
                "the referral {} is archived and cannot be updated",
                old.id.short()
            ),
        )
        .into());
    }
    let finding: Finding = ledger.get(old.finding)?;
    let mut new = old.clone();
    if let Some(s) = status {
        new.status = s;
    }
    if let Some(text) = &args.feedback {
        new.feedback = text.clone();
    }
    new.feedback_on = feedback_on.or(new.feedback_on);
    let fed_back = matches!(
        new.status,
        ReferralStatus::FedBack | ReferralStatus::Concluded
    );
    if fed_back && new.feedback_on.is_none() {
        new.feedback_on = Some(ctx.today);
    }
    let ops = ledger
        .update_record(Record::Referral(new.clone()))
        .map_err(|e| {
            let reason = match CliError::from(e) {
                CliError::Fail(m) => m,
                other => return other,
            };
            CliError::Fail(Msg::new(
                format!("不能更新移送：{}", reason.zh),
                format!("cannot update the referral: {}", reason.en),
            ))
        })?;
    let changes = changes(&old, &new);
    if args.json {
        return out.json(&json!({
            "id": new.id.to_string(),
            "record": "referral",
            "finding": finding.id.to_string(),
            "number": finding.number,
            "ops": ops.len(),
            "changes": changes.iter().map(|c| json!({"field": c.field, "old": c.old_zh, "new": c.new_zh})).collect::<Vec<_>>(),
            "referral": json::referral(&new, ctx.today),
        }));
    }
    let head = Msg::new(
        format!(
            "已更新移送 {}（问题 {}，移送{} {}）",
            new.id.short(),
            finding.number,
            new.receiver.zh(),
            new.doc_no
        ),
        format!(
            "updated the referral {} (finding {}, to the {} {})",
            new.id.short(),
            finding.number,
            new.receiver.en(),
            new.doc_no
        ),
    );
    if changes.is_empty() {
        return out.line(&display_safe(&format!(
            "{}{}",
            head,
            tr("：没有变化", ": nothing changed")
        )));
    }
    out.line(&display_safe(&format!("{head}{}", tr("：", ":"))))?;
    for c in &changes {
        out.line(&display_safe(&format!(
            "  {}{}{} → {}",
            tr(c.label.0, c.label.1),
            tr("：", ": "),
            c.old_text,
            c.new_text
        )))?;
    }
    Ok(())
}

/// One field the update changed, in words (and in Chinese for the JSON).
struct FieldChange {
    field: &'static str,
    label: (&'static str, &'static str),
    old_zh: Value,
    new_zh: Value,
    old_text: String,
    new_text: String,
}

fn changes(old: &Referral, new: &Referral) -> Vec<FieldChange> {
    let mut out = Vec::new();
    if old.status != new.status {
        out.push(FieldChange {
            field: "status",
            label: ("移送状态", "status"),
            old_zh: json!(old.status.label_in(Lang::Zh)),
            new_zh: json!(new.status.label_in(Lang::Zh)),
            old_text: old.status.label().to_string(),
            new_text: new.status.label().to_string(),
        });
    }
    if old.feedback_on != new.feedback_on {
        let text =
            |d: Option<chrono::NaiveDate>| d.map_or_else(|| "—".to_string(), |d| d.to_string());
        out.push(FieldChange {
            field: "feedback_on",
            label: ("反馈日期", "feedback date"),
            old_zh: json!(old.feedback_on),
            new_zh: json!(new.feedback_on),
            old_text: text(old.feedback_on),
            new_text: text(new.feedback_on),
        });
    }
    if old.feedback != new.feedback {
        let text = |t: &str| {
            if t.is_empty() {
                "—".to_string()
            } else {
                crate::text::truncate(t, 60)
            }
        };
        out.push(FieldChange {
            field: "feedback",
            label: ("反馈情况", "feedback"),
            old_zh: json!(old.feedback),
            new_zh: json!(new.feedback),
            old_text: text(&old.feedback),
            new_text: text(&new.feedback),
        });
    }
    out
}

/// `rectify referral list`: every live referral, oldest first.
fn list(ctx: &Context, args: &ReferralListArgs, out: &mut Out) -> CliResult {
    let ledger = ctx.open()?;
    let mut findings: HashMap<Id, Finding> = HashMap::new();
    for record in ledger.store().scan(EntityKind::Finding) {
        if let Record::Finding(f) = record? {
            findings.insert(f.id, f);
        }
    }
    let mut referrals = ledger.all::<Referral>()?;
    referrals.sort_by_key(|r| (r.date, r.id));
    let columns = [
        (tr("移送编号", "id"), 10),
        (tr("问题编号", "finding"), 12),
        (tr("移送对象", "to"), 14),
        (tr("状态", "status"), 10),
        (tr("移送日期", "sent"), 10),
        (tr("已过天数", "days"), 8),
        (tr("反馈期限", "due"), 10),
        (tr("逾期", "overdue"), 6),
        (tr("文号", "document"), 0),
    ];
    let today = ctx.today;
    let mut listing = Listing::start(out, args.json, &columns)?;
    let mut late = 0usize;
    for r in &referrals {
        let f = findings.get(&r.finding);
        let number = f.map_or_else(|| r.finding.short(), |f| f.number.to_string());
        let overdue = feedback_overdue(r, today);
        late += usize::from(overdue);
        let cells = [
            r.id.short(),
            number.clone(),
            r.receiver.label().to_string(),
            r.status.label().to_string(),
            r.date.to_string(),
            (today - r.date).num_days().to_string(),
            r.feedback_due.map(|d| d.to_string()).unwrap_or_default(),
            if overdue { tr("逾期", "overdue") } else { "" }.to_string(),
            r.doc_no.clone(),
        ];
        listing.row(out, &cells, || {
            let mut v = json::referral(r, today);
            if let Some(o) = v.as_object_mut() {
                o.insert("finding".into(), json!(r.finding.to_string()));
                o.insert("number".into(), json!(number));
                o.insert("title".into(), json!(f.map(|f| f.title.clone())));
            }
            v
        })?;
    }
    let footer = Msg::new(
        format!(
            "共 {} 件移送，{late} 件反馈逾期（截至 {today}）",
            referrals.len()
        ),
        format!(
            "{} referrals, {late} with feedback overdue (as of {today})",
            referrals.len()
        ),
    );
    listing.finish(out, Some(footer.to_string()))
}
