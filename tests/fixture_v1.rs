//! The frozen store of format 1 (`tests/fixtures/v1/ledger`): every later rectify must open it,
//! read its records and history, and rebuild its view from its journal. Never regenerate it; a new
//! format gets a new fixture beside it.

use chrono::NaiveDate;
use rectify::domain::{
    CheckKind, CheckMethod, CheckVerdict, Finding, FollowUpCheck, Id, Mode, Money, Project,
    ProjectType, ResponsibleUnit, Status, Unit, UnitKind, UnitRole,
};
use rectify::ledger::Ledger;
use rectify::store::{EntityKind, SledStore, Store, check};
use std::path::{Path, PathBuf};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1/ledger")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create copy dir");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// Writes the fixture; run once by hand with `cargo test --test fixture_v1 -- --ignored`.
#[test]
#[ignore]
fn write_v1_fixture() {
    let dir = fixture_dir();
    if dir.exists() {
        panic!("the v1 fixture exists and is frozen; do not regenerate it");
    }
    let mut ledger = Ledger::new(SledStore::open(&dir, "fixture").expect("open new store"));
    let mut unit = Unit::new("区财政局", UnitKind::PartyGovernment);
    unit.short_name = "财政局".into();
    let unit = ledger.create(unit).expect("unit");
    let mut project = Project::new(
        "2022-03",
        "2022年度本级预算执行审计",
        2022,
        ProjectType::BudgetExecution,
    );
    project.audited_units.push(unit.id);
    project.doc_date = Some(d(2022, 8, 1));
    let project = ledger.create(project).expect("project");
    let mut f = Finding::new(
        project.id,
        "2022-03-01",
        "预算编制不够细化",
        d(2022, 11, 30),
    );
    f.units = Box::new([ResponsibleUnit {
        unit: unit.id,
        role: UnitRole::Lead,
    }]);
    f.issued_on = Some(d(2022, 8, 1));
    f.amount = Some(Money(12_345_600));
    f.mode = Mode::Staged;
    let f = ledger.create(f).expect("finding");
    let mut edited = f.clone();
    edited.title = "预算编制不够细化，年初预算到位率低".into();
    ledger.update(edited).expect("edit");
    ledger
        .create(FollowUpCheck {
            id: Id::new(),
            finding: f.id,
            date: d(2023, 3, 1),
            checker: "王审计".into(),
            kind: CheckKind::LookBack,
            method: CheckMethod::SiteVisit,
            verdict: CheckVerdict::Partial,
            note: "已细化部分科目".into(),
            next_check: Some(d(2023, 9, 1)),
            project: None,
            archived: false,
            plan: None,
            evidence: Vec::new(),
        })
        .expect("check");
    let mut g = Finding::new(
        project.id,
        "2022-03-02",
        "已归档的误录问题",
        d(2022, 11, 30),
    );
    g.units = Box::new([ResponsibleUnit {
        unit: unit.id,
        role: UnitRole::Lead,
    }]);
    let g = ledger.create(g).expect("finding 2");
    ledger.archive(EntityKind::Finding, g.id).expect("archive");
}

fn assert_fixture_content(ledger: &Ledger<SledStore>) {
    let findings = ledger.all::<Finding>().expect("findings");
    assert_eq!(findings.len(), 1, "the archived finding stays hidden");
    let f = &findings[0];
    assert_eq!(&*f.number, "2022-03-01");
    assert_eq!(&*f.title, "预算编制不够细化，年初预算到位率低");
    assert_eq!(f.amount, Some(Money(12_345_600)));
    assert_eq!(
        ledger.status_of(f, d(2022, 10, 1)).expect("status").status,
        Status::InProgress
    );
    assert_eq!(
        ledger.status_of(f, d(2023, 3, 2)).expect("status").status,
        Status::Partial
    );
    let history = ledger.store().history(f.id).expect("history");
    assert_eq!(history.len(), 2, "create + one field edit");
    assert!(history.iter().all(|op| op.author == "fixture"));
    assert_eq!(ledger.all::<Unit>().expect("units")[0].name, "区财政局");
    assert_eq!(
        ledger.all::<Project>().expect("projects")[0].number,
        "2022-03"
    );
    assert_eq!(ledger.all::<FollowUpCheck>().expect("checks").len(), 1);
}

#[test]
fn v1_fixture_opens_and_reads_back() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("ledger");
    copy_dir(&fixture_dir(), &dir);
    let ledger = Ledger::new(SledStore::open(&dir, "reader").expect("the v1 store opens"));
    assert_fixture_content(&ledger);
    drop(ledger);
    let report = check::run(&dir, "reader", false).expect("check runs");
    assert!(
        report.is_clean(),
        "{:?} {:?}",
        report.damage,
        report.mismatches
    );
}

#[test]
fn v1_journal_alone_rebuilds_the_view() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("ledger");
    copy_dir(&fixture_dir(), &dir);
    std::fs::remove_dir_all(dir.join("view")).expect("remove view");
    let ledger = Ledger::new(SledStore::open(&dir, "reader").expect("opens from the journal"));
    assert_fixture_content(&ledger);
}

/// Schema-1 values are upgraded as they are read and rewritten in the current shape on their
/// next change; a store holding both shapes reads correctly, before and after reopening.
#[test]
fn a_schema_1_record_changed_today_is_stored_in_the_current_shape() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("ledger");
    copy_dir(&fixture_dir(), &dir);
    let mut ledger = Ledger::new(SledStore::open(&dir, "reader").expect("opens"));
    let check = ledger.all::<FollowUpCheck>().expect("checks")[0].clone();
    assert!(check.plan.is_none() && check.evidence.is_empty());
    let mut changed = check.clone();
    changed.note = "复核后补充：整改资料齐全".into();
    ledger.update(changed).expect("update the old check");
    drop(ledger);
    let ledger = Ledger::new(SledStore::open(&dir, "reader").expect("reopens"));
    let again = ledger.all::<FollowUpCheck>().expect("checks")[0].clone();
    assert_eq!(again.note, "复核后补充：整改资料齐全");
    assert_eq!(again.verdict, check.verdict);
    drop(ledger);
    let report = check::run(&dir, "reader", false).expect("check runs");
    assert!(report.is_clean(), "{:?}", report.mismatches);
}
