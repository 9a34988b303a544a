//! The frozen store of record schema 2 (`tests/fixtures/v2/ledger`): every record kind, an
//! attached evidence file, a field edit. Every later rectify must open it and read it back, and
//! rebuild its view from its journal alone. Never regenerate it; a new schema gets a new fixture.

use chrono::NaiveDate;
use rectify::domain::*;
use rectify::ledger::Ledger;
use rectify::store::{EntityKind, SledStore, Store, check, evidence};
use std::path::{Path, PathBuf};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v2/ledger")
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

const VOUCHER: &str = "非税收入一般缴款书 2023-05-08 金额 120000.00 元";

/// Writes the fixture; run once by hand with `cargo test --test fixture_v2 -- --ignored`.
#[test]
#[ignore]
fn write_v2_fixture() {
    let dir = fixture_dir();
    if dir.exists() {
        panic!("the v2 fixture exists and is frozen; do not regenerate it");
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
    let mut later = Project::new(
        "2023-02",
        "区财政局2023年度部门预算执行审计",
        2023,
        ProjectType::DepartmentBudget,
    );
    later.audited_units.push(unit.id);
    later.doc_date = Some(d(2023, 9, 1));
    let later = ledger.create(later).expect("later project");
    let mut f = Finding::new(
        project.id,
        "2022-03-01",
        "非税收入未及时缴库",
        d(2022, 11, 30),
    );
    f.units = Box::new([ResponsibleUnit {
        unit: unit.id,
        role: UnitRole::Lead,
    }]);
    f.issued_on = Some(d(2022, 8, 1));
    f.amount = Some(Money::from_yuan(120_000));
    let f = ledger.create(f).expect("finding");
    let mut edited = f.clone();
    edited.auditor = "王审计".into();
    ledger.update(edited).expect("edit");

    let tmp = tempfile::tempdir().expect("tempdir");
    let source = tmp.path().join("缴款书.pdf");
    std::fs::write(&source, VOUCHER).expect("voucher");
    let attached = evidence::attach(&dir, &source, EvidenceKind::PaymentVoucher, "缴〔2023〕8号")
        .expect("attach");
    let paid = KindAmount {
        kind: OutcomeKind::PaidToTreasury,
        amount: Money::from_yuan(120_000),
    };
    ledger
        .create(ProgressReport {
            id: Id::new(),
            finding: f.id,
            date: d(2023, 5, 10),
            submitted_by: "李晓燕".into(),
            narrative: "已缴入国库".into(),
            measures: "修订非税收入管理办法".into(),
            reason_if_incomplete: String::new(),
            next_steps: String::new(),
            claimed: ClaimedStatus::Rectified,
            amount_rectified: Some(Money::from_yuan(120_000)),
            archived: false,
            channel: Channel::Paper,
            requested_deadline: None,
            amounts: vec![paid],
            evidence: vec![attached.clone()],
        })
        .expect("report");
    ledger
        .create(Determination {
            id: Id::new(),
            finding: f.id,
            date: d(2023, 5, 20),
            reviewer: "刘芳".into(),
            method: ReviewMethod::WrittenReview,
            verdict: ReviewVerdict::Rectified,
            standard: "认定标准第3条".into(),
            opinion: "佐证充分".into(),
            amount_confirmed: Some(Money::from_yuan(120_000)),
            archived: false,
            amounts: vec![paid],
            evidence: Vec::new(),
        })
        .expect("determination");
    ledger
        .create(Outcome {
            id: Id::new(),
            finding: f.id,
            date: d(2023, 5, 21),
            recorded_by: "刘芳".into(),
            kind: OutcomeKind::RulesImproved,
            amount: None,
            count: None,
            documents: vec![
                "《区财政局非税收入管理办法》".into(),
                "《票据管理规定》".into(),
            ],
            note: String::new(),
            evidence: Vec::new(),
            archived: false,
        })
        .expect("outcome");
    ledger
        .create(Closure {
            id: Id::new(),
            finding: f.id,
            date: d(2023, 6, 1),
            closed_by: "陈志远".into(),
            remark: "同意销号".into(),
            archived: false,
        })
        .expect("closure");
    ledger
        .create(Accountability {
            id: Id::new(),
            finding: f.id,
            date: d(2023, 6, 5),
            recorded_by: "刘芳".into(),
            person: "赵某".into(),
            position: "科长".into(),
            entity: "区财政局".into(),
            measure: AccountabilityMeasure::Admonition,
            decided_by: DecidingBody::DisciplineCommission,
            document: "区纪委〔2023〕12号".into(),
            note: String::new(),
            archived: false,
        })
        .expect("accountability");
    let referral = ledger
        .create(Referral {
            id: Id::new(),
            finding: f.id,
            date: d(2023, 6, 6),
            recorded_by: "刘芳".into(),
            receiver: ReferralReceiver::DisciplineCommission,
            doc_no: "区审移〔2023〕2号".into(),
            summary: "涉嫌违规决策".into(),
            persons: 1,
            feedback_due: Some(d(2023, 9, 6)),
            status: ReferralStatus::Sent,
            feedback_on: None,
            feedback: String::new(),
            archived: false,
        })
        .expect("referral");
    let mut answered = referral.clone();
    answered.status = ReferralStatus::FedBack;
    answered.feedback_on = Some(d(2023, 8, 30));
    answered.feedback = "已给予诫勉".into();
    ledger.update(answered).expect("referral feedback");
    ledger
        .create(Supervision {
            id: Id::new(),
            finding: f.id,
            date: d(2023, 4, 1),
            by: "刘芳".into(),
            kind: SupervisionKind::SupervisionLetter,
            target_unit: Some(unit.id),
            summary: "限期报送整改情况".into(),
            response_due: Some(d(2023, 4, 15)),
            archived: false,
        })
        .expect("supervision");
    let plan = ledger
        .create(CheckPlan {
            id: Id::new(),
            kind: CheckKind::LookBack,
            title: "2023-02 回头看".into(),
            project: Some(later.id),
            unit: Some(unit.id),
            findings: vec![f.id],
            start: d(2023, 8, 1),
            end: Some(d(2023, 9, 30)),
            team: "陈志远".into(),
            created_by: "吴磊".into(),
            archived: false,
        })
        .expect("plan");
    ledger
        .create(FollowUpCheck {
            id: Id::new(),
            finding: f.id,
            date: d(2023, 8, 15),
            checker: "吴磊".into(),
            kind: CheckKind::LookBack,
            method: CheckMethod::SiteVisit,
            verdict: CheckVerdict::Rectified,
            note: "未反弹".into(),
            next_check: None,
            project: Some(later.id),
            archived: false,
            plan: Some(plan.id),
            evidence: vec![EvidenceEntry {
                file_name: "现场照片（纸质存档）".into(),
                kind: EvidenceKind::SitePhoto,
                doc_no: String::new(),
                sha256: None,
                size: None,
            }],
        })
        .expect("check");
}

fn assert_fixture_content(ledger: &Ledger<SledStore>, dir: &Path) {
    let findings = ledger.all::<Finding>().expect("findings");
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(&*f.auditor, "王审计");
    assert_eq!(
        ledger.status_of(f, d(2023, 5, 15)).expect("status").status,
        Status::AwaitingReview
    );
    assert_eq!(
        ledger.status_of(f, d(2023, 9, 1)).expect("status").status,
        Status::Closed
    );
    let r = ledger.records_of(f.id).expect("records");
    let report = &r.reports[0];
    assert_eq!(report.channel, Channel::Paper);
    assert_eq!(report.amounts[0].kind, OutcomeKind::PaidToTreasury);
    assert_eq!(report.amounts[0].amount, Money::from_yuan(120_000));
    assert_eq!(
        evidence::verify(dir, &report.evidence[0]).expect("verify"),
        evidence::Kept::Intact
    );
    assert_eq!(r.determinations[0].amounts.len(), 1);
    assert_eq!(r.outcomes[0].documents.len(), 2);
    assert_eq!(
        r.accountability[0].measure,
        AccountabilityMeasure::Admonition
    );
    assert_eq!(r.referrals[0].status, ReferralStatus::FedBack);
    assert_eq!(r.supervisions[0].kind, SupervisionKind::SupervisionLetter);
    let plans = ledger.all::<CheckPlan>().expect("plans");
    assert_eq!(plans.len(), 1);
    assert_eq!(r.checks[0].plan, Some(plans[0].id));
    assert_eq!(r.checks[0].evidence[0].kind, EvidenceKind::SitePhoto);
    let referral_history = ledger.store().history(r.referrals[0].id).expect("history");
    assert_eq!(
        referral_history.len(),
        4,
        "create + status, feedback, feedback_on"
    );
    assert!(ledger.store().scan(EntityKind::Plan).count() == 1);
}

#[test]
fn v2_fixture_opens_and_reads_back() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("ledger");
    copy_dir(&fixture_dir(), &dir);
    let ledger = Ledger::new(SledStore::open(&dir, "reader").expect("the v2 store opens"));
    assert_fixture_content(&ledger, &dir);
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
fn v2_journal_alone_rebuilds_the_view() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("ledger");
    copy_dir(&fixture_dir(), &dir);
    std::fs::remove_dir_all(dir.join("view")).expect("remove view");
    let ledger = Ledger::new(SledStore::open(&dir, "reader").expect("opens from the journal"));
    assert_fixture_content(&ledger, &dir);
}
