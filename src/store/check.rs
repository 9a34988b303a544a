//! `rectify check`: verify every journal line (checksum, hash chain), rebuild the expected
//! ledger from the journals in memory, and compare it with the sled view record by record.
//! `--repair` sets the view aside and rebuilds it from the journals. Every attached evidence
//! file the records name is verified against its recorded SHA-256 as well.

use super::apply::{self, MemoryView};
use super::codec;
use super::error::{StoreError, StoreResult};
use super::evidence::{self, Kept};
use super::journal::{self, Damage, JournalPos};
use super::keys;
use super::lock;
use super::op::EntityKind;
use super::record::Record;
use super::sled_store::{self, OpenMode, SledStore};
use crate::domain::Id;
use crate::i18n::Msg;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct JournalSummary {
    pub path: PathBuf,
    pub lines: usize,
    /// Head hash of the chain (hex), for reports built from it.
    pub head: String,
    pub torn_from: Option<u64>,
}

#[derive(Debug, Default)]
pub struct CheckReport {
    pub journals: Vec<JournalSummary>,
    pub damage: Vec<Damage>,
    /// Differences between the journal and the view.
    pub mismatches: Vec<Msg>,
    pub records: usize,
    pub repaired: bool,
    pub warnings: Vec<Msg>,
    /// Attached files whose kept copy is missing, changed or unreadable.
    pub evidence: Vec<EvidenceProblem>,
    /// How many attached files were verified (intact or not).
    pub evidence_checked: usize,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.damage.is_empty() && self.mismatches.is_empty() && self.evidence.is_empty()
    }
}

/// An attached file whose kept copy is not what the record says it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceProblem {
    pub kind: EntityKind,
    pub record: Id,
    /// The number of the finding the record hangs on, when it does.
    pub finding: Option<String>,
    pub file_name: String,
    pub sha256: String,
    pub fault: EvidenceFault,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceFault {
    Missing,
    Changed,
    Unreadable(Msg),
}

impl EvidenceFault {
    /// `missing`, `changed`, `unreadable`: the JSON names.
    pub fn name(&self) -> &'static str {
        match self {
            EvidenceFault::Missing => "missing",
            EvidenceFault::Changed => "changed",
            EvidenceFault::Unreadable(_) => "unreadable",
        }
    }

    pub fn describe(&self) -> Msg {
        match self {
            EvidenceFault::Missing => Msg::new("保存的文件缺失", "the kept file is missing"),
            EvidenceFault::Changed => Msg::new(
                "保存的文件已被改动（校验值不符）",
                "the kept file was changed (its checksum differs)",
            ),
            EvidenceFault::Unreadable(why) => Msg::new(
                format!("保存的文件无法读取：{}", why.zh),
                format!("the kept file cannot be read: {}", why.en),
            ),
        }
    }
}

/// Verify the store at `dir`; with `repair`, rebuild the view from the journals first.
pub fn run(dir: &Path, author: &str, repair: bool) -> StoreResult<CheckReport> {
    let mut report = CheckReport::default();
    if repair {
        // Read before the rebuild sets the old view aside: only it can tell whether a torn
        // tail the rebuild sets aside had been applied (and so acknowledged) or not.
        let applied = applied_by_view(dir)?;
        restore_lost_newlines(dir, &mut report.warnings)?;
        let torn_before = torn_files(dir);
        let store = SledStore::open_with(dir, author, OpenMode::Rebuild)?;
        report
            .warnings
            .extend(super::Store::warnings(&store).iter().cloned());
        explain_lost_tails(dir, &store, &applied, &torn_before, &mut report.warnings)?;
        report.repaired = true;
        drop(store);
    }
    if !dir.join(sled_store::JOURNAL_DIR).exists() && !dir.join(sled_store::VIEW_DIR).exists() {
        return Err(StoreError::Invalid(Msg::new(
            format!("{} 不是 rectify 台账（没有日志也没有视图）", dir.display()),
            format!(
                "{} is not a rectify ledger (no journal, no view)",
                dir.display()
            ),
        )));
    }
    let _lock = lock::acquire(dir)?;
    let mut expected = MemoryView::default();
    // Where each op is and when it applies; the ops are read back one by one below, rather
    // than held all decoded (a gigabyte at 100,000 findings).
    let mut placed = Vec::new();
    for (replica, path) in sled_store::journal_files(dir)? {
        let outcome = journal::read_mapped(&path, JournalPos::START, |entry| {
            (
                entry.op.order_key(),
                journal::Placement::of(replica, &entry),
            )
        })?;
        report.journals.push(JournalSummary {
            path: path.clone(),
            lines: outcome.entries.len(),
            head: outcome
                .end
                .map(|p| journal::hex(&p.hash))
                .unwrap_or_default(),
            torn_from: outcome.torn_from,
        });
        report.damage.extend(outcome.damage);
        placed.extend(outcome.entries);
    }
    placed.sort_by_key(|(order, at)| (*order, at.offset));
    let mut journals = journal::OpReader::default();
    for (_, at) in &placed {
        let op = journals.read(at, || sled_store::journal_path(dir, at.replica))?;
        if let Err(e) = apply::apply(&mut expected, &op) {
            report.mismatches.push(Msg::new(
                format!("日志中的操作 {} 无法应用：{}", op.id, e.msg().zh),
                format!("the journal op {} cannot be applied: {}", op.id, e.msg().en),
            ));
        }
    }
    compare_with_view(dir, &expected, &mut report);
    check_evidence(dir, &expected, &mut report);
    Ok(report)
}

