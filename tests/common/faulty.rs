//! A store that fails on demand: a real store behind the `Store` trait whose next commit can
//! be made to fail the way a full disk makes the journal append fail.
//!
//! Included with `#[path]` by the files that use it, beside `mod common`.
#![allow(dead_code)]

use rectify::domain::Id;
use rectify::i18n::Msg;
use rectify::store::{
    Conflict, EntityKind, Index, Op, OpDraft, Record, Store, StoreError, StoreResult,
};
use std::cell::Cell;
use std::rc::Rc;

/// What a test holds to arm and watch a `FaultyStore` while a ledger or an app owns it.
#[derive(Default)]
pub struct Switch {
    /// `Some(n)`: let `n` more commits through, then refuse the next one (once).
    pub armed: Cell<Option<usize>>,
    pub commits: Cell<usize>,
    pub refused: Cell<usize>,
}

impl Switch {
    pub fn fail_next(&self) {
        self.armed.set(Some(0));
    }

    pub fn fail_after(&self, n: usize) {
        self.armed.set(Some(n));
    }

    pub fn disarm(&self) {
        self.armed.set(None);
    }
}

/// A real store whose `commit` can be made to fail as a full disk makes the journal append fail.
pub struct FaultyStore<S: Store> {
    pub inner: S,
    switch: Rc<Switch>,
}

impl<S: Store> FaultyStore<S> {
    pub fn new(inner: S) -> (FaultyStore<S>, Rc<Switch>) {
        let switch = Rc::new(Switch::default());
        (
            FaultyStore {
                inner,
                switch: Rc::clone(&switch),
            },
            switch,
        )
    }
}

/// The error `JournalWriter::append` returns when `write`/`fsync` fails with ENOSPC.
pub fn disk_full() -> StoreError {
    let err = std::io::Error::from_raw_os_error(libc::ENOSPC);
    assert_eq!(err.kind(), std::io::ErrorKind::StorageFull);
    StoreError::io("写入整改日志", "writing the journal", err)
}

impl<S: Store> Store for FaultyStore<S> {
    fn replica(&self) -> Id {
        self.inner.replica()
    }

    fn commit(&mut self, drafts: Vec<OpDraft>) -> StoreResult<Vec<Op>> {
        self.switch.commits.set(self.switch.commits.get() + 1);
        match self.switch.armed.get() {
            Some(0) => {
                self.switch.armed.set(None);
                self.switch.refused.set(self.switch.refused.get() + 1);
                return Err(disk_full());
            }
            Some(n) => self.switch.armed.set(Some(n - 1)),
            None => {}
        }
        self.inner.commit(drafts)
    }

    fn get(&self, kind: EntityKind, id: Id) -> StoreResult<Option<Record>> {
        self.inner.get(kind, id)
    }

    fn scan(&self, kind: EntityKind) -> Box<dyn Iterator<Item = StoreResult<Record>> + '_> {
        self.inner.scan(kind)
    }

    fn children(&self, finding: Id) -> StoreResult<Vec<Record>> {
        self.inner.children(finding)
    }

    fn history(&self, entity: Id) -> StoreResult<Vec<Op>> {
        self.inner.history(entity)
    }

    fn lookup(&self, index: &Index) -> StoreResult<Vec<Id>> {
        self.inner.lookup(index)
    }

    fn is_empty(&self) -> StoreResult<bool> {
        self.inner.is_empty()
    }

    fn warnings(&self) -> &[Msg] {
        self.inner.warnings()
    }

    fn heads(&self) -> StoreResult<Vec<(Id, String)>> {
        self.inner.heads()
    }

    fn conflicts(&self) -> StoreResult<Vec<Conflict>> {
        self.inner.conflicts()
    }
}
