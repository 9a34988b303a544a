//! Bad bytes on disk (issue 8), randomized but seeded, so a failure replays: bit flips and
//! truncation of the journal, and of sled's files under `<store>/view`.
//!
//! What must hold whatever the damage:
//! - opening either shows every record, or refuses with the damaged line's number; `check` names
//!   that line, and `check --repair` brings back every record whose journal line is intact;
//! - a truncated journal keeps every complete batch before the cut; the torn tail is set aside
//!   (kept, byte for byte) and reported;
//! - the journal's bytes are never silently rewritten: whatever is not in the journal file
//!   afterwards is in a `.torn-*` file beside it;
//! - a damaged view is rebuilt from the journal: every record, nothing lost;
//! - never a panic.
//!
//! `RECTIFY_CORRUPTION_SEED` changes the seed, `RECTIFY_CORRUPTION_ROUNDS` the number of rounds.

mod common;

use common::*;
use rectify::demo::rng::SplitMix64;
use rectify::domain::Finding;
use rectify::store::apply::{MemoryView, apply};
use rectify::store::check::{self, CheckReport};
use rectify::store::{Op, Record, SledStore, Store, StoreError};
use std::path::{Path, PathBuf};

fn seed_of(salt: u64) -> u64 {
    env_u64("RECTIFY_CORRUPTION_SEED", 0xBAD_B175) ^ salt
}

fn rounds() -> u64 {
    env_u64("RECTIFY_CORRUPTION_ROUNDS", 40)
}

/// One line of the journal as written.
struct Line {
    start: usize,
    /// Just past its '\n'.
    end: usize,
    op: Op,
    last_of_batch: bool,
}

fn lines_of(bytes: &[u8]) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let nl = start
            + bytes[start..]
                .iter()
                .position(|b| *b == b'\n')
                .expect("a complete line");
        let text = std::str::from_utf8(&bytes[start..nl]).expect("utf-8");
        let (_, json) = text.split_once(' ').expect("checksum and JSON");
        let body: serde_json::Value = serde_json::from_str(json).expect("line JSON");
        out.push(Line {
            start,
            end: nl + 1,
            op: serde_json::from_value(body["op"].clone()).expect("an op"),
            last_of_batch: body["last"].as_bool().expect("last"),
        });
        start = nl + 1;
    }
    out
}

/// The records the ops of the kept lines give: what a store rebuilt from them must hold.
fn records_from(lines: &[Line], keep: impl Fn(usize) -> bool) -> Vec<Record> {
    let mut ops: Vec<&Op> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, l)| &l.op)
        .collect();
    ops.sort_by_key(|op| op.order_key());
    let mut view = MemoryView::default();
    for op in ops {
        // An op that cannot apply without a lost one is skipped, as the store skips it.
        let _ = apply(&mut view, op);
    }
    let mut records: Vec<Record> = view.records.into_values().collect();
    records.sort_by_key(Record::id);
    records
}

/// A store with single-op batches, a three-op batch in the middle, a field edit and a last
/// single-op batch; and its records.
struct Template {
    _tmp: Scratch,
    dir: PathBuf,
    records: Vec<Record>,
    journal: Vec<u8>,
}

