//! The key layout of the `ledger` tree. Everything that must change together lives in this one
//! tree, so one sled batch applies it atomically.
//!
//! | key | value |
//! |---|---|
//! | `[kind tag][id 16]` | the record, enveloped bincode |
//! | `c[finding 16][kind tag][id 16]` | empty: the records hanging on a finding |
//! | `h[entity 16][lamport 8][replica 16]` | where the op is in the journal: `[replica 16][offset 8][len 4]` |
//! | `v[entity 16][field]` | the (lamport, replica) that last set the field |
//! | `j[replica 16]` | the journal position applied so far (bincode `JournalPos`) |
//! | `l` | the Lamport clock (u64 BE) |
//! | `x[entity 16][field]` | an open conflict on the field: JSON list of `ConflictSide` |

use super::op::EntityKind;
use crate::domain::Id;

pub const CHILD: u8 = b'c';
pub const HISTORY: u8 = b'h';
pub const FIELD_STAMP: u8 = b'v';
pub const JOURNAL_POS: u8 = b'j';
pub const LAMPORT: &[u8] = b"l";
pub const CONFLICT: u8 = b'x';

pub fn record(kind: EntityKind, id: Id) -> Vec<u8> {
    let mut k = Vec::with_capacity(17);
    k.push(kind.tag());
    k.extend_from_slice(id.as_bytes());
    k
}

pub fn child(finding: Id, kind: EntityKind, id: Id) -> Vec<u8> {
    let mut k = Vec::with_capacity(34);
    k.push(CHILD);
    k.extend_from_slice(finding.as_bytes());
    k.push(kind.tag());
    k.extend_from_slice(id.as_bytes());
    k
}

pub fn children_prefix(finding: Id) -> Vec<u8> {
    let mut k = vec![CHILD];
    k.extend_from_slice(finding.as_bytes());
    k
}

pub fn history(entity: Id, lamport: u64, replica: Id) -> Vec<u8> {
    let mut k = Vec::with_capacity(41);
    k.push(HISTORY);
    k.extend_from_slice(entity.as_bytes());
    k.extend_from_slice(&lamport.to_be_bytes());
    k.extend_from_slice(replica.as_bytes());
    k
}

pub fn history_prefix(entity: Id) -> Vec<u8> {
    let mut k = vec![HISTORY];
    k.extend_from_slice(entity.as_bytes());
    k
}

pub fn field_stamp(entity: Id, field: &str) -> Vec<u8> {
    let mut k = vec![FIELD_STAMP];
    k.extend_from_slice(entity.as_bytes());
    k.extend_from_slice(field.as_bytes());
    k
}

pub fn conflict(entity: Id, field: &str) -> Vec<u8> {
    let mut k = vec![CONFLICT];
    k.extend_from_slice(entity.as_bytes());
    k.extend_from_slice(field.as_bytes());
    k
}

pub fn journal_pos(replica: Id) -> Vec<u8> {
    let mut k = vec![JOURNAL_POS];
    k.extend_from_slice(replica.as_bytes());
    k
}

/// Read a 16-byte id at `at` in a key.
pub fn id_at(key: &[u8], at: usize) -> Option<Id> {
    let bytes: [u8; 16] = key.get(at..at + 16)?.try_into().ok()?;
    Some(Id::from_bytes(bytes))
}

pub const BY_PROJECT: u8 = b'p';
pub const BY_UNIT: u8 = b'u';
pub const BY_NUMBER: u8 = b'n';

/// A secondary index the view maintains for quick lookups.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Index {
    /// The findings of a project.
    FindingsOfProject(Id),
    /// The findings a unit is responsible for (牵头 or 配合).
    FindingsOfUnit(Id),
    /// The findings of a project with a given display number (more than one is a collision).
    FindingNumber(Id, String),
}

impl Index {
    pub fn prefix(&self) -> Vec<u8> {
        match self {
            Index::FindingsOfProject(p) => prefixed(BY_PROJECT, p),
            Index::FindingsOfUnit(u) => prefixed(BY_UNIT, u),
            Index::FindingNumber(p, number) => {
                let mut k = prefixed(BY_NUMBER, p);
                k.extend_from_slice(number.as_bytes());
                k.push(0);
                k
            }
        }
    }
}

fn prefixed(tag: u8, id: &Id) -> Vec<u8> {
    let mut k = vec![tag];
    k.extend_from_slice(id.as_bytes());
    k
}

/// The index keys of a record; each ends with the record's id.
pub fn index_keys(record: &super::record::Record) -> Vec<Vec<u8>> {
    use super::record::Record;
    let mut out = Vec::new();
    if let Record::Finding(f) = record {
        let mut push = |index: Index| {
            let mut k = index.prefix();
            k.extend_from_slice(f.id.as_bytes());
            out.push(k);
        };
        push(Index::FindingsOfProject(f.project));
        push(Index::FindingNumber(f.project, f.number.to_string()));
        for u in &f.units {
            push(Index::FindingsOfUnit(u.unit));
        }
    }
    if let Some(finding) = record.finding() {
        out.push(child(finding, record.kind(), record.id()));
    }
    out
}
