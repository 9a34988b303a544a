//! A hub in a directory: `<hub>/rectify-hub` marks it, `<hub>/logs/<replica>.jsonl` holds each
//! replica's log. Meant for a group-owned, setgid directory on the intranet host: each log is
//! created by (and so owned by) the auditor whose replica writes it, readable by the group.

use super::hub::{Hub, HubResult, LogInfo};
use super::owner::account_name;
use crate::domain::Id;
use crate::i18n::Msg;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

const MARKER: &str = "rectify-hub";
const LOGS: &str = "logs";

pub struct DirHub {
    root: PathBuf,
}

fn io(what_zh: &str, what_en: &str, path: &Path, e: std::io::Error) -> Msg {
    Msg::new(
        format!("{what_zh} {} 失败：{e}", path.display()),
        format!("{what_en} {} failed: {e}", path.display()),
    )
}

impl DirHub {
    /// Open a hub directory, creating it when it does not exist yet (an existing directory
    /// that is not empty and not a hub is refused, so a typo cannot litter a home directory).
    pub fn open(root: &Path) -> HubResult<DirHub> {
        let marker = root.join(MARKER);
        if !marker.exists() {
            let empty = match std::fs::read_dir(root) {
                Ok(mut entries) => entries.next().is_none(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
                Err(e) => return Err(io("读取同步目录", "reading the hub", root, e)),
            };
            if !empty {
                return Err(Msg::new(
                    format!(
                        "{} 不是 rectify 同步目录（里面已有其他文件）",
                        root.display()
                    ),
                    format!(
                        "{} is not a rectify hub (it holds other files)",
                        root.display()
                    ),
                ));
            }
            std::fs::create_dir_all(root.join(LOGS))
                .map_err(|e| io("创建同步目录", "creating the hub", root, e))?;
            std::fs::write(&marker, "rectify-hub 1\n")
                .map_err(|e| io("创建同步目录", "creating the hub", root, e))?;
            // The group shares the hub: logs readable by it, new files inheriting its group.
            let _ = std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o2770));
            let _ =
                std::fs::set_permissions(root.join(LOGS), std::fs::Permissions::from_mode(0o2770));
            let _ = std::fs::set_permissions(&marker, std::fs::Permissions::from_mode(0o640));
        }
        Ok(DirHub {
            root: root.to_path_buf(),
        })
    }

    fn log_path(&self, replica: Id) -> PathBuf {
        self.root.join(LOGS).join(format!("{replica}.jsonl"))
    }
}

impl Hub for DirHub {
    fn describe(&self) -> String {
        self.root.display().to_string()
    }

    fn logs(&mut self) -> HubResult<Vec<LogInfo>> {
        let dir = self.root.join(LOGS);
        let entries =
            std::fs::read_dir(&dir).map_err(|e| io("读取同步目录", "reading the hub", &dir, e))?;
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io("读取同步目录", "reading the hub", &dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(replica) = name
                .strip_suffix(".jsonl")
                .and_then(|stem| Id::parse(stem).ok())
            else {
                continue; // not a log (an editor's backup, a stray file)
            };
            let meta = entry
                .metadata()
                .map_err(|e| io("读取同步日志", "reading a hub log", &entry.path(), e))?;
            out.push(LogInfo {
                replica,
                len: meta.len(),
                owner: account_name(meta.uid()),
            });
        }
        out.sort_by_key(|l| l.replica);
        Ok(out)
    }

    fn read(&mut self, replica: Id, from: u64) -> HubResult<Vec<u8>> {
        let path = self.log_path(replica);
        let mut file = std::fs::File::open(&path)
            .map_err(|e| io("读取同步日志", "reading the hub log", &path, e))?;
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(from))
            .and_then(|_| file.read_to_end(&mut bytes))
            .map_err(|e| io("读取同步日志", "reading the hub log", &path, e))?;
        Ok(bytes)
    }

    fn append(&mut self, replica: Id, at: u64, bytes: &[u8]) -> HubResult<()> {
        let path = self.log_path(replica);
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o640)
            .open(&path)
            .map_err(|e| io("写入同步日志", "writing the hub log", &path, e))?;
        let meta = file
            .metadata()
            .map_err(|e| io("写入同步日志", "writing the hub log", &path, e))?;
        // The store runs with a private umask; a hub log must be readable by the group.
        if meta.permissions().mode() & 0o777 != 0o640 {
            let _ = file.set_permissions(std::fs::Permissions::from_mode(0o640));
        }
        let len = meta.len();
        if len != at {
            return Err(Msg::new(
                format!(
                    "同步目录中本副本的日志 {} 长度为 {len} 字节，应为 {at}：它被别人改动过，已停止推送",
                    path.display()
                ),
                format!(
                    "this replica's hub log {} holds {len} bytes where {at} were expected: someone changed it; nothing was pushed",
                    path.display()
                ),
            ));
        }
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| io("写入同步日志", "writing the hub log", &path, e))?;
        Ok(())
    }
}
