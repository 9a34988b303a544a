//! The `rectify` binary as a user meets it: what each command prints, and its exit code.
//!
//! Every invocation gets its own private store (`--db <tempdir>/ledger`) and runs with
//! `RECTIFY_LANG` / `RECTIFY_DB` removed from the environment, so the default language is the
//! program's own (Chinese) and nothing leaks in from the machine running the tests.

use serde_json::Value;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tempfile::TempDir;

mod common;

use common::cli_env::{Run, rectify_command};

/// Every status label the ledger can derive (domain vocabulary, in Chinese).
const STATUSES: [&str; 8] = [
    "未启动",
    "整改中",
    "已报送待认定",
    "部分整改",
    "持续整改",
    "未整改",
    "已整改",
    "已销号",
];

fn base_command() -> Command {
    rectify_command()
}

/// Run the binary with exactly these arguments (no `--db` added).
fn run_raw(args: &[&str]) -> Run {
    let out = base_command()
        .args(args)
        .output()
        .expect("cannot start the rectify binary");
    Run::from_output(format!("rectify {}", args.join(" ")), out)
}

/// A private, initially empty store in a temp dir.
struct Ledger {
    _tmp: TempDir,
    db: PathBuf,
}

impl Ledger {
    fn empty() -> Ledger {
        let tmp = tempfile::tempdir().expect("temp dir");
        let db = tmp.path().join("ledger");
        Ledger { _tmp: tmp, db }
    }

    /// A store with the demo ledger loaded.
    fn demo() -> Ledger {
        let l = Ledger::empty();
        l.run(&["demo"]).ok();
        l
    }

    fn db_arg(&self) -> &str {
        self.db.to_str().expect("temp path is UTF-8")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = base_command();
        cmd.arg("--db").arg(&self.db).args(args);
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = self
            .command(args)
            .output()
            .expect("cannot start the rectify binary");
        Run::from_output(
            format!("rectify --db {} {}", self.db_arg(), args.join(" ")),
            out,
        )
    }

    fn findings(&self, extra: &[&str]) -> Vec<Value> {
        let mut args = vec!["list", "findings", "--json"];
        args.extend_from_slice(extra);
        match self.run(&args).json() {
            Value::Array(items) => items,
            other => panic!("list findings --json is not an array: {other}"),
        }
    }

    fn finding_ids(&self) -> BTreeSet<String> {
        self.findings(&[])
            .iter()
            .map(|f| str_field(f, "id").to_string())
            .collect()
    }

    fn journal_file(&self) -> PathBuf {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.db.join("journal"))
            .expect("the store has a journal dir")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("jsonl"))
            .collect();
        assert_eq!(files.len(), 1, "one replica, one journal: {files:?}");
        files.remove(0)
    }
}

