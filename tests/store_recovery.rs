//! Recovery (design.md §2): the view lost or damaged is rebuilt from the journal, damaged journal
//! lines are found and named by their line in the file, torn writes and unfinished batches are
//! set aside, and a store from a newer rectify is refused.

mod common;

use common::*;
use rectify::domain::Finding;
use rectify::store::check;
use rectify::store::{EntityKind, Record, Store, StoreError};
use std::path::PathBuf;

#[test]
fn a_deleted_view_is_rebuilt_on_open() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let s = seed(&mut ledger);
    let mut f: Finding = ledger.get(s.partial).unwrap();
    f.recommendation = "建立台账，按月对账。".into();
    ledger.update(f).unwrap();
    let before = snapshot(ledger.store());
    let before_status = statuses(&ledger);
    drop(ledger);

    std::fs::remove_dir_all(dir.join("view")).expect("delete the view");
    let mut ledger = open(&dir);
    assert_eq!(snapshot(ledger.store()), before);
    assert_eq!(statuses(&ledger), before_status);
    let w = warnings_text(ledger.store());
    assert!(w.contains("重建"), "the rebuild is reported: {w}");
    assert_eq!(ledger.store().history(s.partial).unwrap().len(), 2);

    // And the rebuilt store takes new writes that survive another reopen.
    let extra = ledger.create(unit("区卫健委")).unwrap().id;
    drop(ledger);
    let ledger = open(&dir);
    assert!(
        ledger
            .store()
            .get(EntityKind::Unit, extra)
            .unwrap()
            .is_some()
    );
    assert_eq!(snapshot(ledger.store()).len(), SEEDED_RECORDS + 1);
}

#[test]
fn check_on_a_healthy_store_is_clean() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    seed(&mut ledger);
    drop(ledger);
    let report = check::run(&dir, "t", false).expect("check");
    assert!(
        report.is_clean(),
        "damage {:?}, mismatches {:?}",
        report.damage,
        report.mismatches
    );
    assert_eq!(report.records, SEEDED_RECORDS);
    assert_eq!(report.journals.len(), 1);
    assert_eq!(report.journals[0].lines, SEEDED_RECORDS);
    assert!(!report.repaired);
}

#[test]
fn check_refuses_while_the_store_is_open() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    seed(&mut ledger);
    match check::run(&dir, "t", false) {
        Err(StoreError::Locked(_)) => {}
        other => panic!("check must not read a store another process is writing: {other:?}"),
    }
}

#[test]
fn a_corrupted_view_is_repaired_from_the_journal() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    seed(&mut ledger);
    let before = snapshot(ledger.store());
    let before_status = statuses(&ledger);
    drop(ledger);

    let victim = largest_file(&dir.join("view"));
    let len = std::fs::metadata(&victim).unwrap().len() as usize;
    let garbage: Vec<u8> = (0..len)
        .map(|i| (i.wrapping_mul(7919) % 251) as u8 ^ 0xA5)
        .collect();
    std::fs::write(&victim, garbage).expect("overwrite");

    let report = check::run(&dir, "t", true).expect("repair");
    assert!(report.repaired);
    assert!(
        report.is_clean(),
        "after repair the view matches the journal: {:?}",
        report.mismatches
    );
    assert_eq!(report.records, SEEDED_RECORDS);
    // The broken view is moved aside, not deleted.
    let aside = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().starts_with("view.broken-"));
    assert!(aside, "the damaged view is kept aside");

    let ledger = open(&dir);
    assert_eq!(snapshot(ledger.store()), before);
    assert_eq!(statuses(&ledger), before_status);
}

// ---------------------------------------------------------------------------------------------
// Journal damage
// ---------------------------------------------------------------------------------------------

