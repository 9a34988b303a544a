//! A kill during migration resumes cleanly (issue 8).
//!
//! The frozen store of format 1 (`tests/fixtures/v1/ledger`, opened and read in fixture_v1.rs)
//! upgrades in two ways, and `rectify` is SIGKILLed in the middle of each, again and again:
//!
//! - its view deleted, opening rebuilds it from the journal, writing every schema-1 value anew
//!   in the current shape. After every kill the store opens and reads back exactly the fixture;
//! - a schema-1 record rewritten in the current shape by a change (an import of an edited
//!   spreadsheet: a field edit of the finding and a new progress report in one batch). After
//!   every kill the store holds the old record or the new one, never a mix.
//!
//! Delays are seeded (`RECTIFY_KILL_SEED`) and spread over how long an unkilled run takes here,
//! so kills land all through the run on any machine; the assertions never depend on when.

mod common;

use common::cli_env::rectify_command;
use common::d;
use common::store_env::{copy_dir, new_store_dir_alone};
use rectify::demo::rng::SplitMix64;
use rectify::domain::{CheckVerdict, Finding, FollowUpCheck, Id, Money, Project, Status, Unit};
use rectify::ledger::Ledger;
use rectify::store::{EntityKind, SledStore, Store, check};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FINDING_NUMBER: &str = "2022-03-01";
const OLD_TITLE: &str = "预算编制不够细化，年初预算到位率低";
const NEW_TITLE: &str = "预算编制不够细化，年初预算到位率偏低";
const NARRATIVE: &str = "已细化全部支出科目，年初预算到位率提高到九成";

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1/ledger")
}

fn seed() -> u64 {
    common::env_u64("RECTIFY_KILL_SEED", 0x0005_EED1)
}

fn rectify(db: &Path, args: &[&str]) -> Command {
    let mut cmd = rectify_command();
    cmd.arg("--db")
        .arg(db)
        .args(["--user", "审计员"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Run to the end; returns how long it took.
fn run_whole(db: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let out = rectify(db, args).output().expect("start rectify");
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "rectify {args:?} ({:?}):\n{stderr}",
        out.status.code()
    );
    took
}

/// Start `rectify`, SIGKILL it `delay` later; whether the kill found it still running.
fn kill_after(db: &Path, args: &[&str], delay: Duration) -> bool {
    let mut child = rectify(db, args).spawn().expect("start rectify");
    std::thread::sleep(delay);
    // An error only means it exited already; the status below tells.
    let _ = child.kill();
    let out = child.wait_with_output().expect("reap rectify");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "rectify {args:?} panicked:\n{stderr}"
    );
    match out.status.signal() {
        Some(libc::SIGKILL) => true,
        Some(other) => panic!("rectify {args:?} died of signal {other}:\n{stderr}"),
        None => {
            assert!(
                out.status.success(),
                "rectify {args:?} failed on its own ({:?}):\n{stderr}",
                out.status.code()
            );
            false
        }
    }
}

fn open_ledger(dir: &Path, what: &str) -> Ledger<SledStore> {
    match SledStore::open(dir, "reader") {
        Ok(store) => Ledger::new(store),
        Err(e) => panic!("{what}: the store does not open: {e:?}"),
    }
}

fn assert_check_clean(dir: &Path, what: &str) {
    let report = check::run(dir, "reader", false).expect("check runs");
    assert!(
        report.is_clean(),
        "{what}: {:?} {:?}",
        report.damage,
        report.mismatches
    );
}

/// What the v1 fixture holds (see fixture_v1.rs), as the user sees it: the finding with its
/// status over time and its history, the unit, the project, the upgraded schema-1 check and
/// the archived finding kept hidden.
fn assert_v1_fixture(ledger: &Ledger<SledStore>, title: &str, what: &str) -> Id {
    let findings = ledger.all::<Finding>().expect("findings");
    assert_eq!(
        findings.len(),
        1,
        "{what}: the archived finding stays hidden"
    );
    let f = &findings[0];
    assert_eq!(&*f.number, FINDING_NUMBER, "{what}");
    assert_eq!(&*f.title, title, "{what}");
    assert_eq!(f.amount, Some(Money(12_345_600)), "{what}");
    let status = |day| ledger.status_of(f, day).expect("status").status;
    assert_eq!(status(d(2022, 10, 1)), Status::InProgress, "{what}");
    assert_eq!(status(d(2023, 3, 2)), Status::Partial, "{what}");
    let history = ledger.store().history(f.id).expect("history");
    assert!(
        history.len() >= 2 && history[..2].iter().all(|op| op.author == "fixture"),
        "{what}: the fixture's create and edit come first: {history:?}"
    );
    let units = ledger.all::<Unit>().expect("units");
    assert_eq!(units.len(), 1, "{what}");
    assert_eq!(units[0].name, "区财政局", "{what}");
    let projects = ledger.all::<Project>().expect("projects");
    assert_eq!(projects.len(), 1, "{what}");
    assert_eq!(projects[0].number, "2022-03", "{what}");
    let checks = ledger.all::<FollowUpCheck>().expect("checks");
    assert_eq!(checks.len(), 1, "{what}");
    let c = &checks[0];
    assert_eq!(
        (c.verdict, c.note.as_str(), c.next_check),
        (CheckVerdict::Partial, "已细化部分科目", Some(d(2023, 9, 1))),
        "{what}: the schema-1 check reads as it was written"
    );
    assert!(c.plan.is_none() && c.evidence.is_empty(), "{what}");
    let archived = ledger
        .store()
        .scan(EntityKind::Finding)
        .filter_map(Result::ok)
        .filter(|r| r.archived())
        .count();
    assert_eq!(archived, 1, "{what}: the archived finding is kept");
    f.id
}

fn journal_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("journal"))
        .expect("journal dir")
        .map(|e| e.expect("entry"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("journal"),
            )
        })
        .collect();
    out.sort();
    out
}

