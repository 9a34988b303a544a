//! `rectify history ID-OR-NUMBER`: every change to a record, from the journal, oldest first.
//!
//! For a finding the timeline also holds the records hanging on it (checks, progress reports,
//! determinations, closures, reopenings), because that is where most of a finding's life is
//! written. Values are shown as a reader knows them: enum variants by their labels, ids by the
//! unit name or the project / finding number, money in 元 / 万元, booleans as 是 / 否.

use super::json::Names;
use super::{CliResult, Context, Out};
use crate::domain::{
    AccountabilityMeasure, Channel, CheckKind, CheckMethod, CheckVerdict, ClaimedStatus,
    ContactRole, DecidingBody, EvidenceKind, Finding, FindingSource, Id, Labelled, Mode, Money,
    OutcomeKind, ProjectOrigin, ProjectStage, ProjectType, ReferralReceiver, ReferralStatus,
    ReopenReason, ReviewMethod, ReviewVerdict, Severity, StatClass, SupervisionKind, UnitKind,
    UnitRole, UnresolvedReason,
};
use crate::i18n::tr;
use crate::ledger::Ledger;
use crate::ledger::describe::describe;
use crate::store::{Change, EntityKind, Op, Record, SledStore, Store};
use crate::text::{display_safe, truncate};
use clap::Args;
use serde_json::{Value, json};
use std::collections::HashMap;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// 问题编号、项目编号、单位名称或记录编号 / a finding or project number, unit name or record id
    pub target: String,
    /// 输出 JSON / print JSON
    #[arg(long)]
    pub json: bool,
}

/// How many cells one value may take in the text timeline; the JSON has it whole.
const VALUE_CELLS: usize = 60;

/// Keys that name a nested record, shown before its other parts.
const LEAD_KEYS: [&str; 5] = ["unit", "name", "title", "role", "due"];

/// Fields whose numbers are money in 分.
const MONEY_FIELDS: [&str; 4] = [
    "amount",
    "during_audit_amount",
    "amount_rectified",
    "amount_confirmed",
];

pub fn run(ctx: &Context, args: &HistoryArgs, out: &mut Out) -> CliResult {
    let ledger = ctx.open()?;
    let names = Names::load(&ledger)?;
    let target = ledger.resolve(&args.target)?;
    let mut labels = HashMap::new();
    labels.insert(target.id(), entity_label(&target));
    let mut ops = ledger.store().history(target.id())?;
    if let Record::Finding(f) = &target {
        // Archived records included: their creation and their archiving are history too.
        for child in ledger.store().children(f.id)? {
            labels.insert(child.id(), entity_label(&child));
            ops.extend(ledger.store().history(child.id())?);
        }
    }
    // The order every replica applies ops in; within one replica it is the order they were
    // made, and across replicas it does not depend on whose clock was right.
    ops.sort_by_key(Op::order_key);
    let reader = Reader {
        ledger: &ledger,
        names: &names,
    };
    if args.json {
        let items: Vec<Value> = ops
            .iter()
            .map(|op| reader.entry_json(op, labels.get(&op.entity)))
            .collect();
        return out.json(&Value::Array(items));
    }
    for op in &ops {
        let label = labels
            .get(&op.entity)
            .cloned()
            .unwrap_or_else(|| op.entity.short());
        out.line(&display_safe(&format!(
            "{}  {}  {}  {}",
            local_time(op).format("%Y-%m-%d %H:%M:%S"),
            op.author,
            label,
            reader.what(op)
        )))?;
    }
    if ops.is_empty() {
        out.line(tr("（没有修改记录）", "(no changes recorded)"))?;
    }
    Ok(())
}

fn local_time(op: &Op) -> chrono::DateTime<chrono::Local> {
    op.at.with_timezone(&chrono::Local)
}

/// "问题 2022-01-05", "跟踪检查 1a2b3c4d": how a line names the record it is about.
pub(super) fn entity_label(record: &Record) -> String {
    let name = match record {
        Record::Finding(f) => f.number.to_string(),
        Record::Project(p) => p.number.clone(),
        Record::Unit(u) => u.display_name().to_string(),
        other => other.id().short(),
    };
    format!("{} {}", record.kind().label(), name)
}

/// Turns stored values back into what a reader knows.
struct Reader<'a> {
    ledger: &'a Ledger<SledStore>,
    names: &'a Names,
}

