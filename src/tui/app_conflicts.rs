//! The 冲突 queue in the app (issue 7): every open conflict (a field two replicas edited from the
//! same version) with each side's value, author and time, and the findings whose number another
//! finding of the project shares. Enter on a conflict offers its sides (and "edit"); keeping one
//! writes the field through the ledger, and that write, like every write, names every current
//! version of the field, which settles the conflict here and, after a sync, everywhere.

use super::action::Action;
use super::app::{App, Mode};
use super::forms::{self, Form, picker::Picker};
use super::keymap::{Context, Lookup};
use super::strings::S;
use super::view::ViewKind;
use crate::domain::{
    CheckKind, CheckMethod, CheckVerdict, FindingSource, Id, Labelled, Mode as RectifyMode, Money,
    MoneyUnit, ProjectStage, ProjectType, ReviewMethod, ReviewVerdict, Severity, StatClass,
    UnitKind, UnresolvedReason,
};
use crate::i18n::tr;
use crate::ledger::{Ledger, LedgerResult};
use crate::store::apply::ConflictSide;
use crate::store::{Change, Conflict, EntityKind, Op, Record, Store};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use serde_json::Value;
use std::rc::Rc;

/// The queue's rows, computed once per snapshot state.
pub struct Queue {
    generation: u64,
    rows: Rc<Vec<ConflictRow>>,
}

/// One open conflict as a person reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    /// `None` when the record cannot be read (then it cannot be settled here either).
    pub kind: Option<EntityKind>,
    pub entity: Id,
    pub field: String,
    /// `问题 2023-01-01`, `单位 区财政局`, `整改认定（问题 2023-01-01）` …
    pub record: String,
    pub field_label: String,
    /// Oldest first; the one `shown` is what the field shows now, the same on every replica.
    pub sides: Vec<Side>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    pub value: Value,
    /// The value as a person reads it.
    pub text: String,
    pub author: String,
    /// `2026-11-28 14:03`, local time.
    pub at: String,
    pub shown: bool,
}

/// Keep which side of a conflict (or edit the field).
pub struct Chooser {
    pub row: ConflictRow,
    /// Whether the last choice, "edit", opens a form (units, projects and findings have one).
    pub editable: bool,
    pub picker: Picker,
}

impl<St: Store> App<St> {
    /// The open conflicts, described.
    pub fn conflict_rows(&self) -> Rc<Vec<ConflictRow>> {
        if let Some(q) = self.conflicts_cache.borrow().as_ref()
            && q.generation == self.snap.generation
        {
            return Rc::clone(&q.rows);
        }
        let rows: Rc<Vec<ConflictRow>> = Rc::new(
            self.snap
                .conflicts
                .iter()
                .map(|c| describe(&self.ledger, &self.snap, c))
                .collect(),
        );
        *self.conflicts_cache.borrow_mut() = Some(Queue {
            generation: self.snap.generation,
            rows: Rc::clone(&rows),
        });
        rows
    }

    /// Enter on a conflict: its sides to choose from, then "edit".
    pub(super) fn open_conflict(&mut self, i: usize) {
        let Some(row) = self.conflict_rows().get(i).cloned() else {
            return;
        };
        let mut labels: Vec<String> = row
            .sides
            .iter()
            .enumerate()
            .map(|(n, side)| {
                let shown = if side.shown { S::ShownSide.t() } else { "" };
                format!(
                    "{} {} {}  {}{shown}",
                    n + 1,
                    side.author,
                    side.at,
                    crate::text::truncate(&side.text, 60)
                )
            })
            .collect();
        let editable = matches!(
            row.kind,
            Some(EntityKind::Unit | EntityKind::Project | EntityKind::Finding)
        );
        if editable {
            labels.push(format!("{} {}", labels.len() + 1, S::EditValue.t()));
        }
        let shown = row.sides.iter().position(|s| s.shown);
        self.mode = Mode::Resolve(Box::new(Chooser {
            row,
            editable,
            picker: Picker::single(labels, shown),
        }));
    }