/// `n` delays spread from nothing to `reach` times a whole run (in tenths), so kills land
/// before the store is even opened, while it opens and works, and after it has finished.
fn delays(rng: &mut SplitMix64, whole: Duration, reach: u64, n: u64) -> Vec<Duration> {
    let top = (whole.as_micros() as u64).max(1_000) * reach / 10;
    (0..n)
        .map(|_| Duration::from_micros(rng.below(top)))
        .collect()
}

#[test]
fn a_kill_while_the_view_is_rebuilt_from_a_v1_journal_resumes_cleanly() {
    let (_tmp, scratch) = new_store_dir_alone();
    let seed = seed();
    let mut rng = SplitMix64(seed);
    let journal = journal_bytes(&fixture_dir());
    let args = ["list", "findings", "--json"];

    // How long an unkilled rebuild takes here.
    let calibrate = scratch.with_file_name("calibrate");
    copy_dir(&fixture_dir(), &calibrate);
    std::fs::remove_dir_all(calibrate.join("view")).expect("delete view");
    let whole = run_whole(&calibrate, &args);

    let mut kills = 0;
    for round in 0..20u64 {
        let dir = scratch.with_file_name(format!("round-{round}"));
        copy_dir(&fixture_dir(), &dir);
        std::fs::remove_dir_all(dir.join("view")).expect("delete view");
        // One to three kills in a row: a rebuild killed, resumed and killed again.
        let times = rng.between(1, 3);
        let planned = delays(&mut rng, whole, 11, times);
        for (i, delay) in planned.iter().enumerate() {
            if kill_after(&dir, &args, *delay) {
                kills += 1;
            }
            // After every kill: a copy of what it left opens and reads back the fixture (the
            // copy, so the next kill again lands in a rebuild that was cut short).
            let what = format!("round {round}, kill {i} (seed {seed:#x}, after {delay:?})");
            let probe = scratch.with_file_name("probe");
            copy_dir(&dir, &probe);
            let ledger = open_ledger(&probe, &what);
            assert_v1_fixture(&ledger, OLD_TITLE, &what);
            drop(ledger);
            assert_eq!(
                journal_bytes(&probe),
                journal,
                "{what}: the journal is read, never written, by the upgrade"
            );
            assert_check_clean(&probe, &what);
            std::fs::remove_dir_all(&probe).expect("remove the probe");
        }
        let what = format!("round {round} (seed {seed:#x}, kills after {planned:?})");
        let ledger = open_ledger(&dir, &what);
        assert_v1_fixture(&ledger, OLD_TITLE, &what);
        drop(ledger);
        assert_check_clean(&dir, &what);
        // And the binary reads it too.
        run_whole(&dir, &args);
    }
    eprintln!("v1 rebuild: 20 rounds (seed {seed:#x}), {kills} kills landed while rectify ran");
    assert!(
        kills > 0,
        "no kill landed while rectify was running: the test proved nothing"
    );
}

/// The v1 fixture exported to CSV, with the finding's title and 整改情况 edited, ready to import.
fn edited_spreadsheet(scratch: &Path) -> PathBuf {
    let source = scratch.with_file_name("export-from");
    copy_dir(&fixture_dir(), &source);
    let csv_path = scratch.with_file_name("台账.csv");
    let out = csv_path.to_str().expect("utf-8 path");
    run_whole(&source, &["export", "-o", out]);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(&csv_path)
        .expect("read the export");
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("a csv row").iter().map(str::to_string).collect())
        .collect();
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| c == "稳定编号"))
        .expect("a header row");
    let col = |name: &str| {
        rows[header]
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let (title, narrative, number) = (col("问题摘要"), col("整改情况"), col("问题编号"));
    let row = rows
        .iter_mut()
        .find(|r| r.get(number).is_some_and(|n| n == FINDING_NUMBER))
        .expect("the finding's row");
    assert_eq!(row[title], OLD_TITLE);
    row[title] = NEW_TITLE.to_string();
    row[narrative] = NARRATIVE.to_string();
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_path(&csv_path)
        .expect("write the csv");
    for r in &rows {
        writer.write_record(r).expect("write a row");
    }
    writer.flush().expect("flush the csv");
    csv_path
}

