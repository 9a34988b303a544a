//! Start-up in two steps on a large ledger: the first frame shows the 总览 the app cached at
//! its last exit for exactly this ledger state (`overview_cache`), and the findings load right
//! after it is drawn. Keys typed meanwhile wait in the input queue and are handled, in order,
//! once everything is loaded, so nothing acts on a partial snapshot. Without a current cache
//! the app loads first and draws after, as before.

use super::app::App;
use super::keymap::Keymap;
use super::model::Snapshot;
use super::overview_cache::{self, CacheKey};
use super::stats::Dashboard;
use super::theme::Theme;
use crate::ledger::{Ledger, LedgerError};
use crate::store::Store;
use chrono::NaiveDate;
use std::path::PathBuf;
use std::rc::Rc;

/// Where the app is in its start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Startup {
    /// Everything is loaded.
    Loaded,
    /// Showing a cached 总览; the findings and checks load after the first frame.
    FindingsPending,
}

impl<St: Store> App<St> {
    /// An app that loads only units, projects and plans now: call `show_cached_overview` and
    /// then `finish_loading` after the first frame.
    pub fn new_deferred(
        ledger: Ledger<St>,
        keymap: Keymap,
        theme: Theme,
        db: PathBuf,
        user: String,
        today: NaiveDate,
    ) -> Result<App<St>, LedgerError> {
        let snap = Snapshot::load_without_findings(&ledger, today)?;
        let mut app = App::with_snapshot(ledger, snap, keymap, theme, db, user)?;
        app.startup = Startup::FindingsPending;
        Ok(app)
    }

    /// What the cached 总览 of this ledger state must be stored under.
    pub fn overview_key(&self) -> Option<CacheKey> {
        CacheKey::of(
            &self.db,
            self.snap.today,
            self.ledger.config.near_due_days,
            &self.caliber,
        )
    }

    /// The cached 总览 for this ledger state, if the store beside `db` has one.
    pub fn cached_overview(&self) -> Option<Dashboard> {
        overview_cache::read(&self.db, &self.overview_key()?)
    }

    /// Show `dashboard` as the 总览 until the snapshot it was computed from is loaded.
    pub fn show_cached_overview(&mut self, mut dashboard: Dashboard) {
        dashboard.generation = self.snap.generation;
        dashboard.caliber = self.caliber;
        *self.dashboard_cache.borrow_mut() = Some(Rc::new(dashboard));
    }

    /// Whether the first frame shows a cached 总览 and the findings are still to come.
    pub fn loading(&self) -> bool {
        self.startup == Startup::FindingsPending
    }

    /// Load what `new_deferred` left out. Returns whether there was anything to load.
    pub fn finish_loading(&mut self) -> bool {
        if self.startup == Startup::Loaded {
            return false;
        }
        self.startup = Startup::Loaded;
        match Snapshot::load(&self.ledger, self.snap.today) {
            Ok(snap) => {
                self.snap = snap;
                release_freed_memory();
            }
            Err(e) => {
                // Never leave the cached figures standing over a snapshot without findings.
                *self.dashboard_cache.borrow_mut() = None;
                self.complain(e.to_string());
            }
        }
        true
    }

    /// Keep the 总览 for the next start, if everything is loaded (a 总览 drawn from a partial
    /// snapshot is never stored). A failure only costs the next start its head start.
    pub fn save_overview(&self) {
        if self.loading() || matches!(self.mode, super::app::Mode::Welcome) {
            return;
        }
        let Some(key) = self.overview_key() else {
            return;
        };
        if overview_cache::read(&self.db, &key).is_none() {
            let _ = overview_cache::write(&self.db, &key, &self.dashboard());
        }
    }
}

/// Give back to the system what a big build used only on the way (loading's sort keys and
/// lookup maps, the finder's interning tables): glibc keeps freed memory in its heap otherwise,
/// and the app would sit on it.
pub(super) fn release_freed_memory() {
    // SAFETY: malloc_trim only walks glibc's own free lists; it takes no pointers of ours.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0);
    }
}
