//! Each term of 督办紧迫度 moves the score the way urgency.rs documents.

use super::fixture::{d, determination, report, row, today, wan};
use chrono::{Duration, NaiveDate};
use rectify::domain::status::FindingRecords;
use rectify::domain::{ClaimedStatus, Closure, Finding, Id, Mode, ReviewVerdict, Severity};
use rectify::ledger::FindingRow;
use rectify::search::urgency::{Weights, breakdown, urgency};

fn days(n: i64) -> NaiveDate {
    today() + Duration::days(n)
}

/// An issued, 立行立改, 一般 finding with no amount and no flags, due in `due_in` days, issued
/// 10 days ago, nothing reported since.
fn base(due_in: i64) -> Finding {
    let mut f = Finding::new(Id::new(), "2024-01-01", "测试问题", days(due_in));
    f.issued_on = Some(days(-10).min(days(due_in)));
    f
}

fn plain(f: Finding) -> FindingRow {
    row(f, FindingRecords::default(), today())
}

fn score(r: &FindingRow) -> f64 {
    urgency(r, today(), false, &Weights::default())
}

fn terms(r: &FindingRow) -> rectify::search::urgency::Breakdown {
    breakdown(r, today(), false, &Weights::default())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn a_quiet_finding_scores_only_its_mode() {
    let r = plain(base(200));
    assert!(close(score(&r), 2.0), "{:?}", terms(&r));
}

#[test]
fn rectified_closed_and_drafts_score_zero() {
    let mut f = base(-100);
    f.amount = Some(wan("5000"));
    f.flags.key_supervision = true;
    f.flags.leader_instruction = true;
    f.severity = Severity::Major;
    let mut rectified = FindingRecords::default();
    rectified
        .determinations
        .push(determination(&f, days(-5), ReviewVerdict::Rectified));
    let mut closed = rectified.clone();
    closed.closures.push(Closure {
        id: Id::new(),
        finding: f.id,
        date: days(-1),
        closed_by: "科长".to_string(),
        remark: String::new(),
        archived: false,
    });
    let mut draft = f.clone();
    draft.issued_on = None;
    for r in [
        row(f.clone(), rectified, today()),
        row(f.clone(), closed, today()),
        plain(draft),
    ] {
        assert_eq!(
            urgency(&r, today(), true, &Weights::default()),
            0.0,
            "{:?}",
            r.status
        );
    }
    assert!(score(&plain(f)) > 20.0);
}

#[test]
fn overdue_days_add_up_to_the_cap() {
    let overdue = |n: i64| terms(&plain(base(-n))).overdue;
    assert!(close(overdue(10), 0.5));
    assert!(close(overdue(100), 5.0));
    assert!(close(overdue(180), 9.0));
    assert!(close(overdue(400), 9.0), "capped at 180 days");
    assert!(score(&plain(base(-100))) > score(&plain(base(-10))));
}

#[test]
fn a_closer_deadline_weighs_more() {
    let due = |n: i64| terms(&plain(base(n))).due;
    assert!(close(due(60), 0.0));
    assert!(close(due(30), 0.0));
    assert!(close(due(15), 2.0));
    assert!(close(due(3), 4.0 * 0.9));
    assert!(close(due(0), 4.0));
    assert!(close(due(-5), 4.0), "overdue counts as due today");
    let totals: Vec<f64> = [60, 20, 10, 0, -1]
        .iter()
        .map(|n| score(&plain(base(*n))))
        .collect();
    assert!(totals.windows(2).all(|w| w[0] < w[1]), "{totals:?}");
}

#[test]
fn immediate_weighs_more_than_staged_more_than_long_term() {
    let with_mode = |mode: Mode| {
        let mut f = base(200);
        f.mode = mode;
        score(&plain(f))
    };
    let (i, s, l) = (
        with_mode(Mode::Immediate),
        with_mode(Mode::Staged),
        with_mode(Mode::LongTerm),
    );
    assert!(i > s && s > l, "{i} {s} {l}");
    assert!(close(i - s, 1.0) && close(s - l, 1.0));
}

#[test]
fn money_counts_on_a_log_scale_with_a_cap() {
    let with_amount = |text: Option<&str>| {
        let mut f = base(200);
        f.amount = text.map(wan);
        terms(&plain(f)).amount
    };
    assert!(close(with_amount(None), 0.0));
    assert!(close(with_amount(Some("10")), 11f64.log10()));
    assert!(close(with_amount(Some("100")), 101f64.log10()));
    assert!(
        close(with_amount(Some("10000")), 10001f64.log10()),
        "1亿 ≈ 4"
    );
    assert!(close(with_amount(Some("10000000")), 5.0), "capped");
    // Each tenfold adds about one point, not ten times as much.
    let step = with_amount(Some("1000")) - with_amount(Some("100"));
    assert!((step - 1.0).abs() < 0.01, "{step}");
}

#[test]
fn each_flag_and_severity_adds_its_weight() {
    let w = Weights::default();
    let flagged = |set: fn(&mut Finding)| {
        let mut f = base(200);
        set(&mut f);
        score(&plain(f)) - score(&plain(base(200)))
    };
    assert!(close(
        flagged(|f| f.flags.report_to_congress = true),
        w.congress
    ));
    assert!(close(
        flagged(|f| f.flags.leader_instruction = true),
        w.leader_instruction
    ));
    assert!(close(
        flagged(|f| f.flags.upper_assigned = true),
        w.upper_assigned
    ));
    assert!(close(
        flagged(|f| f.flags.key_supervision = true),
        w.key_supervision
    ));
    assert!(close(
        flagged(|f| f.severity = Severity::Major),
        w.severity_major
    ));
    assert!(close(
        flagged(|f| f.severity = Severity::Serious),
        w.severity_serious
    ));
    assert!(close(flagged(|f| f.severity = Severity::General), 0.0));
}

#[test]
fn repeat_offenders_score_more() {
    let r = plain(base(200));
    let w = Weights::default();
    assert!(close(
        urgency(&r, today(), true, &w) - urgency(&r, today(), false, &w),
        3.0
    ));
}

#[test]
fn days_without_progress_count_after_the_grace() {
    let stale_after = |quiet: i64| {
        let f = base(300);
        let mut records = FindingRecords::default();
        records
            .reports
            .push(report(&f, days(-quiet), ClaimedStatus::InProgress));
        let mut f = f;
        f.issued_on = Some(days(-600));
        terms(&row(f, records, today())).stale
    };
    assert!(close(stale_after(10), 0.0));
    assert!(close(stale_after(30), 0.0));
    assert!(close(stale_after(80), 1.0));
    assert!(close(stale_after(180), 3.0));
    assert!(close(stale_after(500), 3.0), "capped");
    // Never reported: counted from the day it was issued.
    let mut f = base(300);
    f.issued_on = Some(days(-130));
    assert!(close(terms(&plain(f)).stale, 2.0));
}

#[test]
fn a_claim_awaiting_determination_and_a_reopening_add_their_weight() {
    let f = base(200);
    let mut records = FindingRecords::default();
    records
        .reports
        .push(report(&f, days(-1), ClaimedStatus::Rectified));
    let r = row(f, records, today());
    assert!(close(terms(&r).awaiting, 2.0), "{:?}", r.status);

    let fx = super::fixture::Fixture::new();
    assert!(close(terms(fx.row("2023-01-03")).reopened, 1.5));
}

#[test]
fn weights_are_tunable() {
    let mut f = base(-20);
    f.flags.key_supervision = true;
    let r = plain(f);
    let zero: Weights = toml::from_str(
        "overdue_per_day = 0.0\ndue_soon = 0.0\nmode_immediate = 0.0\nkey_supervision = 0.0",
    )
    .expect("weights from toml");
    assert_eq!(urgency(&r, today(), false, &zero), 0.0);
    // A partial config keeps every other default.
    let heavy: Weights = toml::from_str("key_supervision = 8.0").expect("weights from toml");
    assert_eq!(heavy.repeat, Weights::default().repeat);
    assert!(close(urgency(&r, today(), false, &heavy) - score(&r), 4.0));
}

/// The worked example in urgency.rs's table.
#[test]
fn the_documented_example_adds_up() {
    let mut f = base(-100);
    f.issued_on = Some(d(2023, 1, 1));
    f.amount = Some(wan("500"));
    f.flags.leader_instruction = true;
    let mut records = FindingRecords::default();
    records
        .reports
        .push(report(&f, days(-70), ClaimedStatus::InProgress));
    let r = row(f, records, today());
    let s = score(&r);
    assert!((s - 17.5).abs() < 0.01, "{s}: {:?}", terms(&r));
}
