//! Faults (issue 8): a write or fsync the disk refuses shows an error and leaves the ledger as it
//! was before the action; nothing the user typed is lost, and the same action succeeds once the
//! disk has room again.
//!
//! Three layers: the ledger's commands over a `FaultyStore` (a real `SledStore` behind the
//! `Store` trait whose next commit can be made to fail as a full disk fails it); the terminal app
//! over the same store; and the real `rectify` binary with a file size limit (`RLIMIT_FSIZE`), so
//! its journal and sled's files really are refused by the kernel.

mod common;

use common::cli_env::{Run, rectify_command};
use common::tui_env::{buffer_text, script_keys, test_today};
use common::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rectify::domain::{
    CheckVerdict, ClaimedStatus, Finding, FollowUpCheck, Id, ProgressReport, ReviewVerdict,
    StatusView,
};
use rectify::ledger::{Ledger, LedgerError, LedgerResult};
use rectify::store::{EntityKind, Op, Record, SledStore, Store, StoreError};
use rectify::tui::app::{App, AppEvent, Mode};
use rectify::tui::keymap::Keymap;
use rectify::tui::theme::Theme;
use std::collections::BTreeMap;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::rc::Rc;

#[path = "common/faulty.rs"]
mod faulty;

use faulty::{FaultyStore, Switch};

type Faulty = FaultyStore<SledStore>;

/// Everything a user could see of a ledger: every record (archived too) with its history and
/// derived status, and the bytes of every file in the journal directory.
#[derive(Debug, PartialEq)]
struct State {
    records: Vec<Record>,
    histories: BTreeMap<Id, Vec<Op>>,
    statuses: BTreeMap<Id, StatusView>,
    journal: BTreeMap<String, Vec<u8>>,
}

fn journal_files_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir.join("journal"))
        .expect("journal dir")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read journal file"))
        })
        .collect()
}

fn state_of<S: Store>(ledger: &Ledger<S>, dir: &Path) -> State {
    let mut records = Vec::new();
    for kind in EntityKind::ALL {
        for record in ledger.store().scan(kind) {
            records.push(record.expect("a record decodes"));
        }
    }
    records.sort_by_key(Record::id);
    let histories = records
        .iter()
        .map(|r| (r.id(), ledger.store().history(r.id()).expect("history")))
        .collect();
    let statuses = ledger
        .finding_rows(today())
        .expect("rows")
        .into_iter()
        .map(|r| (r.finding.id, r.status))
        .collect();
    State {
        records,
        histories,
        statuses,
        journal: journal_files_of(dir),
    }
}

/// A seeded ledger (see `common::seed`) behind a `FaultyStore`.
fn faulty_ledger(dir: &Path) -> (Ledger<Faulty>, Rc<Switch>, Seeded) {
    rectify::i18n::set_lang(rectify::i18n::Lang::Zh);
    let mut ledger = open(dir);
    let seeded = seed(&mut ledger);
    let (store, switch) = FaultyStore::new(ledger.into_store());
    (Ledger::new(store), switch, seeded)
}

fn assert_disk_full_message(what: &str, err: &LedgerError) {
    assert!(
        matches!(err, LedgerError::Store(StoreError::Io(_))),
        "{what}: the disk error comes back as it is, not as something else: {err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("写入") && text.contains("磁盘"),
        "{what}: the message says in Chinese that writing failed because the disk is full: {text}"
    );
}

type Action<'a> = Box<dyn Fn(&mut Ledger<Faulty>) -> LedgerResult<()> + 'a>;

