//! A record dated back cannot pull the ground from under a later 销号 or 重新打开, and no record
//! can be dated after today (the two holes found in the workflow commands).

use serde_json::Value;
use std::path::Path;
use std::process::Output;

mod common;

use common::cli_env::rectify_command;

fn rectify(db: &Path, args: &[&str]) -> Output {
    rectify_command()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run rectify")
}

fn ok(db: &Path, args: &[&str]) -> Output {
    let out = rectify(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn refused(db: &Path, args: &[&str], why: &str) {
    let journal = std::fs::read_dir(db.join("journal"))
        .expect("journal dir")
        .next()
        .expect("a journal")
        .expect("entry")
        .path();
    let before = std::fs::metadata(&journal).expect("journal").len();
    let out = rectify(db, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?} must be refused: {stderr}"
    );
    assert!(stderr.contains(why), "{args:?}: {stderr}");
    assert_eq!(
        std::fs::metadata(&journal).expect("journal").len(),
        before,
        "nothing written"
    );
}

/// A finding that is 整改中 today, by number.
fn in_progress(db: &Path) -> String {
    let out = ok(db, &["list", "findings", "--status", "整改中", "--json"]);
    let list: Value = serde_json::from_slice(&out.stdout).expect("json");
    list.as_array()
        .and_then(|a| a.first())
        .and_then(|f| f["number"].as_str())
        .expect("a 整改中 finding")
        .to_string()
}

fn status(db: &Path, number: &str) -> String {
    let out = ok(db, &["show", number, "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    v["status"].as_str().unwrap_or_default().to_string()
}

#[test]
fn a_record_dated_back_cannot_undercut_a_later_closure() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("ledger");
    ok(&db, &["demo"]);
    let n = in_progress(&db);
    ok(
        &db,
        &["determine", &n, "--verdict", "已整改", "--date", "-10"],
    );
    ok(&db, &["close", &n, "--date", "-5"]);
    assert_eq!(status(&db, &n), "已销号");
    // 未整改 dated between the determination and the closure would leave the closure baseless.
    refused(
        &db,
        &["determine", &n, "--verdict", "未整改", "--date", "-7"],
        "销号失去依据",
    );
    refused(
        &db,
        &["followup", &n, "--verdict", "虚假整改", "--date", "-7"],
        "销号失去依据",
    );
    // After the closure it is a finding of its own (a relapse), and allowed.
    ok(&db, &["followup", &n, "--verdict", "虚假整改"]);
    assert_eq!(status(&db, &n), "整改中");
}

#[test]
fn no_record_can_be_dated_after_today() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("ledger");
    ok(&db, &["demo"]);
    let n = in_progress(&db);
    refused(
        &db,
        &["claim", &n, "--status", "已整改", "--date", "+1"],
        "晚于今天",
    );
    ok(&db, &["determine", &n, "--verdict", "已整改"]);
    refused(&db, &["close", &n, "--date", "+30"], "晚于今天");
    ok(&db, &["close", &n]);
    assert_eq!(status(&db, &n), "已销号");
}
