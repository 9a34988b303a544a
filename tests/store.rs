//! The store against a real sled view and journal in a temp dir (design.md §2): data survives a
//! reopen, the view can be lost or damaged and rebuilt from the journal, journal damage is found
//! and named, a torn write is set aside, newer stores and a second process are refused, the
//! directory is private, and a refused command writes nothing.

mod common;

use common::*;
use rectify::domain::{ClaimedStatus, Finding, Id, ReviewVerdict, Status};
use rectify::ledger::LedgerError;
use rectify::store::{Change, EntityKind, Record, SledStore, Store, StoreError};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

#[test]
fn everything_is_there_after_a_reopen_with_the_same_statuses() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let s = seed(&mut ledger);
    let before = snapshot(ledger.store());
    let before_status = statuses(&ledger);
    assert_eq!(before.len(), SEEDED_RECORDS);
    assert_eq!(before_status[&s.closed].status, Status::Closed);
    assert_eq!(before_status[&s.overdue].status, Status::NotRectified);
    assert!(before_status[&s.overdue].overdue);
    assert_eq!(before_status[&s.overdue].days_overdue, 32);
    assert_eq!(before_status[&s.partial].status, Status::Partial);
    assert_eq!(before_status[&s.draft].status, Status::NotStarted);
    drop(ledger);

    let ledger = open(&dir);
    assert_eq!(snapshot(ledger.store()), before);
    assert_eq!(statuses(&ledger), before_status);
    assert!(
        ledger.store().warnings().is_empty(),
        "a clean reopen warns of nothing: {}",
        warnings_text(ledger.store())
    );
}

#[test]
fn queries_read_the_reopened_store() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let s = seed(&mut ledger);
    drop(ledger);
    let ledger = open(&dir);

    let numbers = |rows: Vec<rectify::ledger::FindingRow>| -> Vec<String> {
        rows.into_iter().map(|r| r.finding.number.into()).collect()
    };
    // Natural number order: 2023-01-03 before 2023-01-10.
    assert_eq!(
        numbers(ledger.findings_of_project(s.project, today()).unwrap()),
        ["2023-01-01", "2023-01-02", "2023-01-03", "2023-01-10"]
    );
    assert_eq!(
        numbers(ledger.findings_of_unit(s.assist, today()).unwrap()),
        ["2023-01-02", "2023-01-10"]
    );
    assert_eq!(
        numbers(ledger.findings_of_unit(s.lead, today()).unwrap()),
        ["2023-01-01", "2023-01-02", "2023-01-03"]
    );
    assert_eq!(numbers(ledger.overdue(today()).unwrap()), ["2023-01-02"]);
    // Due for a check: the partly rectified one (next check 07-25) and the overdue one (never
    // checked, so due from its deadline 06-30), longest waiting first; never a draft.
    let due = numbers(ledger.due_for_check(today()).unwrap());
    let pos = |n: &str| due.iter().position(|x| x == n);
    assert!(
        pos("2023-01-02").is_some() && pos("2023-01-10").is_some(),
        "{due:?}"
    );
    assert!(
        pos("2023-01-02") < pos("2023-01-10"),
        "longest waiting first: {due:?}"
    );
    assert_eq!(
        pos("2023-01-03"),
        None,
        "a draft is never due for a check: {due:?}"
    );

    let counts = ledger.counts_by_status(today()).unwrap();
    let count = |st: Status| {
        counts
            .iter()
            .find(|c| c.status == st)
            .map(|c| c.count)
            .unwrap()
    };
    assert_eq!(counts.len(), 8);
    assert_eq!(count(Status::Closed), 1);
    assert_eq!(count(Status::NotRectified), 1);
    assert_eq!(count(Status::Partial), 1);
    assert_eq!(count(Status::NotStarted), 1);
    assert_eq!(counts.iter().map(|c| c.count).sum::<usize>(), 4);

    match ledger.resolve("2023-01-10").expect("resolve by number") {
        Record::Finding(f) => assert_eq!(f.id, s.partial),
        other => panic!("resolved to {other:?}"),
    }
    match ledger.resolve("区教育局").expect("resolve by unit name") {
        Record::Unit(u) => assert_eq!(u.id, s.assist),
        other => panic!("resolved to {other:?}"),
    }
}