    pub(super) fn resolve_key(&mut self, key: KeyEvent) {
        let Mode::Resolve(chooser) = &mut self.mode else {
            return;
        };
        // A row's number chooses it at once; other characters narrow the list.
        if let Some(c) = super::app::printable(&key) {
            let n = c.to_digit(10).map(|d| d as usize);
            let count = chooser.picker.labels.len();
            match n.filter(|n| (1..=count).contains(n)) {
                Some(n) => self.choose(n - 1),
                None => chooser.picker.type_char(c),
            }
            return;
        }
        if key.code == KeyCode::Backspace {
            chooser.picker.delete_back();
            return;
        }
        match self.keymap.feed(&[Context::Popup, Context::Global], key) {
            Lookup::Action(Action::Up) => chooser.picker.move_by(-1),
            Lookup::Action(Action::Down) => chooser.picker.move_by(1),
            Lookup::Action(Action::Top) => chooser.picker.to_end(false),
            Lookup::Action(Action::Bottom) => chooser.picker.to_end(true),
            Lookup::Action(Action::Confirm) => match chooser.picker.current() {
                Some(i) => self.choose(i),
                None => self.mode = Mode::Normal,
            },
            Lookup::Action(Action::Cancel | Action::Back) => self.mode = Mode::Normal,
            Lookup::Action(Action::Quit) => self.quit = true,
            _ => {}
        }
    }

    /// Choice `i` of the open chooser: a side to keep, or (the one after the sides) "edit".
    fn choose(&mut self, i: usize) {
        let Mode::Resolve(chooser) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        let row = chooser.row;
        match row.sides.get(i) {
            Some(side) => self.keep_side(&row, side),
            None if chooser.editable => self.edit_field(&row),
            None => {}
        }
    }

    /// `e` on a conflict: the record's form, on that field.
    pub(super) fn edit_conflicted(&mut self, i: usize) {
        match self.conflict_rows().get(i).cloned() {
            Some(row) => self.edit_field(&row),
            None => self.say(S::NothingSelected.t()),
        }
    }

    fn edit_field(&mut self, row: &ConflictRow) {
        let snap = &self.snap;
        let form: Option<Form> = match row.kind {
            Some(EntityKind::Unit) => snap
                .unit(row.entity)
                .map(|u| forms::specs::unit_form(Some(u), snap)),
            Some(EntityKind::Project) => snap
                .project(row.entity)
                .map(|p| forms::specs::project_form(Some(p), snap)),
            Some(EntityKind::Finding) => snap
                .finding(row.entity)
                .map(|r| forms::specs::finding_form(Some(&r.finding), None, snap)),
            _ => None,
        };
        match form {
            Some(mut form) => {
                form.focus_key(&row.field);
                self.mode = Mode::Form(Box::new(form));
            }
            None => self.complain(S::ConflictGone.t()),
        }
    }

    /// Write `side`'s value into the field: a write made with every side in view, so it
    /// replaces them all.
    fn keep_side(&mut self, row: &ConflictRow, side: &Side) {
        let still_open = self
            .snap
            .conflicts
            .iter()
            .any(|c| c.entity == row.entity && c.field == row.field);
        let Some(kind) = row.kind.filter(|_| still_open) else {
            self.complain(S::ConflictGone.t());
            return;
        };
        let written = keep_value(
            &mut self.ledger,
            &self.user,
            kind,
            row.entity,
            &row.field,
            &side.value,
        );
        match written {
            Ok(ops) => {
                self.remember_update(ops);
                self.after_change(kind, row.entity);
                if self.nav.current().kind == ViewKind::Conflicts {
                    self.clamp_selection();
                }
                self.say(S::ConflictSettled.t().replace("{}", &side.author));
            }
            Err(e) => self.complain(e.to_string()),
        }
    }
}

