//! Applying an op to a view of the ledger. Shared by the sled store and by `check`, which
//! rebuilds the expected state in memory, so both agree by construction.
//!
//! Set ops are last-writer-wins per field by (Lamport, replica): applying the same ops in any
//! order that respects creation gives the same records, and re-applying an op is harmless.

use super::error::{StoreError, StoreResult};
use super::op::{Change, EntityKind, Op};
use super::record::Record;
use crate::domain::Id;
use crate::i18n::Msg;
use std::collections::HashMap;

pub type Stamp = (u64, Id);

/// What applying needs from a view.
pub trait ViewState {
    fn record(&mut self, kind: EntityKind, id: Id) -> StoreResult<Option<Record>>;
    fn put(&mut self, record: Record);
    fn field_stamp(&mut self, entity: Id, field: &str) -> StoreResult<Option<Stamp>>;
    fn set_field_stamp(&mut self, entity: Id, field: &str, stamp: Stamp);
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
        Change::Set { field, value, .. } => {
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
            let stamp = op.order_key();
            if view
                .field_stamp(op.entity, field)?
                .is_some_and(|existing| existing >= stamp)
            {
                return Ok(()); // a later write of this field already won
            }
            let mut json = current.to_json().map_err(StoreError::Invalid)?;
            let Some(slot) = json.as_object_mut().and_then(|o| o.get_mut(field.as_str())) else {
                return Err(StoreError::Invalid(Msg::new(
                    format!("{}没有字段“{}”", op.kind.label(), field),
                    format!("a {} has no field \"{}\"", op.kind.label(), field),
                )));
            };
            *slot = value.clone();
            if field == "id" {
                return Err(StoreError::Invalid(Msg::new(
                    "记录编号不可修改",
                    "a record id cannot change",
                )));
            }
            let updated = Record::from_json(op.kind, json).map_err(StoreError::Invalid)?;
            view.put(updated);
            view.set_field_stamp(op.entity, field, stamp);
            Ok(())
        }
    }
}

/// A whole ledger in memory: what `check` rebuilds from the journal to compare with sled.
#[derive(Debug, Default)]
pub struct MemoryView {
    pub records: HashMap<Id, Record>,
    stamps: HashMap<(Id, String), Stamp>,
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
}
