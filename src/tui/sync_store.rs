//! What live sync needs of the store: where this replica's journal ends and how far the others
//! are applied (the round's request), applying what a round fetched, and this replica's journal
//! seq. The sled store does it in-process; the app's store helper (`host`) does it for the app.

use super::app_sync::{Fetched, RELOAD_ABOVE, Request};
use crate::domain::Id;
use crate::i18n::Msg;
use crate::ledger::Ledger;
use crate::store::journal::{self, JournalPos};
use crate::store::sled_store::{journal_files, journal_path};
use crate::store::{EntityKind, SledStore, Store, StoreError};
use crate::sync::SyncReport;
use crate::sync::hub::{Hub, HubResult, LogInfo};
use std::collections::HashMap;

/// A store live sync can run on.
pub trait LiveStore: Store + Sized {
    /// What the hub worker needs for one round.
    fn sync_request(ledger: &mut Ledger<Self>) -> Result<Request, Msg>;
    /// Check and apply what a round fetched, as `rectify sync` would.
    fn sync_apply(ledger: &mut Ledger<Self>, fetched: &Fetched) -> Applied;
    /// This replica's journal seq (a change means something was saved).
    fn own_seq(ledger: &Ledger<Self>) -> u64;
}

impl LiveStore for SledStore {
    fn sync_request(ledger: &mut Ledger<Self>) -> Result<Request, Msg> {
        sled_request(ledger)
    }

    fn sync_apply(ledger: &mut Ledger<Self>, fetched: &Fetched) -> Applied {
        sled_apply(ledger, fetched)
    }

    fn own_seq(ledger: &Ledger<Self>) -> u64 {
        sled_own_seq(ledger)
    }
}

/// What applying a round did: the sync's result, and the records it touched (`None`: too many
/// to refresh one by one, or unknown).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Applied {
    pub result: Result<SyncReport, Msg>,
    pub touched: Option<Vec<(EntityKind, Id)>>,
    /// Lines saved after the round went out, which it did not carry: the next round takes them.
    pub deferred: bool,
}

fn store_msg(e: StoreError) -> Msg {
    e.msg().clone()
}

fn sled_request(ledger: &mut Ledger<SledStore>) -> Result<Request, Msg> {
    let store = ledger.store_for_sync();
    // What an interrupted round copied but did not apply goes in first, so `have` is where the
    // sync will read from.
    store.catch_up().map_err(store_msg)?;
    let me = store.replica();
    let own = store.journal_end(me).map_err(store_msg)?;
    let mut have = HashMap::new();
    for (replica, _) in journal_files(store.dir()).map_err(store_msg)? {
        if replica != me {
            let end = store.journal_end(replica).map_err(store_msg)?;
            have.insert(replica, end.offset);
        }
    }
    Ok(Request {
        me,
        own_journal: journal_path(store.dir(), me),
        own,
        have,
    })
}

fn sled_apply(ledger: &mut Ledger<SledStore>, fetched: &Fetched) -> Applied {
    let mut hub = Replay {
        fetched,
        deferred: false,
    };
    let before = other_ends(ledger.store());
    let result = ledger.sync(&mut hub);
    let after = other_ends(ledger.store());
    Applied {
        result,
        touched: touched(ledger.store(), &before, &after),
        deferred: hub.deferred,
    }
}

fn sled_own_seq(ledger: &Ledger<SledStore>) -> u64 {
    let store = ledger.store();
    store.journal_end(store.replica()).map_or(0, |end| end.seq)
}

/// How far each other replica's journal is applied here.
fn other_ends(store: &SledStore) -> HashMap<Id, JournalPos> {
    journal_files(store.dir())
        .unwrap_or_default()
        .into_iter()
        .filter(|(replica, _)| *replica != store.replica())
        .filter_map(|(replica, _)| store.journal_end(replica).ok().map(|end| (replica, end)))
        .collect()
}

/// The records the ops between `before` and `after` touched, read back from the journal copies.
fn touched(
    store: &SledStore,
    before: &HashMap<Id, JournalPos>,
    after: &HashMap<Id, JournalPos>,
) -> Option<Vec<(EntityKind, Id)>> {
    let mut out = Vec::new();
    for (replica, end) in after {
        let start = before.get(replica).copied().unwrap_or(JournalPos::START);
        if start == *end {
            continue;
        }
        let read = journal::read_from(&journal_path(store.dir(), *replica), start).ok()?;
        out.extend(
            read.entries
                .iter()
                .filter(|e| e.end.offset <= end.offset)
                .map(|e| (e.op.kind, e.op.entity)),
        );
        if out.len() > RELOAD_ABOVE {
            return None;
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// A hub answering from what a round fetched, for `sync` to check and apply on the UI thread.
struct Replay<'a> {
    fetched: &'a Fetched,
    /// Lines saved after the round went out, which it did not carry: the next round takes them.
    deferred: bool,
}

impl Hub for Replay<'_> {
    fn describe(&self) -> String {
        self.fetched.describe.clone()
    }

    fn logs(&mut self) -> HubResult<Vec<LogInfo>> {
        Ok(self.fetched.logs.clone())
    }

    fn read(&mut self, replica: Id, from: u64) -> HubResult<Vec<u8>> {
        self.fetched
            .tails
            .iter()
            .find(|(r, f, _)| *r == replica && *f == from)
            .map(|(_, _, bytes)| bytes.clone())
            .ok_or_else(|| {
                Msg::new(
                    "同步期间本地台账有变化，稍后重试",
                    "the ledger changed during the sync; trying again shortly",
                )
            })
    }

    fn append(&mut self, _replica: Id, _at: u64, _bytes: &[u8]) -> HubResult<()> {
        self.deferred = true;
        Ok(())
    }
}
