//! 整改状态 derived at a date (domain.md §7.4): every path of the state machine, asked at
//! several dates, plus the validation a user meets when entering a finding.

mod common;

use common::*;
use rectify::domain::status::status_at;
use rectify::domain::{
    CheckVerdict, ClaimedStatus, Finding, FindingRecords, Id, Labelled, Money, ResponsibleUnit,
    ReviewVerdict, Status, StatusView, UnitRole,
};

const NEAR: i64 = 15;

/// Issued 2023-01-10, due 2023-06-30.
fn standard_finding() -> Finding {
    finding(
        Id::new(),
        Id::new(),
        "2023-01-01",
        d(2023, 1, 10),
        d(2023, 6, 30),
    )
}

fn at(f: &Finding, r: &FindingRecords, date: chrono::NaiveDate) -> StatusView {
    status_at(f, r, date, NEAR)
}

// ---------------------------------------------------------------------------------------------
// Draft, in progress, near due, overdue
// ---------------------------------------------------------------------------------------------

#[test]
fn a_draft_is_not_started_at_any_date() {
    let f = draft(Id::new(), Id::new(), "2023-01-01", d(2023, 6, 30));
    let r = FindingRecords::default();
    for date in [d(2023, 1, 1), d(2023, 6, 20), d(2023, 6, 30), d(2024, 1, 1)] {
        let v = at(&f, &r, date);
        assert_eq!(v.status, Status::NotStarted, "{date}");
        assert_eq!(v.status.zh(), "未启动");
        assert!(!v.overdue, "a draft is never overdue ({date})");
        assert!(!v.near_due, "a draft is never near due ({date})");
        assert_eq!(v.days_overdue, 0);
        assert_eq!(v.days_to_due, None);
    }
}

#[test]
fn a_finding_issued_later_is_not_started_before_its_issue_date() {
    let f = standard_finding();
    let r = FindingRecords::default();
    assert_eq!(at(&f, &r, d(2023, 1, 9)).status, Status::NotStarted);
    assert_eq!(at(&f, &r, d(2023, 1, 10)).status, Status::InProgress);
}

#[test]
fn issued_finding_is_in_progress_then_near_due_then_overdue() {
    let f = standard_finding();
    let r = FindingRecords::default();

    let v = at(&f, &r, d(2023, 3, 1));
    assert_eq!(v.status, Status::InProgress);
    assert_eq!(v.status.zh(), "整改中");
    assert!(!v.near_due && !v.overdue);
    assert_eq!(v.days_to_due, Some(121));

    // 16 days before the deadline: not yet 临期; 15 days: 临期.
    let v = at(&f, &r, d(2023, 6, 14));
    assert!(!v.near_due, "16 days before is not near due");
    assert_eq!(v.days_to_due, Some(16));
    let v = at(&f, &r, d(2023, 6, 15));
    assert_eq!(v.status, Status::InProgress);
    assert!(v.near_due, "15 days before is near due");
    assert!(!v.overdue);

    // On the deadline day itself: still due, not overdue.
    let v = at(&f, &r, d(2023, 6, 30));
    assert_eq!(v.status, Status::InProgress);
    assert!(v.near_due && !v.overdue);
    assert_eq!(v.days_to_due, Some(0));
    assert_eq!(v.days_overdue, 0);

    // The day after: 未整改 and 超期 by one day.
    let v = at(&f, &r, d(2023, 7, 1));
    assert_eq!(v.status, Status::NotRectified);
    assert_eq!(v.status.zh(), "未整改");
    assert!(v.overdue && !v.near_due);
    assert_eq!(v.days_overdue, 1);
    assert_eq!(v.days_to_due, Some(-1));

    let v = at(&f, &r, d(2023, 7, 31));
    assert_eq!(v.status, Status::NotRectified);
    assert_eq!(v.days_overdue, 31);
    assert!(!v.reopened);
}

// ---------------------------------------------------------------------------------------------
// Claim → determination → closure → reopen
// ---------------------------------------------------------------------------------------------

