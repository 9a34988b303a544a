//! Opening the pieces of a store directory: its format file, its replica id and its sled view
//! (with sled's own lock and schema checks). Split from `sled_store` so that file keeps to the
//! store's reads and writes.

use super::error::{StoreError, StoreResult};
use super::paths;
use super::sled_store::{FORMAT_FILE, REPLICA_FILE, STORE_FORMAT, VIEW_CACHE_BYTES, VIEW_DIR};
use crate::domain::Id;
use crate::i18n::Msg;
use std::path::Path;

pub(super) fn check_format(dir: &Path) -> StoreResult<()> {
    let path = dir.join(FORMAT_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let version: u32 = text
                .trim()
                .strip_prefix("rectify-store ")
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| {
                    StoreError::Corrupt(Msg::new(
                        format!("{} 的内容无法识别，这可能不是 rectify 台账", path.display()),
                        format!(
                            "{} is not recognised; this may not be a rectify ledger",
                            path.display()
                        ),
                    ))
                })?;
            if version > STORE_FORMAT {
                return Err(newer_store(version));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            paths::write_atomically(&path, format!("rectify-store {STORE_FORMAT}\n").as_bytes())
                .map_err(|e| StoreError::io("写入格式文件", "writing the format file", e))
        }
        Err(e) => Err(StoreError::io("读取格式文件", "reading the format file", e)),
    }
}

/// Open (or create) the sled view and its tree, checking the view's schema.
pub(super) fn open_view(view_dir: &Path) -> StoreResult<(sled::Db, sled::Tree)> {
    let config = sled::Config::new()
        .path(view_dir)
        .flush_every_ms(None) // we flush before every acknowledgement; no idle wake-ups
        .cache_capacity(VIEW_CACHE_BYTES);
    let db = open_sled(&config).map_err(|e| match e {
        // Our own lock is held, so only a process that bypassed it can hold sled's.
        e if is_sled_lock_error(&e) => StoreError::Locked(Msg::new(
            format!("台账视图 {} 正被另一个进程直接打开", view_dir.display()),
            format!(
                "the ledger view {} is open in another process",
                view_dir.display()
            ),
        )),
        // sled 0.34 reports a damaged `conf` or segment header as a store it does not
        // support (and some damage as a bug of its own). The sled version is fixed, so
        // either is a view this build cannot read: set aside and rebuilt like a corrupt one.
        sled::Error::Unsupported(why) | sled::Error::ReportableBug(why) => {
            StoreError::Corrupt(Msg::new(
                format!("台账视图无法读取：{why}"),
                format!("the ledger view cannot be read: {why}"),
            ))
        }
        other => StoreError::sled(other),
    })?;
    let tree = db.open_tree("ledger").map_err(StoreError::sled)?;
    check_view_schema(&db)?;
    Ok((db, tree))
}

/// How long to wait for sled's own file lock (see `open_sled`).
const SLED_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Open a sled database, waiting a moment for its file lock. sled keeps the lock for as long as
/// any of its threads holds the database, so a view dropped a moment ago in this same process
/// (`check --repair` rebuilds, closes and reopens it) can still be locked when it is opened
/// again; refusing then made a repair fail now and then with "could not acquire lock". Our own
/// store lock is held by then, so no other rectify can be the holder.
pub(crate) fn open_sled(config: &sled::Config) -> sled::Result<sled::Db> {
    let start = std::time::Instant::now();
    loop {
        match config.open() {
            Err(e) if is_sled_lock_error(&e) && start.elapsed() < SLED_LOCK_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

/// sled 0.34 reports a held lock as an `Other` I/O error with this text.
fn is_sled_lock_error(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io)
        if io.kind() == std::io::ErrorKind::WouldBlock
            || io.to_string().starts_with("could not acquire lock"))
}

/// Move the view to `view.broken-<time>`, keeping it for whoever wants to look at it.
pub(super) fn set_view_aside(dir: &Path) -> StoreResult<Msg> {
    let aside = dir.join(format!(
        "{VIEW_DIR}.broken-{}",
        chrono::Local::now().format("%Y%m%d%H%M%S%3f")
    ));
    std::fs::rename(dir.join(VIEW_DIR), &aside)
        .map_err(|e| StoreError::io("移开旧视图", "moving the old view aside", e))?;
    Ok(Msg::new(
        format!("旧的台账视图已移至 {}（未删除）", aside.display()),
        format!(
            "the old view was moved to {} (not deleted)",
            aside.display()
        ),
    ))
}

fn newer_store(version: u32) -> StoreError {
    StoreError::NewerSchema(Msg::new(
        format!(
            "该台账由更新版本的 rectify 写入（存储格式 {version}，本程序支持到 {STORE_FORMAT}），为免损坏数据拒绝打开。请升级 rectify。"
        ),
        format!(
            "this ledger was written by a newer rectify (store format {version}; this build supports up to {STORE_FORMAT}); refusing to open it so nothing is damaged. Upgrade rectify."
        ),
    ))
}

fn check_view_schema(db: &sled::Db) -> StoreResult<()> {
    let meta = db.open_tree("meta").map_err(StoreError::sled)?;
    match meta.get(b"schema_version").map_err(StoreError::sled)? {
        Some(bytes) => {
            let version = bytes
                .as_ref()
                .try_into()
                .map(u32::from_be_bytes)
                .unwrap_or(u32::MAX);
            if version > STORE_FORMAT {
                return Err(newer_store(version));
            }
            Ok(())
        }
        None => {
            meta.insert(b"schema_version", &STORE_FORMAT.to_be_bytes())
                .map_err(StoreError::sled)?;
            Ok(())
        }
    }
}

pub(super) fn read_or_create_replica(dir: &Path) -> StoreResult<Id> {
    let path = dir.join(REPLICA_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => Id::parse(text.trim()).map_err(StoreError::Corrupt),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let id = Id::new();
            paths::write_atomically(&path, format!("{id}\n").as_bytes())
                .map_err(|e| StoreError::io("写入副本编号", "writing the replica id", e))?;
            Ok(id)
        }
        Err(e) => Err(StoreError::io("读取副本编号", "reading the replica id", e)),
    }
}
