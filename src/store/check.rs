//! `rectify check`: verify every journal line (checksum, hash chain), rebuild the expected
//! ledger from the journals in memory, and compare it with the sled view record by record.
//! `--repair` sets the view aside and rebuilds it from the journals.

use super::apply::{self, MemoryView};
use super::error::{StoreError, StoreResult};
use super::journal::{self, Damage, JournalPos};
use super::lock;
use super::op::EntityKind;
use super::sled_store::{self, OpenMode, SledStore};
use crate::i18n::Msg;
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
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.damage.is_empty() && self.mismatches.is_empty()
    }
}

/// Verify the store at `dir`; with `repair`, rebuild the view from the journals first.
pub fn run(dir: &Path, author: &str, repair: bool) -> StoreResult<CheckReport> {
    let mut report = CheckReport::default();
    if repair {
        let store = SledStore::open_with(dir, author, OpenMode::Rebuild)?;
        report
            .warnings
            .extend(super::Store::warnings(&store).iter().cloned());
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
    let mut ops = Vec::new();
    for (_, path) in sled_store::journal_files(dir)? {
        let outcome = journal::read_from(&path, JournalPos::START)?;
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
        ops.extend(outcome.entries.into_iter().map(|e| e.op));
    }
    ops.sort_by_key(|op| op.order_key());
    for op in &ops {
        if let Err(e) = apply::apply(&mut expected, op) {
            report.mismatches.push(Msg::new(
                format!("日志中的操作 {} 无法应用：{}", op.id, e.msg().zh),
                format!("the journal op {} cannot be applied: {}", op.id, e.msg().en),
            ));
        }
    }
    compare_with_view(dir, &expected, &mut report);
    Ok(report)
}

fn compare_with_view(dir: &Path, expected: &MemoryView, report: &mut CheckReport) {
    let db = match sled::Config::new()
        .path(dir.join(sled_store::VIEW_DIR))
        .flush_every_ms(None)
        .open()
    {
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
}