/// Run `action` with the disk failing at its first commit, then (if it commits more than once)
/// at its second, and so on: every refusal must leave the ledger exactly as it was. Then run it
/// with a healthy disk: it succeeds and changes the ledger.
fn refused_then_saved(
    ledger: &mut Ledger<Faulty>,
    switch: &Switch,
    dir: &Path,
    name: &str,
    action: &Action,
) {
    let before = state_of(ledger, dir);
    let mut at = 0;
    loop {
        switch.fail_after(at);
        let refused_before = switch.refused.get();
        let result = action(ledger);
        if switch.refused.get() == refused_before {
            // The action made `at` commits or fewer: the fault was never reached.
            switch.disarm();
            let Err(e) = result else { break };
            panic!("{name}: failed without a disk fault: {e}");
        }
        match result {
            Ok(()) => panic!("{name}: reported success although the disk refused commit {at}"),
            Err(e) => assert_disk_full_message(name, &e),
        }
        assert_eq!(
            state_of(ledger, dir),
            before,
            "{name}: a refused commit (number {at}) changed the ledger"
        );
        at += 1;
    }
    // The last run found a healthy disk at every commit it made, and saved.
    let after = state_of(ledger, dir);
    assert_ne!(
        after, before,
        "{name}: on a healthy disk the action changes the ledger"
    );
    assert!(
        after.journal.values().map(Vec::len).sum::<usize>()
            > before.journal.values().map(Vec::len).sum::<usize>(),
        "{name}: the saved action is in the journal"
    );
    assert!(at >= 1, "{name}: the action never reached the store");
}

#[test]
fn every_action_refused_by_a_full_disk_leaves_the_ledger_as_it_was() {
    let (_tmp, dir) = new_store_dir();
    let (mut ledger, switch, s) = faulty_ledger(&dir);

    let new_finding = finding(
        s.project,
        s.lead,
        "2023-01-20",
        d(2023, 2, 1),
        d(2023, 12, 31),
    );
    let claim = report(s.overdue, d(2023, 7, 20), ClaimedStatus::Rectified);
    let decision = determination(s.overdue, d(2023, 7, 25), ReviewVerdict::Rectified);
    let close = closure(s.overdue, d(2023, 7, 28));
    let again = reopen(s.overdue, d(2023, 7, 30));
    let look_back = check(s.partial, d(2023, 7, 26), CheckVerdict::Rectified);
    let units = vec![
        Record::Unit(unit("区卫健委")),
        Record::Unit(unit("区住建局")),
    ];
    let actions: Vec<(&str, Action)> = vec![
        (
            "新建问题",
            Box::new(|l| l.create(new_finding.clone()).map(drop)),
        ),
        (
            "修改字段",
            Box::new(|l| {
                let mut f: Finding = l.get(s.overdue)?;
                f.recommendation = "建立非税收入台账，按月对账。".into();
                l.update(f).map(drop)
            }),
        ),
        ("整改进展", Box::new(|l| l.create(claim.clone()).map(drop))),
        ("认定", Box::new(|l| l.create(decision.clone()).map(drop))),
        ("销号", Box::new(|l| l.create(close.clone()).map(drop))),
        ("重新打开", Box::new(|l| l.create(again.clone()).map(drop))),
        (
            "回头看",
            Box::new(|l| l.create(look_back.clone()).map(drop)),
        ),
        (
            "归档",
            Box::new(|l| l.archive(EntityKind::Finding, s.draft)),
        ),
        (
            "取消归档",
            Box::new(|l| l.unarchive(EntityKind::Finding, s.draft)),
        ),
        (
            "批量导入",
            Box::new(|l| l.create_batch(units.clone()).map(drop)),
        ),
    ];
    for (name, action) in &actions {
        refused_then_saved(&mut ledger, &switch, &dir, name, action);
    }

    // The saves are what a reopened store holds, and `check` finds the journal and the view in
    // agreement: the refused attempts left no trace.
    let before = state_of(&ledger, &dir);
    drop(ledger);
    let ledger = open(&dir);
    assert_eq!(state_of(&ledger, &dir), before);
    let records = ledger.records_of(s.overdue).expect("records");
    assert_eq!(
        (
            records.reports.len(),
            records.determinations.len(),
            records.closures.len(),
            records.reopens.len()
        ),
        (1, 1, 1, 1),
        "claim, determination, closure and reopening each saved once"
    );
    assert!(statuses(&ledger)[&s.overdue].reopened);
    drop(ledger);
    let report = rectify::store::check::run(&dir, "t", false).expect("check");
    assert!(
        report.is_clean(),
        "{:?} {:?}",
        report.damage,
        report.mismatches
    );
    assert_eq!(report.records, SEEDED_RECORDS + 8);
}

