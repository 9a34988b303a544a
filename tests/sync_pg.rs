//! `rectify sync postgres://…` against a real PostgreSQL server: two auditors, each an OS account
//! and a role of the same name with SELECT and INSERT (replica, seq, line) only, sync through the
//! table and converge; the grants make the table append-only; a line a superuser altered is
//! caught by its checksum and nothing is taken; a replica's rows under two accounts are refused.
//!
//! Runs only with `RECTIFY_TEST_PG` (a superuser's URL; tests/run.sh starts a private server
//! reached by a unix socket with peer authentication and sets it) and as root (it creates the OS
//! accounts and runs rectify as them). Otherwise it prints "skipped" and passes.

mod common;

use common::cli_env::{BIN, Run};
use postgres::error::SqlState;
use postgres::{Client, NoTls};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const A: &str = "rectify_pg_a";
const B: &str = "rectify_pg_b";

/// The server named by RECTIFY_TEST_PG, with a database of the test's own.
struct Pg {
    /// `host[:port]` as written in the URL (a socket directory percent-encoded).
    authority: String,
    db: String,
    tmp: tempfile::TempDir,
}

fn authority_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    Some(
        authority
            .rsplit_once('@')
            .map_or(authority, |(_, h)| h)
            .to_string(),
    )
}

fn sh(cmd: &str) {
    let status = std::process::Command::new("sh")
        .args(["-c", cmd])
        .status()
        .expect("sh");
    assert!(status.success(), "`{cmd}` failed");
}

/// OS accounts and roles for the two auditors, made once per run (idempotent).
fn auditors(admin: &mut Client) {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        for who in [A, B] {
            sh(&format!("id {who} >/dev/null 2>&1 || useradd -M -N {who}"));
            admin
                .batch_execute(&format!(
                    "DO $$ BEGIN
                       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{who}') THEN
                         CREATE ROLE {who} LOGIN;
                       END IF;
                     END $$"
                ))
                .expect("create role");
        }
    });
}

impl Pg {
    /// A fresh database `name`; with `table`, the table made by rectify as the superuser and
    /// granted to the auditors as README says. None when the environment cannot run this.
    fn fresh(name: &str, table: bool) -> Option<Pg> {
        let Ok(url) = std::env::var("RECTIFY_TEST_PG") else {
            eprintln!("skipped: set RECTIFY_TEST_PG (tests/run.sh starts a server) to run it");
            return None;
        };
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: needs root to create the auditors' OS accounts");
            return None;
        }
        let authority = authority_of(&url).expect("RECTIFY_TEST_PG is a postgres:// URL");
        let mut admin = Client::connect(&url, NoTls).expect("connect as the superuser");
        auditors(&mut admin);
        for sql in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name}"),
        ] {
            admin.batch_execute(&sql).expect("create database");
        }
        let tmp = tempfile::Builder::new()
            .prefix("rectify-pg-test")
            .tempdir_in("/tmp")
            .expect("tmp");
        std::fs::set_permissions(
            tmp.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .expect("chmod");
        for who in [A, B] {
            let dir = tmp.path().join(who);
            std::fs::create_dir(&dir).expect("db dir");
            sh(&format!("chown {who} {}", dir.display()));
        }
        let pg = Pg {
            authority,
            db: name.to_string(),
            tmp,
        };
        if table {
            // As the superuser: rectify creates the missing table; then the grants.
            rectify::sync::pg_hub::PgHub::connect(&pg.url("postgres")).expect("create the table");
            pg.admin()
                .batch_execute(&format!(
                    "GRANT SELECT, INSERT (replica, seq, line) ON rectify_ops TO {A}, {B}"
                ))
                .expect("grant");
        }
        Some(pg)
    }

    fn url(&self, role: &str) -> String {
        format!("postgresql://{role}@{}/{}", self.authority, self.db)
    }

    fn admin(&self) -> Client {
        Client::connect(&self.url("postgres"), NoTls).expect("connect as the superuser")
    }

    fn store(&self, who: &str) -> PathBuf {
        self.tmp.path().join(who)
    }

    /// rectify run as the OS account `who`, with its own ledger.
    fn run(&self, who: &str, args: &[&str]) -> Run {
        let out = std::process::Command::new("runuser")
            .args(["-u", who, "--", BIN, "--db"])
            .arg(self.store(who))
            .args(args)
            .env_remove("RECTIFY_LANG")
            .env_remove("RECTIFY_DB")
            .env("RECTIFY_CONFIG", "/nonexistent/rectify-tests/config.toml")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("runuser");
        Run::from_output(format!("{who}: rectify {}", args.join(" ")), out)
    }

    fn sync(&self, who: &str) -> Run {
        self.run(who, &["sync", &self.url(who), "--json"])
    }

    fn findings(&self, who: &str) -> Value {
        self.run(
            who,
            &["list", "findings", "--json", "--as-of", "2026-11-28"],
        )
        .json()
    }
}

