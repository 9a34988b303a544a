//! Commands: every change to the ledger goes through here.

use super::Ledger;
use super::error::{LedgerError, LedgerResult};
use super::rules::BatchContext;
use crate::domain::Id;
use crate::i18n::Msg;
use crate::store::{Change, Entity, EntityKind, Op, OpDraft, Record, Store};
use serde_json::Value;

impl<S: Store> Ledger<S> {
    /// Add one record (unit, project, finding, check, progress report …) after validating it
    /// and the workflow rules. Durable when this returns.
    pub fn create<T: Entity>(&mut self, record: T) -> LedgerResult<T> {
        self.create_batch(vec![record.clone().into_record()])?;
        Ok(record)
    }

    /// Whether `create` would accept this record (fields and workflow rules), without writing
    /// anything: for a command that must do other work (copy evidence files) only once it knows
    /// the record will be taken.
    pub fn check_new<T: Entity>(&self, record: &T) -> LedgerResult<()> {
        let record = record.clone().into_record();
        record.validate().map_err(LedgerError::Invalid)?;
        self.check_rules(&record, &BatchContext::default())
    }

    /// Add many records in one durable, all-or-nothing batch (demo, import, generator).
    /// Records may refer to each other within the batch; they are checked in order.
    pub fn create_batch(&mut self, records: Vec<Record>) -> LedgerResult<usize> {
        let mut context = BatchContext::default();
        let mut drafts = Vec::with_capacity(records.len());
        let count = records.len();
        // By value: each typed record is dropped once it is JSON, halving peak memory for
        // the large batches of the generator and imports.
        for record in records {
            record.validate().map_err(LedgerError::Invalid)?;
            self.check_rules(&record, &context)?;
            context.add(&record);
            drafts.push(OpDraft {
                kind: record.kind(),
                entity: record.id(),
                change: Change::Create {
                    record: record.to_json().map_err(LedgerError::Rule)?,
                },
            });
        }
        self.store_mut().commit(drafts)?;
        Ok(count)
    }

    /// Save an edited record: each changed field becomes one op (so concurrent edits of
    /// different fields never collide). Returns how many fields changed.
    pub fn update<T: Entity>(&mut self, edited: T) -> LedgerResult<usize> {
        Ok(self.update_record(edited.into_record())?.len())
    }

    /// The same for a record of any kind; returns the ops written (one per changed field, each
    /// with the value it replaced, which is what `revert` needs).
    pub fn update_record(&mut self, record: Record) -> LedgerResult<Vec<Op>> {
        let current = self.record(record.kind(), record.id())?;
        record.validate().map_err(LedgerError::Invalid)?;
        self.check_rules(&record, &BatchContext::for_update(record.id()))?;
        let drafts = field_changes(&current, &record)?;
        Ok(self.store_mut().commit(drafts)?)
    }

    /// Field edits of existing records and new records in one durable, all-or-nothing batch
    /// (a spreadsheet import). Each edit is checked as `update_record` checks it, then the new
    /// records in order, as `create_batch` does.
    pub fn apply_changes(&mut self, edits: Vec<Record>, new: Vec<Record>) -> LedgerResult<Vec<Op>> {
        let drafts = self.plan_changes(edits, new)?;
        Ok(self.store_mut().commit(drafts)?)
    }

    /// The ops `apply_changes` would write, every rule checked, nothing written (a dry run).
    pub fn plan_changes(&self, edits: Vec<Record>, new: Vec<Record>) -> LedgerResult<Vec<OpDraft>> {
        let mut drafts = Vec::new();
        for record in edits {
            let current = self.record(record.kind(), record.id())?;
            record.validate().map_err(LedgerError::Invalid)?;
            self.check_rules(&record, &BatchContext::for_update(record.id()))?;
            drafts.extend(field_changes(&current, &record)?);
        }
        let mut context = BatchContext::default();
        for record in new {
            record.validate().map_err(LedgerError::Invalid)?;
            self.check_rules(&record, &context)?;
            context.add(&record);
            drafts.push(OpDraft {
                kind: record.kind(),
                entity: record.id(),
                change: Change::Create {
                    record: record.to_json().map_err(LedgerError::Rule)?,
                },
            });
        }
        Ok(drafts)
    }

    /// Undo field edits: set each field back to the value it had before `ops`, newest first.
    /// The reverting ops are new ops (history keeps both), never a rewrite of the journal.
    pub fn revert(&mut self, ops: &[Op]) -> LedgerResult<Vec<Op>> {
        let drafts: Vec<OpDraft> = ops
            .iter()
            .rev()
            .filter_map(|op| match &op.change {
                Change::Set {
                    field,
                    value,
                    before,
                    ..
                } => Some(OpDraft {
                    kind: op.kind,
                    entity: op.entity,
                    change: Change::Set {
                        field: field.clone(),
                        value: before.clone(),
                        before: value.clone(),
                        prev: Vec::new(),
                    },
                }),
                Change::Create { .. } => None,
            })
            .collect();
        Ok(self.store_mut().commit(drafts)?)
    }

    /// Archive (never delete) a record; it disappears from lists but stays in history.
    pub fn archive(&mut self, kind: EntityKind, id: Id) -> LedgerResult<()> {
        self.set_archived(kind, id, true)
    }

    pub fn unarchive(&mut self, kind: EntityKind, id: Id) -> LedgerResult<()> {
        self.set_archived(kind, id, false)
    }

    fn set_archived(&mut self, kind: EntityKind, id: Id, archived: bool) -> LedgerResult<()> {
        let record = self.record(kind, id)?;
        if record.archived() == archived {
            return Ok(());
        }
        self.store_mut().commit(vec![OpDraft {
            kind,
            entity: id,
            change: Change::Set {
                field: "archived".into(),
                value: Value::Bool(archived),
                before: Value::Bool(!archived),
                prev: Vec::new(),
            },
        }])?;
        Ok(())
    }

    /// The store itself, for sync: it brings in ops other replicas already validated, which
    /// must not be judged again by this replica's rules (today's date, its view of numbers).
    pub(crate) fn store_for_sync(&mut self) -> &mut S {
        &mut self.store
    }

    /// The store itself, for the app's store helper: the app's own ledger already judged the
    /// drafts by its rules; the helper only makes them durable.
    pub(crate) fn store_for_host(&mut self) -> &mut S {
        &mut self.store
    }

    pub(super) fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }
}

/// One `Set` op per top-level field that differs.
fn field_changes(before: &Record, after: &Record) -> LedgerResult<Vec<OpDraft>> {
    let old = before.to_json().map_err(LedgerError::Rule)?;
    let new = after.to_json().map_err(LedgerError::Rule)?;
    let (Some(old), Some(new)) = (old.as_object(), new.as_object()) else {
        return Err(LedgerError::Rule(Msg::new(
            "记录不是对象",
            "a record is not an object",
        )));
    };
    Ok(new
        .iter()
        .filter(|(field, value)| old.get(*field) != Some(value))
        .map(|(field, value)| OpDraft {
            kind: after.kind(),
            entity: after.id(),
            change: Change::Set {
                field: field.clone(),
                value: value.clone(),
                before: old.get(field).cloned().unwrap_or(Value::Null),
                prev: Vec::new(),
            },
        })
        .collect())
}
