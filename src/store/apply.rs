//! Applying an op to a view of the ledger. Shared by the sled store and by `check`, which
//! rebuilds the expected state in memory, so both agree by construction.
//!
//! How replicas merge (design.md §3, issue 7):
//! * A field is last-writer-wins by (Lamport, replica): applying the same ops in any order that
//!   respects creation gives the same records, and re-applying an op is harmless.
//! * Every write of a field names the versions it replaces (`prev`, filled in when the op is
//!   made). Two edits of the same field from the same base both replace that base, so the field
//!   then has two current versions: a **conflict**. Both values are kept with their stamps; the
//!   field shows the last writer's value, the same on every replica; the next write, made with
//!   both in view, names both and resolves it, and is itself an op. Replicas that receive the
//!   ops in any order consistent with causality (which sync guarantees) agree on the conflicts.
//! * Set-valued fields (responsible units, links, scope lists, contacts, milestones) merge by
//!   add/remove: an op adds what its value has and its `before` lacked, and removes the reverse,
//!   so concurrent additions by two auditors both survive and never conflict.

use super::error::{StoreError, StoreResult};
use super::op::{Change, EntityKind, Op};
use super::record::Record;
use crate::domain::Id;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

pub type Stamp = (u64, Id);

/// One of the competing values of a conflicting field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictSide {
    pub lamport: u64,
    pub replica: Id,
    pub value: Value,
}

impl ConflictSide {
    pub fn stamp(&self) -> Stamp {
        (self.lamport, self.replica)
    }
}

/// What applying needs from a view.
pub trait ViewState {
    fn record(&mut self, kind: EntityKind, id: Id) -> StoreResult<Option<Record>>;
    fn put(&mut self, record: Record);
    fn field_stamp(&mut self, entity: Id, field: &str) -> StoreResult<Option<Stamp>>;
    fn set_field_stamp(&mut self, entity: Id, field: &str, stamp: Stamp);
    /// The open conflict on a field (empty when there is none).
    fn conflict(&mut self, entity: Id, field: &str) -> StoreResult<Vec<ConflictSide>>;
    /// Replace the conflict on a field; an empty list clears it.
    fn set_conflict(&mut self, entity: Id, field: &str, sides: Vec<ConflictSide>);
}

/// Fields whose value is a set of items, merged by add/remove instead of last-writer-wins.
pub fn is_set_field(kind: EntityKind, field: &str) -> bool {
    matches!(
        (kind, field),
        (EntityKind::Finding, "units" | "repeat_of" | "milestones")
            | (EntityKind::Project, "audited_units")
            | (EntityKind::Unit, "contacts")
            | (EntityKind::Plan, "findings")
    )
}

pub fn apply(view: &mut impl ViewState, op: &Op) -> StoreResult<()> {
    match &op.change {
        Change::Create { record } => {
            if view.record(op.kind, op.entity)?.is_some() {
                return Ok(()); // already applied
            }
            let record = Record::from_json(op.kind, record.clone()).map_err(StoreError::Invalid)?;
            if record.id() != op.entity {
                return Err(StoreError::Invalid(Msg::new(
                    "操作的记录编号与内容不符",
                    "the op's record id does not match its content",
                )));
            }
            view.put(record);
            Ok(())
        }
        Change::Set {
            field,
            value,
            before,
            prev,
        } => apply_set(view, op, field, value, before, prev),
    }
}

fn apply_set(
    view: &mut impl ViewState,
    op: &Op,
    field: &str,
    value: &Value,
    before: &Value,
    prev: &[Stamp],
) -> StoreResult<()> {
    if field == "id" {
        return Err(StoreError::Invalid(Msg::new(
            "记录编号不可修改",
            "a record id cannot change",
        )));
    }
    let Some(current) = view.record(op.kind, op.entity)? else {
        return Err(StoreError::Invalid(Msg::new(
            format!("要修改的{}记录 {} 不存在", op.kind.label(), op.entity),
            format!(
                "the {} {} to change does not exist",
                op.kind.label(),
                op.entity
            ),
        )));
    };
    let mut json = current.to_json().map_err(StoreError::Invalid)?;
    let Some(slot) = json.as_object_mut().and_then(|o| o.get_mut(field)) else {
        return Err(StoreError::Invalid(Msg::new(
            format!("{}没有字段“{}”", op.kind.label(), field),
            format!("a {} has no field \"{}\"", op.kind.label(), field),
        )));
    };
    if is_set_field(op.kind, field) {
        *slot = canonical(field, merge_set(slot, before, value));
    } else {
        let stamp = op.order_key();
        let existing = view.field_stamp(op.entity, field)?;
        track_versions(view, op, field, slot, existing, prev)?;
        if existing.is_some_and(|existing| existing >= stamp) {
            return Ok(()); // a later write of this field already won
        }
        *slot = value.clone();
        view.set_field_stamp(op.entity, field, stamp);
    }
    let updated = Record::from_json(op.kind, json).map_err(StoreError::Invalid)?;
    view.put(updated);
    Ok(())
}