impl Reader<'_> {
    /// "创建：…" or "整改时限：2022-10-20 → 2023-01-20".
    fn what(&self, op: &Op) -> String {
        match &op.change {
            Change::Create { record } => {
                format!(
                    "{}{}",
                    tr("创建：", "created: "),
                    self.created(op.kind, record)
                )
            }
            Change::Set {
                field,
                value,
                before,
                ..
            } => format!(
                "{}{}{} → {}",
                field_label(field),
                tr("：", ": "),
                self.short_value(op.kind, field, before),
                self.short_value(op.kind, field, value)
            ),
        }
    }

    fn entry_json(&self, op: &Op, label: Option<&String>) -> Value {
        let (change, field, old, new) = match &op.change {
            Change::Create { record } => ("create", None, Value::Null, record.clone()),
            Change::Set {
                field,
                value,
                before,
                ..
            } => ("set", Some(field), before.clone(), value.clone()),
        };
        let text = |v: &Value| match field {
            Some(f) => json!(self.value(op.kind, f, v)),
            None => Value::Null,
        };
        json!({
            "at": local_time(op).to_rfc3339(),
            "author": op.author,
            "entity": op.entity.to_string(),
            "entity_label": label.cloned().unwrap_or_else(|| op.entity.short()),
            "kind": kind_name(op.kind),
            "change": change,
            "field": field,
            "old_text": text(&old),
            "new_text": text(&new),
            "old": old,
            "new": new,
            "op": op.id.to_string(),
        })
    }

    /// A created record in one line, in the words a list would use.
    fn created(&self, kind: EntityKind, record: &Value) -> String {
        let Ok(record) = Record::from_json(kind, record.clone()) else {
            // An op from a newer or older format: say what we can rather than nothing.
            return truncate(&record.to_string(), VALUE_CELLS);
        };
        let text = match record.date() {
            Some(date) => format!("{date} {}", describe(&record)),
            None => describe(&record),
        };
        truncate(&text, VALUE_CELLS * 2)
    }

    fn short_value(&self, kind: EntityKind, field: &str, value: &Value) -> String {
        truncate(&self.value(kind, field, value), VALUE_CELLS)
    }

    /// One stored value in words. `field` is the key it sits under (for nested values, the
    /// innermost key), which decides how an enum variant or a number is read.
    fn value(&self, kind: EntityKind, field: &str, value: &Value) -> String {
        match value {
            Value::Null => "—".into(),
            Value::Bool(b) => {
                tr(if *b { "是" } else { "否" }, if *b { "yes" } else { "no" }).into()
            }
            Value::Number(n) => match n.as_i64() {
                Some(fen) if MONEY_FIELDS.contains(&field) => Money(fen).display(),
                _ => n.to_string(),
            },
            Value::String(s) if s.is_empty() => "—".into(),
            Value::String(s) => self.string(kind, field, s),
            Value::Array(items) => {
                let parts: Vec<String> = items.iter().map(|v| self.value(kind, field, v)).collect();
                if parts.is_empty() {
                    "—".into()
                } else {
                    parts.join(tr("、", ", "))
                }
            }
            Value::Object(map) => self.object(kind, map),
        }
    }

    /// A nested record (a responsible unit, a milestone, a contact, the flags): its parts by
    /// their own keys, the naming ones first, blanks left out, a set flag by its name.
    fn object(&self, kind: EntityKind, map: &serde_json::Map<String, Value>) -> String {
        let mut entries: Vec<(&String, &Value)> = map.iter().collect();
        // Stable: the other keys keep serde's (alphabetical) order.
        entries.sort_by_key(|(k, _)| LEAD_KEYS.iter().position(|l| l == k).unwrap_or(usize::MAX));
        let parts: Vec<String> = entries
            .into_iter()
            .filter_map(|(k, v)| match v {
                Value::Null | Value::Bool(false) => None,
                Value::String(t) if t.is_empty() => None,
                Value::Bool(true) => Some(field_label(k)),
                _ if k == "done_on" => Some(format!("✓{}", self.value(kind, k, v))),
                _ => Some(self.value(kind, k, v)),
            })
            .collect();
        if parts.is_empty() {
            "—".into()
        } else {
            parts.join(" ")
        }
    }

    fn string(&self, kind: EntityKind, field: &str, text: &str) -> String {
        if let Some(label) = enum_label(kind, field, text) {
            return label.to_string();
        }
        // Ids are stored in full; a reader knows units by name and the rest by number.
        if text.len() == 36
            && let Ok(id) = Id::parse(text)
        {
            return self.id_name(id);
        }
        text.to_string()
    }

    fn id_name(&self, id: Id) -> String {
        if self.names.units.contains_key(&id) {
            return self.names.unit(id);
        }
        if self.names.projects.contains_key(&id) {
            return self.names.project_number(id);
        }
        match self.ledger.get::<Finding>(id) {
            Ok(f) => f.number.into(),
            Err(_) => id.short(),
        }
    }
}