#[test]
fn claim_is_awaiting_review_from_its_date_on() {
    let f = standard_finding();
    let mut r = FindingRecords::default();
    r.reports
        .push(report(f.id, d(2023, 5, 10), ClaimedStatus::Rectified));

    assert_eq!(at(&f, &r, d(2023, 5, 9)).status, Status::InProgress);
    let v = at(&f, &r, d(2023, 5, 10));
    assert_eq!(v.status, Status::AwaitingReview);
    assert_eq!(v.status.zh(), "已报送待认定");
    assert_eq!(v.last_activity, Some(d(2023, 5, 10)));
    // Still open: a claim alone does not stop the clock.
    assert!(
        at(&f, &r, d(2023, 7, 5)).overdue,
        "an undecided claim does not stop the deadline"
    );
}

#[test]
fn a_report_that_only_says_in_progress_is_not_a_claim() {
    let f = standard_finding();
    let mut r = FindingRecords::default();
    r.reports
        .push(report(f.id, d(2023, 5, 10), ClaimedStatus::InProgress));
    let v = at(&f, &r, d(2023, 5, 20));
    assert_eq!(v.status, Status::InProgress);
    assert_eq!(v.last_activity, Some(d(2023, 5, 10)));
    assert_eq!(at(&f, &r, d(2023, 7, 2)).status, Status::NotRectified);

    for claimed in [ClaimedStatus::Partial, ClaimedStatus::RequestLongTerm] {
        let mut r = FindingRecords::default();
        r.reports.push(report(f.id, d(2023, 5, 10), claimed));
        assert_eq!(
            at(&f, &r, d(2023, 5, 20)).status,
            Status::AwaitingReview,
            "{claimed:?}"
        );
    }
}

#[test]
fn full_path_claim_rectified_closed_reopened() {
    let f = standard_finding();
    let mut r = FindingRecords::default();
    r.reports
        .push(report(f.id, d(2023, 5, 10), ClaimedStatus::Rectified));
    r.determinations
        .push(determination(f.id, d(2023, 6, 1), ReviewVerdict::Rectified));

    let v = at(&f, &r, d(2023, 6, 1));
    assert_eq!(v.status, Status::Rectified);
    assert_eq!(v.status.zh(), "已整改");
    assert!(!v.near_due, "a rectified finding is not near due");
    // Long after the deadline it is still 已整改, never overdue.
    let v = at(&f, &r, d(2023, 12, 31));
    assert_eq!(v.status, Status::Rectified);
    assert!(!v.overdue);
    assert_eq!(v.days_overdue, 0);

    r.closures.push(closure(f.id, d(2023, 6, 20)));
    let v = at(&f, &r, d(2023, 6, 20));
    assert_eq!(v.status, Status::Closed);
    assert_eq!(v.status.zh(), "已销号");
    assert!(!v.reopened);
    let v = at(&f, &r, d(2024, 3, 1));
    assert_eq!(v.status, Status::Closed);
    assert!(!v.overdue);

    // Point in time: the day before the closure it was 已整改, before the determination
    // 已报送待认定, before the claim 整改中.
    assert_eq!(at(&f, &r, d(2023, 6, 19)).status, Status::Rectified);
    assert_eq!(at(&f, &r, d(2023, 5, 31)).status, Status::AwaitingReview);
    assert_eq!(at(&f, &r, d(2023, 5, 9)).status, Status::InProgress);

    // Reopened after the deadline: 未整改, overdue counted from the original deadline.
    r.reopens.push(reopen(f.id, d(2023, 9, 1)));
    let v = at(&f, &r, d(2023, 9, 1));
    assert_eq!(v.status, Status::NotRectified);
    assert!(v.reopened);
    assert!(v.overdue);
    assert_eq!(v.days_overdue, 63);
    // And before the reopening it was still closed.
    let v = at(&f, &r, d(2023, 8, 31));
    assert_eq!(v.status, Status::Closed);
    assert!(!v.reopened);
}