/// Keep the field's current versions (the heads of its edit history): this write replaces the
/// versions it names in `prev` and becomes one itself. One version is the normal case; more are
/// a conflict, kept until a write that names them all (a resolution) replaces them. Ops from
/// journals older than sync name nothing and replace the version they found.
fn track_versions(
    view: &mut impl ViewState,
    op: &Op,
    field: &str,
    slot: &Value,
    existing: Option<Stamp>,
    prev: &[Stamp],
) -> StoreResult<()> {
    let stamp = op.order_key();
    let mut heads = view.conflict(op.entity, field)?;
    if heads.is_empty() {
        let (lamport, replica) = existing.unwrap_or(AS_CREATED);
        heads.push(ConflictSide {
            lamport,
            replica,
            value: slot.clone(),
        });
    }
    if heads.iter().any(|h| h.stamp() == stamp) {
        return Ok(()); // applied before
    }
    let replaced: Vec<Stamp> = if prev.is_empty() {
        vec![existing.unwrap_or(AS_CREATED)]
    } else {
        prev.to_vec()
    };
    heads.retain(|h| !replaced.contains(&h.stamp()));
    heads.push(ConflictSide {
        lamport: stamp.0,
        replica: stamp.1,
        value: op_value(op),
    });
    heads.sort_by_key(ConflictSide::stamp);
    if heads.len() > 1 {
        view.set_conflict(op.entity, field, heads);
    } else {
        view.set_conflict(op.entity, field, Vec::new());
    }
    Ok(())
}

fn op_value(op: &Op) -> Value {
    match &op.change {
        Change::Set { value, .. } => value.clone(),
        Change::Create { .. } => Value::Null,
    }
}

/// The versions a new write of a field replaces: every current head.
pub fn current_heads(
    view: &mut impl ViewState,
    entity: Id,
    field: &str,
) -> StoreResult<Vec<Stamp>> {
    let sides = view.conflict(entity, field)?;
    if !sides.is_empty() {
        return Ok(sides.iter().map(ConflictSide::stamp).collect());
    }
    Ok(vec![view.field_stamp(entity, field)?.unwrap_or(AS_CREATED)])
}

/// The version of a field no write has replaced yet: the value the record was created with.
pub const AS_CREATED: Stamp = (0, Id::NIL);

/// `current` with what `value` added to `before` appended, and what it removed taken out.
fn merge_set(current: &Value, before: &Value, value: &Value) -> Value {
    let empty = Vec::new();
    let items = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let before_items = before.as_array().unwrap_or(&empty);
    let value_items = value.as_array().unwrap_or(&empty);
    let removed: Vec<&Value> = before_items
        .iter()
        .filter(|b| !value_items.contains(b))
        .collect();
    let mut merged: Vec<Value> = items(current)
        .into_iter()
        .filter(|c| !removed.contains(&c))
        .collect();
    for added in value_items.iter().filter(|v| !before_items.contains(v)) {
        if !merged.contains(added) {
            merged.push(added.clone());
        }
    }
    Value::Array(merged)
}

/// A set in one order every replica agrees on, whatever order its items were added in: lead
/// units first, milestones by due date, anything else by its content.
fn canonical(field: &str, set: Value) -> Value {
    let Value::Array(mut items) = set else {
        return set;
    };
    let text = |v: &Value, key: &str| v.get(key).map(Value::to_string).unwrap_or_default();
    items.sort_by_cached_key(|item| match field {
        "units" => (
            (text(item, "role") != "\"Lead\"").to_string(),
            text(item, "unit"),
        ),
        "milestones" => (text(item, "due"), item.to_string()),
        _ => (item.to_string(), String::new()),
    });
    Value::Array(items)
}

/// A whole ledger in memory: what `check` rebuilds from the journal to compare with sled.
#[derive(Debug, Default)]
pub struct MemoryView {
    pub records: HashMap<Id, Record>,
    stamps: HashMap<(Id, String), Stamp>,
    pub conflicts: HashMap<(Id, String), Vec<ConflictSide>>,
}

impl ViewState for MemoryView {
    fn record(&mut self, kind: EntityKind, id: Id) -> StoreResult<Option<Record>> {
        Ok(self.records.get(&id).filter(|r| r.kind() == kind).cloned())
    }

    fn put(&mut self, record: Record) {
        self.records.insert(record.id(), record);
    }

    fn field_stamp(&mut self, entity: Id, field: &str) -> StoreResult<Option<Stamp>> {
        Ok(self.stamps.get(&(entity, field.to_string())).copied())
    }

    fn set_field_stamp(&mut self, entity: Id, field: &str, stamp: Stamp) {
        self.stamps.insert((entity, field.to_string()), stamp);
    }

    fn conflict(&mut self, entity: Id, field: &str) -> StoreResult<Vec<ConflictSide>> {
        Ok(self
            .conflicts
            .get(&(entity, field.to_string()))
            .cloned()
            .unwrap_or_default())
    }

    fn set_conflict(&mut self, entity: Id, field: &str, sides: Vec<ConflictSide>) {
        if sides.is_empty() {
            self.conflicts.remove(&(entity, field.to_string()));
        } else {
            self.conflicts.insert((entity, field.to_string()), sides);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn concurrent_additions_to_a_set_both_survive() {
        let base = json!(["a"]);
        let one = merge_set(&base, &base, &json!(["a", "b"]));
        let both = merge_set(&one, &base, &json!(["a", "c"]));
        assert_eq!(both, json!(["a", "b", "c"]));
        // A removal by one and an addition by the other also both hold.
        let removed = merge_set(&both, &json!(["a", "b", "c"]), &json!(["b", "c"]));
        assert_eq!(removed, json!(["b", "c"]));
    }
}
