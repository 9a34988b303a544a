//! The decoders under arbitrary input, the CI twins of `fuzz/fuzz_targets/record_decode.rs`,
//! `journal_read.rs` and `backup_json.rs`:
//! - sled values: any bytes decode to a record or a Chinese error; records with arbitrary text
//!   and amounts encode → decode (bincode and JSON) to themselves;
//! - the journal: any bytes, any cut and any flipped byte of a real journal are read without a
//!   panic, with every damaged line reported and only complete batches returned;
//! - JSON backups: any bytes, and any flipped byte of a real backup, are refused with a Chinese
//!   message or restored; a refusal leaves no ledger behind.

use chrono::NaiveDate;
use proptest::prelude::*;
use rectify::exchange::backup;
use rectify::i18n::Msg;
use rectify::ledger::Ledger;
use rectify::store::journal::{self, JournalPos};
use rectify::store::{EntityKind, Record, SledStore, codec, decode_record, encode_record, legacy};
use serde_json::Value;
use std::sync::OnceLock;

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn clear(msg: &Msg) -> Result<(), TestCaseError> {
    prop_assert!(has_cjk(&msg.zh), "not a Chinese message: {msg:?}");
    prop_assert!(!msg.en.trim().is_empty(), "no English message: {msg:?}");
    Ok(())
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).expect("date")
}

/// A small real ledger, written once: its records, its journal and its backup.
struct Sample {
    records: Vec<Record>,
    journal: Vec<u8>,
    backup: Vec<u8>,
}

fn sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let all = rectify::demo::story::demo_records(today());
        let project = all
            .iter()
            .find(|r| r.kind() == EntityKind::Project)
            .map(Record::id);
        let findings: Vec<_> = all
            .iter()
            .filter(|r| matches!(r, Record::Finding(f) if Some(f.project) == project))
            .take(3)
            .map(Record::id)
            .collect();
        let records: Vec<Record> = all
            .iter()
            .filter(|r| {
                r.kind() == EntityKind::Unit
                    || Some(r.id()) == project
                    || findings.contains(&r.id())
                    || r.finding().is_some_and(|f| findings.contains(&f))
            })
            .cloned()
            .collect();
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ledger");
        let mut ledger = Ledger::new(SledStore::open(&path, "prop").expect("open store"));
        // Two batches, so a cut can fall between them or inside the second.
        let (first, second) = records.split_at(records.len() / 2);
        ledger.create_batch(first.to_vec()).expect("first batch");
        ledger.create_batch(second.to_vec()).expect("second batch");
        let (_, journal_path) = rectify::store::sled_store::journal_files(&path)
            .expect("journals")
            .into_iter()
            .next()
            .expect("a journal");
        let journal = std::fs::read(journal_path).expect("journal bytes");
        let backup = backup::to_bytes(&backup::build(&ledger, "prop").expect("backup"))
            .expect("backup bytes");
        // Kinds the small ledger lacks come from the rest of the demo.
        let mut kinds: Vec<Record> = records.clone();
        for kind in EntityKind::ALL {
            if !kinds.iter().any(|r| r.kind() == kind)
                && let Some(r) = all.iter().find(|r| r.kind() == kind)
            {
                kinds.push(r.clone());
            }
        }
        Sample {
            records: kinds,
            journal,
            backup,
        }
    })
}

/// Every string and number leaf of a JSON value, by path.
fn leaves(value: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                path.push(k.clone());
                leaves(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(i.to_string());
                leaves(v, path, out);
                path.pop();
            }
        }
        Value::String(_) | Value::Number(_) => out.push(path.clone()),
        _ => {}
    }
}

fn at<'v>(value: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, key| match v {
        Value::Object(map) => map.get_mut(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

/// A record with arbitrary text in every free-text field and arbitrary amounts: each string or
/// number leaf is replaced where the record still decodes with the new value.
fn mutated(record: &Record, texts: &[String], numbers: &[i64]) -> Record {
    let kind = record.kind();
    let Ok(mut json) = record.to_json() else {
        return record.clone();
    };
    let mut paths = Vec::new();
    leaves(&json, &mut Vec::new(), &mut paths);
    for (i, path) in paths.iter().enumerate() {
        let Some(slot) = at(&mut json, path) else {
            continue;
        };
        let old = slot.clone();
        *slot = match &old {
            Value::String(_) => Value::String(texts[i % texts.len()].clone()),
            _ => Value::from(numbers[i % numbers.len()]),
        };
        if Record::from_json(kind, json.clone()).is_err()
            && let Some(slot) = at(&mut json, path)
        {
            *slot = old;
        }
    }
    Record::from_json(kind, json).unwrap_or_else(|_| record.clone())
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\u{4e00}-\\u{9fff}a-zA-Z0-9 ，。、]{0,20}",
        "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{1b}\\[m;0-9]{0,12}",
    ]
}