/// The label of an enum variant stored under `field` of a `kind` record, if the field holds
/// one of the domain's vocabularies; `None` leaves the text as it is.
fn enum_label(kind: EntityKind, field: &str, ident: &str) -> Option<&'static str> {
    own_enum_label(kind, field, ident).or_else(|| match field {
        // Nested: an evidence entry's kind, or the kind of an amount.
        "kind" => label::<EvidenceKind>(ident).or_else(|| label::<OutcomeKind>(ident)),
        _ => None,
    })
}

/// The vocabularies of a kind's own top-level fields.
fn own_enum_label(kind: EntityKind, field: &str, ident: &str) -> Option<&'static str> {
    use EntityKind as K;
    match (kind, field) {
        (K::Unit, "kind") => label::<UnitKind>(ident),
        (K::Unit, "role") => label::<ContactRole>(ident),
        (K::Project, "kind") => label::<ProjectType>(ident),
        (K::Project, "origin") => label::<ProjectOrigin>(ident),
        (K::Project, "stage") => label::<ProjectStage>(ident),
        (K::Finding, "stat_class") => label::<StatClass>(ident),
        (K::Finding, "severity") => label::<Severity>(ident),
        (K::Finding, "mode") => label::<Mode>(ident),
        (K::Finding, "unresolved_reason") => label::<UnresolvedReason>(ident),
        (K::Finding, "source") => label::<FindingSource>(ident),
        (K::Finding, "role") => label::<UnitRole>(ident),
        (K::Check, "kind") => label::<CheckKind>(ident),
        (K::Check, "method") => label::<CheckMethod>(ident),
        (K::Check, "verdict") => label::<CheckVerdict>(ident),
        (K::Progress, "claimed") => label::<ClaimedStatus>(ident),
        (K::Determination, "method") => label::<ReviewMethod>(ident),
        (K::Determination, "verdict") => label::<ReviewVerdict>(ident),
        (K::Reopen, "reason") => label::<ReopenReason>(ident),
        (K::Progress, "channel") => label::<Channel>(ident),
        (K::Outcome, "kind") => label::<OutcomeKind>(ident),
        (K::Accountability, "measure") => label::<AccountabilityMeasure>(ident),
        (K::Accountability, "decided_by") => label::<DecidingBody>(ident),
        (K::Referral, "receiver") => label::<ReferralReceiver>(ident),
        (K::Referral, "status") => label::<ReferralStatus>(ident),
        (K::Supervision, "kind") => label::<SupervisionKind>(ident),
        (K::Plan, "kind") => label::<CheckKind>(ident),
        _ => None,
    }
}

/// Variants are stored by their Rust name (serde's default), which `ident` gives back.
fn label<T: Labelled>(ident: &str) -> Option<&'static str> {
    T::ALL
        .iter()
        .find(|v| v.ident() == ident)
        .map(|v| v.label())
}

