//! Storage: the journal is the truth, sled is the fast view (design.md §2).
//!
//! `Store` is the seam the ledger talks to; `SledStore` is the real one. Tests and fault
//! injection can put another implementation behind the same trait.

pub mod apply;
pub mod check;
pub mod codec;
pub mod error;
pub mod evidence;
pub mod journal;
pub mod keys;
pub mod legacy;
pub mod lock;
pub mod op;
mod overlay;
pub mod paths;
pub mod record;
mod sled_open;
pub mod sled_store;
pub mod stamp;

pub use error::{StoreError, StoreResult};
pub use keys::Index;
pub use op::{Change, EntityKind, Op, OpDraft};
pub use overlay::{decode_record, encode_record};
pub use record::{Entity, Record};
pub use sled_store::SledStore;

use crate::domain::Id;

/// What the ledger needs from storage.
pub trait Store {
    /// This replica's id.
    fn replica(&self) -> Id;

    /// Make `drafts` durable and visible, all or nothing: journal append + fsync, then the view
    /// updated and flushed. Only when this returns `Ok` may the user be told 已保存.
    fn commit(&mut self, drafts: Vec<OpDraft>) -> StoreResult<Vec<Op>>;

    fn get(&self, kind: EntityKind, id: Id) -> StoreResult<Option<Record>>;

    /// Every record of a kind, archived ones included.
    fn scan(&self, kind: EntityKind) -> Box<dyn Iterator<Item = StoreResult<Record>> + '_>;

    /// The records hanging on a finding (checks, progress reports …).
    fn children(&self, finding: Id) -> StoreResult<Vec<Record>>;

    /// Every op that touched a record, oldest first.
    fn history(&self, entity: Id) -> StoreResult<Vec<Op>>;

    /// The ids a secondary index holds under a key.
    fn lookup(&self, index: &keys::Index) -> StoreResult<Vec<Id>>;

    /// A hint that calls may follow soon (the user is at the keyboard): a store that starts
    /// lazily may start now, so a later call does not wait for it.
    fn prepare(&self) {}

    /// The app is about to hold something large for a while that needs no store meanwhile
    /// (the finder's index): a store that keeps a process warm may let it go now, so the two
    /// are not held together; the next `prepare` or call brings it back.
    fn make_room(&self) {}

    /// A read of every record of `kinds` is about to start. A store in another process may
    /// fetch them all now, as bytes, and serve the scans that follow from them: on a large
    /// ledger the app's store helper then leaves before the app decodes them, rather than both
    /// peaking together (sled keeps what a scan decoded, whatever its cache size: 31 MB more at
    /// 100,000 findings; see `tui::host::remote`).
    fn before_bulk_read(&self, _kinds: &[EntityKind]) -> StoreResult<()> {
        Ok(())
    }

    /// The read `before_bulk_read` announced has ended: whatever it fetched and no scan took
    /// is dropped.
    fn after_bulk_read(&self) {}

    /// Whether the ledger holds no record at all.
    fn is_empty(&self) -> StoreResult<bool>;

    /// Warnings from opening (repaired permissions, a set-aside torn batch …).
    fn warnings(&self) -> &[crate::i18n::Msg];

    /// Each replica journal's head hash (hex) as applied to this view: what a report was
    /// built from.
    fn heads(&self) -> StoreResult<Vec<(Id, String)>> {
        Ok(Vec::new())
    }

    /// Every open conflict: a field two replicas edited from the same base.
    fn conflicts(&self) -> StoreResult<Vec<Conflict>> {
        Ok(Vec::new())
    }
}

/// An open conflict on one field of one record (see `apply`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Conflict {
    pub entity: Id,
    pub field: String,
    /// The competing values, oldest stamp first; the last is the one shown.
    pub sides: Vec<apply::ConflictSide>,
}