/// Undo in the app is `revert`: refused by a full disk, it changes nothing either.
#[test]
fn a_refused_revert_changes_nothing() {
    let (_tmp, dir) = new_store_dir();
    let (mut ledger, switch, s) = faulty_ledger(&dir);
    let mut f: Finding = ledger.get(s.partial).expect("finding");
    f.title = "非税收入滞留专户".into();
    f.recommendation = "限期缴库。".into();
    let ops = ledger
        .update_record(Record::Finding(f))
        .expect("edit two fields");
    assert_eq!(ops.len(), 2);
    let revert: Action = Box::new(move |l| l.revert(&ops).map(drop));
    refused_then_saved(&mut ledger, &switch, &dir, "撤销", &revert);
    let back: Finding = ledger.get(s.partial).expect("finding");
    assert_eq!(&*back.title, "未按规定及时收缴非税收入");
}

// ---------------------------------------------------------------------------------------------
// The terminal app over the faulty store
// ---------------------------------------------------------------------------------------------

struct FaultyApp {
    app: App<Faulty>,
    switch: Rc<Switch>,
    dir: PathBuf,
    _tmp: Scratch,
}

impl FaultyApp {
    /// Go to the findings panel and return the finding under the cursor.
    fn first_finding(&mut self) -> rectify::domain::Id {
        self.keys("3");
        match self.app.selected() {
            Some(rectify::tui::view::Selected::Finding(id)) => id,
            other => panic!("a finding is selected, not {other:?}"),
        }
    }

    fn new() -> FaultyApp {
        rectify::i18n::set_lang(rectify::i18n::Lang::Zh);
        let (tmp, dir) = new_store_dir();
        let mut ledger = Ledger::new(SledStore::open(&dir, "审计员甲").expect("open store"));
        ledger
            .create_batch(rectify::demo::story::demo_records(test_today()))
            .expect("demo loads");
        let (store, switch) = FaultyStore::new(ledger.into_store());
        let (keymap, errors) = Keymap::load("default", None);
        assert!(errors.is_empty(), "{errors:?}");
        let theme = Theme::new(false, rectify::config::Theme::Auto);
        let app = App::new(
            Ledger::new(store),
            keymap,
            theme,
            dir.clone(),
            "审计员甲".into(),
            test_today(),
        )
        .expect("app");
        FaultyApp {
            app,
            switch,
            dir,
            _tmp: tmp,
        }
    }

    fn keys(&mut self, script: &str) -> &mut Self {
        for key in script_keys(script) {
            self.app.handle_event(AppEvent::Key(key));
        }
        self
    }

    fn screen(&mut self) -> String {
        let mut terminal = Terminal::new(TestBackend::new(140, 40)).expect("test terminal");
        terminal
            .draw(|frame| rectify::tui::render::render(&mut self.app, frame))
            .expect("draw");
        buffer_text(terminal.backend().buffer())
    }

    fn field(&self, key: &str) -> String {
        match &self.app.mode {
            Mode::Form(form) => form
                .field(key)
                .unwrap_or_else(|| panic!("the form has a field {key}"))
                .input
                .summary(),
            _ => panic!("a form is open"),
        }
    }

    fn focused(&self) -> &'static str {
        match &self.app.mode {
            Mode::Form(form) => form.fields[form.focus].key,
            _ => panic!("a form is open"),
        }
    }

    fn state(&self) -> State {
        state_of(&self.app.ledger, &self.dir)
    }
}

