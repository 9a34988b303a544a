//! The rectification workflow driven from the command line: `claim`, `determine`, `close`,
//! `reopen`, `followup`, and `history`.
//!
//! Every test gets its own demo ledger in a temp dir, runs the binary with `RECTIFY_LANG` and
//! `RECTIFY_DB` removed and `RECTIFY_CONFIG` pointed at a file that does not exist, so nothing
//! from the machine running the tests leaks in. Findings are picked by what `list findings
//! --json` says about them, not by number, so the tests follow the demo if its story changes.

use chrono::{Duration, Local, NaiveDate};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::RwLock;
use tempfile::TempDir;

mod common;

use common::cli_env::{Run, rectify_command};
/// Who the tests work as (`--user`), so authorship can be checked.
const USER: &str = "审计员甲";

/// A child forked by one test inherits the open files of the others until it execs, store locks
/// included. Spawning takes this shared; a test that opens a store in process takes it
/// exclusively while the store is open, so no child can hold a copy of its lock.
static SPAWN_GUARD: RwLock<()> = RwLock::new(());

/// A demo ledger of its own.
struct Demo {
    _tmp: TempDir,
    db: PathBuf,
}

impl Demo {
    fn new() -> Demo {
        let tmp = tempfile::tempdir().expect("temp dir");
        let db = tmp.path().join("ledger");
        let demo = Demo { _tmp: tmp, db };
        // Loaded by someone else, so the tests' own changes are told apart by their author.
        demo.run_as("演示数据", &["demo"]).ok();
        demo
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_as(USER, args)
    }

    fn run_as(&self, user: &str, args: &[&str]) -> Run {
        let _shared = SPAWN_GUARD.read().unwrap_or_else(|e| e.into_inner());
        let out = rectify_command()
            .arg("--db")
            .arg(&self.db)
            .args(["--user", user])
            .args(args)
            .output()
            .expect("cannot start the rectify binary");
        Run::from_output(format!("rectify {}", args.join(" ")), out)
    }

    fn findings(&self, extra: &[&str]) -> Vec<Value> {
        let mut args = vec!["list", "findings", "--json"];
        args.extend_from_slice(extra);
        match self.run(&args).json() {
            Value::Array(items) => items,
            other => panic!("list findings --json is not an array: {other}"),
        }
    }

    /// The number of the first finding that `wanted` accepts.
    fn pick(&self, what: &str, wanted: impl Fn(&Value) -> bool) -> String {
        self.findings(&[])
            .iter()
            .find(|f| wanted(f))
            .map(|f| s(f, "number").to_string())
            .unwrap_or_else(|| panic!("the demo has no finding that is {what}"))
    }

    fn show(&self, number: &str, extra: &[&str]) -> Value {
        let mut args = vec!["show", number, "--json"];
        args.extend_from_slice(extra);
        self.run(&args).json()
    }

    fn status(&self, number: &str) -> String {
        s(&self.show(number, &[]), "status").to_string()
    }

    /// A command line (words split at blanks) that must succeed; returns its JSON output.
    fn step(&self, line: &str) -> Value {
        let mut args = words(line);
        args.push("--json");
        self.run(&args).json()
    }

    fn journal_len(&self) -> u64 {
        let dir = self.db.join("journal");
        std::fs::read_dir(&dir)
            .expect("the store has a journal dir")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("jsonl"))
            .map(|p| std::fs::metadata(p).expect("journal metadata").len())
            .sum()
    }

    /// A command line that must be refused: exit 1, a reason on stderr, not a byte written.
    fn refused(&self, line: &str) -> String {
        let before = self.journal_len();
        let run = self.run(&words(line));
        assert!(!run.stderr.contains("panicked"), "{}", run.context());
        assert_eq!(run.code, Some(1), "expected a refusal:\n{}", run.context());
        assert!(!run.stderr.trim().is_empty(), "{}", run.context());
        assert_eq!(
            self.journal_len(),
            before,
            "a refused step wrote to the journal:\n{}",
            run.context()
        );
        run.stderr
    }

    /// Like `refused`, and the reason is in Chinese.
    fn refused_zh(&self, line: &str) -> String {
        let err = self.refused(line);
        assert!(has_cjk(&err), "the reason is in Chinese by default: {err}");
        err
    }
}

fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

fn s<'a>(item: &'a Value, key: &str) -> &'a str {
    item.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("field `{key}` is missing or not a string in {item}"))
}

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn is(status: &'static str) -> impl Fn(&Value) -> bool {
    move |f| f["status"] == status && f["reopened"] == false
}

fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// Run a step and check the status it reports and the one `show` derives afterwards.
fn expect_step(demo: &Demo, line: &str, status: &str) -> Value {
    let saved = demo.step(line);
    assert_eq!(saved["status"], status, "`{line}` reported {saved}");
    assert_eq!(demo.status(s(&saved, "number")), status, "after `{line}`");
    saved
}

/// Take finding `n` through `steps`: command lines with `{n}` for it, and the status expected.
fn walk(demo: &Demo, n: &str, steps: &[(&str, &str)]) {
    for (line, status) in steps {
        let saved = expect_step(demo, &line.replace("{n}", n), status);
        if line.starts_with("reopen") {
            assert_eq!(saved["reopened"], true, "{saved}");
        }
    }
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
}

// ---------------------------------------------------------------------------------------------
// Transitions

#[test]
fn every_transition_of_the_status_machine_through_the_cli() {
    let demo = Demo::new();
    let n = demo.pick("整改中", is("整改中"));
    let steps = [
        ("claim {n} --status 整改中", "整改中"),
        ("claim {n} --status 已整改", "已报送待认定"),
        ("determine {n} --verdict 不予认定", "整改中"),
        ("claim {n} --status 部分整改", "已报送待认定"),
        ("determine {n} --verdict 部分整改", "部分整改"),
        ("followup {n} --verdict 已整改", "已整改"),
        ("close {n} --remark 对账无误", "已销号"),
        // A check that confirms a closed finding leaves it closed.
        ("followup {n} --verdict 已整改", "已销号"),
        (
            "reopen {n} --reason 回头看发现反弹 --note 复查反弹",
            "整改中",
        ),
        ("claim {n} --status 已整改", "已报送待认定"),
        ("determine {n} --verdict 已整改", "已整改"),
        ("close {n}", "已销号"),
        // 虚假整改 found on a closed finding sends it back, no reopen record needed.
        ("followup {n} --verdict 虚假整改", "整改中"),
        ("determine {n} --verdict 未整改", "未整改"),
        ("followup {n} --verdict 部分整改", "部分整改"),
    ];
    walk(&demo, &n, &steps);
    let shown = demo.show(&n, &[]);
    assert_eq!(shown["reopened"], true);
    assert_eq!(shown["closures"].as_array().map(Vec::len), Some(2));
    assert_eq!(shown["reopens"].as_array().map(Vec::len), Some(1));
    assert_eq!(shown["reopens"][0]["by"], USER);
    assert_eq!(shown["closures"][0]["remark"], "对账无误");

    // 持续整改 is a verdict only for a finding whose mode is 持续整改.
    let long = demo.pick("持续整改", |f| {
        f["mode"] == "持续整改" && f["status"] == "持续整改"
    });
    let steps = [
        ("determine {n} --verdict 已整改", "已整改"),
        ("followup {n} --verdict 持续整改", "持续整改"),
        ("claim {n} --status 申请持续整改", "已报送待认定"),
        ("determine {n} --verdict 持续整改", "持续整改"),
    ];
    walk(&demo, &long, &steps);
}

#[test]
fn followup_json_has_the_contract_fields_and_keeps_the_last_method() {
    let demo = Demo::new();
    let n = demo.pick("已整改", is("已整改"));
    let line =
        format!("followup {n} --verdict rectified --method 实地查看 --note 现场核实 --next +30");
    let first = demo.step(&line);
    for key in ["id", "finding", "number", "status", "verdict", "date"] {
        assert!(first.get(key).is_some(), "`{key}` missing in {first}");
    }
    assert_eq!(first["number"], n.as_str());
    assert_eq!(
        first["verdict"], "已整改",
        "labels in Chinese whatever was typed"
    );
    assert_eq!(first["method"], "实地查看");
    assert_eq!(first["check_kind"], "回头看");
    assert_eq!(first["checker"], USER);
    assert_eq!(first["date"], today().to_string());
    assert_eq!(
        first["next_check"],
        (today() + Duration::days(30)).to_string()
    );
    // Without --method, the check is made the way the last one was; -1 is yesterday.
    let second = demo.step(&format!("followup {n} --verdict 已整改 --date -1"));
    assert_eq!(second["method"], "实地查看");
    assert_eq!(second["date"], (today() - Duration::days(1)).to_string());
    let shown = demo.show(&n, &[]);
    let checks = shown["checks"].as_array().expect("checks array");
    assert!(checks.iter().any(|c| c["note"] == "现场核实"), "{shown}");
}

