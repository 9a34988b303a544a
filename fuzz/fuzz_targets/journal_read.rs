//! The journal reader: arbitrary bytes as a journal file (`journal::read_from`, also from an
//! offset into it) and as a tail a hub hands over (`journal::verify_tail`). Every damaged line
//! must be reported with a message, never a panic; what verifies must read back by offset.
//!
//! Checksums stop a fuzzer at the first byte of a line, so when the first input byte is odd the
//! target writes each line's correct sha256 in front of it: then the JSON, the hash chain and
//! the op decoding behind the checksum are what gets fuzzed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rectify::store::journal::{self, JournalPos};
use sha2::{Digest, Sha256};
use std::cell::RefCell;

/// The checksum the journal writes in front of a line.
fn sha256_hex(bytes: &[u8]) -> String {
    journal::hex(&Sha256::digest(bytes))
}

thread_local! {
    static SCRATCH: RefCell<rectify_fuzz::Scratch> = RefCell::new(rectify_fuzz::Scratch::new());
}

fn with_checksums(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 80);
    for line in body.split_inclusive(|b| *b == b'\n') {
        let (text, nl) = match line.strip_suffix(b"\n") {
            Some(t) => (t, true),
            None => (line, false),
        };
        out.extend_from_slice(sha256_hex(text).as_bytes());
        out.push(b' ');
        out.extend_from_slice(text);
        if nl {
            out.push(b'\n');
        }
    }
    out
}

fuzz_target!(|input: &[u8]| {
    let Some((&mode, rest)) = input.split_first() else {
        return;
    };
    let fixed;
    let data = if mode & 1 == 1 {
        fixed = with_checksums(rest);
        &fixed[..]
    } else {
        rest
    };
    SCRATCH.with(|s| {
        let scratch = s.borrow();
        let path = scratch.file("replica.jsonl", data);
        match journal::read_from(&path, JournalPos::START) {
            Ok(outcome) => {
                for d in &outcome.damage {
                    rectify_fuzz::assert_clear(&d.reason);
                    assert!(d.offset <= data.len() as u64);
                }
                let end = outcome.end.expect("a read journal has an end");
                assert!(end.offset <= data.len() as u64);
                if let Some(torn) = outcome.torn_from {
                    assert!(torn <= data.len() as u64);
                }
                for entry in &outcome.entries {
                    let op = journal::read_op_at(&path, entry.offset, entry.len)
                        .expect("a verified line reads back by its offset");
                    assert_eq!(op.id, entry.op.id);
                }
                // Reading on from a line's end, as the view does after a restart.
                if let Some(first) = outcome.entries.first()
                    && let Err(e) = journal::read_from(&path, first.end)
                {
                    rectify_fuzz::assert_clear(e.msg());
                }
                // A start past the end is refused with a message.
                let past = JournalPos {
                    offset: data.len() as u64 + 1,
                    ..JournalPos::START
                };
                match journal::read_from(&path, past) {
                    Ok(_) => panic!("a start past the end must be refused"),
                    Err(e) => rectify_fuzz::assert_clear(e.msg()),
                }
            }
            Err(e) => rectify_fuzz::assert_clear(e.msg()),
        }
        match journal::verify_tail(JournalPos::START, data) {
            Ok(tail) => {
                assert!(tail.complete <= data.len());
                assert!(tail.complete == 0 || data[tail.complete - 1] == b'\n');
            }
            Err(msg) => rectify_fuzz::assert_clear(&msg),
        }
    });
});
