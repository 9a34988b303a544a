//! What `check --repair` says about a journal end it cannot rebuild from. A torn tail is set
//! aside either way; it was "never acknowledged" only when the write was cut off before the view
//! applied it. When the view had applied it (the journal's end was damaged or lost afterwards)
//! the change had been saved and shown, and the user must hear that the rebuilt view lost it.

mod common;

use common::*;
use rectify::domain::Unit;
use rectify::i18n::Msg;
use rectify::store::Record;
use rectify::store::check;
use std::path::Path;

/// A seeded store whose last batch (three units) came after `view.before` was saved: the view
/// as it was before that batch. Returns the journal's length before and after the batch, and
/// how many units there were before it.
fn store_with_a_last_batch(dir: &Path) -> (usize, usize, usize) {
    let mut ledger = open(dir);
    seed(&mut ledger);
    let seeded = ledger.all::<Unit>().expect("units").len();
    drop(ledger);
    let before = std::fs::read(journal_file(dir)).expect("journal").len();
    copy_dir(&dir.join("view"), &dir.join("view.before"));
    let mut ledger = open(dir);
    let batch: Vec<Record> = ["区卫健委", "区住建局", "区水务局"]
        .into_iter()
        .map(|name| Record::Unit(unit(name)))
        .collect();
    ledger.create_batch(batch).expect("a batch");
    drop(ledger);
    let after = std::fs::read(journal_file(dir)).expect("journal").len();
    (before, after, seeded)
}

fn cut_journal(dir: &Path, at: usize) {
    let path = journal_file(dir);
    let bytes = std::fs::read(&path).expect("journal");
    std::fs::write(&path, &bytes[..at]).expect("cut");
}

/// The view back to before the last batch: as after a crash while that batch was written.
fn view_before_the_batch(dir: &Path) {
    std::fs::remove_dir_all(dir.join("view")).expect("remove view");
    std::fs::rename(dir.join("view.before"), dir.join("view")).expect("restore view");
}

fn repair(dir: &Path) -> Vec<Msg> {
    let report = check::run(dir, "t", true).expect("repair");
    assert!(report.repaired);
    assert!(
        report.mismatches.is_empty(),
        "the rebuilt view matches the journal: {:?}",
        report.mismatches
    );
    report.warnings
}

/// The one warning about the set-aside tail (it names the `.torn-` file).
fn torn_warning(warnings: &[Msg]) -> Msg {
    let torn: Vec<&Msg> = warnings
        .iter()
        .filter(|w| w.zh.contains(".torn-") || w.en.contains(".torn-"))
        .collect();
    assert_eq!(torn.len(), 1, "one word about the torn tail: {warnings:?}");
    torn[0].clone()
}

fn units_in(dir: &Path) -> usize {
    open(dir).all::<Unit>().expect("units").len()
}

#[test]
fn a_write_cut_off_before_the_view_applied_it_was_never_acknowledged() {
    let (_tmp, dir) = new_store_dir();
    let (before, after, units) = store_with_a_last_batch(&dir);
    view_before_the_batch(&dir);
    cut_journal(&dir, before + (after - before) / 2);
    let w = torn_warning(&repair(&dir));
    assert!(w.zh.contains("从未确认保存"), "{}", w.zh);
    assert!(w.en.contains("never acknowledged"), "{}", w.en);
    assert!(!w.en.contains("had applied"), "{}", w.en);
    assert_eq!(units_in(&dir), units, "nothing acknowledged is lost");
}

#[test]
fn a_batch_the_view_had_applied_is_not_called_unacknowledged() {
    let (_tmp, dir) = new_store_dir();
    let (_, after, units) = store_with_a_last_batch(&dir);
    // The end of the last line lost after the view applied the batch.
    cut_journal(&dir, after - 10);
    let w = torn_warning(&repair(&dir));
    for text in [&w.zh, &w.en] {
        assert!(!text.contains("从未确认"), "{text}");
        assert!(!text.contains("never acknowledged"), "{text}");
    }
    assert!(w.zh.contains("旧视图已应用过它"), "{}", w.zh);
    assert!(w.zh.contains("3 行"), "says how much: {}", w.zh);
    assert!(w.en.contains("had applied it"), "{}", w.en);
    assert!(
        w.en.contains("no longer has these changes"),
        "says what the repair did: {}",
        w.en
    );
    // What the message says the repair did, it did: the three units are gone from the view.
    assert_eq!(units_in(&dir), units);
}