/// The screen drops spaces between wide characters' cells; compare without any whitespace.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn a_check_refused_by_a_full_disk_keeps_the_form_and_what_was_typed() {
    let mut env = FaultyApp::new();
    let target = env.first_finding();
    let before = env.state();
    let listed = env.app.snap.findings.len();
    let note = "回头看：现场核实制度已印发";

    env.keys("c").keys(note);
    env.switch.fail_next();
    env.keys("<enter>");
    assert_eq!(env.switch.refused.get(), 1, "the save reached the store");
    let screen = env.screen();
    assert!(
        matches!(env.app.mode, Mode::Form(_)),
        "the form stays open:\n{screen}"
    );
    assert_eq!(env.field("note"), note, "what was typed is still there");
    assert!(
        squeeze(&screen).contains("写入整改日志失败：磁盘空间已满"),
        "the screen says why nothing was saved:\n{screen}"
    );
    assert!(!screen.contains("已保存"), "{screen}");
    assert_eq!(env.state(), before, "nothing was written");
    assert_eq!(env.app.snap.findings.len(), listed);

    // Room on the disk again: the same form saves.
    env.keys("<enter>");
    let screen = env.screen();
    assert!(
        matches!(env.app.mode, Mode::Normal),
        "saved and closed:\n{screen}"
    );
    assert!(screen.contains("已保存"), "{screen}");
    let checks: Vec<FollowUpCheck> = env
        .app
        .ledger
        .records_of(target)
        .expect("records")
        .checks
        .into_iter()
        .filter(|c| c.note == note)
        .collect();
    assert_eq!(checks.len(), 1, "saved once, on the second try");
    assert_ne!(env.state(), before);
}

#[test]
fn a_claim_and_an_edit_refused_by_a_full_disk_can_be_saved_again() {
    let mut env = FaultyApp::new();
    let target = env.first_finding();

    // A progress report (整改进展), saved with ctrl-s.
    let narrative = "已将滞留资金缴入国库，并制定管理办法";
    let before = env.state();
    env.keys("r").keys(narrative);
    env.switch.fail_next();
    env.keys("<ctrl-s>");
    let screen = env.screen();
    assert!(matches!(env.app.mode, Mode::Form(_)), "{screen}");
    assert!(squeeze(&screen).contains("磁盘空间已满"), "{screen}");
    assert_eq!(env.field("narrative"), narrative);
    assert_eq!(env.state(), before);
    env.keys("<ctrl-s>");
    assert!(matches!(env.app.mode, Mode::Normal), "{}", env.screen());
    let reports: Vec<ProgressReport> = env
        .app
        .ledger
        .records_of(target)
        .expect("records")
        .reports
        .into();
    assert_eq!(
        reports.iter().filter(|r| r.narrative == narrative).count(),
        1
    );

    // An edit of the finding itself: the field edits go through `update_record`.
    let before = env.state();
    let title = env
        .app
        .snap
        .finding(target)
        .expect("row")
        .finding
        .title
        .to_string();
    env.keys("e");
    for _ in 0..10 {
        if env.focused() == "title" {
            break;
        }
        env.keys("<tab>");
    }
    assert_eq!(env.focused(), "title");
    assert_eq!(env.field("title"), title);
    env.keys("（已补充）");
    env.switch.fail_next();
    env.keys("<ctrl-s>");
    let screen = env.screen();
    assert!(matches!(env.app.mode, Mode::Form(_)), "{screen}");
    assert!(squeeze(&screen).contains("磁盘空间已满"), "{screen}");
    assert_eq!(env.field("title"), format!("{title}（已补充）"));
    assert_eq!(env.state(), before);
    env.keys("<ctrl-s>");
    assert!(matches!(env.app.mode, Mode::Normal), "{}", env.screen());
    let f: Finding = env.app.ledger.get(target).expect("finding");
    assert_eq!(&*f.title, format!("{title}（已补充）"));
}