#[test]
fn text_output_names_the_record_and_the_new_status() {
    let demo = Demo::new();
    let n = demo.pick("已报送待认定", is("已报送待认定"));
    let run = demo.run(&words(&format!(
        "determine {n} --verdict 已整改 --opinion 资料齐全"
    )));
    let text = run.ok();
    assert!(
        text.contains("整改认定") && text.contains("资料齐全"),
        "{}",
        run.context()
    );
    let status = format!("问题 {n} 现在的状态：已整改");
    assert!(text.contains(&status), "{}", run.context());
    let en = demo.run(&["--lang", "en", "close", &n]);
    let status = format!("finding {n} is now closed");
    assert!(en.ok().contains(&status), "{}", en.context());
}

// ---------------------------------------------------------------------------------------------
// Refusals: exit 1, a reason in Chinese, nothing written

#[test]
fn what_the_status_machine_forbids_is_refused() {
    let demo = Demo::new();
    let late = demo.pick("未整改", is("未整改"));
    let waiting = demo.pick("已报送待认定", is("已报送待认定"));
    let open = demo.pick("立行立改, 整改中", |f| {
        f["mode"] == "立行立改" && f["status"] == "整改中"
    });
    let draft = demo.pick("未启动", |f| f["status"] == "未启动");
    let issued = date(s(&demo.show(&open, &[]), "issued_on"));
    let early = issued - Duration::days(1);
    // Each refusal must name these words (| between them).
    let cases = [
        (format!("close {late}"), "不能销号|未整改|须为已整改"),
        (format!("close {waiting}"), "已报送待认定|rectify determine"),
        (
            format!("reopen {open} --reason 回头看发现反弹"),
            "不能重新打开|已销号",
        ),
        (format!("determine {open} --verdict 持续整改"), "整改方式"),
        (format!("followup {open} --verdict 持续整改"), "整改方式"),
        (format!("followup {draft} --verdict 已整改"), "尚未下发"),
        (format!("claim {draft} --status 已整改"), "尚未下发"),
        (format!("determine {draft} --verdict 已整改"), "尚未下发"),
        (format!("close {draft}"), "尚未下发"),
        (format!("reopen {draft} --reason 认定有误"), "尚未下发"),
        (
            format!("followup {open} --verdict 已整改 --date {early}"),
            "早于|下发",
        ),
        (
            format!("claim {open} --status 已整改 --date {early}"),
            "早于|下发",
        ),
    ];
    for (line, says) in &cases {
        let err = demo.refused_zh(line);
        for word in says.split('|') {
            assert!(err.contains(word), "`{line}` should say {word}: {err}");
        }
    }
    let unchanged = [
        (&late, "未整改"),
        (&waiting, "已报送待认定"),
        (&open, "整改中"),
    ];
    for (n, status) in unchanged {
        assert_eq!(demo.status(n), status);
    }
    assert_eq!(demo.status(&draft), "未启动");
    // The issue date itself is fine.
    demo.step(&format!("claim {open} --status 整改中 --date {issued}"));
}