fn str_field<'a>(item: &'a Value, key: &str) -> &'a str {
    item.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("field `{key}` is missing or not a string in {item}"))
}

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn array(v: Value, what: &str) -> Vec<Value> {
    match v {
        Value::Array(items) => items,
        other => panic!("{what} is not a JSON array: {other}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Basics

#[test]
fn version_prints_name_and_version() {
    let run = run_raw(&["--version"]);
    assert_eq!(run.ok().trim(), "rectify 0.1.0", "{}", run.context());
}

#[test]
fn completions_bash_is_a_script_for_rectify() {
    let l = Ledger::empty();
    let run = l.run(&["completions", "bash"]);
    let script = run.ok();
    assert!(script.contains("rectify"), "{}", run.context());
    assert!(
        script.contains("complete "),
        "a bash completion script registers itself with `complete`:\n{}",
        run.context()
    );
}

#[test]
fn man_prints_a_roff_page() {
    let l = Ledger::empty();
    let run = l.run(&["man"]);
    let page = run.ok();
    assert!(page.contains(".TH"), "{}", run.context());
    assert!(page.contains("rectify"), "{}", run.context());
}

// ---------------------------------------------------------------------------------------------
// demo

#[test]
fn demo_loads_once_then_refuses_in_chinese() {
    let l = Ledger::empty();
    let first = l.run(&["demo"]);
    first.ok();
    let again = l.run(&["demo"]);
    let err = again.fails();
    assert!(err.contains("--force"), "{}", again.context());
    assert!(
        has_cjk(err),
        "the refusal is in Chinese by default:\n{}",
        again.context()
    );
    // Refusing must not have written anything: the ledger is as the first demo left it.
    let ids = l.finding_ids();
    assert!(!ids.is_empty(), "the demo wrote findings");
}

#[test]
fn demo_refusal_is_english_with_lang_en() {
    let l = Ledger::demo();
    let run = l.run(&["--lang", "en", "demo"]);
    let err = run.fails();
    assert!(err.contains("--force"), "{}", run.context());
    assert!(
        !has_cjk(err),
        "with --lang en the refusal has no Chinese:\n{}",
        run.context()
    );
    assert!(
        err.contains("not empty"),
        "the refusal says why:\n{}",
        run.context()
    );
}

#[test]
fn demo_findings_json_has_the_contract_fields_and_varied_statuses() {
    let l = Ledger::demo();
    let items = l.findings(&[]);
    assert!(
        items.len() >= 60,
        "the demo ledger has at least 60 findings, got {}",
        items.len()
    );
    let mut statuses = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for item in &items {
        for key in ["id", "number", "title", "status"] {
            assert!(
                !str_field(item, key).is_empty(),
                "`{key}` is empty in {item}"
            );
        }
        let status = str_field(item, "status");
        assert!(
            STATUSES.contains(&status),
            "unknown status {status:?} in {item}"
        );
        statuses.insert(status.to_string());
        ids.insert(str_field(item, "id").to_string());
    }
    assert_eq!(ids.len(), items.len(), "finding ids are unique");
    assert!(
        statuses.len() >= 5,
        "the demo shows at least 5 different statuses, got {statuses:?}"
    );
}

#[test]
fn demo_projects_units_and_checks_json_have_the_contract_fields() {
    let l = Ledger::demo();
    for kind in ["projects", "units", "checks"] {
        let items = array(l.run(&["list", kind, "--json"]).json(), kind);
        assert!(!items.is_empty(), "the demo ledger has {kind}");
        for item in &items {
            assert!(
                !str_field(item, "id").is_empty(),
                "{kind}: empty id in {item}"
            );
            let number = item
                .get("number")
                .unwrap_or_else(|| panic!("{kind}: no `number` in {item}"));
            if kind == "units" {
                assert!(
                    number.is_null() || number.is_string(),
                    "{kind}: `number` is null or a string in {item}"
                );
            } else {
                assert!(
                    number.as_str().is_some_and(|n| !n.is_empty()),
                    "{kind}: `number` is a non-empty string in {item}"
                );
            }
            let title = item
                .get("title")
                .or_else(|| item.get("name"))
                .and_then(Value::as_str);
            assert!(
                title.is_some_and(|t| !t.is_empty()),
                "{kind}: `title` or `name` is a non-empty string in {item}"
            );
            assert!(
                !str_field(item, "status").is_empty(),
                "{kind}: empty status in {item}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// show

#[test]
fn show_finding_json_and_text() {
    let l = Ledger::demo();
    let items = l.findings(&[]);
    assert!(!items.is_empty(), "the demo ledger has findings to show");
    let pick = &items[items.len() / 2];
    let (id, number, title) = (
        str_field(pick, "id"),
        str_field(pick, "number"),
        str_field(pick, "title"),
    );

    let detail = l.run(&["show", number, "--json"]).json();
    assert_eq!(
        str_field(&detail, "id"),
        id,
        "show {number} shows that finding"
    );
    let history = detail
        .get("history")
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("show --json has a `history` array: {detail}"));
    assert!(!history.is_empty(), "a finding has at least its creation");
    assert_eq!(
        history[0].pointer("/change/type").and_then(Value::as_str),
        Some("create"),
        "the history starts with the creation: {}",
        history[0]
    );

    let run = l.run(&["show", number]);
    let text = run.ok();
    assert!(
        text.contains(title),
        "show prints the title:\n{}",
        run.context()
    );
    assert!(
        text.contains(number),
        "show prints the number:\n{}",
        run.context()
    );
}

#[test]
fn show_unknown_fails_with_a_chinese_message() {
    let l = Ledger::demo();
    let run = l.run(&["show", "NOPE"]);
    let err = run.fails();
    assert!(has_cjk(err), "{}", run.context());
    assert!(
        err.contains("NOPE"),
        "the message names what was not found:\n{}",
        run.context()
    );
    assert!(
        run.stdout.is_empty(),
        "nothing on stdout:\n{}",
        run.context()
    );
}

#[test]
fn show_empty_target_fails_cleanly() {
    let l = Ledger::demo();
    l.run(&["show", ""]).fails();
}

// ---------------------------------------------------------------------------------------------
// list filters

#[test]
fn list_status_filter_returns_exactly_that_status() {
    let l = Ledger::demo();
    let all = l.findings(&[]);
    let want: BTreeSet<&str> = all
        .iter()
        .filter(|f| str_field(f, "status") == "未整改")
        .map(|f| str_field(f, "id"))
        .collect();
    let filtered = l.findings(&["--status", "未整改"]);
    for f in &filtered {
        assert_eq!(str_field(f, "status"), "未整改", "{f}");
    }
    let got: BTreeSet<&str> = filtered.iter().map(|f| str_field(f, "id")).collect();
    assert_eq!(
        got, want,
        "--status 未整改 returns every 未整改 finding and nothing else"
    );
    assert!(!got.is_empty(), "the demo has 未整改 findings to filter");
}

#[test]
fn list_overdue_filter_returns_exactly_the_overdue() {
    let l = Ledger::demo();
    let all = l.findings(&[]);
    let want: BTreeSet<&str> = all
        .iter()
        .filter(|f| f.get("overdue") == Some(&Value::Bool(true)))
        .map(|f| str_field(f, "id"))
        .collect();
    let filtered = l.findings(&["--overdue"]);
    for f in &filtered {
        assert_eq!(f.get("overdue"), Some(&Value::Bool(true)), "{f}");
    }
    let got: BTreeSet<&str> = filtered.iter().map(|f| str_field(f, "id")).collect();
    assert_eq!(
        got, want,
        "--overdue returns every overdue finding and nothing else"
    );
    assert!(!got.is_empty(), "the demo has overdue findings");
    assert!(got.len() < all.len(), "not every demo finding is overdue");
}

#[test]
fn list_unknown_status_lists_the_valid_ones() {
    let l = Ledger::demo();
    let run = l.run(&["list", "findings", "--status", "胡说"]);
    let err = run.fails();
    assert!(err.contains("胡说"), "{}", run.context());
    for status in STATUSES {
        assert!(
            err.contains(status),
            "the message lists {status}:\n{}",
            run.context()
        );
    }
}

#[test]
fn list_impossible_as_of_date_fails_with_a_message() {
    let l = Ledger::demo();
    let run = l.run(&["list", "findings", "--as-of", "2023-02-30"]);
    let err = run.fails();
    assert!(err.contains("2023-02-30"), "{}", run.context());
    assert!(run.stdout.is_empty(), "no half listing:\n{}", run.context());
}

#[test]
fn db_that_is_a_regular_file_fails_with_a_message() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("not-a-dir");
    std::fs::write(&file, b"precious").expect("write file");
    let path = file.to_str().expect("UTF-8 path");
    for args in [
        vec!["--db", path, "list", "findings"],
        vec!["--db", path, "demo"],
        vec!["--db", path, "check"],
    ] {
        let run = run_raw(&args);
        let err = run.fails();
        assert!(
            err.contains(path),
            "the message names the path:\n{}",
            run.context()
        );
    }
    assert_eq!(
        std::fs::read(&file).expect("file still there"),
        b"precious",
        "the file given as --db is left alone"
    );
}

// ---------------------------------------------------------------------------------------------
// check

#[test]
fn check_passes_on_a_healthy_demo_store() {
    let l = Ledger::demo();
    let run = l.run(&["check"]);
    assert!(run.ok().contains("检查通过"), "{}", run.context());
}

#[test]
fn check_repair_rebuilds_a_deleted_view() {
    let l = Ledger::demo();
    let before = l.finding_ids();
    assert!(!before.is_empty());
    std::fs::remove_dir_all(l.db.join("view")).expect("delete the view");
    let run = l.run(&["check", "--repair"]);
    assert!(run.ok().contains("检查通过"), "{}", run.context());
    assert_eq!(
        l.finding_ids(),
        before,
        "the rebuilt view holds the same findings"
    );
    l.run(&["check"]).ok();
}

/// The demo is one batch; its final newline lost after the view applied it, the repair sets the
/// whole batch aside. It must not call that batch "never acknowledged": the view had it.
#[test]
fn check_repair_says_a_torn_batch_the_view_had_was_acknowledged() {
    for (lang, applied, never) in [
        ("zh", "旧视图已应用过它", "从未确认"),
        ("en", "the old view had applied it", "never acknowledged"),
    ] {
        let l = Ledger::demo();
        let path = l.journal_file();
        let mut bytes = std::fs::read(&path).expect("read the journal");
        let lines = bytes.iter().filter(|b| **b == b'\n').count();
        bytes.truncate(bytes.len() - 10);
        std::fs::write(&path, &bytes).expect("cut the end of the last line");
        let run = l.run(&["--lang", lang, "check", "--repair"]);
        let out = run.ok();
        assert!(out.contains(applied), "{}", run.context());
        assert!(!out.contains(never), "{}", run.context());
        let count = match lang {
            "zh" => format!("（{lines} 行）"),
            _ => format!("({lines} lines)"),
        };
        assert!(out.contains(&count), "says how much: {}", run.context());
    }
}

/// The demo is one batch: a damaged final newline used to cost all of it at the repair.
#[test]
fn check_repair_puts_back_a_damaged_final_newline_and_keeps_the_demo() {
    for (lang, said) in [("zh", "已补回换行符"), ("en", "the newline was put back")] {
        let l = Ledger::demo();
        let listed = l.run(&["list", "findings", "--json"]);
        let before = listed.ok();
        let path = l.journal_file();
        let mut bytes = std::fs::read(&path).expect("read the journal");
        if let Some(last) = bytes.last_mut() {
            *last = b'~';
        }
        std::fs::write(&path, &bytes).expect("damage the final newline");
        let run = l.run(&["--lang", lang, "check", "--repair"]);
        assert!(run.ok().contains(said), "{}", run.context());
        let after = l.run(&["list", "findings", "--json"]);
        assert_eq!(after.ok(), before);
    }
}

#[test]
fn check_reports_the_damaged_journal_line() {
    let l = Ledger::demo();
    let path = l.journal_file();
    let bytes = std::fs::read(&path).expect("read the journal");
    let text = String::from_utf8(bytes).expect("the journal is UTF-8");
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    assert!(lines.len() >= 3, "the demo journal has lines to damage");
    // The first line at or after the middle (and not the last) that holds Chinese text; all
    // Chinese in a journal line is inside a JSON string.
    let (index, line) = lines
        .iter()
        .enumerate()
        .skip(lines.len() / 2)
        .take_while(|(i, _)| *i + 1 < lines.len())
        .find(|(_, line)| has_cjk(line))
        .expect("a middle line with Chinese text");
    let (at, old) = line
        .char_indices()
        .find(|(_, c)| ('\u{4e00}'..='\u{9fff}').contains(c))
        .expect("a Chinese character");
    let new = if old == '甲' { '乙' } else { '甲' };
    assert_eq!(old.len_utf8(), new.len_utf8());
    let mut damaged = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i == index {
            damaged.push_str(&l[..at]);
            damaged.push(new);
            damaged.push_str(&l[at + old.len_utf8()..]);
        } else {
            damaged.push_str(l);
        }
    }
    assert_eq!(
        damaged.len(),
        text.len(),
        "same length, one character changed"
    );
    std::fs::write(&path, damaged).expect("write the damaged journal");

    let run = l.run(&["check"]);
    run.assert_no_panic();
    assert_eq!(
        run.code,
        Some(1),
        "damage makes check fail:\n{}",
        run.context()
    );
    let line_no = index + 1;
    assert!(
        run.stdout.contains(&format!("第 {line_no} 行")),
        "check names the damaged line {line_no}:\n{}",
        run.context()
    );
    assert!(!run.stdout.contains("检查通过"), "{}", run.context());
}

// ---------------------------------------------------------------------------------------------
// synthetic ledgers

#[test]
fn synthetic_demo_is_deterministic_and_piped_output_has_no_escapes() {
    let a = Ledger::empty();
    let b = Ledger::empty();
    let c = Ledger::empty();
    let mut runs = vec![
        a.run(&["demo", "--synthetic", "500", "--seed", "7"]),
        b.run(&["demo", "--synthetic", "500", "--seed", "7"]),
        c.run(&["demo", "--synthetic", "500", "--seed", "8"]),
    ];
    for run in &runs {
        run.ok();
    }
    let list_a = a.run(&["list", "findings", "--json"]);
    let list_b = b.run(&["list", "findings", "--json"]);
    let list_c = c.run(&["list", "findings", "--json"]);
    let items = array(list_a.json(), "list findings");
    assert_eq!(items.len(), 500, "--synthetic 500 writes 500 findings");
    assert!(
        list_a.ok() == list_b.ok(),
        "the same seed gives the same ledger (ids, titles, everything)"
    );
    assert!(
        list_a.ok() != list_c.ok(),
        "a different seed gives a different ledger"
    );
    runs.extend([list_a, list_b, list_c]);
    for run in &runs {
        assert!(
            !run.stdout.contains("\x1b[") && !run.stderr.contains("\x1b["),
            "no terminal escape sequences when not writing to a terminal:\n{}",
            run.context()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// one process per store

/// Wait for a child with a generous bound, so a hang fails the test instead of stalling it.
fn wait_bounded(mut child: Child, what: &str) -> std::process::Output {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match child.try_wait().expect("try_wait") {
            Some(_) => return child.wait_with_output().expect("collect output"),
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("`{what}` hung (still running after 60 s)");
            }
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

#[test]
fn a_second_process_is_refused_while_the_store_is_in_use() {
    let l = Ledger::empty();
    let mut writer = l
        .command(&["debug-writer", "--count", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the writer");
    let pid = writer.id();
    let stdout = writer.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(id) => id,
        Err(e) => {
            let _ = writer.kill();
            let out = writer.wait_with_output().expect("reap the writer");
            panic!(
                "the writer printed no id ({e}); stderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    };

    let child = l
        .command(&["list", "findings"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start list");
    let out = wait_bounded(child, "rectify list findings");
    // Stop the writer before asserting, so a failed assertion leaves no process behind.
    writer.kill().expect("kill the writer");
    writer.wait().expect("reap the writer");
    drop(rx);
    reader.join().expect("reader thread");

    let run = Run {
        what: "rectify list findings (while the writer runs)".into(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    let err = run.fails();
    assert!(
        err.contains("正被另一个进程使用"),
        "the message says the store is in use:\n{}",
        run.context()
    );
    assert!(
        err.contains(&pid.to_string()),
        "the message names the holder's pid {pid}:\n{}",
        run.context()
    );

    // Once the holder is gone (even killed), the store opens again and kept what was written.
    let ids = l.finding_ids();
    assert!(
        ids.contains(&first),
        "the acknowledged finding {first} is in the store"
    );
}

// ---------------------------------------------------------------------------------------------
// privacy

#[test]
fn a_world_readable_store_is_made_private_with_a_note() {
    let l = Ledger::demo();
    std::fs::set_permissions(&l.db, std::fs::Permissions::from_mode(0o755)).expect("chmod 755");
    let run = l.run(&["list", "findings"]);
    run.ok();
    let mode = std::fs::metadata(&l.db).expect("stat").permissions().mode() & 0o777;
    assert_eq!(
        mode, 0o700,
        "the store dir is private again (mode {mode:o})"
    );
    assert!(
        run.stderr.contains("注意") && run.stderr.contains("700"),
        "a note on stderr says the permissions were repaired:\n{}",
        run.context()
    );
    assert!(
        !run.stdout.contains("注意"),
        "the note goes to stderr, not into the listing:\n{}",
        run.context()
    );
    let again = l.run(&["list", "findings"]);
    again.ok();
    assert!(
        !again.stderr.contains("注意"),
        "nothing to repair the second time:\n{}",
        again.context()
    );
}
