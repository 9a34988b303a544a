//! Replaying a journal into the store: each input line is the JSON of one op, which the target
//! wraps in a journal line with the right seq, hash chain and checksum (one batch), writes as
//! this replica's journal in a fresh store directory, and opens the store on (`SledStore::open`:
//! replay, apply, the sled view). An op that cannot apply must be skipped with a warning or
//! refused with a message, never a panic; whatever opened must answer queries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rectify::ledger::Ledger;
use rectify::store::SledStore;
use rectify::store::journal::{self, GENESIS};
use sha2::{Digest, Sha256};
use std::cell::RefCell;

thread_local! {
    static SCRATCH: RefCell<rectify_fuzz::Scratch> = RefCell::new(rectify_fuzz::Scratch::new());
}

/// The journal a store would hold for these op JSON texts, one batch.
fn chained(ops: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut prev = GENESIS;
    for (i, op) in ops.iter().enumerate() {
        let mut body = format!(
            "{{\"v\":1,\"seq\":{},\"prev\":\"{}\",\"last\":{},\"op\":",
            i + 1,
            journal::hex(&prev),
            i + 1 == ops.len()
        )
        .into_bytes();
        body.extend_from_slice(op);
        body.push(b'}');
        let hash: [u8; 32] = Sha256::digest(&body).into();
        out.extend_from_slice(journal::hex(&hash).as_bytes());
        out.push(b' ');
        out.extend_from_slice(&body);
        out.push(b'\n');
        prev = hash;
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let ops: Vec<&[u8]> = data
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .take(64)
        .collect();
    if ops.is_empty() {
        return;
    }
    SCRATCH.with(|s| {
        let scratch = s.borrow();
        let dir = scratch.path().join("store");
        let _ = std::fs::remove_dir_all(&dir);
        // A store of its own: its replica id names the journal file.
        let replica = match SledStore::open(&dir, "fuzz") {
            Ok(store) => rectify::store::Store::replica(&store),
            Err(e) => panic!("a fresh store must open: {e:?}"),
        };
        let _ = std::fs::remove_dir_all(dir.join("view"));
        let path = rectify::store::sled_store::journal_path(&dir, replica);
        std::fs::write(&path, chained(&ops)).expect("write the journal");
        match SledStore::open(&dir, "fuzz") {
            Ok(store) => {
                for w in rectify::store::Store::warnings(&store) {
                    rectify_fuzz::assert_clear(w);
                }
                let ledger = Ledger::new(store);
                if let Err(e) = ledger.finding_rows(rectify_fuzz::today()) {
                    rectify_fuzz::assert_clear(&rectify::exchange::ledger_msg(&e));
                }
            }
            Err(e) => rectify_fuzz::assert_clear(e.msg()),
        }
    });
});
