//! Where the finder's index is kept between runs (`<store>/search.idx`) and when a kept one is
//! current, for `rectify search` and the TUI alike.
//!
//! Its key names every journal file with its length and modification time (the journal is
//! append-only, so any change to the ledger changes it), the day (statuses move with the date),
//! the language (contexts are localised), the 临期 setting and the file format. The file is a
//! cache: deleting it is harmless, a stale or damaged one is ignored and rebuilt.

use super::index::FORMAT;
use crate::i18n::{Lang, lang};
use chrono::NaiveDate;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// The persisted index, beside the journal and the view.
pub const INDEX_FILE: &str = "search.idx";

pub fn index_path(db: &Path) -> PathBuf {
    db.join(INDEX_FILE)
}

/// What the index of the ledger at `db` depends on; `None` when there is no journal yet.
pub fn freshness_key(db: &Path, today: NaiveDate, near_due_days: i64) -> Option<String> {
    let journals = crate::store::stamp::journals_stamp(db)?;
    Some(format!(
        "format={FORMAT};today={today};lang={};near_due_days={near_due_days}{journals}",
        match lang() {
            Lang::Zh => "zh",
            Lang::En => "en",
        },
    ))
}

/// Write the index beside the store: private, synced, then renamed into place, so a reader
/// sees the old file or the whole new one. `write` streams the bytes (`SearchIndex::write_to`).
pub fn save(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("idx.{}.tmp", std::process::id()));
    let written = (|| {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        out.flush()?;
        out.get_ref().sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
