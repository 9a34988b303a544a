//! Sync: replicas exchange their journals through a hub (design.md §2–3, issue 7).
//!
//! Each store is a replica with its own journal. `sync` pushes this replica's new journal lines
//! to its own log on the hub, pulls every other replica's new lines into a local copy of that
//! replica's journal, and applies them; merging is deterministic (see `store::apply`). Nothing
//! pulled is trusted before it is checked: every line's checksum, the hash chain continuing from
//! what we already hold, the replica it claims, and the account that wrote it against the owner
//! of the log on the hub (a file's owner, the role PostgreSQL recorded for a row, or in a git
//! clone the account the log's first op names).
//!
//! Without a network, `packet` carries the same journals in an encrypted file and applies the
//! same checks on import.

pub mod dir_hub;
pub mod git_hub;
pub mod hub;
pub mod owner;
pub mod packet;
pub mod pg_hub;
pub mod serve;
pub mod ssh_hub;
pub mod wire;

use crate::domain::Id;
use crate::i18n::Msg;
use crate::store::journal::{self, JournalPos};
use crate::store::sled_store::journal_path;
use crate::store::{SledStore, Store};
use hub::{Hub, LogInfo};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SyncReport {
    /// Ops of this replica sent to the hub.
    pub pushed: u64,
    /// Ops of other replicas taken from the hub.
    pub pulled: u64,
    /// Other replicas seen on the hub.
    pub replicas: usize,
}

fn store_err(e: crate::store::StoreError) -> Msg {
    e.msg().clone()
}

/// Exchange ops with the hub both ways.
pub fn sync(store: &mut SledStore, hub: &mut dyn Hub) -> Result<SyncReport, Msg> {
    // Whatever an interrupted sync copied but did not apply goes in first.
    store.catch_up().map_err(store_err)?;
    let logs = hub.logs()?;
    let mut report = SyncReport {
        pushed: push(store, hub, &logs)?,
        ..SyncReport::default()
    };
    for log in logs.iter().filter(|l| l.replica != store.replica()) {
        report.replicas += 1;
        report.pulled += pull(store, hub, log)?;
    }
    store.catch_up().map_err(store_err)?;
    Ok(report)
}

/// Send this replica's journal lines the hub does not have yet.
fn push(store: &SledStore, hub: &mut dyn Hub, logs: &[LogInfo]) -> Result<u64, Msg> {
    let me = store.replica();
    let end = store.journal_end(me).map_err(store_err)?;
    let on_hub = logs.iter().find(|l| l.replica == me).map_or(0, |l| l.len);
    if on_hub > end.offset {
        return Err(Msg::new(
            format!(
                "同步目录 {} 中本副本的日志比本地还长（{on_hub} > {} 字节）：可能有人冒用本副本写入，或本地台账是从旧备份恢复的。已停止同步",
                hub.describe(),
                end.offset
            ),
            format!(
                "this replica's log on {} is longer than the local journal ({on_hub} > {} bytes): someone wrote as this replica, or the ledger was restored from an old backup. Sync stopped",
                hub.describe(),
                end.offset
            ),
        ));
    }
    if on_hub == end.offset {
        return Ok(0);
    }
    let local = read_local(store, me, on_hub, end.offset)?;
    let ops = local.iter().filter(|b| **b == b'\n').count() as u64;
    hub.append(me, on_hub, &local)?;
    Ok(ops)
}

fn read_local(store: &SledStore, replica: Id, from: u64, to: u64) -> Result<Vec<u8>, Msg> {
    let path = journal_path(store.dir(), replica);
    let io = |e: std::io::Error| {
        Msg::new(
            format!("读取本地日志 {} 失败：{e}", path.display()),
            format!("reading the local journal {} failed: {e}", path.display()),
        )
    };
    let mut file = std::fs::File::open(&path).map_err(io)?;
    let mut bytes = vec![0u8; (to - from) as usize];
    file.seek(SeekFrom::Start(from))
        .and_then(|_| file.read_exact(&mut bytes))
        .map_err(io)?;
    Ok(bytes)
}