/// Set `field` of a record to `value` through the ledger. A value different from the stored
/// one goes through `update_record`, with every rule checked. The value already shown is
/// written again through `revert` (which sets a field back to an op's `before`; given an op
/// from that value to that value, it writes the value again): `update_record` writes only the
/// fields that differ, so it could not. Either way the store makes the write name every current
/// version of the field, which is what settles a conflict.
fn keep_value<St: Store>(
    ledger: &mut Ledger<St>,
    author: &str,
    kind: EntityKind,
    entity: Id,
    field: &str,
    value: &Value,
) -> LedgerResult<Vec<Op>> {
    let record = ledger.record(kind, entity)?;
    let mut json = record.to_json().map_err(crate::ledger::LedgerError::Rule)?;
    let Some(slot) = json.as_object_mut().and_then(|o| o.get_mut(field)) else {
        return Err(crate::ledger::LedgerError::rule(
            format!("{}没有字段“{field}”", kind.label()),
            format!("a {} has no field \"{field}\"", kind.label()),
        ));
    };
    if *slot != *value {
        *slot = value.clone();
        let edited = Record::from_json(kind, json).map_err(crate::ledger::LedgerError::Rule)?;
        return ledger.update_record(edited);
    }
    let again = Op {
        id: Id::new(),
        replica: ledger.store().replica(),
        lamport: 0,
        at: chrono::Utc::now(),
        author: author.to_string(),
        account: String::new(),
        kind,
        entity,
        change: Change::Set {
            field: field.to_string(),
            value: value.clone(),
            before: value.clone(),
            prev: Vec::new(),
        },
    };
    ledger.revert(std::slice::from_ref(&again))
}

/// A conflict described from the record and its history (who wrote each side, and when).
fn describe<St: Store>(
    ledger: &Ledger<St>,
    snap: &super::model::Snapshot,
    c: &Conflict,
) -> ConflictRow {
    let history = ledger.store().history(c.entity).unwrap_or_default();
    let kind = history.first().map(|op| op.kind);
    let record = kind.and_then(|k| ledger.store().get(k, c.entity).ok().flatten());
    let shown = c.sides.iter().map(ConflictSide::stamp).max();
    let sides = c
        .sides
        .iter()
        .map(|side| {
            // The version a record was created with has no write of its own: its creation.
            let op = history.iter().find(|op| {
                op.order_key() == side.stamp()
                    || (side.stamp() == crate::store::apply::AS_CREATED
                        && matches!(op.change, Change::Create { .. }))
            });
            Side {
                value: side.value.clone(),
                text: value_text(&c.field, &side.value),
                author: op.map(|o| o.author.clone()).unwrap_or_default(),
                at: op
                    .map(|o| {
                        o.at.with_timezone(&chrono::Local)
                            .format("%Y-%m-%d %H:%M")
                            .to_string()
                    })
                    .unwrap_or_default(),
                shown: Some(side.stamp()) == shown,
            }
        })
        .collect();
    ConflictRow {
        kind,
        entity: c.entity,
        field: c.field.clone(),
        record: record_label(snap, record.as_ref(), c.entity),
        field_label: field_label(&c.field),
        sides,
    }
}

fn record_label(snap: &super::model::Snapshot, record: Option<&Record>, id: Id) -> String {
    let Some(record) = record else {
        return id.short();
    };
    let kind = record.kind().label();
    match record {
        Record::Finding(f) => format!("{kind} {}", f.number),
        Record::Project(p) => format!("{kind} {}", p.number),
        Record::Unit(u) => format!("{kind} {}", u.display_name()),
        Record::Plan(p) => format!("{kind} {}", p.title),
        other => match other.finding().and_then(|f| snap.finding(f)) {
            Some(r) => format!(
                "{kind}{}",
                tr(
                    &format!("（问题 {}）", r.finding.number),
                    &format!(" (finding {})", r.finding.number)
                )
            ),
            None => format!("{kind} {}", id.short()),
        },
    }
}

