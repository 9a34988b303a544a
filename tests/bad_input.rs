//! Bad input everywhere on the command line: every command's arguments tried with empty text,
//! a huge string, control characters, ANSI escape sequences, and the wrong type (letters for
//! numbers, impossible dates like 2023-02-30, negative and 1e30 amounts). Each must end with
//! exit code 1 (or clap's 2 for a syntax error), a clear message on stderr that carries no raw
//! escape sequence to the terminal, no panic, and not a byte written to the journal.
//!
//! "Huge" is 120 KB on the command line: Linux refuses a single argument over 128 KiB
//! (MAX_ARG_STRLEN) before the program starts, so the 1 MB strings go through the TUI forms
//! (below) and the parsers' property tests (tests/prop_*.rs) instead.
//!
//! The TUI half pastes a 1 MB string, control characters and escape sequences into every field
//! of the finding form and the 回头看 check form, and presses save: the form must stay open with
//! an inline error on a field, or save text that holds no control character; never a panic,
//! never half a save.

mod common;

use common::cli_env::{Run, rectify_command};
use serde_json::Value;
use std::path::PathBuf;

const USER: &str = "审计员甲";

/// The largest argument the kernel passes (128 KiB), less room.
fn huge() -> String {
    "预算资金".repeat(10_000) // 120,000 bytes
}

fn huge_ascii() -> String {
    "x".repeat(120_000)
}

const CONTROL: &str = "整改\u{1}\u{2}\u{7f}\u{8}完成";
const ESCAPE: &str = "\u{1b}[31m红字\u{1b}[0m\u{1b}]0;pwned\u{7}\u{1b}[2J";

/// What a slot of a command expects, and so which bad values it is tried with.
#[derive(Clone, Copy, Debug)]
enum Slot {
    /// Optional free text (a note): empty is fine, so not tried.
    Text,
    /// A required line (a name, a document number).
    Line,
    Date,
    Money,
    Count,
    /// A word of a closed vocabulary (a verdict, a status, a kind).
    Label,
    /// The record or finding a command is about.
    Target,
    /// A file to read.
    InPath,
    /// A file to write.
    OutPath,
}

fn bad_values(slot: Slot) -> Vec<String> {
    let common = vec![huge(), CONTROL.to_string(), ESCAPE.to_string()];
    let extra: &[&str] = match slot {
        Slot::Text => &[],
        Slot::Line => &["", "   ", "\t"],
        Slot::Date => &[
            "",
            "2023-02-30",
            "2023-13-01",
            "abc",
            "1e30",
            "+99999999",
            "-99999999999999999999",
            "0000-00-00",
            "２０２３年２月３０日",
        ],
        Slot::Money => &[
            "",
            "-5",
            "-5万元",
            "1e30",
            "1e30万元",
            "abc",
            "NaN",
            "inf",
            "99999999999999999999",
            "1.2.3",
            "12元元",
        ],
        Slot::Count => &["", "abc", "-1", "1e30", "99999999999999999999", "1.5"],
        Slot::Label => &["", "abc", "已整改已整改"],
        Slot::Target => &["", "abc", "0", "-"],
        Slot::InPath => &["", "/", "/nonexistent/rectify/台账.xlsx", "/dev/null"],
        Slot::OutPath => &["", "/", "/nonexistent/rectify/台账.xlsx"],
    };
    let mut values: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    values.extend(common);
    if matches!(slot, Slot::Line | Slot::Label | Slot::Target) {
        values.push(huge_ascii());
    }
    values
}

struct Demo {
    _tmp: tempfile::TempDir,
    db: PathBuf,
}

impl Demo {
    fn new() -> Demo {
        let tmp = tempfile::tempdir().expect("temp dir");
        let db = tmp.path().join("ledger");
        let demo = Demo { _tmp: tmp, db };
        demo.run(&["demo".to_string()]).ok();
        demo
    }

