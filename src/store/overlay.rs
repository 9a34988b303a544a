//! The pending changes of one batch over the sled view, and how values are encoded in it.
//!
//! Ops are applied to an `Overlay` in memory first (so an op that cannot apply is refused before
//! anything is written); `SledStore::write_view` then writes what the overlay holds in one
//! atomic batch.

use super::apply::{ConflictSide, Stamp, ViewState};
use super::codec::{self, CODEC_BINCODE};
use super::error::{StoreError, StoreResult};
use super::keys;
use super::op::EntityKind;
use super::record::Record;
use crate::domain::Id;
use crate::i18n::Msg;
use std::collections::HashMap;

/// Pending changes over the sled tree while a batch is applied.
pub(super) struct Overlay {
    tree: sled::Tree,
    pub records: HashMap<Id, Record>,
    /// What each touched record was before the batch, to update its index keys.
    pub originals: HashMap<Id, Option<Record>>,
    pub stamps: HashMap<(Id, String), Stamp>,
    /// Conflicts changed by the batch (an empty list clears one).
    pub conflicts: HashMap<(Id, String), Vec<ConflictSide>>,
}

impl Overlay {
    pub fn new(tree: sled::Tree) -> Self {
        Overlay {
            tree,
            records: HashMap::new(),
            originals: HashMap::new(),
            stamps: HashMap::new(),
            conflicts: HashMap::new(),
        }
    }
}

impl ViewState for Overlay {
    fn record(&mut self, kind: EntityKind, id: Id) -> StoreResult<Option<Record>> {
        if let Some(r) = self.records.get(&id) {
            return Ok(Some(r.clone()).filter(|r| r.kind() == kind));
        }
        let stored = match self
            .tree
            .get(keys::record(kind, id))
            .map_err(StoreError::sled)?
        {
            Some(bytes) => Some(decode_record(kind, &bytes)?),
            None => None,
        };
        self.originals.entry(id).or_insert_with(|| stored.clone());
        Ok(stored)
    }

    fn put(&mut self, record: Record) {
        self.records.insert(record.id(), record);
    }

    fn field_stamp(&mut self, entity: Id, field: &str) -> StoreResult<Option<Stamp>> {
        if let Some(s) = self.stamps.get(&(entity, field.to_string())) {
            return Ok(Some(*s));
        }
        match self
            .tree
            .get(keys::field_stamp(entity, field))
            .map_err(StoreError::sled)?
        {
            Some(bytes) if bytes.len() == 24 => {
                let lamport = u64::from_be_bytes(bytes[..8].try_into().unwrap_or_default());
                Ok(Some((lamport, keys::id_at(&bytes, 8).unwrap_or_default())))
            }
            _ => Ok(None),
        }
    }

    fn set_field_stamp(&mut self, entity: Id, field: &str, stamp: Stamp) {
        self.stamps.insert((entity, field.to_string()), stamp);
    }

    fn conflict(&mut self, entity: Id, field: &str) -> StoreResult<Vec<ConflictSide>> {
        if let Some(sides) = self.conflicts.get(&(entity, field.to_string())) {
            return Ok(sides.clone());
        }
        match self
            .tree
            .get(keys::conflict(entity, field))
            .map_err(StoreError::sled)?
        {
            Some(bytes) => decode_conflict(&bytes),
            None => Ok(Vec::new()),
        }
    }

    fn set_conflict(&mut self, entity: Id, field: &str, sides: Vec<ConflictSide>) {
        self.conflicts.insert((entity, field.to_string()), sides);
    }
}

pub(super) fn encode_conflict(sides: &[ConflictSide]) -> StoreResult<Vec<u8>> {
    serde_json::to_vec(sides).map_err(|e| {
        StoreError::Invalid(Msg::new(
            format!("冲突记录编码失败：{e}"),
            format!("cannot encode a conflict: {e}"),
        ))
    })
}

pub(super) fn decode_conflict(bytes: &[u8]) -> StoreResult<Vec<ConflictSide>> {
    serde_json::from_slice(bytes).map_err(|e| {
        StoreError::Corrupt(Msg::new(
            format!("冲突记录已损坏：{e}"),
            format!("a conflict entry is damaged: {e}"),
        ))
    })
}

pub(super) fn encode_stamp(stamp: &Stamp) -> Vec<u8> {
    let mut v = stamp.0.to_be_bytes().to_vec();
    v.extend_from_slice(stamp.1.as_bytes());
    v
}

/// A record as sled stores it: the envelope (see `codec`) around its bincode payload.
pub fn encode_record(record: &Record) -> StoreResult<Vec<u8>> {
    let payload = record.to_bincode().map_err(StoreError::Invalid)?;
    Ok(codec::seal(CODEC_BINCODE, &payload))
}

/// A value read from sled back into a record of `kind`: the envelope checked, a schema-1 value
/// upgraded (see `legacy`). Damaged bytes are an error, never a panic (fuzzed: `fuzz/`).
pub fn decode_record(kind: EntityKind, bytes: &[u8]) -> StoreResult<Record> {
    let (codec_id, schema, payload) = codec::open(bytes).map_err(StoreError::Corrupt)?;
    if codec_id != CODEC_BINCODE {
        return Err(StoreError::Corrupt(Msg::new(
            "记录编码不是 bincode",
            "a record is not bincode",
        )));
    }
    if schema == 1
        && let Some(upgraded) = super::legacy::decode_v1(kind, payload)
    {
        return upgraded.map_err(StoreError::Corrupt);
    }
    Record::from_bincode(kind, payload).map_err(StoreError::Corrupt)
}