#[test]
fn an_edit_is_in_history_and_archiving_hides_without_deleting() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let s = seed(&mut ledger);

    let mut f: Finding = ledger.get(s.overdue).unwrap();
    f.title = "未按规定及时收缴非税收入（已补充）".into();
    assert_eq!(
        ledger.update(f).expect("update"),
        1,
        "one field changed, one op"
    );

    let history = ledger.store().history(s.overdue).unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert!(
        matches!(history[0].change, Change::Create { .. }),
        "{:?}",
        history[0].change
    );
    match &history[1].change {
        Change::Set {
            field,
            value,
            before,
            ..
        } => {
            assert_eq!(field, "title");
            assert_eq!(value, "未按规定及时收缴非税收入（已补充）");
            assert_eq!(before, "未按规定及时收缴非税收入");
        }
        other => panic!("expected a Set op, got {other:?}"),
    }
    assert!(history.iter().all(|op| op.author == "tester"));
    assert!(history[0].lamport < history[1].lamport);

    ledger
        .archive(EntityKind::Finding, s.overdue)
        .expect("archive");
    let live: Vec<Id> = ledger
        .all::<Finding>()
        .unwrap()
        .into_iter()
        .map(|f| f.id)
        .collect();
    assert!(!live.contains(&s.overdue));
    assert_eq!(live.len(), 3);
    assert!(
        ledger.overdue(today()).unwrap().is_empty(),
        "an archived finding is not listed as overdue"
    );
    match ledger.store().get(EntityKind::Finding, s.overdue).unwrap() {
        Some(Record::Finding(f)) => {
            assert!(f.archived);
            assert_eq!(&*f.title, "未按规定及时收缴非税收入（已补充）");
        }
        other => panic!("archived finding should still be stored: {other:?}"),
    }
    assert_eq!(ledger.store().history(s.overdue).unwrap().len(), 3);

    // All of it survives a reopen.
    drop(ledger);
    let ledger = open(&dir);
    assert!(
        !ledger
            .all::<Finding>()
            .unwrap()
            .iter()
            .any(|f| f.id == s.overdue)
    );
    let history = ledger.store().history(s.overdue).unwrap();
    assert_eq!(history.len(), 3);
    assert!(matches!(&history[2].change, Change::Set { field, .. } if field == "archived"));
}