#[test]
fn a_damaged_journal_line_is_reported_with_its_line_number() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    seed(&mut ledger);
    drop(ledger);

    // Line 6 is the creation of finding 2023-01-10.
    damage_journal_line(&dir, 6);
    let report = check::run(&dir, "t", false).expect("check runs on a damaged journal");
    assert!(!report.is_clean());
    assert_eq!(
        report.damage.len(),
        1,
        "one flipped byte is one damaged line: {:?}",
        report.damage
    );
    assert_eq!(report.damage[0].line, 6);
    assert!(
        report.damage[0].reason.zh.contains("校验和"),
        "{}",
        report.damage[0].reason.zh
    );
    assert_eq!(report.damage[0].file, journal_file(&dir));
}

#[test]
fn a_damaged_journal_refuses_a_rebuild_on_open_and_repair_keeps_every_other_record() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let s = seed(&mut ledger);
    let before = snapshot(ledger.store());
    drop(ledger);

    std::fs::remove_dir_all(dir.join("view")).unwrap();
    let lost = damage_journal_line(&dir, 6);
    assert_eq!(lost, s.partial);

    match open_err(&dir) {
        StoreError::Corrupt(msg) => {
            assert!(msg.zh.contains("第 6 行"), "{}", msg.zh);
            assert!(msg.en.contains("line 6"), "{}", msg.en);
            assert!(
                msg.en.contains(&journal_file(&dir).display().to_string()),
                "names the file: {}",
                msg.en
            );
            assert!(msg.en.contains("offset"), "names the offset: {}", msg.en);
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }

    let report = check::run(&dir, "t", true).expect("repair");
    assert!(report.repaired);
    assert!(
        !report.is_clean(),
        "the damage is still reported after the repair"
    );
    assert_eq!(report.damage.len(), 1);
    assert_eq!(report.damage[0].line, 6);
    assert!(
        report.mismatches.is_empty(),
        "the rebuilt view matches what the journal holds: {:?}",
        report.mismatches
    );
    assert_eq!(report.records, SEEDED_RECORDS - 1);
    let w: Vec<String> = report.warnings.iter().map(|w| w.en.clone()).collect();
    assert!(
        w.iter().any(|w| w.contains("line 6")),
        "the skipped line is reported: {w:?}"
    );

    let mut ledger = open(&dir);
    let expected: Vec<Record> = before.into_iter().filter(|r| r.id() != lost).collect();
    assert_eq!(snapshot(ledger.store()), expected);
    // The store is usable again: a new record is kept across a reopen.
    let extra = ledger.create(unit("区卫健委")).unwrap().id;
    drop(ledger);
    let ledger = open(&dir);
    assert!(
        ledger
            .store()
            .get(EntityKind::Unit, extra)
            .unwrap()
            .is_some()
    );
}

/// The last line of the journal damaged (a complete line whose checksum no longer matches).
/// The view had already applied it, so the store still opens and `check` names the line; the
/// repair it recommends must then leave a store that opens, with every other record.
#[test]
fn a_damaged_last_journal_line_can_be_repaired() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    seed(&mut ledger);
    let before = snapshot(ledger.store());
    drop(ledger);

    let lost = damage_journal_line(&dir, SEEDED_RECORDS);
    drop(open(&dir)); // the view had applied that line already
    let report = check::run(&dir, "t", false).expect("check");
    assert_eq!(report.damage.len(), 1);
    assert_eq!(report.damage[0].line, SEEDED_RECORDS as u64);

    let report = check::run(&dir, "t", true).expect("repair succeeds despite a damaged last line");
    assert_eq!(report.damage.len(), 1);
    assert_eq!(report.damage[0].line, SEEDED_RECORDS as u64);
    let ledger = open(&dir);
    let expected: Vec<Record> = before.into_iter().filter(|r| r.id() != lost).collect();
    assert_eq!(snapshot(ledger.store()), expected);
}