#[test]
fn unknown_labels_and_targets_are_refused_with_what_is_valid() {
    let demo = Demo::new();
    let n = demo.pick("整改中", is("整改中"));
    let cases = [
        (
            "followup {n} --verdict 好了",
            "已整改、部分整改、未整改、持续整改、虚假整改",
        ),
        ("followup {n} --verdict 已整改 --method 好了", "实地查看"),
        ("followup {n} --verdict 已整改 --kind 好了", "回头看"),
        ("determine {n} --verdict 好了", "不予认定"),
        ("claim {n} --status 好了", "申请持续整改"),
        ("reopen {n} --reason 好了", "回头看发现反弹"),
        ("followup {n} --verdict 已整改 --date 2023-02-30", "不存在"),
        ("followup 没有这个问题 --verdict 已整改", "找不到"),
    ];
    for (line, listed) in cases {
        let err = demo.refused_zh(&line.replace("{n}", &n));
        assert!(err.contains(listed), "`{line}` should say {listed}: {err}");
    }
    let projects = demo.run(&["list", "projects", "--json"]).json();
    let err = demo.refused_zh(&format!("close {}", s(&projects[0], "number")));
    assert!(err.contains("不是问题"), "{err}");
}

#[test]
fn refusals_are_in_english_with_lang_en() {
    let demo = Demo::new();
    let n = demo.pick("未整改", is("未整改"));
    let open = demo.pick("整改中", is("整改中"));
    let cases = [
        (format!("--lang en close {n}"), "not rectified"),
        (
            format!("--lang en followup {n} --verdict nope"),
            "fake rectification",
        ),
        (
            format!("--lang en reopen {open} --reason Relapse"),
            "only a closed",
        ),
    ];
    for (line, says) in cases {
        let err = demo.refused(&line);
        assert!(err.to_lowercase().contains(says), "`{line}`: {err}");
        assert!(!has_cjk(&err), "no Chinese in an English refusal: {err}");
    }
}

// ---------------------------------------------------------------------------------------------
// Point in time

#[test]
fn statuses_at_past_dates_ignore_later_records() {
    let demo = Demo::new();
    let n = demo.pick("已整改", is("已整改"));
    let yesterday = (today() - Duration::days(1)).to_string();
    let status_on = |date: &str| {
        let rows = demo.findings(&["--as-of", date]);
        let row = rows.iter().find(|f| f["number"] == n.as_str());
        let row = row.unwrap_or_else(|| panic!("{n} missing as of {date}"));
        s(row, "status").to_string()
    };
    let before = status_on(&yesterday);
    demo.step(&format!("close {n}"));
    assert_eq!(
        status_on(&yesterday),
        before,
        "closing today leaves yesterday alone"
    );
    assert_eq!(status_on(&today().to_string()), "已销号");
    assert_eq!(
        demo.show(&n, &["--as-of", &yesterday])["status"],
        before.as_str()
    );

    // A record dated back takes effect from its date, not from when it was typed.
    let open = demo.pick("整改中", is("整改中"));
    let claimed_on = date(s(&demo.show(&open, &[]), "issued_on")) + Duration::days(10);
    demo.step(&format!("claim {open} --status 已整改 --date {claimed_on}"));
    let day_before = (claimed_on - Duration::days(1)).to_string();
    assert_eq!(
        demo.show(&open, &["--as-of", &day_before])["status"],
        "整改中"
    );
    let on_the_day = demo.show(&open, &["--as-of", &claimed_on.to_string()]);
    assert_eq!(on_the_day["status"], "已报送待认定");
}

// ---------------------------------------------------------------------------------------------
// History

#[test]
fn history_lists_the_workflow_records_with_author_oldest_first() {
    let demo = Demo::new();
    let n = demo.pick("整改中", is("整改中"));
    demo.step(&format!("claim {n} --status 已整改 --note 已退回多计款项"));
    demo.step(&format!("determine {n} --verdict 已整改"));
    demo.step(&format!("close {n} --remark 对账一致"));

    let entries = demo.run(&["history", &n, "--json"]).json();
    let entries = entries.as_array().expect("history --json is an array");
    for e in entries {
        for key in ["at", "author", "entity", "kind", "field", "old", "new"] {
            assert!(e.get(key).is_some(), "`{key}` missing in {e}");
        }
    }
    assert_eq!(
        entries[0]["kind"], "finding",
        "the finding's creation comes first"
    );
    assert_eq!(entries[0]["change"], "create");
    let mine: Vec<&Value> = entries.iter().filter(|e| e["author"] == USER).collect();
    let kinds: Vec<&str> = mine.iter().map(|e| s(e, "kind")).collect();
    assert_eq!(kinds, ["progress", "determination", "closure"], "{mine:?}");
    for e in &mine {
        assert_eq!(e["field"], Value::Null, "a creation has no field: {e}");
        assert_eq!(e["old"], Value::Null, "{e}");
    }
    assert_eq!(mine[0]["new"]["narrative"], "已退回多计款项");
    assert_eq!(mine[1]["new"]["verdict"], "Rectified");
    assert_eq!(mine[2]["new"]["remark"], "对账一致");
    let times: Vec<&str> = entries.iter().map(|e| s(e, "at")).collect();
    assert!(times.is_sorted(), "oldest first: {times:?}");

    let run = demo.run(&["history", &n]);
    let text = run.ok();
    let last = text.lines().last().unwrap_or_default();
    assert!(
        last.contains(USER) && last.contains("对账销号"),
        "{}",
        run.context()
    );
    assert!(text.contains("创建："), "{}", run.context());
    let labelled = text.contains("书面审核 已整改");
    assert!(labelled, "labels, not identifiers: {}", run.context());
}