    fn run(&self, args: &[String]) -> Run {
        let out = rectify_command()
            .arg("--db")
            .arg(&self.db)
            .args(["--user", USER])
            .args(args)
            .output()
            .expect("cannot start the rectify binary");
        let shown: Vec<String> = args
            .iter()
            .map(|a| {
                if a.len() > 60 {
                    format!("<{} bytes>", a.len())
                } else {
                    format!("{a:?}")
                }
            })
            .collect();
        Run::from_output(format!("rectify {}", shown.join(" ")), out)
    }

    fn journal(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out: Vec<_> = std::fs::read_dir(self.db.join("journal"))
            .expect("journal dir")
            .map(|e| e.expect("entry").path())
            .map(|p| {
                let bytes = std::fs::read(&p).expect("journal");
                (p, bytes)
            })
            .collect();
        out.sort();
        out
    }

    fn findings(&self) -> Vec<Value> {
        let run = self.run(&["list".into(), "findings".into(), "--json".into()]);
        match run.json() {
            Value::Array(items) => items,
            other => panic!("not an array: {other}"),
        }
    }

    /// The number of a finding in this status (not reopened).
    fn pick(&self, status: &str) -> String {
        self.findings()
            .iter()
            .find(|f| f["status"] == status && f["reopened"] == false)
            .and_then(|f| f["number"].as_str())
            .unwrap_or_else(|| panic!("the demo has no finding that is {status}"))
            .to_string()
    }

    fn project(&self) -> String {
        let run = self.run(&["list".into(), "projects".into(), "--json".into()]);
        run.json()[0]["number"]
            .as_str()
            .expect("a project number")
            .to_string()
    }
}

/// Run `template` (words; `@` is the slot) with every bad value of `slot`. A command that
/// writes must be refused; a read-only one (`may_succeed`) may answer, but never panics,
/// never writes, and never echoes an escape sequence.
fn try_slot(demo: &Demo, template: &str, slot: Slot, may_succeed: bool) {
    for value in bad_values(slot) {
        let args: Vec<String> = template
            .split_whitespace()
            .map(|w| {
                if w == "@" {
                    value.clone()
                } else {
                    w.to_string()
                }
            })
            .collect();
        let before = demo.journal();
        let run = demo.run(&args);
        run.assert_no_panic();
        assert_eq!(
            demo.journal(),
            before,
            "bad input wrote to the journal:\n{}",
            run.context()
        );
        assert!(
            !run.stderr.contains('\u{1b}') && !run.stdout.contains('\u{1b}'),
            "an escape sequence from the input reached the terminal:\n{}",
            run.context()
        );
        match run.code {
            Some(0) if may_succeed => continue,
            Some(1) => {
                let err = run.stderr.trim();
                assert!(!err.is_empty(), "no reason given:\n{}", run.context());
                assert!(
                    err.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "the reason is not in Chinese:\n{}",
                    run.context()
                );
            }
            // clap's syntax errors: a missing value, a non-number where a number must be.
            Some(2) => assert!(
                run.stderr.contains("error"),
                "clap's message is missing:\n{}",
                run.context()
            ),
            _ => panic!(
                "expected exit code 1 (or 2) for {slot:?} input:\n{}",
                run.context()
            ),
        }
        // A clear message is a short one: the huge input is not echoed back whole.
        assert!(
            run.stderr.len() < 8_000,
            "the message repeats the huge input ({} bytes):\n{}",
            run.stderr.len(),
            run.context()
        );
    }
}

/// Each case: the command line with `@` where the bad value goes, the slot's kind.
fn try_all(demo: &Demo, cases: &[(String, Slot)], may_succeed: bool) {
    for (template, slot) in cases {
        try_slot(demo, template, *slot, may_succeed);
    }
}

fn cases(list: &[(&str, Slot)], n: &str) -> Vec<(String, Slot)> {
    list.iter()
        .map(|(t, s)| (t.replace("{n}", n), *s))
        .collect()
}