/// A stored value as a person reads it: text as is, labels for the closed vocabularies, amounts
/// in 万元, yes/no, and (空) for nothing.
pub fn value_text(field: &str, value: &Value) -> String {
    match value {
        Value::Null => S::EmptyValue.t().to_string(),
        Value::Bool(true) => S::Yes.t().to_string(),
        Value::Bool(false) => S::No.t().to_string(),
        Value::String(s) if s.is_empty() => S::EmptyValue.t().to_string(),
        Value::String(s) => vocab_label(field, s).unwrap_or_else(|| s.clone()),
        Value::Number(n) if field.ends_with("amount") => n
            .as_i64()
            .map(|fen| Money::from_fen(fen).format_exact(MoneyUnit::Wan))
            .unwrap_or_else(|| n.to_string()),
        other => other.to_string(),
    }
}

fn label<T: Labelled>(text: &str) -> Option<String> {
    T::parse_label(text).ok().map(|v| v.label().to_string())
}

/// The label of a closed vocabulary's value, by the field it is stored in.
fn vocab_label(field: &str, text: &str) -> Option<String> {
    match field {
        "mode" => label::<RectifyMode>(text),
        "stat_class" => label::<StatClass>(text),
        "severity" => label::<Severity>(text),
        "source" => label::<FindingSource>(text),
        "unresolved_reason" => label::<UnresolvedReason>(text),
        "stage" => label::<ProjectStage>(text),
        "verdict" => label::<CheckVerdict>(text).or_else(|| label::<ReviewVerdict>(text)),
        "method" => label::<CheckMethod>(text).or_else(|| label::<ReviewMethod>(text)),
        "kind" => label::<ProjectType>(text)
            .or_else(|| label::<UnitKind>(text))
            .or_else(|| label::<CheckKind>(text)),
        _ => None,
    }
}

/// A field's name as the forms call it.
pub fn field_label(field: &str) -> String {
    let known = match field {
        "number" => ("编号", "number"),
        "title" => ("问题摘要", "title"),
        "name" => ("名称", "name"),
        "short_name" => ("简称", "short name"),
        "facts" => ("问题描述", "facts"),
        "stat_class" => ("统计定性", "statistical class"),
        "category" => ("问题类别", "category"),
        "legal_basis" => ("定性依据", "legal basis"),
        "severity" => ("严重程度", "severity"),
        "amount" => ("涉及金额", "amount"),
        "recommendation" => ("审计建议", "recommendation"),
        "responsible_person" => ("责任人", "responsible person"),
        "auditor" => ("跟踪审计人员", "auditor"),
        "mode" => ("整改方式", "mode"),
        "during_audit" => ("边审边改", "rectified during the audit"),
        "during_audit_amount" => ("边审边改金额", "amount rectified during the audit"),
        "issued_on" => ("下发日期", "issued on"),
        "deadline" => ("整改时限", "deadline"),
        "flags" => ("标记", "flags"),
        "unresolved_reason" => ("未完成原因", "reason unfinished"),
        "justification" => ("说明", "justification"),
        "source" => ("问题来源", "source"),
        "archived" => ("归档", "archived"),
        "date" => ("日期", "date"),
        "note" => ("说明", "note"),
        "verdict" => ("结论", "verdict"),
        "method" => ("方式", "method"),
        "opinion" => ("认定意见", "opinion"),
        "remark" => ("备注", "remark"),
        "next_check" => ("下次检查", "next check"),
        "parent" => ("主管部门", "competent department"),
        "leader" => ("主要负责人", "leader"),
        "kind" => ("类型", "kind"),
        "year" => ("年度", "year"),
        "stage" => ("项目阶段", "stage"),
        "doc_no" => ("文号", "document number"),
        "doc_date" => ("发文日期", "document date"),
        "team" => ("审计组", "team"),
        "start" => ("开始日期", "start"),
        "end" => ("结束日期", "end"),
        _ => return field.to_string(),
    };
    tr(known.0, known.1).to_string()
}
