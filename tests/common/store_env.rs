//! A store in a temp dir for the store tests, with the helpers to seed, snapshot and damage it.

use super::*;
use rectify::domain::{ClaimedStatus, Id, ReviewVerdict, StatusView};
use rectify::ledger::Ledger;
use rectify::store::{EntityKind, Record, SledStore, Store, StoreError};
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

/// The date statuses are asked at.
pub fn today() -> chrono::NaiveDate {
    d(2023, 8, 1)
}

pub fn open(dir: &Path) -> Ledger<SledStore> {
    match SledStore::open(dir, "tester") {
        Ok(store) => Ledger::new(store),
        Err(e) => panic!("opening {} failed: {e:?}", dir.display()),
    }
}

pub fn open_err(dir: &Path) -> StoreError {
    match SledStore::open(dir, "tester") {
        Ok(_) => panic!("opening {} should have failed", dir.display()),
        Err(e) => e,
    }
}

/// A temp dir that lives as long as the test, plus a guard: tests run in parallel threads, and
/// a child process forked by one test briefly inherits every open file (and so every store
/// lock) of the others until it execs. The test that spawns children takes the guard
/// exclusively; all others share it.
pub struct Scratch {
    pub _guard: Box<dyn std::any::Any>,
    pub _tmp: tempfile::TempDir,
}

pub static SPAWN_GUARD: RwLock<()> = RwLock::new(());

pub fn scratch(guard: Box<dyn std::any::Any>) -> (Scratch, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("ledger");
    (
        Scratch {
            _guard: guard,
            _tmp: tmp,
        },
        dir,
    )
}

/// The ledger's store dir inside a fresh temp dir (not created yet).
pub fn new_store_dir() -> (Scratch, PathBuf) {
    scratch(Box::new(
        SPAWN_GUARD.read().unwrap_or_else(|e| e.into_inner()),
    ))
}

/// Like `new_store_dir`, for a test that spawns child processes.
pub fn new_store_dir_alone() -> (Scratch, PathBuf) {
    scratch(Box::new(
        SPAWN_GUARD.write().unwrap_or_else(|e| e.into_inner()),
    ))
}

pub struct Seeded {
    pub lead: Id,
    pub assist: Id,
    pub project: Id,
    /// Closed (claim, determination, closure).
    pub closed: Id,
    /// Issued, due 2023-06-30, nothing done: overdue on `today()`.
    pub overdue: Id,
    /// Partly rectified by a check, next check due 2023-07-25.
    pub partial: Id,
    /// A draft.
    pub draft: Id,
}

/// Units, a project, four findings and their records, each created by its own command (so the
/// journal holds one line per record, in this order: lead, assist, project, closed, overdue,
/// partial, draft, report, determination, closure, check).
pub fn seed(ledger: &mut Ledger<SledStore>) -> Seeded {
    let lead = ledger.create(unit("区财政局")).expect("unit").id;
    let assist = ledger.create(unit("区教育局")).expect("unit").id;
    let project = ledger.create(project("2023-01")).expect("project").id;

    let closed = ledger
        .create(finding(
            project,
            lead,
            "2023-01-01",
            d(2023, 1, 10),
            d(2023, 6, 30),
        ))
        .expect("finding")
        .id;
    let mut f = finding(project, lead, "2023-01-02", d(2023, 1, 10), d(2023, 6, 30));
    add_unit(&mut f, assist, UnitRole::Assist);
    let overdue = ledger.create(f).expect("finding").id;
    let partial = ledger
        .create(finding(
            project,
            assist,
            "2023-01-10",
            d(2023, 1, 10),
            d(2023, 12, 31),
        ))
        .expect("finding")
        .id;
    let draft = ledger
        .create(draft(project, lead, "2023-01-03", d(2023, 12, 31)))
        .expect("finding")
        .id;

    ledger
        .create(report(closed, d(2023, 5, 10), ClaimedStatus::Rectified))
        .expect("report");
    ledger
        .create(determination(
            closed,
            d(2023, 6, 1),
            ReviewVerdict::Rectified,
        ))
        .expect("determination");
    ledger
        .create(closure(closed, d(2023, 6, 20)))
        .expect("closure");
    let mut c = check(partial, d(2023, 7, 15), CheckVerdict::Partial);
    c.next_check = Some(d(2023, 7, 25));
    ledger.create(c).expect("check");

    Seeded {
        lead,
        assist,
        project,
        closed,
        overdue,
        partial,
        draft,
    }
}

pub const SEEDED_RECORDS: usize = 11;

/// Every record of every kind, archived ones included, in id order.
pub fn snapshot(store: &SledStore) -> Vec<Record> {
    let mut out = Vec::new();
    for kind in EntityKind::ALL {
        for record in store.scan(kind) {
            out.push(record.expect("a record in the view decodes"));
        }
    }
    out.sort_by_key(Record::id);
    out
}

pub fn statuses(ledger: &Ledger<SledStore>) -> BTreeMap<Id, StatusView> {
    ledger
        .finding_rows(today())
        .expect("rows")
        .into_iter()
        .map(|r| (r.finding.id, r.status))
        .collect()
}

pub fn journal_file(dir: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("journal"))
        .expect("journal dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    assert_eq!(files.len(), 1, "one replica, one journal: {files:?}");
    files.remove(0)
}

pub fn mode_of(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

/// Change one character inside the JSON of journal line `line` (1-based), keeping it one line.
/// Returns the entity id the line's op was about.
pub fn damage_journal_line(dir: &Path, line: usize) -> Id {
    let path = journal_file(dir);
    let mut bytes = std::fs::read(&path).expect("journal");
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .filter(|i| *i < bytes.len())
        .collect();
    let start = starts[line - 1];
    let end = start
        + bytes[start..]
            .iter()
            .position(|b| *b == b'\n')
            .expect("newline");
    let text = std::str::from_utf8(&bytes[start..end]).expect("utf-8 line");
    let (_, json) = text.split_once(' ').expect("checksum and JSON");
    let body: serde_json::Value = serde_json::from_str(json).expect("line JSON");
    let entity = Id::parse(body["op"]["entity"].as_str().expect("entity")).expect("id");
    let at = start
        + text
            .find("\"author\":\"tester\"")
            .expect("author in the line")
        + "\"author\":\"".len();
    assert_eq!(bytes[at], b't');
    bytes[at] = b'T';
    std::fs::write(&path, bytes).expect("write journal");
    entity
}

pub fn largest_file(dir: &Path) -> PathBuf {
    let mut best: Option<(u64, PathBuf)> = None;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            let meta = std::fs::metadata(&path).expect("metadata");
            if meta.is_dir() {
                stack.push(path);
            } else if best.as_ref().is_none_or(|(len, _)| meta.len() > *len) {
                best = Some((meta.len(), path));
            }
        }
    }
    best.expect("the view has files").1
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create copy");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

pub fn warnings_text(store: &SledStore) -> String {
    store
        .warnings()
        .iter()
        .map(|w| format!("{} / {}", w.zh, w.en))
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------------------------
// Durability and history
// ---------------------------------------------------------------------------------------------