#[test]
fn followup_arguments() {
    let demo = Demo::new();
    let n = demo.pick("整改中");
    let list = [
        ("followup @ --verdict 部分整改", Slot::Target),
        ("followup {n} --verdict @", Slot::Label),
        ("followup {n} --verdict 部分整改 --method @", Slot::Label),
        ("followup {n} --verdict 部分整改 --kind @", Slot::Label),
        ("followup {n} --verdict 部分整改 --note @", Slot::Text),
        ("followup {n} --verdict 部分整改 --date @", Slot::Date),
        ("followup {n} --verdict 部分整改 --next @", Slot::Date),
        ("followup {n} --verdict 部分整改 --plan @", Slot::Target),
        ("followup {n} --verdict 部分整改 --evidence @", Slot::Line),
        (
            "followup {n} --verdict 部分整改 --evidence 纪要 --evidence-kind @",
            Slot::Label,
        ),
        (
            "followup {n} --verdict 部分整改 --evidence 纪要 --doc-no @",
            Slot::Text,
        ),
        ("followup {n} --verdict 部分整改 --attach @", Slot::InPath),
    ];
    try_all(&demo, &cases(&list, &n), false);
}

#[test]
fn claim_arguments() {
    let demo = Demo::new();
    let n = demo.pick("整改中");
    let list = [
        ("claim @ --status 已整改", Slot::Target),
        ("claim {n} --status @", Slot::Label),
        ("claim {n} --status 已整改 --note @", Slot::Text),
        ("claim {n} --status 已整改 --by @", Slot::Text),
        ("claim {n} --status 已整改 --measures @", Slot::Text),
        ("claim {n} --status 部分整改 --reason @", Slot::Text),
        ("claim {n} --status 部分整改 --next-steps @", Slot::Text),
        ("claim {n} --status 已整改 --amount @", Slot::Money),
        ("claim {n} --status 已整改 --amount 上缴财政=@", Slot::Money),
        (
            "claim {n} --status 部分整改 --requested-deadline @",
            Slot::Date,
        ),
        ("claim {n} --status 已整改 --channel @", Slot::Label),
        ("claim {n} --status 已整改 --date @", Slot::Date),
    ];
    try_all(&demo, &cases(&list, &n), false);
}

#[test]
fn determine_close_and_reopen_arguments() {
    let demo = Demo::new();
    let open = demo.pick("整改中");
    let list = [
        ("determine @ --verdict 已整改", Slot::Target),
        ("determine {n} --verdict @", Slot::Label),
        ("determine {n} --verdict 已整改 --opinion @", Slot::Text),
        ("determine {n} --verdict 已整改 --method @", Slot::Label),
        ("determine {n} --verdict 已整改 --standard @", Slot::Text),
        (
            "determine {n} --verdict 已整改 --amount 上缴财政=@",
            Slot::Money,
        ),
        ("determine {n} --verdict 已整改 --date @", Slot::Date),
    ];
    try_all(&demo, &cases(&list, &open), false);
    let rectified = demo.pick("已整改");
    let list = [
        ("close @", Slot::Target),
        ("close {n} --remark @", Slot::Text),
        ("close {n} --date @", Slot::Date),
    ];
    try_all(&demo, &cases(&list, &rectified), false);
    let closed = demo.pick("已销号");
    let list = [
        ("reopen @ --reason 问题反弹", Slot::Target),
        ("reopen {n} --reason @", Slot::Label),
        ("reopen {n} --reason 问题反弹 --note @", Slot::Text),
        ("reopen {n} --reason 问题反弹 --date @", Slot::Date),
    ];
    try_all(&demo, &cases(&list, &closed), false);
}