/// Take another replica's new lines from the hub into our copy of its journal.
fn pull(store: &SledStore, hub: &mut dyn Hub, log: &LogInfo) -> Result<u64, Msg> {
    let have = store.journal_end(log.replica).map_err(store_err)?;
    if log.len < have.offset {
        return Err(tampered(
            hub,
            log,
            Msg::new(
                format!(
                    "它比已同步的部分还短（{} < {} 字节），有行被删除",
                    log.len, have.offset
                ),
                format!(
                    "it is shorter than what was already synced ({} < {} bytes): lines were removed",
                    log.len, have.offset
                ),
            ),
        ));
    }
    if log.len == have.offset {
        return Ok(0);
    }
    let bytes = hub.read(log.replica, have.offset)?;
    let tail = journal::verify_tail(have, &bytes).map_err(|why| tampered(hub, log, why))?;
    for op in &tail.ops {
        if op.replica != log.replica {
            return Err(tampered(
                hub,
                log,
                Msg::new(
                    format!("其中的操作 {} 声称来自另一个副本", op.id),
                    format!("its op {} claims to come from another replica", op.id),
                ),
            ));
        }
        if !op.account.is_empty() && op.account != log.owner {
            return Err(tampered(
                hub,
                log,
                Msg::new(
                    format!(
                        "其中的操作 {} 声称由账户 {} 写入，但该日志文件属于 {}",
                        op.id, op.account, log.owner
                    ),
                    format!(
                        "its op {} claims to be written by account {}, but the log belongs to {}",
                        op.id, op.account, log.owner
                    ),
                ),
            ));
        }
    }
    if tail.complete == 0 {
        return Ok(0); // only a batch still being written: next time
    }
    append_copy(store, log.replica, have, &bytes[..tail.complete])?;
    Ok(tail.ops.len() as u64)
}

fn tampered(hub: &dyn Hub, log: &LogInfo, why: Msg) -> Msg {
    Msg::new(
        format!(
            "同步目录 {} 中副本 {} 的日志（属于 {}）未通过校验：{}。未从中导入任何内容",
            hub.describe(),
            log.replica.short(),
            log.owner,
            why.zh
        ),
        format!(
            "the log of replica {} on {} (owned by {}) failed its checks: {}. Nothing was taken from it",
            log.replica.short(),
            hub.describe(),
            log.owner,
            why.en
        ),
    )
}

/// Append verified lines to our copy of a replica's journal, at exactly where it was applied
/// to (a tail an interrupted sync left half-written is cut off first: it is only a copy).
fn append_copy(store: &SledStore, replica: Id, at: JournalPos, bytes: &[u8]) -> Result<(), Msg> {
    let path = journal_path(store.dir(), replica);
    let io = |e: std::io::Error| {
        Msg::new(
            format!("写入本地日志副本 {} 失败：{e}", path.display()),
            format!(
                "writing the local journal copy {} failed: {e}",
                path.display()
            ),
        )
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .mode(0o600)
        .open(&path)
        .map_err(io)?;
    file.set_len(at.offset).map_err(io)?;
    file.seek(SeekFrom::Start(at.offset)).map_err(io)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io)?;
    Ok(())
}

/// Check every log on a hub from its first line: checksums, chains, replicas and accounts.
/// Returns one message per log that fails.
pub fn verify_hub(hub: &mut dyn Hub) -> Result<Vec<Msg>, Msg> {
    let mut problems = Vec::new();
    for log in hub.logs()? {
        let bytes = hub.read(log.replica, 0)?;
        match journal::verify_tail(JournalPos::START, &bytes) {
            Ok(tail) => {
                let forged = tail.ops.iter().find(|op| {
                    op.replica != log.replica || (!op.account.is_empty() && op.account != log.owner)
                });
                if let Some(op) = forged {
                    problems.push(tampered(
                        hub,
                        &log,
                        Msg::new(
                            format!("操作 {} 的副本或账户与日志文件不符", op.id),
                            format!("op {} does not match the log's replica or owner", op.id),
                        ),
                    ));
                }
            }
            Err(why) => problems.push(tampered(hub, &log, why)),
        }
    }
    Ok(problems)
}

impl crate::ledger::Ledger<SledStore> {
    /// Exchange ops with a hub (see `sync`).
    pub fn sync(&mut self, hub: &mut dyn Hub) -> Result<SyncReport, Msg> {
        sync(self.store_for_sync(), hub)
    }
}