/// How far the view had applied each replica's journal, as it recorded it.
enum Applied {
    Known(HashMap<Id, JournalPos>),
    /// No view, or one that cannot be read (often why a repair is run).
    Unknown,
}

/// The view's applied position in each journal, read under the store lock and closed again
/// before the rebuild. The view is opened as `check` opens it to compare; a view that does not
/// open is `Unknown`, never an error, so a broken view cannot stop its own repair.
fn applied_by_view(dir: &Path) -> StoreResult<Applied> {
    let view = dir.join(sled_store::VIEW_DIR);
    if !view.exists() {
        return Ok(Applied::Unknown);
    }
    let _lock = lock::acquire(dir)?;
    let config = sled::Config::new().path(view).flush_every_ms(None);
    let Ok(db) = sled_store::open_sled(&config) else {
        return Ok(Applied::Unknown);
    };
    let Ok(tree) = db.open_tree("ledger") else {
        return Ok(Applied::Unknown);
    };
    let mut positions = HashMap::new();
    for item in tree.scan_prefix([keys::JOURNAL_POS]) {
        let Ok((key, bytes)) = item else {
            return Ok(Applied::Unknown);
        };
        let (Some(replica), Ok(pos)) = (
            keys::id_at(&key, 1),
            codec::bincode_decode::<JournalPos>(&bytes),
        ) else {
            return Ok(Applied::Unknown);
        };
        positions.insert(replica, pos);
    }
    Ok(Applied::Known(positions))
}

/// Put back the newline a journal's whole last line lost (see `journal::restore_lost_newline`),
/// under the store lock, before the rebuild would set that line's batch aside as torn.
fn restore_lost_newlines(dir: &Path, warnings: &mut Vec<Msg>) -> StoreResult<()> {
    let _lock = lock::acquire(dir)?;
    for (_, path) in sled_store::journal_files(dir)? {
        if let Some(at) = journal::restore_lost_newline(&path)? {
            warnings.push(Msg::new(
                format!(
                    "整改日志 {} 最后一行的换行符丢失（第 {at} 字节）；该行本身完好（校验和相符），已补回换行符，这批更改保留",
                    path.display()
                ),
                format!(
                    "the last line of the journal {} had lost its newline (byte {at}); the line itself is whole (its checksum verifies), so the newline was put back and its batch kept",
                    path.display()
                ),
            ));
        }
    }
    Ok(())
}

/// The set-aside torn tails in the journal directory (`<replica>.jsonl.torn-<time>`).
fn torn_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir.join(sled_store::JOURNAL_DIR)) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| torn_replica(p).is_some())
        .collect();
    out.sort();
    out
}

fn torn_replica(path: &Path) -> Option<Id> {
    let name = path.file_name()?.to_str()?;
    let (replica, _) = name.split_once(".jsonl.torn-")?;
    Id::parse(replica).ok()
}