fn template() -> Template {
    let (tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let s = seed(&mut ledger);
    ledger
        .create_batch(vec![
            Record::Unit(unit("区卫健委")),
            Record::Unit(unit("区住建局")),
            Record::Unit(unit("区水务局")),
        ])
        .expect("batch");
    let mut f: Finding = ledger.get(s.partial).expect("finding");
    f.recommendation = "建立台账，按月对账。".into();
    ledger.update(f).expect("edit");
    ledger.create(unit("区民政局")).expect("unit");
    let records = snapshot(ledger.store());
    drop(ledger);
    let journal = std::fs::read(journal_file(&dir)).expect("journal");
    assert_eq!(lines_of(&journal).len(), SEEDED_RECORDS + 5);
    Template {
        _tmp: tmp,
        dir,
        records,
        journal,
    }
}

impl Template {
    /// A fresh copy of the store for one round.
    fn copy(&self, round: u64) -> PathBuf {
        let dir = self.dir.with_file_name(format!("round-{round}"));
        copy_dir(&self.dir, &dir);
        dir
    }
}

/// Which records differ, by kind and id (the records themselves are long).
fn differences(actual: &[Record], expected: &[Record]) -> String {
    let name = |r: &Record| format!("{:?} {}", r.kind(), r.id());
    let missing: Vec<String> = expected
        .iter()
        .filter(|e| !actual.iter().any(|a| a.id() == e.id()))
        .map(name)
        .collect();
    let extra: Vec<String> = actual
        .iter()
        .filter(|a| !expected.iter().any(|e| e.id() == a.id()))
        .map(name)
        .collect();
    let changed: Vec<String> = actual
        .iter()
        .filter(|a| expected.iter().any(|e| e.id() == a.id() && e != *a))
        .map(name)
        .collect();
    format!("missing {missing:?}, extra {extra:?}, changed {changed:?}")
}

fn assert_records(actual: &[Record], expected: &[Record], what: &str) {
    assert!(
        actual == expected,
        "{what}: {}",
        differences(actual, expected)
    );
}

fn torn_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir.join("journal"))
        .expect("journal dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().contains(".torn-"))
        .collect();
    out.sort();
    out
}

/// Every byte that was in the journal is still on disk: the journal file is a prefix of it and
/// the set-aside tail holds exactly the rest.
fn assert_nothing_thrown_away(dir: &Path, was: &[u8], what: &str) {
    let now = std::fs::read(journal_file(dir)).expect("journal");
    let torn = torn_files(dir);
    if now.len() == was.len() {
        assert_eq!(now, was, "{what}: the journal was rewritten in place");
        assert!(torn.is_empty(), "{what}: nothing to set aside: {torn:?}");
        return;
    }
    assert!(
        was.starts_with(&now),
        "{what}: the journal is not a prefix of what it was"
    );
    assert_eq!(
        torn.len(),
        1,
        "{what}: the cut-off bytes are kept: {torn:?}"
    );
    assert_eq!(
        std::fs::read(&torn[0]).expect("torn"),
        &was[now.len()..],
        "{what}: the set-aside file holds exactly what left the journal"
    );
}

fn warnings_of(store: &SledStore) -> String {
    warnings_text(store)
}

fn open_store(dir: &Path) -> Result<SledStore, StoreError> {
    SledStore::open(dir, "tester")
}

fn repair(dir: &Path, what: &str) -> CheckReport {
    check::run(dir, "tester", true).unwrap_or_else(|e| panic!("{what}: repair failed: {e}"))
}

/// The line (0-based) holding byte `offset`.
fn line_at(lines: &[Line], offset: usize) -> usize {
    lines
        .iter()
        .position(|l| offset < l.end)
        .expect("offset inside the journal")
}

// ---------------------------------------------------------------------------------------------
// Bit flips in the journal
// ---------------------------------------------------------------------------------------------