#[test]
fn changing_a_number_frees_the_old_one() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let s = seed(&mut ledger);
    let mut f: Finding = ledger.get(s.overdue).unwrap();
    f.number = "2023-01-20".into();
    ledger.update(f).expect("renumber");
    ledger
        .create(finding(
            s.project,
            s.lead,
            "2023-01-02",
            d(2023, 2, 1),
            d(2023, 9, 30),
        ))
        .expect("the old number is free again");
    let err = ledger
        .create(finding(
            s.project,
            s.lead,
            "2023-01-20",
            d(2023, 2, 1),
            d(2023, 9, 30),
        ))
        .expect_err("the new number is taken");
    assert!(
        matches!(&err, LedgerError::Invalid(errors) if errors.iter().any(|e| e.field == "number")),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The view is only a cache of the journal
// ---------------------------------------------------------------------------------------------

#[test]
fn a_second_open_is_refused_at_once_naming_the_holder() {
    let (_tmp, dir) = new_store_dir();
    let mut first = open(&dir);
    let u = first.create(unit("区财政局")).unwrap().id;

    // Run the second open on a thread so a hang fails the test instead of stalling it.
    let (tx, rx) = std::sync::mpsc::channel();
    let dir2 = dir.clone();
    std::thread::spawn(move || {
        let result = SledStore::open(&dir2, "other").map(|_| ());
        let _ = tx.send(result);
    });
    let result = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the second open must not hang");
    let pid = std::process::id();
    match result {
        Err(StoreError::Locked(msg)) => {
            assert!(msg.zh.contains(&format!("进程号 {pid}")), "{}", msg.zh);
            assert!(msg.en.contains(&format!("pid {pid}")), "{}", msg.en);
        }
        other => panic!("expected Locked, got {other:?}"),
    }
    // The first one is unharmed.
    first.create(unit("区教育局")).unwrap();
    drop(first);

    let second = open(&dir);
    assert!(second.store().get(EntityKind::Unit, u).unwrap().is_some());
    assert_eq!(snapshot(second.store()).len(), 2);
}

/// Run this test binary again as a child process that tries to open `dir`; returns what it
/// printed. The child is killed if it does not finish within 20 s (a hang fails the test).
fn open_in_child_process(dir: &Path) -> String {
    use std::process::{Command, Stdio};
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--ignored",
            "--exact",
            "child_process_opens_the_store",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env("RECTIFY_TEST_CHILD_STORE", dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the second process hung instead of being refused");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().expect("stdout"), &mut out)
        .expect("read");
    out
}

/// Helper, not a test on its own: `open_in_child_process` runs it in a separate process.
#[test]
#[ignore = "run as a child process by a_second_process_is_refused_naming_the_holder"]
fn child_process_opens_the_store() {
    // Run with --include-ignored on its own, there is nothing to do.
    let Some(dir) = std::env::var_os("RECTIFY_TEST_CHILD_STORE") else {
        return;
    };
    match SledStore::open(Path::new(&dir), "child") {
        Err(StoreError::Locked(msg)) => println!("CHILD-LOCKED: {}", msg.en),
        Err(e) => println!("CHILD-ERROR: {e:?}"),
        Ok(store) => println!(
            "CHILD-OPENED: {} units",
            store.scan(EntityKind::Unit).count()
        ),
    }
}

#[test]
fn a_second_process_is_refused_naming_the_holder() {
    let (_tmp, dir) = new_store_dir_alone();
    let mut ledger = open(&dir);
    ledger.create(unit("区财政局")).unwrap();

    let out = open_in_child_process(&dir);
    let line = out
        .lines()
        .find_map(|l| l.find("CHILD-").map(|at| &l[at..]))
        .unwrap_or_else(|| panic!("child said nothing: {out}"));
    assert!(line.starts_with("CHILD-LOCKED: "), "{line}");
    assert!(
        line.contains(&format!("pid {}", std::process::id())),
        "names this process: {line}"
    );

    drop(ledger);
    let out = open_in_child_process(&dir);
    assert!(
        out.contains("CHILD-OPENED: 1 units"),
        "once closed, another process opens it: {out}"
    );
}

#[test]
fn a_new_store_is_private() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    seed(&mut ledger);
    assert_eq!(mode_of(&dir), 0o700);
    assert_eq!(mode_of(&journal_file(&dir)), 0o600);
    assert!(
        ledger.store().warnings().is_empty(),
        "{}",
        warnings_text(ledger.store())
    );
}

#[test]
fn an_existing_store_dir_readable_by_others_is_repaired_with_a_warning() {
    let (_tmp, dir) = new_store_dir();
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(mode_of(&dir), 0o755);

    let ledger = open(&dir);
    assert_eq!(mode_of(&dir), 0o700);
    let w = warnings_text(ledger.store());
    assert!(
        w.contains("755") && w.contains("700"),
        "the warning says what was changed: {w}"
    );
    drop(ledger);

    // Once repaired, reopening warns of nothing.
    let ledger = open(&dir);
    assert!(
        ledger.store().warnings().is_empty(),
        "{}",
        warnings_text(ledger.store())
    );
}

// ---------------------------------------------------------------------------------------------
// Rules: refused commands write nothing
// ---------------------------------------------------------------------------------------------

#[test]
fn a_finding_number_used_twice_in_a_project_is_refused() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let s = seed(&mut ledger);
    let journal = journal_file(&dir);
    let before = std::fs::read(&journal).unwrap();

    let dup = finding(
        s.project,
        s.lead,
        "2023-01-02",
        d(2023, 2, 1),
        d(2023, 9, 30),
    );
    let dup_id = dup.id;
    match ledger.create(dup) {
        Err(LedgerError::Invalid(errors)) => {
            let e = errors
                .iter()
                .find(|e| e.field == "number")
                .expect("error on number");
            assert!(
                e.msg.zh.contains("2023-01-02") && e.msg.zh.contains("已被使用"),
                "{}",
                e.msg.zh
            );
        }
        other => panic!("expected Invalid on number, got {other:?}"),
    }
    assert_eq!(
        std::fs::read(&journal).unwrap(),
        before,
        "a refused command leaves the journal as it was"
    );
    assert!(
        ledger
            .store()
            .get(EntityKind::Finding, dup_id)
            .unwrap()
            .is_none()
    );

    // Twice in one batch is refused too.
    let a = finding(
        s.project,
        s.lead,
        "2023-01-30",
        d(2023, 2, 1),
        d(2023, 9, 30),
    );
    let b = finding(
        s.project,
        s.lead,
        "2023-01-30",
        d(2023, 2, 1),
        d(2023, 9, 30),
    );
    let err = ledger
        .create_batch(vec![Record::Finding(a), Record::Finding(b)])
        .unwrap_err();
    assert!(
        matches!(&err, LedgerError::Invalid(errors) if errors[0].field == "number"),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&journal).unwrap(), before);

    // The same number in another project is fine.
    let other = ledger.create(project("2023-02")).unwrap().id;
    ledger
        .create(finding(
            other,
            s.lead,
            "2023-01-02",
            d(2023, 2, 1),
            d(2023, 9, 30),
        ))
        .expect("numbers are unique per project only");
}