/// Say truly what the rebuild did with journal ends the old view had and the journal no longer
/// holds whole. The rebuild sets a torn tail aside with "never acknowledged", true when a write
/// was cut off (the view applies a batch only after its journal fsync) but false when the view
/// had applied it and the journal's end was damaged or lost since: then the change had been
/// saved and shown, and the rebuilt view no longer has it. A journal cut on a line boundary
/// loses whole batches the view had, with no torn tail and so no word at all; that is said too.
fn explain_lost_tails(
    dir: &Path,
    store: &SledStore,
    applied: &Applied,
    torn_before: &[PathBuf],
    warnings: &mut Vec<Msg>,
) -> StoreResult<()> {
    let mut explained = Vec::new();
    for torn in torn_files(dir) {
        if torn_before.contains(&torn) {
            continue;
        }
        let Some(replica) = torn_replica(&torn) else {
            continue;
        };
        explained.push(replica);
        let kept = store.journal_end(replica)?.offset;
        let lines = line_count(&torn);
        let path = torn.display().to_string();
        let msg = match applied {
            Applied::Known(positions)
                if positions.get(&replica).is_some_and(|p| p.offset > kept) =>
            {
                Msg::new(
                    format!(
                        "日志末尾的一批更改（{lines} 行）不完整，但旧视图已应用过它：这批更改曾确认保存，是之后日志末尾受损或丢失。视图只能按日志重建，重建后的视图不再包含这批更改；这些日志行已移至 {path}，旧视图（已保留）中仍有它们。如仍需要，请重新录入这些更改"
                    ),
                    format!(
                        "the last batch in the journal ({lines} lines) is incomplete, but the old view had applied it: the batch had been acknowledged, and the end of the journal was damaged or lost afterwards. The view is rebuilt from the journal alone, so it no longer has these changes; their lines were moved to {path}, and the old view (kept) still has them. Enter them again if they are still wanted"
                    ),
                )
            }
            Applied::Known(_) => Msg::new(
                format!(
                    "日志末尾有一批写入未完成（{lines} 行，写入时中断，从未确认保存，旧视图中也没有），已移至 {path}"
                ),
                format!(
                    "an unfinished batch at the end of the journal ({lines} lines, cut off while being written: never acknowledged, and the old view did not have it) was moved to {path}"
                ),
            ),
            Applied::Unknown => Msg::new(
                format!(
                    "日志末尾有一批更改不完整（{lines} 行），已移至 {path}；旧视图不存在或无法读取，无法判断这批更改是否曾确认保存。重建后的视图不包含它"
                ),
                format!(
                    "an incomplete batch at the end of the journal ({lines} lines) was moved to {path}; the old view is missing or cannot be read, so whether it had been acknowledged cannot be told. The rebuilt view does not have it"
                ),
            ),
        };
        // The rebuild's own message names the same file, whose name is unique (a timestamp).
        match warnings.iter().position(|w| w.en.contains(&path)) {
            Some(i) => warnings[i] = msg,
            None => warnings.push(msg),
        }
    }
    let Applied::Known(positions) = applied else {
        return Ok(());
    };
    let mut ahead: Vec<(&Id, &JournalPos)> = positions.iter().collect();
    ahead.sort_by_key(|(replica, _)| **replica);
    for (replica, pos) in ahead {
        let kept = store.journal_end(*replica)?.offset;
        if pos.offset <= kept || explained.contains(replica) {
            continue;
        }
        let path = sled_store::journal_path(dir, *replica)
            .display()
            .to_string();
        warnings.push(Msg::new(
            format!(
                "旧视图已应用到日志 {path} 的第 {} 字节，而日志现在只有前 {kept} 字节完整：日志末尾在保存之后被截断，这部分更改只在旧视图（已保留）中，重建后的视图不包含它们",
                pos.offset
            ),
            format!(
                "the old view had applied the journal {path} up to byte {}, but the journal now holds only {kept} whole bytes: its end was cut off after it was saved, so those changes are only in the old view (kept) and the rebuilt view does not have them",
                pos.offset
            ),
        ));
    }
    Ok(())
}

/// Lines in a set-aside tail, the unfinished last one included (a batch that lacks only its
/// `last` line ends with a newline).
fn line_count(path: &Path) -> usize {
    std::fs::read(path)
        .map(|bytes| {
            let ends = bytes.iter().filter(|b| **b == b'\n').count();
            ends + usize::from(bytes.last().is_some_and(|b| *b != b'\n'))
        })
        .unwrap_or(0)
}