#[test]
fn reopened_before_the_deadline_is_in_progress() {
    let f = finding(
        Id::new(),
        Id::new(),
        "2023-01-02",
        d(2023, 1, 10),
        d(2023, 12, 31),
    );
    let mut r = FindingRecords::default();
    r.reports
        .push(report(f.id, d(2023, 3, 1), ClaimedStatus::Rectified));
    r.determinations.push(determination(
        f.id,
        d(2023, 3, 10),
        ReviewVerdict::Rectified,
    ));
    r.closures.push(closure(f.id, d(2023, 3, 20)));
    r.reopens.push(reopen(f.id, d(2023, 5, 1)));

    let v = at(&f, &r, d(2023, 5, 1));
    assert_eq!(v.status, Status::InProgress);
    assert!(v.reopened);
    assert!(!v.overdue);
    // Past the deadline with nothing new accepted: 未整改, still marked reopened.
    let v = at(&f, &r, d(2024, 1, 2));
    assert_eq!(v.status, Status::NotRectified);
    assert!(v.reopened && v.overdue);
    assert_eq!(v.days_overdue, 2);
}

// ---------------------------------------------------------------------------------------------
// Partial, rejected
// ---------------------------------------------------------------------------------------------

#[test]
fn partial_stays_partial_and_becomes_overdue_after_the_deadline() {
    let f = standard_finding();
    let mut r = FindingRecords::default();
    r.reports
        .push(report(f.id, d(2023, 5, 10), ClaimedStatus::Partial));
    r.determinations
        .push(determination(f.id, d(2023, 6, 1), ReviewVerdict::Partial));

    let v = at(&f, &r, d(2023, 6, 1));
    assert_eq!(v.status, Status::Partial);
    assert_eq!(v.status.zh(), "部分整改");
    assert!(!v.overdue && !v.near_due);
    let v = at(&f, &r, d(2023, 6, 20));
    assert!(
        v.near_due,
        "a partly rectified finding is still open, so it can be near due"
    );

    let v = at(&f, &r, d(2023, 7, 10));
    assert_eq!(
        v.status,
        Status::Partial,
        "after the deadline it stays 部分整改"
    );
    assert!(v.overdue);
    assert_eq!(v.days_overdue, 10);
}

#[test]
fn rejected_claim_goes_back_to_in_progress_then_not_rectified() {
    let f = standard_finding();
    let mut r = FindingRecords::default();
    r.reports
        .push(report(f.id, d(2023, 5, 10), ClaimedStatus::Rectified));
    r.determinations
        .push(determination(f.id, d(2023, 5, 20), ReviewVerdict::Rejected));
    assert_eq!(ReviewVerdict::Rejected.zh(), "不予认定");

    assert_eq!(at(&f, &r, d(2023, 5, 15)).status, Status::AwaitingReview);
    let v = at(&f, &r, d(2023, 5, 20));
    assert_eq!(v.status, Status::InProgress);
    assert!(!v.overdue);
    let v = at(&f, &r, d(2023, 7, 5));
    assert_eq!(v.status, Status::NotRectified);
    assert!(v.overdue);
    assert_eq!(v.days_overdue, 5);
}

#[test]
fn determination_not_rectified_is_not_rectified_even_before_the_deadline() {
    let f = standard_finding();
    let mut r = FindingRecords::default();
    r.determinations.push(determination(
        f.id,
        d(2023, 4, 1),
        ReviewVerdict::NotRectified,
    ));
    let v = at(&f, &r, d(2023, 4, 2));
    assert_eq!(v.status, Status::NotRectified);
    assert!(!v.overdue);
}

// ---------------------------------------------------------------------------------------------
// 持续整改: judged by the current milestone
// ---------------------------------------------------------------------------------------------

/// Issued 2023-01-10, own deadline 2023-03-31, milestones 2023-06-30 / 2024-06-30 / 2025-12-31.
fn long_term_finding(first_done: Option<chrono::NaiveDate>) -> Finding {
    let mut f = finding(
        Id::new(),
        Id::new(),
        "2023-01-05",
        d(2023, 1, 10),
        d(2023, 3, 31),
    );
    make_long_term(
        &mut f,
        vec![
            milestone("制定分年度清欠计划", d(2023, 6, 30), first_done),
            milestone("清欠过半", d(2024, 6, 30), None),
            milestone("全部清欠", d(2025, 12, 31), None),
        ],
    );
    assert_eq!(
        f.validate(),
        Ok(()),
        "the long-term test finding must itself be valid"
    );
    f
}