fn check_read(path: &std::path::Path, len: usize) -> Result<journal::ReadOutcome, TestCaseError> {
    match journal::read_from(path, JournalPos::START) {
        Ok(outcome) => {
            for d in &outcome.damage {
                clear(&d.reason)?;
                prop_assert!(d.offset <= len as u64);
            }
            let end = outcome.end.expect("an end");
            prop_assert!(end.offset <= len as u64);
            for e in &outcome.entries {
                let op = journal::read_op_at(path, e.offset, e.len).expect("reads back by offset");
                prop_assert_eq!(op.id, e.op.id);
            }
            Ok(outcome)
        }
        Err(e) => {
            clear(e.msg())?;
            Err(TestCaseError::reject("unreadable"))
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_decode_or_are_refused(kind in 0..EntityKind::ALL.len(), seal in any::<bool>(),
                                        bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let kind = EntityKind::ALL[kind];
        let value = if seal { codec::seal(codec::CODEC_BINCODE, &bytes) } else { bytes.clone() };
        match decode_record(kind, &value) {
            Ok(record) => {
                prop_assert_eq!(record.kind(), kind);
                let again = encode_record(&record).expect("encodes");
                prop_assert_eq!(decode_record(kind, &again).expect("decodes"), record);
            }
            Err(e) => clear(e.msg())?,
        }
        if let Some(Err(msg)) = legacy::decode_v1(kind, &bytes) {
            clear(&msg)?;
        }
    }

    #[test]
    fn flipped_bytes_of_real_values_decode_or_are_refused(pick in any::<prop::sample::Index>(),
                                                          at in any::<prop::sample::Index>(),
                                                          xor in 1u8..) {
        let record = pick.get(&sample().records);
        let mut bytes = encode_record(record).expect("encodes");
        let i = at.index(bytes.len());
        bytes[i] ^= xor;
        match decode_record(record.kind(), &bytes) {
            Ok(r) => prop_assert_eq!(r.kind(), record.kind()),
            Err(e) => clear(e.msg())?,
        }
        // A value cut short never decodes to the whole record.
        if let Ok(r) = decode_record(record.kind(), &bytes[..i]) {
            prop_assert_ne!(&r, record);
        }
    }

    #[test]
    fn records_with_any_text_and_amounts_round_trip(pick in any::<prop::sample::Index>(),
                                                    texts in proptest::collection::vec(text(), 1..8),
                                                    numbers in proptest::collection::vec(any::<i64>(), 1..4)) {
        let record = mutated(pick.get(&sample().records), &texts, &numbers);
        let bytes = encode_record(&record).expect("encodes");
        prop_assert_eq!(&decode_record(record.kind(), &bytes).expect("decodes"), &record);
        let json = record.to_json().expect("to json");
        prop_assert_eq!(&Record::from_json(record.kind(), json).expect("from json"), &record);
        // Validation judges anything without panicking, with Chinese reasons.
        if let Err(errors) = record.validate() {
            for e in errors {
                clear(&e.msg)?;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_are_read_as_a_journal_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600),
                                                     checksums in any::<bool>()) {
        use sha2::{Digest, Sha256};
        let data = if checksums {
            // Give each line its right checksum, so the JSON behind it is what gets tested.
            let mut out = Vec::new();
            for line in bytes.split_inclusive(|b| *b == b'\n') {
                let body = line.strip_suffix(b"\n").unwrap_or(line);
                out.extend_from_slice(journal::hex(&Sha256::digest(body)).as_bytes());
                out.push(b' ');
                out.extend_from_slice(line);
            }
            out
        } else {
            bytes
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, &data).expect("write");
        let _ = check_read(&path, data.len());
        match journal::verify_tail(JournalPos::START, &data) {
            Ok(tail) => prop_assert!(tail.complete <= data.len()),
            Err(msg) => clear(&msg)?,
        }
    }

    #[test]
    fn a_journal_cut_anywhere_keeps_its_complete_batches(at in any::<prop::sample::Index>()) {
        let full = &sample().journal;
        let cut = at.index(full.len() + 1);
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, &full[..cut]).expect("write");
        let outcome = check_read(&path, cut)?;
        prop_assert!(outcome.damage.is_empty(), "a cut is a torn tail, not damage: {:?}", outcome.damage);
        let whole = journal::verify_tail(JournalPos::START, full).expect("the full journal verifies");
        // Complete batches only: what is returned is a prefix of the whole journal's ops, ending
        // on a batch boundary.
        let ids: Vec<_> = outcome.entries.iter().map(|e| e.op.id).collect();
        let all: Vec<_> = whole.ops.iter().map(|o| o.id).collect();
        prop_assert!(all.starts_with(&ids));
        prop_assert!(outcome.entries.last().is_none_or(|e| e.last_of_batch));
        prop_assert_eq!(outcome.torn_from.is_some(), cut < full.len() && outcome.end.map(|e| e.offset) != Some(cut as u64));
        let tail = journal::verify_tail(JournalPos::START, &full[..cut]).expect("a cut tail verifies");
        prop_assert_eq!(tail.ops.len(), ids.len());
    }

    #[test]
    fn a_flipped_byte_in_a_journal_is_reported_not_trusted(at in any::<prop::sample::Index>(), xor in 1u8..) {
        let mut data = sample().journal.clone();
        let i = at.index(data.len());
        data[i] ^= xor;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, &data).expect("write");
        let whole = journal::verify_tail(JournalPos::START, &sample().journal).expect("verifies");
        if let Ok(outcome) = check_read(&path, data.len()) {
            // Either the damage is reported, or the flip broke a line end and tore the tail; a
            // flipped byte never passes as a good op.
            prop_assert!(!outcome.damage.is_empty() || outcome.torn_from.is_some() || outcome.entries.len() < whole.ops.len(),
                "a flipped byte at {} went unnoticed", i);
        }
        prop_assert!(journal::verify_tail(JournalPos::START, &data).is_err_and(|m| has_cjk(&m.zh))
            || journal::verify_tail(JournalPos::START, &data).is_ok_and(|t| t.ops.len() < whole.ops.len()));
    }
}

fn check_backup(bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("backup.json");
    std::fs::write(&path, bytes).expect("write");
    match backup::read(&path) {
        Ok(b) => {
            let target = dir.path().join("restored");
            match backup::restore(&b, &target, "prop") {
                Ok(_) => {}
                Err(msg) => {
                    clear(&msg)?;
                    let journals = target.join("journal");
                    let written = std::fs::read_dir(&journals).map(|d| d.count()).unwrap_or(0);
                    prop_assert_eq!(
                        written,
                        0,
                        "a refused restore left journals behind: {}",
                        msg.zh
                    );
                }
            }
        }
        Err(msg) => clear(&msg)?,
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_as_a_backup_are_refused_clearly(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check_backup(&bytes)?;
    }

    #[test]
    fn a_flipped_byte_in_a_backup_is_refused_or_restored(at in any::<prop::sample::Index>(), xor in 1u8..) {
        let mut bytes = sample().backup.clone();
        let i = at.index(bytes.len());
        bytes[i] ^= xor;
        check_backup(&bytes)?;
    }
}

/// Found by `a_flipped_byte_in_a_backup_is_refused_or_restored`: a record copy whose id was
/// damaged (`01a2…` → `:1a2…`) made restore fail after the journals were already written. The
/// copies are only for reading; such a copy is now reported as differing and the restore stands.
#[test]
fn a_damaged_record_copy_id_is_reported_not_a_half_restore() {
    let mut json: Value = serde_json::from_slice(&sample().backup).expect("backup json");
    let id = json["records"][0]["id"]
        .as_str()
        .expect("an id")
        .to_string();
    let damaged = format!(":{}", &id[1..]);
    json["records"][0]["id"] = Value::String(damaged.clone());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("backup.json");
    std::fs::write(&path, serde_json::to_vec(&json).expect("json")).expect("write");
    let backup = backup::read(&path).expect("reads");
    let done = backup::restore(&backup, &dir.path().join("restored"), "prop")
        .unwrap_or_else(|m| panic!("the restore stands: {}", m.zh));
    assert_eq!(done.differing, vec![damaged]);
    assert!(done.ops > 0);
}

/// A checksum is read exactly as it is written, in lower-case hex: one whose letter changed case,
/// or whose leading zero became a `+`, is damage, although a looser reading takes either for the
/// same number (the proptest above found the case flip: one bit, `a` ^ 32 = `A`).
#[test]
fn a_checksum_spelled_another_way_is_damage_not_the_same_number() {
    let journal = &sample().journal;
    let whole = journal::verify_tail(JournalPos::START, journal).expect("the sample verifies");
    // One of each: every upper-case letter, and a `+` for a leading zero.
    let mut changed: Vec<(usize, u8)> = Vec::new();
    let mut line_start = 0;
    for line in journal.split(|b| *b == b'\n') {
        for (i, &b) in line.iter().take(64).enumerate() {
            let spelled = match b {
                b'a'..=b'f' => b.to_ascii_uppercase(),
                b'0' if i % 2 == 0 => b'+',
                _ => continue,
            };
            if !changed.iter().any(|(_, to)| *to == spelled) {
                changed.push((line_start + i, spelled));
            }
        }
        line_start += line.len() + 1;
    }
    assert!(
        changed.len() >= 2,
        "a letter and a zero to change: {changed:?}"
    );
    for (at, spelled) in changed {
        let mut data = journal.clone();
        data[at] = spelled;
        let read = journal::verify_tail(JournalPos::START, &data);
        assert!(
            read.as_ref().is_err_and(|m| has_cjk(&m.zh))
                || read.as_ref().is_ok_and(|t| t.ops.len() < whole.ops.len()),
            "byte {at} spelled {:?} passed as the same checksum",
            spelled as char
        );
    }
}
