//! Where a store lives and keeping it private: audit data is sensitive, so the directory is
//! 0700 and files 0600 whatever the umask, and a directory others can read is repaired with a
//! warning.

use super::error::{StoreError, StoreResult};
use crate::i18n::Msg;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The default store: the platform data dir (e.g. `~/.local/share/rectify/ledger`).
pub fn default_store_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("cn", "rectify", "rectify").map(|d| d.data_dir().join("ledger"))
}

/// The config dir (keymaps, saved views, settings).
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("cn", "rectify", "rectify").map(|d| d.config_dir().to_path_buf())
}

/// Make files this process creates private to the user.
pub fn set_private_umask() {
    // SAFETY: umask only changes this process's file-creation mask.
    unsafe {
        libc::umask(0o077);
    }
}

/// Create `dir` (and parents) private to the user; repair one that others can read.
/// Returns a warning when it had to repair.
pub fn prepare_private_dir(dir: &Path) -> StoreResult<Option<Msg>> {
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| {
                StoreError::io(
                    &format!("创建目录 {}", dir.display()),
                    &format!("creating {}", dir.display()),
                    e,
                )
            })?;
        return Ok(None);
    }
    let meta = std::fs::metadata(dir).map_err(|e| {
        StoreError::io(
            &format!("读取目录 {}", dir.display()),
            &format!("reading {}", dir.display()),
            e,
        )
    })?;
    if !meta.is_dir() {
        return Err(StoreError::Invalid(Msg::new(
            format!("{} 不是目录，不能作为台账存放位置", dir.display()),
            format!(
                "{} is not a directory and cannot hold a ledger",
                dir.display()
            ),
        )));
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| {
            StoreError::io(
                &format!("收紧目录 {} 的权限", dir.display()),
                &format!("restricting the permissions of {}", dir.display()),
                e,
            )
        })?;
        return Ok(Some(Msg::new(
            format!(
                "台账目录 {} 原权限为 {:o}，他人可读；已改为仅本人可访问（700）",
                dir.display(),
                mode
            ),
            format!(
                "the ledger directory {} had mode {:o} (readable by others); it is now private (700)",
                dir.display(),
                mode
            ),
        )));
    }
    Ok(None)
}

/// Write a small file so that a crash leaves either the old content or the new, never an empty
/// or half-written file: write a temp file, fsync it, rename it over, fsync the directory.
pub fn write_atomically(path: &Path, content: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(content)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)?;
    if let Some(parent) = path.parent() {
        std::fs::File::open(parent)?.sync_all()?;
    }
    Ok(())
}