#[test]
fn an_archive_refused_by_a_full_disk_says_so_and_keeps_the_row() {
    let mut env = FaultyApp::new();
    let target = env.first_finding();
    let before = env.state();
    let listed = env.app.snap.findings.len();
    env.switch.fail_next();
    env.keys("a");
    assert!(matches!(env.app.mode, Mode::Confirm(_)), "archiving asks");
    env.keys("y");
    let screen = env.screen();
    assert_eq!(env.switch.refused.get(), 1, "{screen}");
    assert!(squeeze(&screen).contains("磁盘空间已满"), "{screen}");
    assert_eq!(env.state(), before);
    assert_eq!(env.app.snap.findings.len(), listed);
    assert_eq!(
        env.app.selected(),
        Some(rectify::tui::view::Selected::Finding(target))
    );
    // Room on the disk again: the same keys archive it.
    env.keys("ay");
    let f: Finding = env.app.ledger.get(target).expect("finding");
    assert!(f.archived, "{}", env.screen());
    assert_ne!(env.state(), before);
}

// ---------------------------------------------------------------------------------------------
// The real binary, with a file size limit
// ---------------------------------------------------------------------------------------------

/// `rectify --db <dir> …` with `RLIMIT_FSIZE` at `limit` bytes: any write that would take a file
/// past it fails with EFBIG, as a full disk fails with ENOSPC. With `ignore_signal` SIGXFSZ is
/// ignored (so the write returns the error); otherwise the kernel's default applies and the
/// process is killed by it.
fn rectify_limited(dir: &Path, limit: u64, ignore_signal: bool, args: &[&str]) -> Run {
    let mut cmd = rectify_command();
    cmd.arg("--db").arg(dir).args(args);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if ignore_signal {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            }
            let rl = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rl) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().expect("start rectify");
    let signal = out.status.signal();
    let mut run = Run::from_output(format!("rectify {} (fsize {limit})", args.join(" ")), out);
    if let Some(sig) = signal {
        run.code = Some(128 + sig);
    }
    run
}

fn rectify_run(dir: &Path, args: &[&str]) -> Run {
    let out = rectify_command()
        .arg("--db")
        .arg(dir)
        .args(args)
        .output()
        .expect("start rectify");
    Run::from_output(format!("rectify {}", args.join(" ")), out)
}

fn own_journal(dir: &Path) -> PathBuf {
    journal_file(dir)
}

fn largest_store_file(dir: &Path) -> u64 {
    std::fs::metadata(largest_file(dir))
        .expect("metadata")
        .len()
}

fn findings_json(dir: &Path) -> Vec<serde_json::Value> {
    match rectify_run(dir, &["list", "findings", "--json", "--archived"]).json() {
        serde_json::Value::Array(items) => items,
        other => panic!("not a list: {other}"),
    }
}

fn assert_check_clean(dir: &Path) {
    let run = rectify_run(dir, &["check"]);
    run.ok();
}

/// A large batch (a synthetic ledger added with `demo --force`) whose journal append crosses the
/// limit: sled's files stay under it, so it is the journal write that fails. The command says so
/// and exits 1, the journal is cut back to its exact length, and the store reopens unchanged.
#[test]
fn a_journal_append_refused_by_the_kernel_writes_nothing() {
    // First with SIGXFSZ ignored for it, then as a plain `ulimit -f` leaves it (the kernel's
    // default kills): rectify ignores the signal itself, so it says why instead of dying.
    for ignored_for_it in [true, false] {
        let (_tmp, dir) = new_store_dir_alone();
        rectify_run(&dir, &["demo"]).ok();
        let before = findings_json(&dir);
        let journal = own_journal(&dir);
        let journal_before = std::fs::read(&journal).expect("journal");
        // Well above every file sled keeps, well below the journal once 1,000 findings are added.
        let limit = largest_store_file(&dir).max(journal_before.len() as u64) + 1024 * 1024;

        let run = rectify_limited(
            &dir,
            limit,
            ignored_for_it,
            &["demo", "--synthetic", "1000", "--force"],
        );
        assert_ne!(
            run.code,
            Some(128 + libc::SIGXFSZ),
            "not killed by the signal:\n{}",
            run.context()
        );
        let stderr = run.fails();
        assert!(
            stderr.contains("写入整改日志失败") && stderr.contains("文件超过了系统允许的大小"),
            "names the write that failed and why, in Chinese:\n{}",
            run.context()
        );
        assert_eq!(
            std::fs::read(&journal).expect("journal"),
            journal_before,
            "the journal is cut back to exactly what it was"
        );
        assert_eq!(findings_json(&dir), before, "the ledger is as it was");
        assert_check_clean(&dir);
        // With room again, the same command goes through.
        rectify_run(&dir, &["demo", "--synthetic", "1000", "--force"]).ok();
        assert_eq!(findings_json(&dir).len(), before.len() + 1000);
    }
}