#[test]
fn without_the_old_view_the_repair_does_not_claim_either() {
    let (_tmp, dir) = new_store_dir();
    let (_, after, _) = store_with_a_last_batch(&dir);
    cut_journal(&dir, after - 10);
    std::fs::remove_dir_all(dir.join("view")).expect("remove view");
    let w = torn_warning(&repair(&dir));
    assert!(!w.en.contains("never acknowledged"), "{}", w.en);
    assert!(w.en.contains("cannot be told"), "{}", w.en);
    assert!(w.zh.contains("无法判断"), "{}", w.zh);
}

/// Cut on a line boundary there is no torn tail, yet whole batches the view had are gone.
#[test]
fn whole_batches_the_view_had_and_the_journal_lost_are_reported() {
    let (_tmp, dir) = new_store_dir();
    let (before, after, _) = store_with_a_last_batch(&dir);
    cut_journal(&dir, before);
    let warnings = repair(&dir);
    assert!(
        !warnings.iter().any(|w| w.en.contains(".torn-")),
        "nothing torn: {warnings:?}"
    );
    let lost: Vec<&Msg> = warnings
        .iter()
        .filter(|w| w.en.contains(&format!("up to byte {after}")))
        .collect();
    assert_eq!(lost.len(), 1, "{warnings:?}");
    assert!(
        lost[0].en.contains(&format!("only {before} whole bytes")),
        "{}",
        lost[0].en
    );
    assert!(lost[0].zh.contains("截断"), "{}", lost[0].zh);
}

/// A clean repair says nothing about lost changes.
#[test]
fn a_repair_of_a_whole_journal_says_nothing_was_lost() {
    let (_tmp, dir) = new_store_dir();
    store_with_a_last_batch(&dir);
    let warnings = repair(&dir);
    assert!(
        !warnings
            .iter()
            .any(|w| w.en.contains(".torn-") || w.en.contains("up to byte")),
        "{warnings:?}"
    );
}

/// A last line that lost only its newline is whole (its checksum proves it): the repair puts
/// the newline back and keeps the batch, whether the byte was damaged or never written.
#[test]
fn a_lost_final_newline_is_put_back_and_the_batch_kept() {
    for damaged in [true, false] {
        let (_tmp, dir) = new_store_dir();
        let (_, after, units) = store_with_a_last_batch(&dir);
        if damaged {
            let path = journal_file(&dir);
            let mut bytes = std::fs::read(&path).expect("journal");
            bytes[after - 1] = b'x';
            std::fs::write(&path, &bytes).expect("damage the newline");
        } else {
            cut_journal(&dir, after - 1);
        }
        let warnings = repair(&dir);
        assert!(
            !warnings.iter().any(|w| w.en.contains(".torn-")),
            "nothing set aside: {warnings:?}"
        );
        let restored: Vec<&Msg> = warnings
            .iter()
            .filter(|w| w.zh.contains("已补回换行符"))
            .collect();
        assert_eq!(restored.len(), 1, "{warnings:?}");
        assert!(
            restored[0].en.contains("newline was put back"),
            "{}",
            restored[0].en
        );
        assert_eq!(
            units_in(&dir),
            units + 3,
            "the last batch is kept (damaged: {damaged})"
        );
        let journal = std::fs::read(journal_file(&dir)).expect("journal");
        assert_eq!(journal.len(), after);
        assert_eq!(journal.last(), Some(&b'\n'));
        // And the ledger takes new changes again.
        let mut ledger = open(&dir);
        ledger
            .create(unit("区审计局"))
            .expect("a save after the repair");
    }
}