#[test]
fn outcome_accountability_and_supervise_arguments() {
    let demo = Demo::new();
    let n = demo.pick("整改中");
    let list = [
        ("outcome @ --kind 追回资金 --amount 12万元", Slot::Target),
        ("outcome {n} --kind @ --amount 12万元", Slot::Label),
        ("outcome {n} --kind 追回资金 --amount @", Slot::Money),
        ("outcome {n} --kind 完善制度 --count @", Slot::Count),
        ("outcome {n} --kind 完善制度 --rule @", Slot::Line),
        (
            "outcome {n} --kind 追回资金 --amount 12万元 --note @",
            Slot::Text,
        ),
        (
            "outcome {n} --kind 追回资金 --amount 12万元 --date @",
            Slot::Date,
        ),
        (
            "accountability @ --person 张三 --measure 诫勉 --decided-by 纪委监委",
            Slot::Target,
        ),
        (
            "accountability {n} --person @ --measure 诫勉 --decided-by 纪委监委",
            Slot::Line,
        ),
        (
            "accountability {n} --person 张三 --measure @ --decided-by 纪委监委",
            Slot::Label,
        ),
        (
            "accountability {n} --person 张三 --measure 诫勉 --decided-by @",
            Slot::Label,
        ),
        (
            "accountability {n} --person 张三 --measure 诫勉 --decided-by 纪委监委 --position @",
            Slot::Text,
        ),
        (
            "accountability {n} --person 张三 --measure 诫勉 --decided-by 纪委监委 --doc @",
            Slot::Text,
        ),
        (
            "accountability {n} --person 张三 --measure 诫勉 --decided-by 纪委监委 --date @",
            Slot::Date,
        ),
        ("supervise @ --kind 督办函", Slot::Target),
        ("supervise {n} --kind @", Slot::Label),
        ("supervise {n} --kind 督办函 --summary @", Slot::Text),
        ("supervise {n} --kind 督办函 --due @", Slot::Date),
        ("supervise {n} --kind 督办函 --unit @", Slot::Target),
        ("supervise {n} --kind 督办函 --date @", Slot::Date),
    ];
    try_all(&demo, &cases(&list, &n), false);
}

#[test]
fn referral_arguments() {
    let demo = Demo::new();
    let n = demo.pick("未整改");
    let list = [
        (
            "referral add @ --to 纪委监委 --doc-no 区审移〔2026〕1号",
            Slot::Target,
        ),
        (
            "referral add {n} --to @ --doc-no 区审移〔2026〕1号",
            Slot::Label,
        ),
        ("referral add {n} --to 纪委监委 --doc-no @", Slot::Line),
        (
            "referral add {n} --to 纪委监委 --doc-no 区审移〔2026〕1号 --summary @",
            Slot::Text,
        ),
        (
            "referral add {n} --to 纪委监委 --doc-no 区审移〔2026〕1号 --persons @",
            Slot::Count,
        ),
        (
            "referral add {n} --to 纪委监委 --doc-no 区审移〔2026〕1号 --feedback-due @",
            Slot::Date,
        ),
        (
            "referral add {n} --to 纪委监委 --doc-no 区审移〔2026〕1号 --date @",
            Slot::Date,
        ),
    ];
    try_all(&demo, &cases(&list, &n), false);
    // One real referral to update.
    let sent = demo
        .run(
            &"referral add {n} --to 纪委监委 --doc-no 区审移〔2026〕1号 --json"
                .replace("{n}", &n)
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>(),
        )
        .json();
    let id = sent["id"].as_str().expect("referral id").to_string();
    let list = [
        ("referral update @ --status 已受理", Slot::Target),
        ("referral update {n} --status @", Slot::Label),
        ("referral update {n} --feedback @", Slot::Text),
        (
            "referral update {n} --status 已反馈 --feedback-on @",
            Slot::Date,
        ),
    ];
    try_all(&demo, &cases(&list, &id), false);
}

