//! The full backup (`rectify export --format json`) and `rectify restore`: what a bureau relies
//! on when a laptop dies. The restored ledger lists, shows and tells its history exactly as the
//! original did and passes `rectify check`; a ledger with data is never overwritten; a backup
//! altered in any line is refused before anything is written.

mod common;
#[path = "common/exchange_env.rs"]
mod exchange_env;

use exchange_env::{Demo, journals_of};
use serde_json::Value;
use std::path::Path;

/// The demo with some later work on it, so the journal holds edits and not only creations.
fn worked_demo() -> Demo {
    let demo = Demo::new();
    let open = demo
        .findings()
        .into_iter()
        .find(|f| f["status"] == "整改中")
        .expect("an open finding");
    let number = open["number"].as_str().expect("number").to_string();
    demo.run(&[
        "claim",
        &number,
        "--status",
        "已整改",
        "--note",
        "已全部退回",
    ])
    .ok();
    demo
}

fn backup(demo: &Demo) -> std::path::PathBuf {
    demo.export("备份.json", &[])
}

fn restore_into(demo: &Demo, db: &Path, file: &Path) -> common::cli_env::Run {
    demo.run_on(db, &["restore", file.to_str().expect("utf-8")])
}

#[test]
fn a_restored_ledger_is_the_same_ledger() {
    let demo = worked_demo();
    let file = backup(&demo);
    let json: Value = serde_json::from_slice(&std::fs::read(&file).expect("backup")).expect("JSON");
    assert_eq!(json["format"], "rectify-backup");
    assert_eq!(json["version"], 1);
    assert!(json["records"].as_array().is_some_and(|r| !r.is_empty()));

    let fresh = demo.path("新台账");
    let done = restore_into(&demo, &fresh, &file).ok().to_string();
    assert!(done.contains("已恢复"), "{done}");
    let check = demo.run_on(&fresh, &["check"]);
    assert!(check.ok().contains("检查通过"), "{}", check.stdout);

    for what in ["findings", "projects", "units", "checks"] {
        let a = demo.run(&["list", what, "--json"]).json();
        let b = demo.run_on(&fresh, &["list", what, "--json"]).json();
        assert_eq!(a, b, "list {what}");
    }
    let numbers: Vec<String> = demo
        .findings()
        .iter()
        .step_by(9)
        .filter_map(|f| f["number"].as_str().map(str::to_string))
        .collect();
    for n in &numbers {
        for cmd in [
            vec!["show", n.as_str(), "--json"],
            vec!["history", n.as_str()],
        ] {
            let a = demo.run(&cmd).ok().to_string();
            let b = demo.run_on(&fresh, &cmd).ok().to_string();
            assert_eq!(a, b, "{cmd:?}");
        }
    }
    // The journals came over byte for byte, so their hash chains are the original's.
    let original = journals_of(&demo.db);
    let restored = journals_of(&fresh);
    for (name, bytes) in &original {
        let copy = restored
            .iter()
            .find(|(n, _)| n == name)
            .expect("the journal");
        assert_eq!(&copy.1, bytes, "{name}");
    }
    // The restored ledger works on as any other.
    let n = &numbers[0];
    demo.run_on(
        &fresh,
        &["followup", n, "--verdict", "已整改", "--method", "实地查看"],
    )
    .ok();
    assert!(demo.run_on(&fresh, &["check"]).ok().contains("检查通过"));
}

#[test]
fn restore_writes_into_a_new_or_empty_place_only() {
    let demo = Demo::new();
    let file = backup(&demo);
    let before = demo.journals();
    let refused = restore_into(&demo, &demo.db, &file);
    assert!(
        refused.fails().contains("已有台账数据"),
        "{}",
        refused.stderr
    );
    assert_eq!(demo.journals(), before, "the ledger is untouched");

    let empty_dir = demo.path("空目录");
    std::fs::create_dir(&empty_dir).expect("dir");
    restore_into(&demo, &empty_dir, &file).ok();
    assert!(
        demo.run_on(&empty_dir, &["check"])
            .ok()
            .contains("检查通过")
    );

    // A ledger opened once but never written to counts as empty.
    let opened = demo.path("空台账");
    demo.run_on(&opened, &["list", "findings"]).ok();
    restore_into(&demo, &opened, &file).ok();
    assert!(demo.run_on(&opened, &["check"]).ok().contains("检查通过"));
    assert_eq!(
        demo.run_on(&opened, &["list", "findings", "--json"]).json(),
        demo.run(&["list", "findings", "--json"]).json()
    );

    let other = demo.path("别的文件夹");
    std::fs::create_dir(&other).expect("dir");
    std::fs::write(other.join("照片.jpg"), b"not a ledger").expect("file");
    let refused = restore_into(&demo, &other, &file);
    assert!(refused.fails().contains("其他文件"), "{}", refused.stderr);
}

#[test]
fn an_altered_backup_is_refused_before_anything_is_written() {
    let demo = Demo::new();
    let file = backup(&demo);
    let text = std::fs::read_to_string(&file).expect("backup");
    // Change one deadline inside one journal line (the readable copy left alone).
    let at = text
        .find("\\\"deadline\\\":")
        .expect("a deadline in a journal line");
    let digit = at
        + text[at..]
            .find(|c: char| c.is_ascii_digit())
            .expect("a digit");
    let mut altered = text.clone();
    let old = &text[digit..digit + 1];
    let new = if old == "9" { "8" } else { "9" };
    altered.replace_range(digit..digit + 1, new);
    let bad = demo.path("改过.json");
    std::fs::write(&bad, altered).expect("write");

    let target = demo.path("恢复");
    let run = restore_into(&demo, &target, &bad);
    let stderr = run.fails().to_string();
    assert!(stderr.contains("校验"), "{stderr}");
    assert!(stderr.contains("未写入"), "{stderr}");
    assert!(!target.exists(), "nothing written");
    let leftovers: Vec<_> = std::fs::read_dir(demo.path(""))
        .expect("temp dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("restoring"))
        .collect();
    assert!(leftovers.is_empty(), "no staging left behind");

    // Dropping a line breaks the chain just as surely.
    let mut json: Value = serde_json::from_str(&text).expect("JSON");
    if let Some(lines) = json["journals"][0]["lines"].as_array_mut() {
        lines.remove(3);
    }
    std::fs::write(&bad, serde_json::to_vec(&json).expect("json")).expect("write");
    assert!(restore_into(&demo, &target, &bad).fails().contains("校验"));
    assert!(!target.exists());
}

#[test]
fn files_that_are_not_backups_are_refused_in_either_language() {
    let demo = Demo::new();
    let csv = demo.export("台账.csv", &[]);
    let target = demo.path("恢复");
    let run = restore_into(&demo, &target, &csv);
    assert!(
        run.fails().contains("不是 rectify 备份文件"),
        "{}",
        run.stderr
    );
    let run = demo.run_on(
        &target,
        &["--lang", "en", "restore", csv.to_str().expect("utf-8")],
    );
    assert!(
        run.fails().contains("is not a rectify backup"),
        "{}",
        run.stderr
    );
    let missing = demo.path("没有这个文件.json");
    assert!(
        restore_into(&demo, &target, &missing)
            .fails()
            .contains("读取")
    );
    assert!(!target.exists());
}