#[test]
fn bit_flips_in_the_journal_are_found_by_line_and_repair_keeps_every_other_record() {
    let t = template();
    let lines = lines_of(&t.journal);
    let seed = seed_of(1);
    let mut rng = SplitMix64(seed);
    let mut refused = 0;
    let mut set_aside = 0;
    let mut harmless = 0;
    for round in 0..rounds() {
        let dir = t.copy(round);
        let offset = rng.below(t.journal.len() as u64) as usize;
        let bit = 1u8 << rng.below(8);
        let keep_view = rng.chance(50);
        let what = format!(
            "round {round} (seed {seed:#x}): bit {bit:#04x} at offset {offset}, view {}",
            if keep_view { "kept" } else { "deleted" }
        );
        let mut damaged = t.journal.clone();
        damaged[offset] ^= bit;
        std::fs::write(journal_file(&dir), &damaged).expect("write");
        if !keep_view {
            std::fs::remove_dir_all(dir.join("view")).expect("delete view");
        }

        let hit = line_at(&lines, offset);
        if offset < lines[hit].start + 64 && t.journal[offset].is_ascii_alphabetic() && bit == 0x20
        {
            // 'a'..'f' turned into 'A'..'F' in the checksum spells the same checksum: nothing
            // is damaged, and nothing may be reported or lost.
            let store = open_store(&dir).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_records(&snapshot(&store), &t.records, &what);
            drop(store);
            let report = check::run(&dir, "tester", false).expect("check runs");
            assert!(report.is_clean(), "{what}: {:?}", report.damage);
            harmless += 1;
            continue;
        }
        let line_no = hit as u64 + 1;
        let newline_hit = offset + 1 == lines[hit].end;
        let is_last = hit + 1 == lines.len();
        // The ops whose line is damaged: the hit line, and the next one when the flip turned
        // the '\n' between them into another byte (one line of two).
        let lost = |i: usize| i == hit || (newline_hit && i == hit + 1);
        let expected = records_from(&lines, |i| !lost(i));

        match open_store(&dir) {
            Ok(store) => {
                if keep_view {
                    // The view had applied every line: nothing is read again, nothing lost.
                    assert_records(&snapshot(&store), &t.records, &what);
                } else {
                    // Only a last line missing its '\n' is taken for a torn write and set aside;
                    // any other damage refuses the rebuild.
                    assert!(newline_hit && is_last, "{what}: opened despite damage");
                    assert_records(&snapshot(&store), &expected, &what);
                    assert!(warnings_of(&store).contains(".torn-"), "{what}");
                    set_aside += 1;
                }
            }
            Err(StoreError::Corrupt(msg)) => {
                assert!(
                    !keep_view,
                    "{what}: a view that applied everything must open"
                );
                assert!(
                    msg.zh.contains(&format!("第 {line_no} 行")),
                    "{what}: names the line: {}",
                    msg.zh
                );
                assert!(msg.zh.contains("check --repair"), "{}", msg.zh);
                refused += 1;
            }
            Err(other) => panic!("{what}: unexpected error {other:?}"),
        }
        assert_nothing_thrown_away(&dir, &damaged, &what);

        // `check` names the damaged line (or the unterminated last line) by its number.
        let report = check::run(&dir, "tester", false).expect("check runs");
        assert!(!report.is_clean(), "{what}: check finds the damage");
        if let Some(first) = report.damage.first() {
            assert_eq!(first.line, line_no, "{what}: {:?}", report.damage);
            assert_eq!(first.offset, lines[hit].start as u64, "{what}");
        } else {
            assert!(
                newline_hit && is_last && keep_view,
                "{what}: no damaged line reported: {:?}",
                report.mismatches
            );
            assert_eq!(
                report.journals[0].torn_from,
                Some(lines[hit].start as u64),
                "{what}"
            );
        }

        // The repair keeps every record whose line is intact, and says what it skipped.
        let report = repair(&dir, &what);
        let lost_records: Vec<String> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| lost(*i))
            .map(|(_, l)| l.op.entity.to_string())
            .collect();
        for m in &report.mismatches {
            // The view agrees with the journal; the one thing `check` may add is an op that
            // cannot apply because the record it changes was on a damaged line.
            assert!(
                m.zh.contains("无法应用") && lost_records.iter().any(|id| m.zh.contains(id)),
                "{what}: the rebuilt view matches the journal: {m:?}"
            );
        }
        let store = open_store(&dir).unwrap_or_else(|e| panic!("{what}: after repair: {e}"));
        assert_records(
            &snapshot(&store),
            &expected,
            &format!("{what}: repair keeps every other record"),
        );
        drop(store);
        assert_nothing_thrown_away(&dir, &damaged, &what);
    }
    eprintln!(
        "journal bit flips: {} rounds, {refused} refused with the line number, {set_aside} torn \
         last lines set aside, {harmless} harmless (the case of a checksum digit)",
        rounds()
    );
}