#[test]
fn history_shows_old_and_new_values_of_an_edit() {
    use rectify::domain::{Finding, Id, Money, Severity};
    let demo = Demo::new();
    let n = demo.pick("整改中", is("整改中"));
    let shown = demo.show(&n, &[]);
    let id = Id::parse(s(&shown, "id")).expect("finding id");
    let old_deadline = s(&shown, "deadline").to_string();
    let old_title = s(&shown, "title").to_string();
    let new_deadline = date(&old_deadline) + Duration::days(90);
    let amount = Money(12_345_600);
    {
        // Held while the store is open in this process: see SPAWN_GUARD.
        let _alone = SPAWN_GUARD.write().unwrap_or_else(|e| e.into_inner());
        let store = rectify::store::SledStore::open(&demo.db, "张编辑").expect("open the store");
        let mut ledger = rectify::ledger::Ledger::new(store);
        let mut f: Finding = ledger.get(id).expect("the finding");
        assert_ne!(f.severity, Severity::Major, "the edit must change it");
        f.deadline = new_deadline;
        f.title = format!("{old_title}（修订）").into();
        f.severity = Severity::Major;
        f.amount = Some(amount);
        assert_eq!(ledger.update(f).expect("the edit is valid"), 4);
    }

    let run = demo.run(&["history", &n]);
    let text = run.ok();
    let line = |needle: &str| {
        let found = text.lines().find(|l| l.contains(needle));
        found.unwrap_or_else(|| panic!("no line with {needle}:\n{}", run.context()))
    };
    assert!(line(&format!("整改时限：{old_deadline} → {new_deadline}")).contains("张编辑"));
    assert!(line("严重程度：").contains(" → 重大"), "{}", run.context());
    line(&format!("问题摘要：{old_title} → {old_title}（修订）"));
    assert!(line("涉及金额：").ends_with(&format!("→ {}", amount.display())));

    let en = demo.run(&["--lang", "en", "history", &n]);
    let moved = format!("deadline: {old_deadline} → {new_deadline}");
    assert!(en.ok().contains(&moved), "{}", en.context());
    assert!(
        en.ok().contains("severity: general → major"),
        "{}",
        en.context()
    );

    let entries = demo.run(&["history", &n, "--json"]).json();
    let edit = entries
        .as_array()
        .and_then(|e| e.iter().find(|e| e["field"] == "deadline"));
    let edit = edit.unwrap_or_else(|| panic!("no deadline edit in {entries}"));
    assert_eq!(edit["change"], "set");
    assert_eq!(edit["kind"], "finding");
    assert_eq!(edit["author"], "张编辑");
    assert_eq!(edit["old"], old_deadline.as_str());
    assert_eq!(edit["new"], new_deadline.to_string());
}

#[test]
fn history_of_units_and_projects_and_of_nothing() {
    let demo = Demo::new();
    let projects = demo.run(&["list", "projects", "--json"]).json();
    let units = demo.run(&["list", "units", "--json"]).json();
    for target in [s(&projects[0], "number"), s(&units[0], "name")] {
        let run = demo.run(&["history", target]);
        let first = run.ok().lines().next().unwrap_or_default().to_string();
        assert!(first.contains("创建："), "{}", run.context());
    }
    let err = demo.refused_zh("history 没有这个记录");
    assert!(err.contains("找不到"), "{err}");
}