/// The stored value of the finding: which schema wrote it (the envelope's version).
fn stored_schema(dir: &Path, finding: Id) -> u16 {
    // sled keeps its lock a moment after a store in this process is dropped.
    let config = sled::Config::new().path(dir.join("view"));
    let start = Instant::now();
    let db = loop {
        match config.open() {
            Ok(db) => break db,
            Err(e) if start.elapsed() < Duration::from_secs(5) => {
                assert!(e.to_string().contains("lock"), "open the view: {e}");
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => panic!("open the view: {e}"),
        }
    };
    let tree = db.open_tree("ledger").expect("tree");
    let bytes = tree
        .get(rectify::store::keys::record(EntityKind::Finding, finding))
        .expect("read")
        .expect("the finding is in the view");
    u16::from_be_bytes([bytes[3], bytes[4]])
}

/// Old or new, never a mix: the old title with no report from the import, or the new title
/// with its report; the rest of the fixture as it was.
fn old_or_new(dir: &Path, what: &str) -> bool {
    let ledger = open_ledger(dir, what);
    let findings = ledger.all::<Finding>().expect("findings");
    let title = findings[0].title.to_string();
    let is_new = title == NEW_TITLE;
    assert!(is_new || title == OLD_TITLE, "{what}: title {title:?}");
    let id = assert_v1_fixture(&ledger, &title, what);
    let reports = ledger.records_of(id).expect("records").reports;
    let imported = reports.iter().filter(|r| r.narrative == NARRATIVE).count();
    assert_eq!(
        imported,
        usize::from(is_new),
        "{what}: the title and the progress report are written together or not at all"
    );
    assert_eq!(reports.len(), imported, "{what}: no other report appears");
    drop(ledger);
    assert_check_clean(dir, what);
    is_new
}

#[test]
fn a_kill_while_a_schema_1_record_is_rewritten_leaves_it_old_or_new() {
    let (_tmp, scratch) = new_store_dir_alone();
    let seed = seed() ^ 0x1111;
    let mut rng = SplitMix64(seed);
    let sheet = edited_spreadsheet(&scratch);
    let sheet_arg = sheet.to_str().expect("utf-8 path").to_string();
    let args = ["import", sheet_arg.as_str()];

    // Unkilled: the schema-1 finding is rewritten in the current shape, with the report.
    let calibrate = scratch.with_file_name("calibrate");
    copy_dir(&fixture_dir(), &calibrate);
    let finding = assert_v1_fixture(&open_ledger(&calibrate, "before"), OLD_TITLE, "before");
    assert_eq!(
        stored_schema(&calibrate, finding),
        1,
        "the fixture holds it as schema 1"
    );
    let whole = run_whole(&calibrate, &args);
    assert!(old_or_new(&calibrate, "unkilled"), "the import changes it");
    assert_eq!(
        stored_schema(&calibrate, finding),
        rectify::store::codec::SCHEMA_VERSION,
        "the change stores it in the current shape"
    );

    let (mut kills, mut old, mut new) = (0, 0, 0);
    for round in 0..16u64 {
        let dir = scratch.with_file_name(format!("round-{round}"));
        copy_dir(&fixture_dir(), &dir);
        // The batch is written near the end of the run: reach well past it.
        let delay = delays(&mut rng, whole, 20, 1)[0];
        if kill_after(&dir, &args, delay) {
            kills += 1;
        }
        let what = format!("round {round} (seed {seed:#x}, kill after {delay:?})");
        if old_or_new(&dir, &what) {
            new += 1;
        } else {
            old += 1;
            // The interrupted import, run again, finishes the job.
            run_whole(&dir, &args);
            assert!(old_or_new(&dir, &what), "{what}: the import run again");
        }
        assert_eq!(
            stored_schema(&dir, finding),
            rectify::store::codec::SCHEMA_VERSION,
            "{what}: rewritten in the current shape in the end"
        );
    }
    eprintln!(
        "schema-1 rewrite: 16 rounds (seed {seed:#x}), {kills} kills landed, {old} left it old, \
         {new} new"
    );
    assert!(
        kills > 0,
        "no kill landed while rectify was running: the test proved nothing"
    );
}