/// A small action under limits from the journal's length to well above every file. Found here:
/// sled's files are larger than the journal and sled writes past their end while the store
/// opens, so a limit below that refuses the store at open, before anything is written ("台账视图
/// 读写失败：文件超过了系统允许的大小"); above it, the small journal append fits. Whatever
/// the command reports is what the store then holds: refused means not written; "in the
/// journal, the view failed" means it appears on the next open; success means it is there. No
/// panic, and `check` is clean after every round.
#[test]
fn whatever_write_the_limit_refuses_the_store_holds_what_the_command_said() {
    let (_tmp, dir) = new_store_dir_alone();
    rectify_run(&dir, &["demo"]).ok();
    let number = findings_json(&dir)
        .iter()
        .find(|f| f["status"] == "整改中" || f["status"] == "未整改")
        .and_then(|f| f["number"].as_str().map(str::to_string))
        .expect("an open finding in the demo");
    let journal = own_journal(&dir);
    let mut outcomes = BTreeMap::<&str, usize>::new();
    let mut rng = rectify::demo::rng::SplitMix64(0xF5_12E);
    for round in 0..12u64 {
        let len = std::fs::metadata(&journal).expect("journal").len();
        let sled_file = largest_store_file(&dir).max(len);
        let limit = match round {
            0 => len, // not one byte may be appended to the journal
            r if r % 2 == 1 => rng.between(len, sled_file),
            _ => rng.between(sled_file, sled_file + 2 * 1024 * 1024),
        };
        let before = findings_json(&dir);
        let journal_before = std::fs::read(&journal).expect("journal");
        let checks_before = checks_of(&dir, &number);
        let note = format!("限额写入测试 {round}");
        let run = rectify_limited(
            &dir,
            limit,
            true,
            &[
                "followup",
                &number,
                "--verdict",
                "部分整改",
                "--note",
                &note,
            ],
        );
        run.assert_no_panic();
        let saved_now = checks_of(&dir, &number).contains(&note);
        let outcome = if run.code == Some(0) {
            assert!(saved_now, "acknowledged but missing:\n{}", run.context());
            "saved"
        } else {
            let stderr = run.fails();
            if stderr.contains("更改已写入日志") {
                assert!(
                    saved_now,
                    "the error promised the change would appear on reopening:\n{}",
                    run.context()
                );
                "in the journal, view refused"
            } else {
                assert!(
                    stderr.contains("失败") && stderr.contains("文件超过了系统允许的大小"),
                    "{}",
                    run.context()
                );
                assert!(!saved_now, "refused but written:\n{}", run.context());
                assert_eq!(
                    std::fs::read(&journal).expect("journal"),
                    journal_before,
                    "round {round}: a refused write leaves the journal as it was"
                );
                assert_eq!(checks_of(&dir, &number), checks_before);
                if stderr.contains("写入整改日志") {
                    "journal refused"
                } else {
                    "view refused"
                }
            }
        };
        assert_eq!(
            findings_json(&dir).len(),
            before.len(),
            "round {round}: no finding appears or goes"
        );
        *outcomes.entry(outcome).or_default() += 1;
        assert_check_clean(&dir);
    }
    eprintln!("outcomes by limit: {outcomes:?}");
    assert!(
        outcomes.contains_key("saved") && outcomes.len() >= 2,
        "the limits covered refusals and successes: {outcomes:?}"
    );
}

fn checks_of(dir: &Path, number: &str) -> Vec<String> {
    let shown = rectify_run(dir, &["show", number, "--json"]).json();
    shown["checks"]
        .as_array()
        .map(|checks| {
            checks
                .iter()
                .filter_map(|c| c["note"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
