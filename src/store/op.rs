//! Operations: the unit of change, of the journal, of history and (later) of sync.
//!
//! Every change to the ledger is an `Op`: who (the OS user), when (wall clock and a Lamport
//! counter), which record, and what changed: a whole new record, or one field set to a new
//! value (with the value it replaced, so undo is just another op). Values travel as JSON so the
//! journal is self-describing and readable by other tools.

use crate::domain::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The kinds of record in the ledger. The numeric tag is part of the sled key layout: never
/// change a tag, only add new ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Unit,
    Project,
    Finding,
    Check,
    Progress,
    Determination,
    Closure,
    Reopen,
    Outcome,
    Accountability,
    Referral,
    Supervision,
    Plan,
}

impl EntityKind {
    pub const ALL: [EntityKind; 13] = [
        EntityKind::Unit,
        EntityKind::Project,
        EntityKind::Finding,
        EntityKind::Check,
        EntityKind::Progress,
        EntityKind::Determination,
        EntityKind::Closure,
        EntityKind::Reopen,
        EntityKind::Outcome,
        EntityKind::Accountability,
        EntityKind::Referral,
        EntityKind::Supervision,
        EntityKind::Plan,
    ];

    pub fn tag(self) -> u8 {
        match self {
            EntityKind::Unit => 1,
            EntityKind::Project => 2,
            EntityKind::Finding => 3,
            EntityKind::Check => 4,
            EntityKind::Progress => 5,
            EntityKind::Determination => 6,
            EntityKind::Closure => 7,
            EntityKind::Reopen => 8,
            EntityKind::Outcome => 9,
            EntityKind::Accountability => 10,
            EntityKind::Referral => 11,
            EntityKind::Supervision => 12,
            EntityKind::Plan => 13,
        }
    }

    pub fn from_tag(tag: u8) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.tag() == tag)
    }

    /// Records that hang on a finding (and are indexed under it).
    pub fn belongs_to_finding(self) -> bool {
        !matches!(
            self,
            EntityKind::Unit | EntityKind::Project | EntityKind::Finding | EntityKind::Plan
        )
    }

    pub fn label(self) -> &'static str {
        self.label_in(crate::i18n::lang())
    }

    pub fn label_in(self, lang: crate::i18n::Lang) -> &'static str {
        let (zh, en) = match self {
            EntityKind::Unit => ("单位", "unit"),
            EntityKind::Project => ("项目", "project"),
            EntityKind::Finding => ("问题", "finding"),
            EntityKind::Check => ("跟踪检查", "follow-up check"),
            EntityKind::Progress => ("整改进展", "progress report"),
            EntityKind::Determination => ("整改认定", "determination"),
            EntityKind::Closure => ("对账销号", "closure"),
            EntityKind::Reopen => ("重新打开", "reopening"),
            EntityKind::Outcome => ("整改成效", "outcome"),
            EntityKind::Accountability => ("追责问责", "accountability"),
            EntityKind::Referral => ("移送", "referral"),
            EntityKind::Supervision => ("督办", "supervision"),
            EntityKind::Plan => ("检查计划", "check plan"),
        };
        match lang {
            crate::i18n::Lang::Zh => zh,
            crate::i18n::Lang::En => en,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Change {
    /// A new record, whole.
    Create { record: Value },
    /// One top-level field set to a new value; `before` is what it replaced.
    Set {
        field: String,
        value: Value,
        #[serde(default)]
        before: Value,
        /// The field's versions this write replaces, as (Lamport, replica) stamps: the one it
        /// was made over, or every side of a conflict it resolves. Filled in by the store when
        /// the op is made; empty in journals written before sync existed.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        prev: Vec<(u64, Id)>,
    },
}

/// An op as the ledger asks for it; the store stamps the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpDraft {
    pub kind: EntityKind,
    pub entity: Id,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Op {
    pub id: Id,
    pub replica: Id,
    pub lamport: u64,
    pub at: DateTime<Utc>,
    /// Who it was recorded as made by (`--user`, or the OS user).
    pub author: String,
    /// The OS account whose process wrote it. On a hub this is checked against the owner of
    /// the replica's log file: trust comes from the file system, not from what the op says.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account: String,
    pub kind: EntityKind,
    pub entity: Id,
    pub change: Change,
}

impl Op {
    /// The order every replica applies ops in: Lamport time, then replica id.
    pub fn order_key(&self) -> (u64, Id) {
        (self.lamport, self.replica)
    }
}