fn long_term_records(f: &Finding) -> FindingRecords {
    let mut r = FindingRecords::default();
    r.reports
        .push(report(f.id, d(2023, 3, 1), ClaimedStatus::RequestLongTerm));
    r.determinations
        .push(determination(f.id, d(2023, 3, 20), ReviewVerdict::LongTerm));
    r
}

#[test]
fn long_term_is_not_overdue_while_the_current_milestone_is_ahead() {
    let f = long_term_finding(None);
    let r = long_term_records(&f);
    assert_eq!(at(&f, &r, d(2023, 3, 10)).status, Status::AwaitingReview);

    // The finding's own deadline (2023-03-31) has passed, the first milestone has not.
    let v = at(&f, &r, d(2023, 4, 15));
    assert_eq!(v.status, Status::LongTerm);
    assert_eq!(v.status.zh(), "持续整改");
    assert!(
        !v.overdue,
        "judged against the milestone, not the passed deadline"
    );
    assert_eq!(v.days_overdue, 0);
    assert_eq!(v.days_to_due, Some(76));
    assert!(!v.near_due);

    let v = at(&f, &r, d(2023, 6, 20));
    assert!(v.near_due, "10 days before the current milestone");
    assert_eq!(v.days_to_due, Some(10));
}

#[test]
fn long_term_is_overdue_when_a_milestone_passes_undone() {
    let f = long_term_finding(None);
    let r = long_term_records(&f);
    let v = at(&f, &r, d(2023, 7, 5));
    assert_eq!(v.status, Status::LongTerm, "status stays 持续整改");
    assert!(v.overdue);
    assert_eq!(v.days_overdue, 5);
}

#[test]
fn a_done_milestone_moves_on_to_the_next() {
    let f = long_term_finding(Some(d(2023, 6, 25)));
    let r = long_term_records(&f);

    let v = at(&f, &r, d(2023, 7, 5));
    assert_eq!(v.status, Status::LongTerm);
    assert!(!v.overdue);
    assert_eq!(
        v.days_to_due,
        Some((d(2024, 6, 30) - d(2023, 7, 5)).num_days())
    );

    // Point in time: before it was done, the first milestone was still the one that counted.
    let v = at(&f, &r, d(2023, 6, 24));
    assert_eq!(v.days_to_due, Some(6));
    assert!(v.near_due);

    // The second milestone passes undone: overdue again.
    let v = at(&f, &r, d(2024, 7, 10));
    assert!(v.overdue);
    assert_eq!(v.days_overdue, 10);
}

#[test]
fn long_term_with_every_milestone_done_is_never_overdue() {
    let mut f = long_term_finding(Some(d(2023, 6, 1)));
    for m in &mut f.milestones {
        m.done_on = Some(m.due);
    }
    let r = long_term_records(&f);
    let v = at(&f, &r, d(2026, 6, 1));
    assert_eq!(v.status, Status::LongTerm);
    assert!(!v.overdue);
    assert_eq!(v.days_to_due, None);
}

#[test]
fn a_check_can_declare_long_term() {
    let f = long_term_finding(None);
    let mut r = FindingRecords::default();
    r.checks
        .push(check(f.id, d(2023, 4, 1), CheckVerdict::LongTerm));
    let v = at(&f, &r, d(2023, 4, 15));
    assert_eq!(v.status, Status::LongTerm);
    assert!(!v.overdue);
}

// ---------------------------------------------------------------------------------------------
// Follow-up checks (回头看)
// ---------------------------------------------------------------------------------------------

/// Claimed, rectified and closed before the deadline (2023-06-30).
fn closed_records(f: &Finding) -> FindingRecords {
    let mut r = FindingRecords::default();
    r.reports
        .push(report(f.id, d(2023, 5, 10), ClaimedStatus::Rectified));
    r.determinations
        .push(determination(f.id, d(2023, 6, 1), ReviewVerdict::Rectified));
    r.closures.push(closure(f.id, d(2023, 6, 20)));
    r
}