/// The damage random flips seldom hit, at every place it can happen: a '\n' between two lines
/// flipped (two lines read as one) and a byte of a line flipped into '\n' (one line read as
/// two). Each costs only the ops on the lines it hits: the lines after it are read again once
/// their own checksum holds, and the damage is named by its line in the file.
#[test]
fn lines_merged_or_split_by_a_flip_cost_only_their_own_ops() {
    let t = template();
    let lines = lines_of(&t.journal);
    let mut cases: Vec<(usize, u8, Vec<usize>)> = Vec::new();
    for (k, line) in lines.iter().enumerate().take(lines.len() - 1) {
        // The '\n' ending line k, turned into '\x0b': lines k and k+1 are one.
        cases.push((line.end - 1, 0x01, vec![k, k + 1]));
        // A byte inside line k's JSON that one flipped bit turns into '\n' (a UTF-8
        // continuation byte 0x8a of a Chinese character, or '*' / 'J').
        if let Some(at) = (line.start + 66..line.end - 1).find(|i| {
            let b = t.journal[*i];
            (0..8).any(|bit| b ^ (1 << bit) == b'\n')
        }) {
            let b = t.journal[at];
            let bit = (0..8)
                .map(|i| 1u8 << i)
                .find(|m| b ^ m == b'\n')
                .expect("a bit");
            cases.push((at, bit, vec![k]));
        }
    }
    assert!(cases.len() > lines.len(), "both kinds of damage are tried");
    for (round, (offset, bit, hit)) in cases.into_iter().enumerate() {
        let dir = t.copy(round as u64);
        let what = format!("byte {offset} ^ {bit:#04x} (lines {hit:?}, 0-based)");
        let mut damaged = t.journal.clone();
        damaged[offset] ^= bit;
        std::fs::write(journal_file(&dir), &damaged).expect("write");
        std::fs::remove_dir_all(dir.join("view")).expect("delete view");
        let first = hit[0] as u64 + 1;
        match open_store(&dir) {
            Err(StoreError::Corrupt(msg)) => assert!(
                msg.zh.contains(&format!("第 {first} 行")),
                "{what}: {}",
                msg.zh
            ),
            Err(other) => panic!("{what}: unexpected error {other:?}"),
            Ok(_) => panic!("{what}: opened despite damage"),
        }
        let report = repair(&dir, &what);
        assert_eq!(
            report.damage.first().map(|d| d.line),
            Some(first),
            "{what}: {:?}",
            report.damage
        );
        // A line read as two is two damaged lines in the file, the rest none.
        let in_file: Vec<u64> = report.damage.iter().map(|d| d.line).collect();
        let want: Vec<u64> = if hit.len() == 2 {
            vec![first]
        } else {
            vec![first, first + 1]
        };
        assert_eq!(in_file, want, "{what}");
        let expected = records_from(&lines, |i| !hit.contains(&i));
        let store = open_store(&dir).unwrap_or_else(|e| panic!("{what}: after repair: {e}"));
        assert_records(&snapshot(&store), &expected, &what);
        drop(store);
        assert_nothing_thrown_away(&dir, &damaged, &what);
    }
}

