//! The full backup (`rectify export --format json`) and `rectify restore`.
//!
//! A backup holds every replica journal's lines verbatim, so their checksums and hash chains
//! survive and the restored ledger's history is the original's, plus a readable copy of every
//! record (for people and other tools; restore checks it against what the journals rebuild, but
//! the journals are the truth). Restore verifies every line before it writes anything, writes
//! only into an empty ledger, and lets the store rebuild its view from the journals it wrote.
//!
//! Attached evidence files are not in the JSON (they can be hundreds of megabytes); restore
//! lists any the records name that the new ledger does not hold.

use crate::domain::Id;
use crate::i18n::Msg;
use crate::ledger::Ledger;
use crate::store::journal::{self, JournalPos};
use crate::store::sled_store::{self, JOURNAL_DIR, SledStore};
use crate::store::{EntityKind, Record, Store, evidence};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub const FORMAT: &str = "rectify-backup";
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub struct Backup {
    pub format: String,
    pub version: u32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub created_by: String,
    pub journals: Vec<JournalCopy>,
    pub records: Vec<RecordCopy>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct JournalCopy {
    pub replica: String,
    /// The chain's head hash (hex), to compare with `rectify check`.
    pub head: String,
    /// Every line of the journal, without its line end, exactly as stored.
    pub lines: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct RecordCopy {
    pub kind: EntityKind,
    pub id: String,
    pub record: Value,
}

fn io_msg(what: (&str, &str), path: &Path, e: impl std::fmt::Display) -> Msg {
    Msg::new(
        format!("{} {} 失败：{e}", what.0, path.display()),
        format!("{} {} failed: {e}", what.1, path.display()),
    )
}

/// The backup of an open ledger (its lock held, so no one writes meanwhile).
pub fn build(ledger: &Ledger<SledStore>, user: &str) -> Result<Backup, Msg> {
    let dir = ledger.store().dir();
    let mut journals = Vec::new();
    for (replica, path) in sled_store::journal_files(dir).map_err(|e| e.msg().clone())? {
        journals.push(copy_journal(replica, &path)?);
    }
    let mut records = Vec::new();
    for kind in EntityKind::ALL {
        for record in ledger.store().scan(kind) {
            let record = record.map_err(|e| e.msg().clone())?;
            records.push(RecordCopy {
                kind,
                id: record.id().to_string(),
                record: record.to_json()?,
            });
        }
    }
    Ok(Backup {
        format: FORMAT.to_string(),
        version: VERSION,
        created_at: chrono::Utc::now(),
        created_by: user.to_string(),
        journals,
        records,
    })
}

/// One journal's complete batches, verified: a damaged journal is not backed up as if sound.
fn copy_journal(replica: Id, path: &Path) -> Result<JournalCopy, Msg> {
    let outcome = journal::read_from(path, JournalPos::START).map_err(|e| e.msg().clone())?;
    if let Some(d) = outcome.damage.first() {
        return Err(Msg::new(
            format!(
                "整改日志 {} 第 {} 行损坏（{}），不能备份。请先运行 rectify check",
                path.display(),
                d.line,
                d.reason.zh
            ),
            format!(
                "the journal {} is damaged at line {} ({}); it cannot be backed up. Run rectify check first",
                path.display(),
                d.line,
                d.reason.en
            ),
        ));
    }
    let end = outcome.end.unwrap_or(JournalPos::START);
    let bytes = std::fs::read(path).map_err(|e| io_msg(("读取", "reading"), path, e))?;
    let committed = bytes.get(..end.offset as usize).unwrap_or(&bytes);
    let text = std::str::from_utf8(committed).map_err(|e| io_msg(("读取", "reading"), path, e))?;
    Ok(JournalCopy {
        replica: replica.to_string(),
        head: journal::hex(&end.hash),
        lines: text.lines().map(str::to_string).collect(),
    })
}

pub fn to_bytes(backup: &Backup) -> Result<Vec<u8>, Msg> {
    let mut bytes = serde_json::to_vec_pretty(backup).map_err(|e| {
        Msg::new(
            format!("生成备份失败：{e}"),
            format!("cannot write the backup: {e}"),
        )
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// What a restore did.
#[derive(Debug, Default)]
pub struct Restored {
    pub journals: usize,
    pub ops: usize,
    pub records: usize,
    /// Records whose readable copy differs from what the journals rebuilt.
    pub differing: Vec<String>,
    /// Evidence files the records name that the new ledger does not hold (sha256).
    pub missing_evidence: Vec<String>,
    pub warnings: Vec<Msg>,
}

/// Read and check a backup file.
pub fn read(path: &Path) -> Result<Backup, Msg> {
    let bytes = std::fs::read(path).map_err(|e| io_msg(("读取", "reading"), path, e))?;
    let backup: Backup = serde_json::from_slice(&bytes).map_err(|e| {
        Msg::new(
            format!(
                "{} 不是 rectify 备份文件（{e}）；备份由 rectify export --format json 生成",
                path.display()
            ),
            format!(
                "{} is not a rectify backup ({e}); backups come from rectify export --format json",
                path.display()
            ),
        )
    })?;
    if backup.format != FORMAT {
        return Err(Msg::new(
            format!("{} 不是 rectify 备份文件", path.display()),
            format!("{} is not a rectify backup", path.display()),
        ));
    }
    if backup.version > VERSION {
        return Err(Msg::new(
            format!(
                "备份格式版本 {} 高于本程序支持的 {VERSION}，请升级 rectify",
                backup.version
            ),
            format!(
                "the backup's format {} is newer than this build reads ({VERSION}); upgrade rectify",
                backup.version
            ),
        ));
    }
    Ok(backup)
}

/// The journals of a backup, every line verified (checksum, chain, complete batches).
fn verified(backup: &Backup) -> Result<Vec<(Id, Vec<u8>, usize)>, Msg> {
    let mut out: Vec<(Id, Vec<u8>, usize)> = Vec::new();
    for j in &backup.journals {
        let replica = Id::parse(&j.replica)?;
        if out.iter().any(|(r, _, _)| *r == replica) {
            return Err(Msg::new(
                format!("备份中副本 {replica} 的日志出现两次"),
                format!("the backup holds the journal of replica {replica} twice"),
            ));
        }
        let mut bytes = Vec::with_capacity(j.lines.iter().map(|l| l.len() + 1).sum());
        for line in &j.lines {
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
        }
        let damaged = |why: Msg| {
            Msg::new(
                format!(
                    "备份中副本 {replica} 的日志校验失败（{}），未写入任何内容",
                    why.zh
                ),
                format!(
                    "the backup's journal of replica {replica} fails verification ({}); nothing was written",
                    why.en
                ),
            )
        };
        let tail = journal::verify_tail(JournalPos::START, &bytes).map_err(damaged)?;
        if tail.complete != bytes.len() {
            return Err(damaged(Msg::new(
                "最后一批操作不完整",
                "its last batch is incomplete",
            )));
        }
        if tail.ops.iter().any(|op| op.replica != replica) {
            return Err(damaged(Msg::new(
                "含有其他副本的操作",
                "it holds ops of another replica",
            )));
        }
        out.push((replica, bytes, tail.ops.len()));
    }
    Ok(out)
}

/// Restore `backup` into the ledger directory `dir`, which must not hold a ledger with data.
pub fn restore(backup: &Backup, dir: &Path, user: &str) -> Result<Restored, Msg> {
    crate::store::paths::set_private_umask();
    let journals = verified(backup)?;
    let existing = refuse_unless_empty(dir, user)?;
    let staging = staging_dir(dir)?;
    let result = stage(&staging, &journals).and_then(|()| move_into(&staging, dir, existing));
    let _ = std::fs::remove_dir_all(&staging);
    result?;
    // Opening replays the journals just written and builds the view from them.
    let store = SledStore::open(dir, user).map_err(|e| e.msg().clone())?;
    let mut restored = Restored {
        journals: journals.len(),
        ops: journals.iter().map(|(_, _, n)| n).sum(),
        warnings: store
            .warnings()
            .iter()
            .filter(|w| !w.zh.starts_with("台账视图缺失"))
            .cloned()
            .collect(),
        ..Restored::default()
    };
    compare(&store, backup, &mut restored)?;
    Ok(restored)
}

/// Whether `dir` already exists as an (empty) ledger; refused when it holds anything.
fn refuse_unless_empty(dir: &Path, user: &str) -> Result<bool, Msg> {
    let not_empty = |what: String, what_en: String| {
        Msg::new(
            format!(
                "{} {what}；恢复只能写入空台账，请用 --db 指定一个新目录",
                dir.display()
            ),
            format!(
                "{} {what_en}; restore writes only into an empty ledger: give --db a new directory",
                dir.display()
            ),
        )
    };
    if !dir.exists() {
        return Ok(false);
    }
    if !dir.is_dir() {
        return Err(not_empty("不是目录".into(), "is not a directory".into()));
    }
    let entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| io_msg(("读取", "reading"), dir, e))?
        .flatten()
        .collect();
    if entries.is_empty() {
        return Ok(false);
    }
    if !dir.join("format").exists() && !dir.join(JOURNAL_DIR).exists() {
        return Err(not_empty(
            "中已有其他文件".into(),
            "holds other files".into(),
        ));
    }
    let store = SledStore::open(dir, user).map_err(|e| e.msg().clone())?;
    let has_ops = sled_store::journal_files(dir)
        .map_err(|e| e.msg().clone())?
        .iter()
        .any(|(_, p)| std::fs::metadata(p).is_ok_and(|m| m.len() > 0));
    if has_ops || !store.is_empty().map_err(|e| e.msg().clone())? {
        return Err(not_empty(
            "已有台账数据".into(),
            "already holds a ledger".into(),
        ));
    }
    Ok(true)
}

/// A private directory beside `dir` (same file system, so moving out of it is a rename). The
/// parent is created if need be but never changed: it may be a shared one such as /tmp.
fn staging_dir(dir: &Path) -> Result<PathBuf, Msg> {
    use std::os::unix::fs::DirBuilderExt;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dir
        .file_name()
        .map_or_else(|| "ledger".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.restoring-{}", Id::new().short()));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(staging.join(JOURNAL_DIR))
        .map_err(|e| io_msg(("创建", "creating"), &staging, e))?;
    Ok(staging)
}

fn stage(staging: &Path, journals: &[(Id, Vec<u8>, usize)]) -> Result<(), Msg> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let journal_dir = staging.join(JOURNAL_DIR);
    for (replica, bytes, _) in journals {
        let path = journal_dir.join(format!("{replica}.jsonl"));
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
            .map_err(|e| io_msg(("写入", "writing"), &path, e))?;
    }
    std::fs::File::open(&journal_dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_msg(("写入", "writing"), &journal_dir, e))
}

/// Put the staged journals in place: the whole directory at once for a new ledger, file by
/// file into an existing empty one.
fn move_into(staging: &Path, dir: &Path, existing: bool) -> Result<(), Msg> {
    let rename = |from: &Path, to: &Path| {
        std::fs::rename(from, to).map_err(|e| io_msg(("写入", "writing"), to, e))
    };
    if !existing {
        if dir.exists() {
            // An empty directory: replaced by the staged one.
            std::fs::remove_dir(dir).map_err(|e| io_msg(("写入", "writing"), dir, e))?;
        }
        return rename(staging, dir);
    }
    let target = dir.join(JOURNAL_DIR);
    crate::store::paths::prepare_private_dir(&target).map_err(|e| e.msg().clone())?;
    let entries = std::fs::read_dir(staging.join(JOURNAL_DIR))
        .map_err(|e| io_msg(("读取", "reading"), staging, e))?;
    for entry in entries.flatten() {
        rename(&entry.path(), &target.join(entry.file_name()))?;
    }
    Ok(())
}

/// Check the readable copies against what the journals rebuilt, and the evidence files.
fn compare(store: &SledStore, backup: &Backup, restored: &mut Restored) -> Result<(), Msg> {
    for copy in &backup.records {
        // The copies are for reading; the journals are the truth and are already restored. A
        // copy whose id is damaged differs, it does not undo the restore half-way.
        let Ok(id) = Id::parse(&copy.id) else {
            restored.differing.push(copy.id.clone());
            continue;
        };
        let rebuilt = store.get(copy.kind, id).map_err(|e| e.msg().clone())?;
        match rebuilt.map(|r| r.to_json()).transpose()? {
            Some(json) if json == copy.record => {}
            _ => restored.differing.push(copy.id.clone()),
        }
    }
    for kind in EntityKind::ALL {
        for record in store.scan(kind) {
            let record: Record = record.map_err(|e| e.msg().clone())?;
            restored.records += 1;
            for entry in record.evidence() {
                if let Some(hash) = &entry.sha256
                    && !evidence::path_of(store.dir(), hash).exists()
                    && !restored.missing_evidence.contains(hash)
                {
                    restored.missing_evidence.push(hash.clone());
                }
            }
        }
    }
    Ok(())
}