#[test]
fn a_check_confirming_a_closed_finding_keeps_it_closed() {
    let f = standard_finding();
    let mut r = closed_records(&f);
    r.checks
        .push(check(f.id, d(2023, 12, 1), CheckVerdict::Rectified));
    let v = at(&f, &r, d(2023, 12, 1));
    assert_eq!(v.status, Status::Closed);
    assert!(!v.reopened);
    assert!(!v.overdue);
    assert_eq!(v.last_activity, Some(d(2023, 12, 1)));
}

#[test]
fn a_check_finding_fake_rectification_reopens_a_closed_finding() {
    let f = standard_finding();
    let mut r = closed_records(&f);
    r.checks
        .push(check(f.id, d(2023, 12, 1), CheckVerdict::Fake));

    let v = at(&f, &r, d(2023, 11, 30));
    assert_eq!(v.status, Status::Closed);
    assert!(!v.reopened);

    // Past the deadline: 未整改, reopened, overdue from the original deadline.
    let v = at(&f, &r, d(2023, 12, 1));
    assert_eq!(v.status, Status::NotRectified);
    assert!(v.reopened);
    assert!(v.overdue);
    assert_eq!(v.days_overdue, 154);
}

#[test]
fn fake_rectification_before_the_deadline_is_in_progress_and_reopened() {
    let f = finding(
        Id::new(),
        Id::new(),
        "2023-01-02",
        d(2023, 1, 10),
        d(2023, 12, 31),
    );
    let mut r = FindingRecords::default();
    r.determinations.push(determination(
        f.id,
        d(2023, 3, 10),
        ReviewVerdict::Rectified,
    ));
    r.closures.push(closure(f.id, d(2023, 3, 20)));
    r.checks
        .push(check(f.id, d(2023, 9, 1), CheckVerdict::Fake));
    let v = at(&f, &r, d(2023, 9, 1));
    assert_eq!(v.status, Status::InProgress);
    assert!(v.reopened);
    assert!(!v.overdue);
}

#[test]
fn a_check_finding_nothing_done_is_not_rectified() {
    let f = standard_finding();
    let mut r = FindingRecords::default();
    r.checks
        .push(check(f.id, d(2023, 4, 1), CheckVerdict::NotRectified));
    let v = at(&f, &r, d(2023, 4, 1));
    assert_eq!(v.status, Status::NotRectified);
    assert!(!v.reopened, "never rectified, so nothing was reopened");
    assert!(!v.overdue);
    assert!(at(&f, &r, d(2023, 7, 1)).overdue);

    // After a closure it reopens the finding.
    let mut r = closed_records(&f);
    r.checks
        .push(check(f.id, d(2023, 8, 1), CheckVerdict::NotRectified));
    let v = at(&f, &r, d(2023, 8, 1));
    assert_eq!(v.status, Status::NotRectified);
    assert!(v.reopened);
}

#[test]
fn archived_records_do_not_count() {
    let f = standard_finding();
    let mut r = closed_records(&f);
    r.closures[0].archived = true;
    assert_eq!(at(&f, &r, d(2023, 7, 1)).status, Status::Rectified);
    r.determinations[0].archived = true;
    assert_eq!(at(&f, &r, d(2023, 6, 2)).status, Status::AwaitingReview);
}

// ---------------------------------------------------------------------------------------------
// Same-day events: ordered by record id (creation order)
// ---------------------------------------------------------------------------------------------