/// The journal's very last '\n' damaged after the view applied the line. The store opens
/// (nothing needs reading), but a write appended now would run on from the damaged line and be
/// unreadable to any later rebuild: an acknowledged change lost. Writes are refused instead,
/// with what to run; the repair sets the damaged line aside (kept), and from then on writes are
/// taken and survive a rebuild.
#[test]
fn a_damaged_final_newline_refuses_writes_rather_than_lose_them() {
    let t = template();
    let dir = t.copy(0);
    let mut damaged = t.journal.clone();
    let last = damaged.len() - 1;
    damaged[last] = 0x0b;
    std::fs::write(journal_file(&dir), &damaged).expect("write");

    let mut ledger = open(&dir);
    assert_records(
        &snapshot(ledger.store()),
        &t.records,
        "opens with every record",
    );
    let err = ledger
        .create(unit("区审计局"))
        .expect_err("a write after a damaged last line is refused");
    assert!(
        err.to_string().contains("rectify check --repair"),
        "says what to run: {err}"
    );
    drop(ledger);
    assert_eq!(
        std::fs::read(journal_file(&dir)).expect("journal"),
        damaged,
        "nothing was appended"
    );

    // The last line is whole but for its newline (its checksum proves it): the repair puts
    // the newline back and keeps every record, the last line's included.
    let report = repair(&dir, "repair");
    assert!(report.repaired);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.zh.contains("已补回换行符")),
        "says what it did: {:?}",
        report.warnings
    );
    assert!(torn_files(&dir).is_empty(), "nothing set aside");
    assert_eq!(
        std::fs::read(journal_file(&dir)).expect("journal"),
        t.journal,
        "the journal is what it was before the damage"
    );
    let mut ledger = open(&dir);
    assert_records(
        &snapshot(ledger.store()),
        &t.records,
        "every record, the damaged last line's too",
    );
    let extra = ledger.create(unit("区审计局")).expect("writes again").id;
    drop(ledger);
    let now = std::fs::read(journal_file(&dir)).expect("journal");
    assert!(
        now.starts_with(&t.journal),
        "the new write is appended after it"
    );
    std::fs::remove_dir_all(dir.join("view")).expect("delete view");
    let ledger = open(&dir);
    assert!(
        snapshot(ledger.store()).iter().any(|r| r.id() == extra),
        "the write after the repair survives a rebuild"
    );
}

// ---------------------------------------------------------------------------------------------
// Truncation of the journal
// ---------------------------------------------------------------------------------------------