/// The field's name in the current language; unknown fields keep their stored name.
pub(super) fn field_label(field: &str) -> String {
    let known: Option<(&str, &str)> = match field {
        "number" => Some(("编号", "number")),
        "title" => Some(("问题摘要", "title")),
        "name" => Some(("名称", "name")),
        "short_name" => Some(("简称", "short name")),
        "facts" => Some(("问题描述", "facts")),
        "stat_class" => Some(("统计定性", "statistical class")),
        "category" => Some(("问题类别", "category")),
        "legal_basis" => Some(("定性依据", "legal basis")),
        "severity" => Some(("严重程度", "severity")),
        "amount" => Some(("涉及金额", "amount")),
        "recommendation" => Some(("审计建议", "recommendation")),
        "units" => Some(("责任单位", "responsible units")),
        "responsible_person" => Some(("责任人", "responsible person")),
        "auditor" => Some(("跟踪审计人员", "auditor")),
        "mode" => Some(("整改方式", "mode")),
        "during_audit" => Some(("边审边改", "rectified during the audit")),
        "during_audit_amount" => Some(("边审边改金额", "amount rectified during the audit")),
        "issued_on" => Some(("下发日期", "issued on")),
        "deadline" => Some(("整改时限", "deadline")),
        "milestones" => Some(("阶段目标", "milestones")),
        "flags" => Some(("标记", "flags")),
        "repeat_of" => Some(("屡审屡犯", "repeats")),
        "unresolved_reason" => Some(("未完成原因", "reason unfinished")),
        "justification" => Some(("说明", "justification")),
        "source" => Some(("问题来源", "source")),
        "archived" => Some(("归档", "archived")),
        "date" => Some(("日期", "date")),
        "note" => Some(("说明", "note")),
        "verdict" => Some(("结论", "verdict")),
        "method" => Some(("方式", "method")),
        "opinion" => Some(("认定意见", "opinion")),
        "remark" => Some(("备注", "remark")),
        "reason" => Some(("原因", "reason")),
        "next_check" => Some(("下次检查", "next check")),
        "parent" => Some(("主管部门", "competent department")),
        "leader" => Some(("主要负责人", "leader")),
        "contacts" => Some(("联系人", "contacts")),
        "stage" => Some(("项目阶段", "stage")),
        "audited_units" => Some(("被审计单位", "audited units")),
        "project" => Some(("项目", "project")),
        "report_to_congress" => Some(("纳入审计工作报告", "in the audit work report")),
        "leader_instruction" => Some(("领导批示", "leaders' instruction")),
        "upper_assigned" => Some(("上级交办", "assigned by the upper office")),
        "key_supervision" => Some(("重点督办", "key supervision")),
        "status" => Some(("状态", "status")),
        "feedback" => Some(("反馈情况", "feedback")),
        "feedback_on" => Some(("反馈日期", "feedback date")),
        "feedback_due" => Some(("反馈期限", "feedback due")),
        "receiver" => Some(("移送对象", "referred to")),
        "doc_no" => Some(("文号", "document number")),
        "summary" => Some(("内容", "summary")),
        "persons" => Some(("涉及人数", "persons")),
        "evidence" => Some(("佐证材料", "evidence")),
        "amounts" => Some(("分类金额", "amounts by kind")),
        "measures" => Some(("整改措施", "measures")),
        "next_steps" => Some(("下一步措施", "next steps")),
        "reason_if_incomplete" => Some(("未完成原因", "reason unfinished")),
        "requested_deadline" => Some(("申请延期至", "requested deadline")),
        "standard" => Some(("认定标准", "standard")),
        "documents" => Some(("制度名称", "rules")),
        "count" => Some(("项数", "count")),
        "measure" => Some(("问责方式", "measure")),
        "decided_by" => Some(("决定机关", "decided by")),
        "document" => Some(("决定文号", "decision number")),
        "response_due" => Some(("回复期限", "response due")),
        "target_unit" => Some(("被督办单位", "unit pressed")),
        "findings" => Some(("问题", "findings")),
        "start" => Some(("开始日期", "start")),
        "end" => Some(("结束日期", "end")),
        "team" => Some(("检查组", "team")),
        "plan" => Some(("检查计划", "check plan")),
        _ => None,
    };
    match known {
        Some((zh, en)) => tr(zh, en).to_string(),
        None => field.to_string(),
    }
}

/// The entity kind as the JSON names it (`finding`, `check` …), which is serde's name for it.
fn kind_name(kind: EntityKind) -> Value {
    serde_json::to_value(kind).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_values_read_back_as_their_labels() {
        // Compared with `label()`: other tests may switch the process's language.
        assert_eq!(
            enum_label(EntityKind::Finding, "mode", "LongTerm"),
            Some(Mode::LongTerm.label())
        );
        assert_eq!(
            enum_label(EntityKind::Check, "verdict", "Fake"),
            Some(CheckVerdict::Fake.label())
        );
        // Not a vocabulary field, or not a variant: left as it is.
        assert_eq!(enum_label(EntityKind::Finding, "title", "LongTerm"), None);
        assert_eq!(enum_label(EntityKind::Finding, "mode", "Sideways"), None);
    }

    #[test]
    fn nested_values_read_naming_parts_first() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SledStore::open(&dir.path().join("ledger"), "t").expect("store");
        let ledger = Ledger::new(store);
        let names = Names {
            units: HashMap::new(),
            projects: HashMap::new(),
            plans: HashMap::new(),
        };
        let reader = Reader {
            ledger: &ledger,
            names: &names,
        };
        let milestone = json!({"done_on": "2023-08-15", "due": "2023-08-20", "title": "方案"});
        let text = reader.value(EntityKind::Finding, "milestones", &json!([milestone]));
        assert_eq!(text, "方案 2023-08-20 ✓2023-08-15");
        let flags = json!({"key_supervision": true, "report_to_congress": false});
        let text = reader.value(EntityKind::Finding, "flags", &flags);
        assert_eq!(text, field_label("key_supervision"));
        let money = reader.value(EntityKind::Finding, "amount", &json!(12_345_600));
        assert_eq!(money, Money(12_345_600).display());
        assert_eq!(
            reader.value(EntityKind::Finding, "amount", &Value::Null),
            "—"
        );
    }
}