fn journal_bytes(store: &Path) -> u64 {
    std::fs::read_dir(store.join("journal"))
        .map(|dir| {
            dir.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

#[test]
fn two_auditors_converge_through_the_table() {
    let Some(pg) = Pg::fresh("rectify_t_converge", true) else {
        return;
    };
    pg.run(A, &["demo"]).ok();
    let sent = pg.sync(A).json();
    let pushed = sent["pushed"].as_u64().unwrap_or(0);
    assert!(pushed > 400, "{sent}");
    let got = pg.sync(B).json();
    assert_eq!(got["pulled"].as_u64(), Some(pushed), "{got}");
    assert_eq!(got["pushed"], 0);
    assert_eq!(pg.findings(A), pg.findings(B));
    // Work on B's side reaches A.
    let number = pg.findings(B)[0]["number"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    pg.run(
        B,
        &[
            "followup",
            &number,
            "--verdict",
            "已整改",
            "--note",
            "乙经数据库复查",
        ],
    )
    .ok();
    assert!(pg.sync(B).json()["pushed"].as_u64().unwrap_or(0) > 0);
    assert!(pg.sync(A).json()["pulled"].as_u64().unwrap_or(0) > 0);
    let history = pg.run(A, &["history", &number]).ok().to_string();
    assert!(history.contains("乙经数据库复查"), "{history}");
    assert_eq!(pg.findings(A), pg.findings(B));
    // Nothing more to exchange; the whole table verifies; each replica has one account, the
    // role that inserted it, filled in by PostgreSQL.
    let again = pg.sync(A).json();
    assert_eq!(
        (again["pushed"].as_u64(), again["pulled"].as_u64()),
        (Some(0), Some(0))
    );
    let verified = pg
        .run(A, &["sync", &pg.url(A), "--verify"])
        .ok()
        .to_string();
    assert!(verified.contains("通过了校验"), "{verified}");
    let owners: Vec<(String, i64)> = pg
        .admin()
        .query(
            "SELECT account::text, count(DISTINCT replica) FROM rectify_ops GROUP BY 1 ORDER BY 1",
            &[],
        )
        .expect("query")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(owners, vec![(A.to_string(), 1), (B.to_string(), 1)]);
    pg.run(A, &["check"]).ok();
    pg.run(B, &["check"]).ok();
}

/// What a role granted SELECT and INSERT (replica, seq, line) may do, tried as that role.
#[test]
fn the_grants_make_the_table_append_only() {
    let Some(pg) = Pg::fresh("rectify_t_grants", true) else {
        return;
    };
    pg.run(A, &["demo"]).ok();
    pg.sync(A).ok();
    let mut admin = pg.admin();
    let count = |c: &mut Client| -> i64 {
        c.query_one("SELECT count(*) FROM rectify_ops", &[])
            .expect("count")
            .get(0)
    };
    let before = count(&mut admin);
    let as_b = |c: &mut Client, sql: &str| -> Result<u64, postgres::Error> {
        let mut tx = c.transaction().expect("tx");
        tx.batch_execute(&format!("SET LOCAL ROLE {B}"))
            .expect("set role");
        let done = tx.execute(sql, &[]);
        tx.rollback().expect("rollback");
        done
    };
    for sql in [
        "UPDATE rectify_ops SET line = 'x'",
        "DELETE FROM rectify_ops",
        "TRUNCATE rectify_ops",
        // The account column is PostgreSQL's to fill: an auditor cannot name another.
        "INSERT INTO rectify_ops (replica, seq, line, account)
         VALUES ('01a00000-0000-7000-8000-000000000001', 1, 'x', 'rectify_pg_a')",
        "INSERT INTO rectify_ops (replica, seq, line, at)
         VALUES ('01a00000-0000-7000-8000-000000000001', 1, 'x', now())",
    ] {
        let err = as_b(&mut admin, sql).expect_err(sql);
        assert_eq!(
            err.code(),
            Some(&SqlState::INSUFFICIENT_PRIVILEGE),
            "{sql}: {err}"
        );
    }
    // What it may do: add rows, which carry its own role whatever they claim.
    let mut tx = admin.transaction().expect("tx");
    tx.batch_execute(&format!("SET LOCAL ROLE {B}"))
        .expect("set role");
    tx.execute(
        "INSERT INTO rectify_ops (replica, seq, line)
         VALUES ('01a00000-0000-7000-8000-000000000001', 1, 'x')",
        &[],
    )
    .expect("insert");
    let account: String = tx
        .query_one(
            "SELECT account::text FROM rectify_ops WHERE line = 'x'",
            &[],
        )
        .expect("select")
        .get(0);
    assert_eq!(account, B);
    tx.rollback().expect("rollback");
    assert_eq!(count(&mut admin), before, "nothing changed");
    pg.run(A, &["sync", &pg.url(A), "--verify"]).ok();
}

#[test]
fn a_line_altered_by_a_superuser_is_caught_and_nothing_is_taken() {
    let Some(pg) = Pg::fresh("rectify_t_altered", true) else {
        return;
    };
    pg.run(A, &["demo"]).ok();
    pg.sync(A).ok();
    // The superuser rewrites one finding's title, keeping the line's stated checksum.
    let changed = pg
        .admin()
        .execute(
            "UPDATE rectify_ops SET line = replace(line, '\"title\":\"', '\"title\":\"（改）')
             WHERE seq = (SELECT min(seq) FROM rectify_ops WHERE line LIKE '%\"title\":\"%')",
            &[],
        )
        .expect("update");
    assert_eq!(changed, 1);
    let err = pg.sync(B).fails().to_string();
    assert!(
        err.contains("校验和不符") && err.contains("未从中导入任何内容"),
        "{err}"
    );
    assert_eq!(pg.findings(B), Value::Array(Vec::new()), "B took nothing");
    assert_eq!(
        journal_bytes(&pg.store(B)),
        0,
        "no line of A's was copied to B"
    );
    let verify = pg.run(B, &["sync", &pg.url(B), "--verify"]);
    assert_eq!(verify.code, Some(1), "{}", verify.context());
    assert!(verify.stdout.contains("校验和不符"), "{}", verify.context());
}

#[test]
fn rows_of_one_replica_under_two_accounts_are_refused() {
    let Some(pg) = Pg::fresh("rectify_t_two_accounts", true) else {
        return;
    };
    pg.run(A, &["demo"]).ok();
    pg.sync(A).ok();
    pg.sync(B).ok();
    let before = pg.findings(B);
    // B's role appends a row to A's replica: allowed by the grants, refused by sync.
    let mut admin = pg.admin();
    let mut tx = admin.transaction().expect("tx");
    tx.batch_execute(&format!("SET LOCAL ROLE {B}"))
        .expect("set role");
    tx.execute(
        "INSERT INTO rectify_ops (replica, seq, line)
         SELECT replica, max(seq) + 1, max(line) FROM rectify_ops
         WHERE account = 'rectify_pg_a' GROUP BY replica",
        &[],
    )
    .expect("insert as B");
    tx.commit().expect("commit");
    for who in [B, A] {
        let err = pg.sync(who).fails().to_string();
        assert!(
            err.contains("由多个账户写入") && err.contains("rectify_pg_a, rectify_pg_b"),
            "{who}: {err}"
        );
    }
    assert_eq!(pg.findings(B), before, "B took nothing");
}

#[test]
fn a_role_that_may_not_create_the_table_is_told_what_to_do() {
    let Some(pg) = Pg::fresh("rectify_t_no_table", false) else {
        return;
    };
    let err = pg.sync(A).fails().to_string();
    assert!(
        err.contains("rectify_ops") && err.contains("管理员"),
        "{err}"
    );
}
