//! Where a store lives and keeping it private: audit data is sensitive, so the directory is
//! 0700 and files 0600 whatever the umask, and a directory or a file inside it that others can
//! read (a copy made with `cp -r`, an archive unpacked under another umask) is repaired with a
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

/// How many entries of a store are looked at for permissions at most (evidence folders can
/// hold many files; past this the rest are left as they are, which only costs the repair).
const MAX_PRIVATE_ENTRIES: usize = 100_000;

/// Make every directory (0700) and file (0600) under the store `dir` private again where group
/// or others may read, write or enter it. Symbolic links are not followed. Returns the warnings:
/// how many were repaired and the first of them, and any that could not be (a file of another
/// user's: the store still opens, the user is told).
pub fn repair_private_tree(dir: &Path) -> StoreResult<Vec<Msg>> {
    let mut repaired: Vec<(PathBuf, u32)> = Vec::new();
    let mut refused: Vec<(PathBuf, std::io::Error)> = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    let mut seen = 0usize;
    while let Some(current) = pending.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(entries) => entries,
            // A directory that vanished meanwhile (sled rotates its snapshots) is no concern.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                return Err(StoreError::io(
                    &format!("读取目录 {}", current.display()),
                    &format!("reading {}", current.display()),
                    e,
                ));
            }
        };
        for entry in entries.flatten() {
            seen += 1;
            if seen > MAX_PRIVATE_ENTRIES {
                break;
            }
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.file_type().is_symlink() {
                continue;
            }
            let mode = meta.permissions().mode() & 0o777;
            let private = if meta.is_dir() {
                pending.push(path.clone());
                0o700
            } else {
                0o600
            };
            if mode & 0o077 == 0 {
                continue;
            }
            match std::fs::set_permissions(&path, std::fs::Permissions::from_mode(private)) {
                Ok(()) => repaired.push((path, mode)),
                Err(e) => refused.push((path, e)),
            }
        }
    }
    let mut warnings = Vec::new();
    if let Some((path, e)) = refused.first() {
        let count = refused.len();
        warnings.push(Msg::new(
            format!(
                "台账目录中有 {count} 个文件或目录他人可读且无法改为仅本人可访问（如 {}：{e}），请检查其所有者",
                path.display()
            ),
            format!(
                "{count} files or directories in the ledger are readable by others and could not be made private (e.g. {}: {e}); check who owns them",
                path.display()
            ),
        ));
    }
    let Some((first, mode)) = repaired.first() else {
        return Ok(warnings);
    };
    let shown = first
        .strip_prefix(dir)
        .unwrap_or(first)
        .display()
        .to_string();
    let count = repaired.len();
    let told = Msg::new(
        format!(
            "台账目录中有 {count} 个文件或目录他人可读（如 {shown}，原权限 {mode:o}）；已改为仅本人可访问（文件 600、目录 700）"
        ),
        format!(
            "{count} files or directories in the ledger were readable by others (e.g. {shown}, mode {mode:o}); they are now private (files 600, directories 700)"
        ),
    );
    warnings.insert(0, told);
    Ok(warnings)
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