#[test]
fn closing_a_finding_that_is_not_rectified_is_refused() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let s = seed(&mut ledger);
    let journal = journal_file(&dir);
    let before = std::fs::read(&journal).unwrap();
    let records_before = snapshot(ledger.store());

    // 2023-01-02 is 未整改: no closure.
    match ledger.create(closure(s.overdue, d(2023, 8, 1))) {
        Err(LedgerError::Rule(msg)) => {
            assert!(
                msg.zh.contains("已整改"),
                "says what status is needed: {}",
                msg.zh
            );
            assert!(
                msg.zh.contains("未整改"),
                "says what status it is in: {}",
                msg.zh
            );
        }
        other => panic!("expected a rule error, got {other:?}"),
    }
    assert_eq!(
        std::fs::read(&journal).unwrap(),
        before,
        "a refused closure writes nothing"
    );
    // A claim alone is not enough either.
    ledger
        .create(report(s.overdue, d(2023, 8, 1), ClaimedStatus::Rectified))
        .unwrap();
    let before = std::fs::read(&journal).unwrap();
    assert!(matches!(
        ledger.create(closure(s.overdue, d(2023, 8, 2))),
        Err(LedgerError::Rule(_))
    ));
    assert_eq!(
        std::fs::read(&journal).unwrap(),
        before,
        "a refused closure writes nothing"
    );
    assert_eq!(snapshot(ledger.store()).len(), records_before.len() + 1);
    // Reopening a finding that is not closed is refused as well.
    assert!(matches!(
        ledger.create(reopen(s.overdue, d(2023, 8, 2))),
        Err(LedgerError::Rule(_))
    ));
    assert_eq!(std::fs::read(&journal).unwrap(), before);

    // Once determined 已整改 the closure goes through.
    ledger
        .create(determination(
            s.overdue,
            d(2023, 8, 3),
            ReviewVerdict::Rectified,
        ))
        .unwrap();
    ledger
        .create(closure(s.overdue, d(2023, 8, 4)))
        .expect("closure after 已整改");
    let f: Finding = ledger.get(s.overdue).unwrap();
    assert_eq!(
        ledger.status_of(&f, d(2023, 8, 4)).unwrap().status,
        Status::Closed
    );
}

#[test]
fn a_refused_edit_leaves_the_journal_and_the_record_unchanged() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let s = seed(&mut ledger);
    let journal = journal_file(&dir);
    let before = std::fs::read(&journal).unwrap();
    let original: Finding = ledger.get(s.partial).unwrap();

    let mut edited = original.clone();
    edited.title = "含有\u{1b}[2J控制字符".into();
    edited.number = "2023-01-01".into(); // also taken
    let err = ledger.update(edited).unwrap_err();
    assert!(
        matches!(&err, LedgerError::Invalid(errors) if errors.iter().any(|e| e.field == "title")),
        "{err:?}"
    );
    let mut edited = original.clone();
    edited.number = "2023-01-01".into();
    let err = ledger.update(edited).unwrap_err();
    assert!(
        matches!(&err, LedgerError::Invalid(errors) if errors.iter().any(|e| e.field == "number")),
        "{err:?}"
    );

    assert_eq!(std::fs::read(&journal).unwrap(), before);
    assert_eq!(ledger.get::<Finding>(s.partial).unwrap(), original);
    assert_eq!(ledger.store().history(s.partial).unwrap().len(), 1);
}

#[test]
fn a_batch_cannot_close_a_finding_that_was_never_rectified() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let s = seed(&mut ledger);
    let journal = journal_file(&dir);
    let before = std::fs::read(&journal).unwrap();

    let f = finding(
        s.project,
        s.lead,
        "2023-01-40",
        d(2023, 1, 10),
        d(2023, 6, 30),
    );
    let closed_at_once = closure(f.id, d(2023, 2, 1));
    let result = ledger.create_batch(vec![Record::Finding(f), Record::Closure(closed_at_once)]);
    assert!(
        matches!(result, Err(LedgerError::Rule(_))),
        "closure without 已整改 inside a batch: {result:?}"
    );
    assert_eq!(
        std::fs::read(&journal).unwrap(),
        before,
        "a refused batch writes nothing"
    );
}

#[test]
fn a_batch_may_determine_and_then_close_a_finding() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let s = seed(&mut ledger);
    let result = ledger.create_batch(vec![
        Record::Determination(determination(
            s.overdue,
            d(2023, 8, 1),
            ReviewVerdict::Rectified,
        )),
        Record::Closure(closure(s.overdue, d(2023, 8, 2))),
    ]);
    assert!(result.is_ok(), "{result:?}");
    let f: Finding = ledger.get(s.overdue).unwrap();
    assert_eq!(
        ledger.status_of(&f, d(2023, 8, 2)).unwrap().status,
        Status::Closed
    );
}
