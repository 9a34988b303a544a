//! `rectify sync` as a team uses it: two auditors through a hub directory, a conflict in the
//! 冲突 queue until someone settles it, the same over real ssh, and two OS users sharing one
//! group-owned hub at the same time.

mod common;

use common::cli_env::{BIN, Run, rectify_command};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn run(db: &Path, user: &str, args: &[&str]) -> Run {
    let out = rectify_command()
        .arg("--db")
        .arg(db)
        .args(["--user", user])
        .args(args)
        .output()
        .expect("cannot start the rectify binary");
    Run::from_output(format!("rectify {}", args.join(" ")), out)
}

fn findings(db: &Path) -> Value {
    run(
        db,
        "读者",
        &["list", "findings", "--json", "--as-of", "2026-11-28"],
    )
    .json()
}

struct Two {
    tmp: tempfile::TempDir,
    a: PathBuf,
    b: PathBuf,
    hub: String,
}

fn two() -> Two {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let hub = tmp.path().join("hub").to_string_lossy().into_owned();
    run(&a, "张审计", &["demo"]).ok();
    Two { tmp, a, b, hub }
}

#[test]
fn two_auditors_share_the_demo_ledger_through_a_hub_directory() {
    let t = two();
    let sent = run(&t.a, "张审计", &["sync", &t.hub]).ok().to_string();
    assert!(sent.contains("已与") && sent.contains("发出"), "{sent}");
    let got = run(&t.b, "李审计", &["sync", &t.hub, "--json"]).json();
    assert!(got["pulled"].as_u64().unwrap_or(0) > 400, "{got}");
    assert_eq!(got["pushed"], 0);
    assert_eq!(findings(&t.a), findings(&t.b));
    // Work on either side reaches the other.
    let number = findings(&t.b)[0]["number"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    run(
        &t.b,
        "李审计",
        &[
            "followup",
            &number,
            "--verdict",
            "已整改",
            "--note",
            "李审计复查",
        ],
    )
    .ok();
    run(&t.b, "李审计", &["sync", &t.hub]).ok();
    run(&t.a, "张审计", &["sync", &t.hub]).ok();
    let history = run(&t.a, "张审计", &["history", &number]).ok().to_string();
    assert!(
        history.contains("李审计复查") && history.contains("李审计"),
        "{history}"
    );
    // The hub checks out from its first line; `rectify check` is clean on both.
    let verified = run(&t.a, "张审计", &["sync", &t.hub, "--verify"])
        .ok()
        .to_string();
    assert!(verified.contains("通过了校验"), "{verified}");
    run(&t.a, "张审计", &["check"]).ok();
    run(&t.b, "李审计", &["check"]).ok();
    drop(t.tmp);
}

#[test]
fn a_concurrent_edit_waits_in_the_conflict_queue_until_settled() {
    let t = two();
    run(&t.a, "张审计", &["sync", &t.hub]).ok();
    run(&t.b, "李审计", &["sync", &t.hub]).ok();
    let referrals = run(&t.a, "张审计", &["referral", "list", "--json"]).json();
    let id = referrals
        .as_array()
        .and_then(|list| list.first())
        .and_then(|r| r["id"].as_str())
        .expect("the demo has a referral")
        .to_string();
    run(
        &t.a,
        "张审计",
        &["referral", "update", &id, "--feedback", "纪委已受理（张）"],
    )
    .ok();
    run(
        &t.b,
        "李审计",
        &[
            "referral",
            "update",
            &id,
            "--feedback",
            "纪委回复在办（李）",
        ],
    )
    .ok();
    run(&t.a, "张审计", &["sync", &t.hub]).ok();
    let after_b = run(&t.b, "李审计", &["sync", &t.hub]).ok().to_string();
    assert!(after_b.contains("冲突"), "{after_b}");
    run(&t.a, "张审计", &["sync", &t.hub]).ok();
    for (db, user) in [(&t.a, "张审计"), (&t.b, "李审计")] {
        let queue = run(db, user, &["conflicts", "--json"]).json();
        let list = queue["conflicts"].as_array().expect("conflicts");
        assert_eq!(list.len(), 1, "{queue}");
        assert_eq!(list[0]["field"], "feedback");
        let sides = list[0]["sides"].as_array().expect("sides");
        let authors: Vec<&str> = sides.iter().filter_map(|s| s["author"].as_str()).collect();
        assert!(
            authors.contains(&"张审计") && authors.contains(&"李审计"),
            "{queue}"
        );
        assert_eq!(sides.iter().filter(|s| s["shown"] == true).count(), 1);
        let text = run(db, user, &["conflicts"]).ok().to_string();
        assert!(
            text.contains("纪委已受理（张）") && text.contains("纪委回复在办（李）"),
            "{text}"
        );
    }
    // 李审计 settles it with both values in view; after a sync the queue is empty everywhere.
    run(
        &t.b,
        "李审计",
        &[
            "referral",
            "update",
            &id,
            "--feedback",
            "纪委已受理，正在办理",
        ],
    )
    .ok();
    run(&t.b, "李审计", &["sync", &t.hub]).ok();
    run(&t.a, "张审计", &["sync", &t.hub]).ok();
    for (db, user) in [(&t.a, "张审计"), (&t.b, "李审计")] {
        let queue = run(db, user, &["conflicts", "--json"]).json();
        assert_eq!(
            queue["conflicts"].as_array().map(Vec::len),
            Some(0),
            "{queue}"
        );
    }
}

#[test]
fn a_missing_hub_is_asked_for_and_a_foreign_directory_is_refused() {
    let t = two();
    let err = run(&t.a, "张审计", &["sync"]).fails().to_string();
    assert!(err.contains("请指定同步目录"), "{err}");
    let busy = t.tmp.path().join("home");
    std::fs::create_dir_all(&busy).expect("dir");
    std::fs::write(busy.join("notes.txt"), "x").expect("file");
    let err = run(&t.a, "张审计", &["sync", &busy.to_string_lossy()])
        .fails()
        .to_string();
    assert!(err.contains("不是 rectify 同步目录"), "{err}");
}

#[test]
fn sync_over_real_ssh_to_a_hub_on_another_host() {
    if std::env::var("RECTIFY_E2E_SSH").ok().as_deref() != Some("1") {
        eprintln!("skipped: set RECTIFY_E2E_SSH=1 (needs openssh-server) to run it");
        return;
    }
    let sshd = common::sshd::Sshd::start();
    let t = two();
    let url = format!("ssh://127.0.0.1{}", t.hub);
    let over_ssh = |db: &Path, user: &str, args: &[&str]| {
        let out = rectify_command()
            .env("RECTIFY_SSH", sshd.batch_command())
            .env("RECTIFY_REMOTE", BIN)
            .arg("--db")
            .arg(db)
            .args(["--user", user])
            .args(args)
            .output()
            .expect("rectify");
        Run::from_output(format!("rectify {}", args.join(" ")), out)
    };
    let sent = over_ssh(&t.a, "张审计", &["sync", &url, "--json"]).json();
    assert!(
        sent["pushed"].as_u64().unwrap_or(0) > 400,
        "{sent}\n{}",
        sshd.log()
    );
    let got = over_ssh(&t.b, "李审计", &["sync", &url, "--json"]).json();
    assert_eq!(got["pulled"], sent["pushed"]);
    assert_eq!(findings(&t.a), findings(&t.b));
    // The hub on the far side is an ordinary hub directory.
    assert!(Path::new(&t.hub).join("rectify-hub").exists());
}

/// Two OS users, one group-owned setgid hub, syncing at the same time.
#[test]
fn two_os_users_edit_and_sync_one_hub_at_the_same_time() {
    if unsafe { libc::geteuid() } != 0
        || std::env::var("RECTIFY_E2E_SSH").ok().as_deref() != Some("1")
    {
        eprintln!("skipped: needs root and RECTIFY_E2E_SSH=1 (CI) to create OS users");
        return;
    }
    let sh = |cmd: &str| {
        std::process::Command::new("sh")
            .args(["-c", cmd])
            .status()
            .expect("sh")
    };
    sh("getent group rectify-team >/dev/null || groupadd rectify-team");
    for user in ["rectify-a", "rectify-b"] {
        sh(&format!(
            "id {user} >/dev/null 2>&1 || useradd -M -N -g rectify-team {user}"
        ));
    }
    let tmp = tempfile::Builder::new()
        .prefix("rectify-team")
        .tempdir_in("/tmp")
        .expect("tmp");
    std::fs::set_permissions(
        tmp.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    let hub = tmp.path().join("hub");
    std::fs::create_dir(&hub).expect("hub");
    sh(&format!(
        "chgrp rectify-team {0} && chmod 2770 {0}",
        hub.display()
    ));
    let db = |u: &str| tmp.path().join(u);
    for u in ["rectify-a", "rectify-b"] {
        std::fs::create_dir(db(u)).expect("db dir");
        sh(&format!("chown {u} {}", db(u).display()));
    }
    let as_user = |u: &str, args: &[&str]| {
        let out = std::process::Command::new("runuser")
            .args(["-u", u, "--", BIN, "--db"])
            .arg(db(u))
            .args(args)
            .env_remove("RECTIFY_LANG")
            .env("RECTIFY_CONFIG", "/nonexistent/config.toml")
            .output()
            .expect("runuser");
        Run::from_output(format!("{u}: rectify {}", args.join(" ")), out)
    };
    let hub_text = hub.to_string_lossy().into_owned();
    as_user("rectify-a", &["demo"]).ok();
    as_user("rectify-a", &["sync", &hub_text]).ok();
    as_user("rectify-b", &["sync", &hub_text]).ok();
    let number = {
        let v = as_user("rectify-b", &["list", "findings", "--json"]).json();
        v[3]["number"].as_str().unwrap_or_default().to_string()
    };
    // Both work and sync at the same moment, five times over.
    for round in 0..5 {
        let note_a = format!("甲第{round}次检查");
        let note_b = format!("乙第{round}次检查");
        std::thread::scope(|s| {
            s.spawn(|| {
                as_user(
                    "rectify-a",
                    &[
                        "followup",
                        &number,
                        "--verdict",
                        "已整改",
                        "--note",
                        &note_a,
                    ],
                )
                .ok();
                as_user("rectify-a", &["sync", &hub_text]).ok();
            });
            s.spawn(|| {
                as_user(
                    "rectify-b",
                    &[
                        "followup",
                        &number,
                        "--verdict",
                        "已整改",
                        "--note",
                        &note_b,
                    ],
                )
                .ok();
                as_user("rectify-b", &["sync", &hub_text]).ok();
            });
        });
    }
    as_user("rectify-a", &["sync", &hub_text]).ok();
    as_user("rectify-b", &["sync", &hub_text]).ok();
    as_user("rectify-a", &["sync", &hub_text]).ok();
    let show = |u: &str| as_user(u, &["show", &number, "--json"]).json()["checks"].clone();
    let (a, b) = (show("rectify-a"), show("rectify-b"));
    assert_eq!(a, b, "both hold the same checks");
    assert!(a.as_array().map(Vec::len).unwrap_or(0) >= 10, "{a}");
    // Each log on the hub belongs to the user who wrote it, and verifies.
    let owners: Vec<String> = std::fs::read_dir(hub.join("logs"))
        .expect("logs")
        .map(|e| {
            let meta = e.expect("entry").metadata().expect("meta");
            rectify::sync::owner::account_name(std::os::unix::fs::MetadataExt::uid(&meta))
        })
        .collect();
    assert!(
        owners.contains(&"rectify-a".to_string()) && owners.contains(&"rectify-b".to_string()),
        "{owners:?}"
    );
    as_user("rectify-b", &["sync", &hub_text, "--verify"]).ok();
}