/// Verify the kept copy of every attached file the journal's records name, archived records
/// included (their evidence is history too).
fn check_evidence(dir: &Path, expected: &MemoryView, report: &mut CheckReport) {
    let mut records: Vec<&Record> = expected
        .records
        .values()
        .filter(|r| !r.evidence().is_empty())
        .collect();
    records.sort_by_key(|r| r.id());
    for record in records {
        let finding = record
            .finding()
            .and_then(|id| match expected.records.get(&id) {
                Some(Record::Finding(f)) => Some(f.number.to_string()),
                _ => None,
            });
        for entry in record.evidence() {
            let Some(hash) = &entry.sha256 else {
                continue; // paper only: nothing kept
            };
            report.evidence_checked += 1;
            let fault = match evidence::verify(dir, entry) {
                Ok(Kept::Intact | Kept::PaperOnly) => continue,
                Ok(Kept::Missing) => EvidenceFault::Missing,
                Ok(Kept::Changed) => EvidenceFault::Changed,
                Err(e) => EvidenceFault::Unreadable(e.msg().clone()),
            };
            report.evidence.push(EvidenceProblem {
                kind: record.kind(),
                record: record.id(),
                finding: finding.clone(),
                file_name: entry.file_name.clone(),
                sha256: hash.clone(),
                fault,
            });
        }
    }
}

fn compare_with_view(dir: &Path, expected: &MemoryView, report: &mut CheckReport) {
    let config = sled::Config::new()
        .path(dir.join(sled_store::VIEW_DIR))
        .flush_every_ms(None);
    let db = match sled_store::open_sled(&config) {
        Ok(db) => db,
        Err(e) => {
            report.mismatches.push(Msg::new(
                format!("台账视图无法打开：{e}"),
                format!("the ledger view cannot be opened: {e}"),
            ));
            return;
        }
    };
    let tree = match db.open_tree("ledger") {
        Ok(t) => t,
        Err(e) => {
            report.mismatches.push(Msg::new(
                format!("台账视图无法读取：{e}"),
                format!("the view cannot be read: {e}"),
            ));
            return;
        }
    };
    let mut seen = 0usize;
    for kind in EntityKind::ALL {
        for item in tree.scan_prefix([kind.tag()]) {
            let Ok((key, bytes)) = item else {
                report
                    .mismatches
                    .push(Msg::new("台账视图读取出错", "error reading the view"));
                continue;
            };
            let id = super::keys::id_at(&key, 1).unwrap_or_default();
            seen += 1;
            match (
                sled_store::decode_record(kind, &bytes),
                expected.records.get(&id),
            ) {
                (Err(e), _) => report.mismatches.push(Msg::new(
                    format!("视图中的{} {} 无法解码：{}", kind.label(), id, e.msg().zh),
                    format!(
                        "the {} {} in the view cannot be decoded: {}",
                        kind.label(),
                        id,
                        e.msg().en
                    ),
                )),
                (Ok(_), None) => report.mismatches.push(Msg::new(
                    format!("视图中有日志里没有的{} {}", kind.label(), id),
                    format!(
                        "the view has a {} {} that the journal does not",
                        kind.label(),
                        id
                    ),
                )),
                (Ok(actual), Some(want)) if &actual != want => report.mismatches.push(Msg::new(
                    format!("{} {} 在视图中与日志不一致", kind.label(), id),
                    format!(
                        "the {} {} differs between the view and the journal",
                        kind.label(),
                        id
                    ),
                )),
                _ => {}
            }
        }
    }
    report.records = expected.records.len();
    if seen < expected.records.len() {
        report.mismatches.push(Msg::new(
            format!("视图缺少 {} 条日志中的记录", expected.records.len() - seen),
            format!(
                "the view lacks {} records that the journal has",
                expected.records.len() - seen
            ),
        ));
    }
    compare_conflicts(&tree, expected, report);
}

/// The open conflicts in the view must be exactly those the journals give.
fn compare_conflicts(tree: &sled::Tree, expected: &MemoryView, report: &mut CheckReport) {
    let mut in_view = 0usize;
    for item in tree.scan_prefix([super::keys::CONFLICT]) {
        let Ok((key, bytes)) = item else { continue };
        in_view += 1;
        let entity = super::keys::id_at(&key, 1).unwrap_or_default();
        let field = String::from_utf8_lossy(key.get(17..).unwrap_or_default()).into_owned();
        let sides: Vec<super::apply::ConflictSide> =
            serde_json::from_slice(&bytes).unwrap_or_default();
        if expected.conflicts.get(&(entity, field.clone())) != Some(&sides) {
            report.mismatches.push(Msg::new(
                format!("视图中 {entity} 的字段“{field}”的冲突与日志不一致"),
                format!("the conflict on field \"{field}\" of {entity} differs between the view and the journal"),
            ));
        }
    }
    if in_view != expected.conflicts.len() {
        report.mismatches.push(Msg::new(
            format!(
                "视图中有 {in_view} 处冲突，日志给出 {} 处",
                expected.conflicts.len()
            ),
            format!(
                "the view holds {in_view} conflicts where the journal gives {}",
                expected.conflicts.len()
            ),
        ));
    }
}
