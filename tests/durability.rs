//! kill -9: whatever `rectify` acknowledged survives a SIGKILL at any moment.
//!
//! `rectify debug-writer --count 0` writes findings one by one and prints each id only after the
//! store acknowledged it (journal fsync'd, view flushed). We kill it at a random moment, again and
//! again on the same store, and after every kill check that the store still opens and holds every
//! id whose whole line (with its '\n') was printed, in this round or any earlier one.
//!
//! Half the rounds time the kill from the spawn (so many kills land while the store is opening,
//! replaying the journal or setting a torn batch aside), half from the first acknowledged id (so
//! kills land between and inside writes).
//!
//! `RECTIFY_KILL_ROUNDS` sets the number of rounds (default 50), `RECTIFY_KILL_SEED` the seed of
//! the delays (default fixed, so a failure can be replayed).

use rectify::demo::rng::SplitMix64;
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

mod common;

use common::cli_env::rectify_command;
use common::env_u64;

fn rectify(db: &Path) -> Command {
    let mut cmd = rectify_command();
    cmd.arg("--db").arg(db);
    cmd
}

/// What one killed writer left behind.
struct Round {
    acknowledged: Vec<String>,
    stderr: String,
}

/// Start the writer, let it run for `delay_ms` (counted from the spawn, or from its first
/// acknowledged id when `after_first_ack`), SIGKILL it, and return every id it printed whole.
fn kill_writer_after(db: &Path, delay_ms: u64, after_first_ack: bool) -> Round {
    let mut child = rectify(db)
        .args(["debug-writer", "--count", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the writer");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel::<()>();
    // Read raw bytes: an id counts only once its line, newline included, was printed. A line cut
    // off by the kill is dropped.
    let reader = std::thread::spawn(move || {
        let mut ids = Vec::new();
        let mut reader = BufReader::new(stdout);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) if buf.ends_with(b"\n") => {
                    let line = String::from_utf8_lossy(&buf[..buf.len() - 1]).into_owned();
                    ids.push(line);
                    let _ = tx.send(());
                }
                Ok(_) => break, // torn last line: never acknowledged
            }
        }
        ids
    });

    if after_first_ack {
        // Bounded so a writer that cannot start fails the test instead of hanging it.
        let waited = rx.recv_timeout(Duration::from_secs(60));
        if waited.is_err() {
            let _ = child.kill();
            let _ = child.wait();
            let mut stderr = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut stderr);
            }
            panic!("the writer acknowledged nothing within 60 s; stderr:\n{stderr}");
        }
    }
    std::thread::sleep(Duration::from_millis(delay_ms));

    let exited_early = child.try_wait().expect("try_wait");
    // SIGKILL on unix. An error here only means the child already exited, which is reported below.
    let _ = child.kill();
    child.wait().expect("reap the writer");
    let acknowledged = reader.join().expect("reader thread");
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    assert!(
        exited_early.is_none(),
        "the writer stopped by itself ({exited_early:?}) before it was killed; stderr:\n{stderr}"
    );
    assert!(
        !stderr.contains("panicked"),
        "the writer panicked:\n{stderr}"
    );
    for id in &acknowledged {
        assert_eq!(
            id.len(),
            36,
            "the writer prints one record id per line, got {id:?}"
        );
    }
    Round {
        acknowledged,
        stderr,
    }
}

/// Open the store with `list findings --json` and return the finding ids it holds.
fn stored_ids(db: &Path, round: u64, seed: u64) -> BTreeSet<String> {
    let out = rectify(db)
        .args(["list", "findings", "--json"])
        .output()
        .expect("start list");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !stderr.contains("panicked"),
        "round {round} (seed {seed}): the store does not open after a kill ({:?}):\n{stderr}",
        out.status.code()
    );
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("round {round} (seed {seed}): list findings --json is not a JSON array: {e}")
    });
    items
        .iter()
        .map(|f| {
            f.get("id")
                .and_then(Value::as_str)
                .expect("every finding has an id")
                .to_string()
        })
        .collect()
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    let rounds = env_u64("RECTIFY_KILL_ROUNDS", 50);
    let seed = env_u64("RECTIFY_KILL_SEED", 0x5EED_2024);
    assert!(rounds > 0, "RECTIFY_KILL_ROUNDS must be at least 1");
    let tmp = tempfile::tempdir().expect("temp dir");
    let db = tmp.path().join("ledger");
    let mut rng = SplitMix64(seed);

    let mut acknowledged: Vec<String> = Vec::new();
    let mut rounds_with_acks = 0u64;
    let mut notes = 0usize;
    for round in 1..=rounds {
        let delay = rng.between(5, 60);
        let after_first_ack = round % 2 == 0;
        let r = kill_writer_after(&db, delay, after_first_ack);
        if !r.acknowledged.is_empty() {
            rounds_with_acks += 1;
        }
        if !r.stderr.trim().is_empty() {
            notes += 1;
        }
        acknowledged.extend(r.acknowledged);

        let stored = stored_ids(&db, round, seed);
        let lost: Vec<&String> = acknowledged
            .iter()
            .filter(|id| !stored.contains(*id))
            .collect();
        assert!(
            lost.is_empty(),
            "round {round} (seed {seed}, delay {delay} ms, {}): {} acknowledged finding(s) \
             missing after kill -9, e.g. {:?}",
            if after_first_ack {
                "after first ack"
            } else {
                "from spawn"
            },
            lost.len(),
            &lost[..lost.len().min(5)]
        );
    }

    let distinct: BTreeSet<&String> = acknowledged.iter().collect();
    assert_eq!(
        distinct.len(),
        acknowledged.len(),
        "an id is acknowledged once"
    );
    assert!(
        !acknowledged.is_empty(),
        "no write was acknowledged in {rounds} rounds: the test proved nothing"
    );

    let check = rectify(&db).arg("check").output().expect("start check");
    assert!(
        check.status.success(),
        "rectify check after {rounds} kills ({:?}):\n{}\n{}",
        check.status.code(),
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    eprintln!(
        "kill -9: {rounds} rounds (seed {seed}), {} acknowledged findings, all present; \
         {rounds_with_acks} rounds acknowledged something, {notes} writers printed notes",
        acknowledged.len()
    );
}