/// The view lags behind the journal (as after a crash between the journal fsync and the view
/// flush), and a line past what it applied is damaged: the error must name that line as the
/// user finds it in the file.
#[test]
fn a_damaged_line_past_what_the_view_applied_is_named_by_its_line_in_the_file() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    seed(&mut ledger);
    drop(ledger);
    copy_dir(&dir.join("view"), &dir.join("view.saved"));

    let mut ledger = open(&dir);
    ledger.create(unit("区卫健委")).unwrap();
    ledger.create(unit("区住建局")).unwrap();
    drop(ledger);
    std::fs::remove_dir_all(dir.join("view")).unwrap();
    std::fs::rename(dir.join("view.saved"), dir.join("view")).unwrap();

    let line = SEEDED_RECORDS + 2;
    damage_journal_line(&dir, line);
    let journal = std::fs::read(journal_file(&dir)).unwrap();
    let offset = journal
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(line - 2)
        .unwrap()
        .0
        + 1;

    match open_err(&dir) {
        StoreError::Corrupt(msg) => {
            assert!(msg.en.contains(&format!("offset {offset}")), "{}", msg.en);
            assert!(msg.en.contains(&format!("line {line}")), "{}", msg.en);
            assert!(msg.zh.contains(&format!("第 {line} 行")), "{}", msg.zh);
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
    let report = check::run(&dir, "t", false).unwrap();
    assert_eq!(report.damage[0].line, line as u64);
}

#[test]
fn a_torn_last_write_is_set_aside_and_acknowledged_records_survive() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    seed(&mut ledger);
    let before = snapshot(ledger.store());
    drop(ledger);

    let path = journal_file(&dir);
    let good = std::fs::read(&path).unwrap();
    let torn = b"3f2a9c {\"v\":1,\"seq\":12,\"prev\":\"00";
    let mut bytes = good.clone();
    bytes.extend_from_slice(torn);
    std::fs::write(&path, &bytes).unwrap();

    let mut ledger = open(&dir);
    assert_eq!(snapshot(ledger.store()), before);
    let w = warnings_text(ledger.store());
    assert!(
        w.contains("torn-"),
        "the warning names where the tail went: {w}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        good,
        "the journal is cut back to its last complete batch"
    );
    let aside: Vec<PathBuf> = std::fs::read_dir(dir.join("journal"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(".torn-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(
        std::fs::read(&aside[0]).unwrap(),
        torn,
        "the torn tail is kept, not thrown away"
    );

    // Writing goes on from the last good line, and the journal stays valid.
    let extra = ledger.create(unit("区卫健委")).unwrap().id;
    drop(ledger);
    let report = check::run(&dir, "t", false).unwrap();
    assert!(
        report.is_clean(),
        "{:?} {:?}",
        report.damage,
        report.mismatches
    );
    let ledger = open(&dir);
    assert!(
        ledger
            .store()
            .get(EntityKind::Unit, extra)
            .unwrap()
            .is_some()
    );
    assert!(
        ledger.store().warnings().is_empty(),
        "{}",
        warnings_text(ledger.store())
    );
}

// ---------------------------------------------------------------------------------------------
// Format, lock, permissions
// ---------------------------------------------------------------------------------------------

#[test]
fn a_store_from_a_newer_rectify_is_refused() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    seed(&mut ledger);
    drop(ledger);
    assert_eq!(
        std::fs::read_to_string(dir.join("format")).unwrap().trim(),
        "rectify-store 1"
    );

    std::fs::write(dir.join("format"), "rectify-store 2\n").unwrap();
    let journal_before = std::fs::read(journal_file(&dir)).unwrap();
    match open_err(&dir) {
        StoreError::NewerSchema(msg) => {
            assert!(
                msg.zh.contains("升级"),
                "tells the user to upgrade: {}",
                msg.zh
            );
            assert!(msg.en.contains('2'), "{}", msg.en);
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    assert_eq!(std::fs::read(journal_file(&dir)).unwrap(), journal_before);
    assert_eq!(
        std::fs::read_to_string(dir.join("format")).unwrap(),
        "rectify-store 2\n",
        "left as found"
    );
}

#[test]
fn an_unfinished_batch_is_set_aside_whole() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    seed(&mut ledger);
    let before = snapshot(ledger.store());
    let path = journal_file(&dir);
    let acknowledged = std::fs::read(&path).unwrap();
    let batch = vec![
        Record::Unit(unit("区卫健委")),
        Record::Unit(unit("区住建局")),
        Record::Unit(unit("区水务局")),
    ];
    assert_eq!(ledger.create_batch(batch).unwrap(), 3);
    drop(ledger);

    // Simulate a crash in the middle of writing that batch: its last line cut short, and the
    // view never updated.
    let full = std::fs::read(&path).unwrap();
    std::fs::write(&path, &full[..full.len() - 40]).unwrap();
    std::fs::remove_dir_all(dir.join("view")).unwrap();

    let ledger = open(&dir);
    assert_eq!(
        snapshot(ledger.store()),
        before,
        "none of the unfinished batch, all of the rest"
    );
    assert_eq!(std::fs::read(&path).unwrap(), acknowledged);
    let aside: Vec<PathBuf> = std::fs::read_dir(dir.join("journal"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(".torn-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read(&aside[0]).unwrap(),
        &full[acknowledged.len()..full.len() - 40]
    );
    assert!(warnings_text(ledger.store()).contains("torn-"));
}

/// A view overwritten with garbage (as a crash at the wrong moment can leave it) does not lock
/// the user out or lose anything: a plain open ends with every record, rebuilt from the journal
/// (sled either reports the damage, and the view is set aside, or reads it as empty).
#[test]
fn opening_a_garbled_view_still_shows_every_record() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    seed(&mut ledger);
    let before = snapshot(ledger.store());
    drop(ledger);

    let victim = largest_file(&dir.join("view"));
    let len = std::fs::metadata(&victim).unwrap().len() as usize;
    let garbage: Vec<u8> = (0..len)
        .map(|i| (i.wrapping_mul(7919) % 251) as u8 ^ 0x5A)
        .collect();
    std::fs::write(&victim, garbage).expect("overwrite");

    let store = rectify::store::SledStore::open(&dir, "t").expect("the store opens");
    assert_eq!(snapshot(&store), before);
    drop(store);
    let report = check::run(&dir, "t", false).expect("check runs");
    assert!(report.is_clean(), "{:?}", report.mismatches);
}

/// A rebuild reads the journal back a chunk of ops at a time (20,000: see `REPLAY_CHUNK`), each
/// chunk written before the next: a ledger of more ops than that, with edits at the end to
/// records its first chunk created, comes back whole, histories and all.
#[test]
fn a_rebuild_longer_than_one_chunk_brings_back_every_record_and_edit() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let records = rectify::demo::synthetic::synthetic_records(11_000, 7, d(2026, 6, 1), |_| {});
    let first_finding = records
        .iter()
        .find(|r| r.kind() == EntityKind::Finding)
        .map(Record::id)
        .expect("a finding");
    let created = ledger.create_batch(records).expect("the synthetic ledger");
    assert!(created > 20_000, "more ops than one chunk: {created}");
    let mut f: Finding = ledger.get(first_finding).expect("the first finding");
    f.title = "重建后仍在的标题".into();
    ledger.update(f).expect("an edit at the end");
    let before = snapshot(ledger.store());
    let before_status = statuses(&ledger);
    drop(ledger);

    std::fs::remove_dir_all(dir.join("view")).expect("delete the view");
    let ledger = open(&dir);
    assert_eq!(snapshot(ledger.store()).len(), before.len());
    assert!(snapshot(ledger.store()) == before, "every record as it was");
    assert!(statuses(&ledger) == before_status, "every status as it was");
    assert_eq!(
        ledger
            .store()
            .history(first_finding)
            .expect("history")
            .len(),
        2
    );
    drop(ledger);
    let report = check::run(&dir, "审计员甲", false).expect("check");
    assert!(report.is_clean(), "journal and view agree: {report:?}");
}
