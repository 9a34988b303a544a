//! A hub directory that is a git clone: `rectify sync git:PATH`. The team keeps the hub in a git
//! repository on the bureau's git server; each auditor pulls, syncs with the clone, commits and
//! pushes (README). Replicas append only to their own `logs/<replica>.jsonl`, so merges never
//! conflict.
//!
//! In a clone every file belongs to whoever cloned it, so the owner of a log cannot say who wrote
//! it. Here a log's owner is the account its own first op names, which sync then holds every other
//! op of that log to: one account per log, as on a hub directory, but vouched for by the git
//! server's access control and history rather than by the file system.

use super::dir_hub::DirHub;
use super::hub::{Hub, HubResult, LogInfo};
use crate::domain::Id;
use crate::i18n::Msg;
use std::io::BufRead;
use std::path::{Path, PathBuf};

pub const PREFIX: &str = "git:";

pub struct GitDirHub {
    root: PathBuf,
    inner: DirHub,
}

impl GitDirHub {
    /// Open a clone (a directory with `.git`), making it a hub if it is an empty one.
    pub fn open(root: &Path) -> HubResult<GitDirHub> {
        if !root.join(".git").exists() {
            return Err(Msg::new(
                format!(
                    "{} 不是 git 工作目录：请先 git clone 团队的同步仓库",
                    root.display()
                ),
                format!(
                    "{} is not a git work tree: git clone the team's hub repository first",
                    root.display()
                ),
            ));
        }
        let io = |e: std::io::Error| {
            Msg::new(
                format!("准备同步目录 {} 失败：{e}", root.display()),
                format!("preparing the hub {} failed: {e}", root.display()),
            )
        };
        let only_git = std::fs::read_dir(root)
            .map_err(io)?
            .flatten()
            .all(|e| e.file_name() == ".git");
        if only_git {
            std::fs::write(root.join("rectify-hub"), "rectify-hub 1\n").map_err(io)?;
        }
        // git keeps no empty directory: a clone may lack `logs/` until someone has pushed.
        std::fs::create_dir_all(root.join("logs")).map_err(io)?;
        Ok(GitDirHub {
            root: root.to_path_buf(),
            inner: DirHub::open(root)?,
        })
    }
}

/// The account named by the first op of a log that names one.
fn claimed_account(path: &Path) -> Option<String> {
    let file = std::fs::File::open(path).ok()?;
    for line in std::io::BufReader::new(file).split(b'\n') {
        let line = line.ok()?;
        let json = &line[line.iter().position(|b| *b == b' ')? + 1..];
        let body: serde_json::Value = serde_json::from_slice(json).ok()?;
        match body["op"]["account"].as_str() {
            Some(account) if !account.is_empty() => return Some(account.to_string()),
            _ => continue,
        }
    }
    None
}

impl Hub for GitDirHub {
    fn describe(&self) -> String {
        format!("{PREFIX}{}", self.root.display())
    }

    fn logs(&mut self) -> HubResult<Vec<LogInfo>> {
        let mut logs = self.inner.logs()?;
        for log in &mut logs {
            let path = self
                .root
                .join("logs")
                .join(format!("{}.jsonl", log.replica));
            // A log whose first line cannot be read keeps the file's owner; its checks fail.
            if let Some(account) = claimed_account(&path) {
                log.owner = account;
            }
        }
        Ok(logs)
    }

    fn read(&mut self, replica: Id, from: u64) -> HubResult<Vec<u8>> {
        self.inner.read(replica, from)
    }

    fn append(&mut self, replica: Id, at: u64, bytes: &[u8]) -> HubResult<()> {
        self.inner.append(replica, at, bytes)
    }
}