#[test]
fn plan_create_arguments() {
    let demo = Demo::new();
    let n = demo.pick("整改中");
    let list = [
        (
            "plan create --kind @ --title 回头看 --finding {n}",
            Slot::Label,
        ),
        (
            "plan create --kind 回头看 --title @ --finding {n}",
            Slot::Line,
        ),
        (
            "plan create --kind 回头看 --title 回头看 --finding @",
            Slot::Target,
        ),
        (
            "plan create --kind 回头看 --title 回头看 --project @",
            Slot::Target,
        ),
        (
            "plan create --kind 回头看 --title 回头看 --unit @",
            Slot::Target,
        ),
        (
            "plan create --kind 回头看 --title 回头看 --finding {n} --start @",
            Slot::Date,
        ),
        (
            "plan create --kind 回头看 --title 回头看 --finding {n} --end @",
            Slot::Date,
        ),
        (
            "plan create --kind 回头看 --title 回头看 --finding {n} --team @",
            Slot::Text,
        ),
        ("plan show @", Slot::Target),
    ];
    try_all(&demo, &cases(&list, &n), false);
}

#[test]
fn read_only_commands_never_panic_write_or_echo_escapes() {
    let demo = Demo::new();
    let project = demo.project();
    // These may answer (a search for garbage finds nothing), but never write or panic.
    let answers = [
        ("list findings --filter @", Slot::Line),
        ("list findings --project @", Slot::Target),
        ("list findings --unit @", Slot::Target),
        ("list findings --status @", Slot::Label),
        ("list findings --as-of @", Slot::Date),
        ("search @", Slot::Line),
        ("search 财政 --limit @", Slot::Count),
        ("show @", Slot::Target),
        ("show {n} --as-of @", Slot::Date),
        ("history @", Slot::Target),
        ("report --year 2026 --caliber @", Slot::Line),
        ("report --year @", Slot::Count),
        ("report --year 2026 --as-of @", Slot::Date),
        ("keymap check @", Slot::InPath),
    ];
    try_all(&demo, &cases(&answers, &project), true);
    // Bad filters are refused with the reason and where it is.
    for filter in [
        "金额>abc",
        "时限<2023-02-30",
        "\"未闭合",
        "年度:abc..",
        "金额>-1e30",
    ] {
        let run = demo.run(&[
            "list".into(),
            "findings".into(),
            "--filter".into(),
            filter.into(),
        ]);
        let err = run.fails();
        assert!(err.contains('^'), "the bad part is pointed at: {err}");
    }
}

#[test]
fn export_and_import_paths() {
    let demo = Demo::new();
    let list = [
        ("export -o @", Slot::OutPath),
        ("export --format csv -o @", Slot::OutPath),
        ("export --format json -o @", Slot::OutPath),
        ("import @", Slot::InPath),
        ("import @ --dry-run", Slot::InPath),
        ("restore @", Slot::InPath),
    ];
    try_all(&demo, &cases(&list, ""), false);
    // A filter and a date on export are checked before anything is written.
    let out = demo._tmp.path().join("台账.xlsx");
    let out = out.to_str().expect("utf-8").to_string();
    let list = [
        (format!("export -o {out} --filter 金额>@"), Slot::Money),
        (format!("export -o {out} --as-of @"), Slot::Date),
    ];
    try_all(&demo, &list, false);
    assert!(
        !PathBuf::from(&out).exists(),
        "a refused export wrote its file"
    );
    // An import whose mapping file is bad.
    let mapping = demo._tmp.path().join("mapping.toml");
    std::fs::write(&mapping, "这不是 TOML = = =\n\u{1b}[31m").expect("mapping");
    let export = demo._tmp.path().join("good.xlsx");
    demo.run(&["export".into(), "-o".into(), export.display().to_string()])
        .ok();
    let before = demo.journal();
    let run = demo.run(&[
        "import".into(),
        export.display().to_string(),
        "--mapping".into(),
        mapping.display().to_string(),
    ]);
    run.fails();
    assert!(!run.stderr.contains('\u{1b}'), "{}", run.context());
    assert_eq!(demo.journal(), before);
}
