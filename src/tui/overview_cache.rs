//! The 总览 as the app last showed it, kept beside the store so that the next start can draw
//! it at once, before the findings are loaded (at 100,000 findings loading takes most of a
//! second; the first frame must not wait for it).
//!
//! The file is a cache and only ever used while exact: its key names the ledger's state (every
//! journal with its length and modification time, see `store::stamp`), the day (statuses move
//! with the date), the 临期 setting and the 口径. Anything else (no file, a damaged one, another
//! key) means the app loads first and draws after, as it always did. Deleting it is harmless.

use super::stats::Dashboard;
use crate::report::Caliber;
use crate::store::codec::{bincode_decode, bincode_encode};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file, beside the journal and the view.
pub const FILE: &str = "overview.cache";

/// Bumped whenever what the 总览 holds changes shape or meaning.
const FORMAT: u32 = 1;

/// What a cached 总览 must match to be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheKey(String);

impl CacheKey {
    /// `None` when the store has no journal yet (nothing worth caching).
    pub fn of(db: &Path, today: NaiveDate, near_due_days: i64, caliber: &Caliber) -> Option<Self> {
        let stamp = crate::store::stamp::journals_stamp(db)?;
        Some(CacheKey(format!(
            "format={FORMAT};today={today};near_due_days={near_due_days};caliber={caliber:?}{stamp}"
        )))
    }
}

#[derive(Serialize, Deserialize)]
struct Cached {
    key: String,
    dashboard: Dashboard,
}

fn path(db: &Path) -> PathBuf {
    db.join(FILE)
}

/// The cached 总览, if there is one for exactly `key`.
pub fn read(db: &Path, key: &CacheKey) -> Option<Dashboard> {
    let bytes = std::fs::read(path(db)).ok()?;
    let cached: Cached = bincode_decode(&bytes).ok()?;
    (cached.key == key.0).then_some(cached.dashboard)
}

/// Keep `dashboard` as the 总览 of the state `key` names. Written whole or not at all.
pub fn write(db: &Path, key: &CacheKey, dashboard: &Dashboard) -> std::io::Result<()> {
    let cached = Cached {
        key: key.0.clone(),
        dashboard: dashboard.clone(),
    };
    let bytes = bincode_encode(&cached).map_err(|e| std::io::Error::other(e.to_string()))?;
    crate::store::paths::write_atomically(&path(db), &bytes)
}