#[test]
fn same_day_events_follow_creation_order() {
    let f = standard_finding();
    let day = d(2023, 5, 10);

    // Claim made first, then decided the same day: 已整改.
    let mut r = FindingRecords::default();
    let claim = report(f.id, day, ClaimedStatus::Rectified);
    let decision = determination(f.id, day, ReviewVerdict::Rectified);
    assert!(claim.id < decision.id, "Id::new() must be time-ordered");
    r.reports.push(claim);
    r.determinations.push(decision);
    assert_eq!(at(&f, &r, day).status, Status::Rectified);

    // Decided first, then a new claim the same day: awaiting review again.
    let mut r = FindingRecords::default();
    let decision = determination(f.id, day, ReviewVerdict::Partial);
    let claim = report(f.id, day, ClaimedStatus::Rectified);
    assert!(decision.id < claim.id);
    r.determinations.push(decision);
    r.reports.push(claim);
    assert_eq!(at(&f, &r, day).status, Status::AwaitingReview);

    // Closed and reopened the same day: whichever was entered later wins.
    let mut r = FindingRecords::default();
    r.determinations
        .push(determination(f.id, d(2023, 5, 1), ReviewVerdict::Rectified));
    r.closures.push(closure(f.id, day));
    r.reopens.push(reopen(f.id, day));
    let v = at(&f, &r, day);
    assert_eq!(v.status, Status::InProgress);
    assert!(v.reopened);

    let mut r = FindingRecords::default();
    r.determinations
        .push(determination(f.id, d(2023, 5, 1), ReviewVerdict::Rectified));
    r.reopens.push(reopen(f.id, day));
    r.closures.push(closure(f.id, day));
    assert_eq!(
        at(&f, &r, day).status,
        Status::Closed,
        "the closure was entered after the reopening"
    );
}

#[test]
fn ids_made_in_a_burst_stay_in_creation_order() {
    let ids: Vec<Id> = (0..2000).map(|_| Id::new()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "record ids made in one burst must sort in creation order"
    );
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn the_test_finding_is_valid() {
    assert_eq!(standard_finding().validate(), Ok(()));
}

#[test]
fn long_term_without_timetable_reason_or_justification_names_each_field() {
    let mut f = standard_finding();
    f.mode = rectify::domain::Mode::LongTerm;
    let errors = f
        .validate()
        .expect_err("an incomplete 持续整改 item must be refused");
    for field in ["milestones", "unresolved_reason", "justification"] {
        let e = errors
            .iter()
            .find(|e| e.field == field)
            .unwrap_or_else(|| panic!("no error on {field}: {errors:?}"));
        assert!(has_chinese(&e.msg.zh), "{field}: {}", e.msg.zh);
        assert!(e.msg.zh.contains("持续整改"), "{field}: {}", e.msg.zh);
    }
    // Each missing piece on its own is still refused.
    let mut only_reason_missing = long_term_finding(None);
    only_reason_missing.unresolved_reason = None;
    let errors = only_reason_missing.validate().unwrap_err();
    assert_eq!(
        errors.iter().map(|e| e.field).collect::<Vec<_>>(),
        vec!["unresolved_reason"]
    );
}

#[test]
fn a_finding_needs_a_lead_unit() {
    let mut f = standard_finding();
    f.units = Box::default();
    let errors = f.validate().unwrap_err();
    let e = errors
        .iter()
        .find(|e| e.field == "units")
        .expect("error on units");
    assert!(
        has_chinese(&e.msg.zh) && e.msg.zh.contains("牵头"),
        "{}",
        e.msg.zh
    );

    let mut f = standard_finding();
    f.units = Box::new([ResponsibleUnit {
        unit: Id::new(),
        role: UnitRole::Assist,
    }]);
    let errors = f.validate().unwrap_err();
    assert!(errors.iter().any(|e| e.field == "units"), "{errors:?}");
}

#[test]
fn control_characters_in_the_title_are_refused() {
    let mut f = standard_finding();
    f.title = "未按规定收缴\u{1b}[31m非税收入".into();
    let errors = f.validate().unwrap_err();
    let e = errors
        .iter()
        .find(|e| e.field == "title")
        .expect("error on title");
    assert!(has_chinese(&e.msg.zh), "{}", e.msg.zh);
    assert!(e.msg.zh.contains("控制字符"), "{}", e.msg.zh);
    assert!(
        errors.iter().all(|e| e.field == "title"),
        "only the title is wrong: {errors:?}"
    );
}

#[test]
fn money_is_parsed_exactly_in_wan_and_yi() {
    assert_eq!(Money::parse("12.3456万元"), Ok(Money(12_345_600)));
    assert_eq!(Money::parse("1.2亿元"), Ok(Money(12_000_000_000)));
    let err = Money::parse("abc").unwrap_err();
    assert!(has_chinese(&err.zh), "{}", err.zh);
    assert!(
        err.zh.contains("abc"),
        "the message quotes what was typed: {}",
        err.zh
    );
}
