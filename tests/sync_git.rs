//! `rectify sync git:PATH`: the hub as a git repository on a server, each auditor syncing with a
//! clone and pushing it (README). Per-replica logs never conflict in git; in a clone every file
//! belongs to whoever cloned it, so a log's owner is the account its first op names.

mod common;

use common::cli_env::{BIN, Run, rectify_command};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn have_git() -> bool {
    let ok = Command::new("git").arg("--version").output().is_ok();
    if !ok {
        eprintln!("skipped: no git");
    }
    ok
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "审计")
        .env("GIT_AUTHOR_EMAIL", "audit@example.invalid")
        .env("GIT_COMMITTER_NAME", "审计")
        .env("GIT_COMMITTER_EMAIL", "audit@example.invalid")
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

fn run(db: &Path, args: &[&str]) -> Run {
    let out = rectify_command()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("rectify");
    Run::from_output(format!("rectify {}", args.join(" ")), out)
}

fn findings(db: &Path) -> Value {
    run(db, &["list", "findings", "--json", "--as-of", "2026-11-28"]).json()
}

/// After syncing with a clone: commit this auditor's log and push it.
fn publish(clone: &Path) {
    git(clone, &["add", "-A"]);
    git(
        clone,
        &["commit", "-q", "--allow-empty", "-m", "rectify sync"],
    );
    git(clone, &["push", "-q", "origin", "HEAD:main"]);
}

#[test]
fn two_clones_of_a_hub_repository_exchange_work() {
    if !have_git() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let p = |name: &str| tmp.path().join(name);
    let server = p("hub.git");
    git(
        tmp.path(),
        &["init", "-q", "--bare", "-b", "main", "hub.git"],
    );
    git(
        tmp.path(),
        &["clone", "-q", &server.to_string_lossy(), "clone-a"],
    );
    let hub_a = format!("git:{}", p("clone-a").display());
    run(&p("a"), &["--user", "张审计", "demo"]).ok();
    let sent = run(&p("a"), &["sync", &hub_a, "--json"]).json();
    assert!(sent["pushed"].as_u64().unwrap_or(0) > 400, "{sent}");
    publish(&p("clone-a"));

    git(
        tmp.path(),
        &["clone", "-q", &server.to_string_lossy(), "clone-b"],
    );
    let hub_b = format!("git:{}", p("clone-b").display());
    let got = run(&p("b"), &["sync", &hub_b, "--json"]).json();
    assert_eq!(got["pulled"], sent["pushed"], "{got}");
    assert_eq!(findings(&p("a")), findings(&p("b")));
    let number = findings(&p("b"))[0]["number"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    run(
        &p("b"),
        &[
            "--user",
            "李审计",
            "followup",
            &number,
            "--verdict",
            "已整改",
            "--note",
            "经 git 同步",
        ],
    )
    .ok();
    run(&p("b"), &["sync", &hub_b]).ok();
    publish(&p("clone-b"));

    // A pulls (a rebase that never conflicts: B touched only its own log) and syncs.
    git(&p("clone-a"), &["pull", "-q", "--rebase", "origin", "main"]);
    let back = run(&p("a"), &["sync", &hub_a, "--json"]).json();
    assert!(back["pulled"].as_u64().unwrap_or(0) > 0, "{back}");
    assert_eq!(findings(&p("a")), findings(&p("b")));
    run(&p("a"), &["sync", &hub_a, "--verify"]).ok();
    // Not a clone: refused with what to do.
    std::fs::create_dir(p("plain")).expect("dir");
    let err = run(&p("a"), &["sync", &format!("git:{}", p("plain").display())])
        .fails()
        .to_string();
    assert!(err.contains("git clone"), "{err}");
}

/// In a clone owned by another OS account, the plain directory check refuses the others' logs
/// (their files are that account's); `git:` holds each log to the account its ops name.
#[test]
fn a_clone_is_checked_against_the_accounts_its_logs_name() {
    if !have_git() {
        return;
    }
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root to run rectify as another OS account");
        return;
    }
    let who = "rectify_git_b";
    let sh = |cmd: &str| {
        let ok = Command::new("sh")
            .args(["-c", cmd])
            .status()
            .expect("sh")
            .success();
        assert!(ok, "{cmd}");
    };
    sh(&format!("id {who} >/dev/null 2>&1 || useradd -M -N {who}"));
    let tmp = tempfile::Builder::new()
        .prefix("rectify-git")
        .tempdir_in("/tmp")
        .expect("tmp");
    std::fs::set_permissions(
        tmp.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    let p = |name: &str| tmp.path().join(name);
    git(
        tmp.path(),
        &["init", "-q", "--bare", "-b", "main", "hub.git"],
    );
    git(tmp.path(), &["clone", "-q", "hub.git", "clone-a"]);
    run(&p("a"), &["demo"]).ok();
    run(
        &p("a"),
        &["sync", &format!("git:{}", p("clone-a").display())],
    )
    .ok();
    publish(&p("clone-a"));
    git(tmp.path(), &["clone", "-q", "hub.git", "clone-b"]);
    std::fs::create_dir(p("b")).expect("b");
    sh(&format!(
        "chown -R {who} {} {}",
        p("clone-b").display(),
        p("b").display()
    ));
    let as_b = |hub: String| {
        let out = Command::new("runuser")
            .args(["-u", who, "--", BIN, "--db"])
            .arg(p("b"))
            .args(["sync", &hub])
            .env_remove("RECTIFY_LANG")
            .env("RECTIFY_CONFIG", "/nonexistent/rectify-tests/config.toml")
            .output()
            .expect("runuser");
        Run::from_output(format!("{who}: rectify sync {hub}"), out)
    };
    let plain = as_b(p("clone-b").display().to_string());
    assert!(plain.fails().contains(who), "{}", plain.context());
    as_b(format!("git:{}", p("clone-b").display())).ok();
}