#[test]
fn a_truncated_journal_keeps_every_complete_batch_and_sets_the_torn_tail_aside() {
    let t = template();
    let lines = lines_of(&t.journal);
    let seed = seed_of(2);
    let mut rng = SplitMix64(seed);
    for round in 0..rounds() {
        let dir = t.copy(round);
        // Any cut, on a line boundary or not, the whole journal gone included.
        let cut = rng.below(t.journal.len() as u64) as usize;
        let keep_view = rng.chance(50);
        let what = format!(
            "round {round} (seed {seed:#x}): cut at {cut} of {}, view {}",
            t.journal.len(),
            if keep_view { "kept" } else { "deleted" }
        );
        let cut_bytes = t.journal[..cut].to_vec();
        std::fs::write(journal_file(&dir), &cut_bytes).expect("write");
        if !keep_view {
            std::fs::remove_dir_all(dir.join("view")).expect("delete view");
        }

        // Complete batches: every line up to the last `last` line ending at or before the cut.
        let complete = lines
            .iter()
            .rposition(|l| l.last_of_batch && l.end <= cut)
            .map_or(0, |i| i + 1);
        let kept_bytes = lines.get(complete).map_or(cut, |l| l.start.min(cut));
        let expected = records_from(&lines, |i| i < complete);
        let torn = kept_bytes < cut;

        let store = match open_store(&dir) {
            Ok(store) => {
                assert!(
                    !keep_view,
                    "{what}: a view ahead of its journal must not open"
                );
                store
            }
            Err(StoreError::Corrupt(msg)) => {
                assert!(keep_view, "{what}: {}", msg.zh);
                assert!(
                    msg.zh.contains("截断") && msg.zh.contains("rectify check"),
                    "{what}: says the journal looks truncated and what to run: {}",
                    msg.zh
                );
                assert_eq!(
                    std::fs::read(journal_file(&dir)).expect("journal"),
                    cut_bytes,
                    "{what}: a refused open leaves the journal as it is"
                );
                let report = repair(&dir, &what);
                assert!(
                    report.mismatches.is_empty(),
                    "{what}: {:?}",
                    report.mismatches
                );
                let w: Vec<String> = report.warnings.iter().map(|w| w.zh.clone()).collect();
                assert_eq!(
                    w.iter().any(|w| w.contains(".torn-")),
                    torn,
                    "{what}: the torn tail is reported: {w:?}"
                );
                open_store(&dir).unwrap_or_else(|e| panic!("{what}: after repair: {e}"))
            }
            Err(other) => panic!("{what}: unexpected error {other:?}"),
        };
        assert_records(
            &snapshot(&store),
            &expected,
            &format!("{what}: every complete batch before the cut"),
        );
        if !keep_view {
            assert_eq!(
                warnings_of(&store).contains(".torn-"),
                torn,
                "{what}: {}",
                warnings_of(&store)
            );
        }
        assert_eq!(
            std::fs::read(journal_file(&dir)).expect("journal"),
            &t.journal[..kept_bytes],
            "{what}: the journal ends with the last complete batch"
        );
        drop(store);
        assert_nothing_thrown_away(&dir, &cut_bytes, &what);

        // The store takes new writes, and they chain on: `check` is clean afterwards.
        let mut ledger = open(&dir);
        let extra = ledger.create(unit("区审计局")).expect("a new write").id;
        drop(ledger);
        let report = check::run(&dir, "tester", false).expect("check");
        assert!(
            report.is_clean(),
            "{what}: {:?} {:?}",
            report.damage,
            report.mismatches
        );
        let ledger = open(&dir);
        assert!(
            snapshot(ledger.store()).iter().any(|r| r.id() == extra),
            "{what}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Damage to sled's files
// ---------------------------------------------------------------------------------------------

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn damage_to_the_view_is_rebuilt_from_the_journal_with_every_record() {
    let t = template();
    let seed = seed_of(3);
    let mut rng = SplitMix64(seed);
    let mut rebuilt = 0;
    for round in 0..rounds() {
        let dir = t.copy(round);
        let files: Vec<PathBuf> = files_under(&dir.join("view"))
            .into_iter()
            .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > 0))
            .collect();
        let victim = rng.pick(&files).clone();
        let len = std::fs::metadata(&victim).expect("metadata").len();
        let mut bytes = std::fs::read(&victim).expect("read");
        let name = victim
            .strip_prefix(&dir)
            .expect("inside")
            .display()
            .to_string();
        let what = if rng.chance(50) {
            let flips = rng.between(1, 8);
            let mut at = Vec::new();
            for _ in 0..flips {
                let offset = rng.below(len) as usize;
                bytes[offset] ^= 1 << rng.below(8);
                at.push(offset);
            }
            format!("round {round} (seed {seed:#x}): bits flipped in {name} at {at:?}")
        } else {
            let cut = rng.below(len) as usize;
            bytes.truncate(cut);
            format!("round {round} (seed {seed:#x}): {name} cut at {cut} of {len}")
        };
        std::fs::write(&victim, &bytes).expect("write");
        let journal_before = std::fs::read(journal_file(&dir)).expect("journal");

        let store = open_store(&dir).unwrap_or_else(|e| panic!("{what}: does not open: {e:?}"));
        assert_records(
            &snapshot(&store),
            &t.records,
            &format!("{what}: every record"),
        );
        let w = warnings_of(&store);
        if w.contains("重建") {
            rebuilt += 1;
        }
        drop(store);
        assert_eq!(
            std::fs::read(journal_file(&dir)).expect("journal"),
            journal_before,
            "{what}: the journal is not touched"
        );
        let report = check::run(&dir, "tester", false).expect("check");
        assert!(
            report.is_clean(),
            "{what}: the view agrees with the journal: {:?}",
            report.mismatches
        );
        // History is read through the view's pointers: every op of every record is there.
        let store = open_store(&dir).expect("reopens");
        let ops: usize = t
            .records
            .iter()
            .map(|r| store.history(r.id()).expect("history").len())
            .sum();
        assert_eq!(ops, lines_of(&journal_before).len(), "{what}");
    }
    eprintln!(
        "view damage: {} rounds, {rebuilt} reported a rebuild",
        rounds()
    );
}
