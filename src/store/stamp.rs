//! A stamp of the ledger's state that can be read without opening the store: every replica
//! journal with its length and modification time. The journals are append-only and every
//! change to the ledger goes through one, so a cache keyed by the stamp (the search index, the
//! 总览 shown at start-up) is current exactly while the stamp is unchanged.

use super::sled_store::journal_files;
use std::path::Path;

/// `None` when there is no journal yet or one cannot be read (then nothing is cached).
pub fn journals_stamp(dir: &Path) -> Option<String> {
    let journals = journal_files(dir).ok()?;
    if journals.is_empty() {
        return None;
    }
    let mut stamp = String::new();
    for (replica, path) in journals {
        let meta = std::fs::metadata(&path).ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        stamp.push_str(&format!(
            ";{replica}={}@{}",
            meta.len(),
            modified.as_nanos()
        ));
    }
    Some(stamp)
}
