//! The status machine of domain.md §7.4 at the ledger level: every transition the records make,
//! and every step the machine forbids refused with its reason and nothing written.

mod common;

use common::*;
use rectify::domain::{
    CheckVerdict, ClaimedStatus, Finding, Id, ReviewVerdict, Status, StatusView,
};
use rectify::ledger::{Ledger, LedgerError};
use rectify::store::{Record, SledStore};

const ISSUED: (i32, u32, u32) = (2023, 1, 10);
const DEADLINE: (i32, u32, u32) = (2023, 6, 30);

struct Case {
    _scratch: Scratch,
    dir: std::path::PathBuf,
    ledger: Ledger<SledStore>,
    finding: Finding,
}

/// A fresh ledger with one issued finding (standard or 持续整改).
fn case(long_term: bool) -> Case {
    let (scratch, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let lead = ledger.create(unit("区财政局")).expect("unit").id;
    let project = ledger.create(project("2023-01")).expect("project").id;
    let (y, m, day) = ISSUED;
    let (dy, dm, dd) = DEADLINE;
    let mut f = finding(project, lead, "2023-01-01", d(y, m, day), d(dy, dm, dd));
    if long_term {
        make_long_term(
            &mut f,
            vec![
                milestone("制定化解方案", d(2023, 3, 31), Some(d(2023, 3, 20))),
                milestone("完成化解", d(2024, 12, 31), None),
            ],
        );
        f.deadline = d(2024, 12, 31);
    }
    let finding = ledger.create(f).expect("finding");
    Case {
        _scratch: scratch,
        dir,
        ledger,
        finding,
    }
}

/// One step of the workflow, dated.
#[derive(Clone, Copy, Debug)]
enum Step {
    Claim(ClaimedStatus),
    Review(ReviewVerdict),
    Check(CheckVerdict),
    Close,
    Reopen,
}

fn record(step: Step, f: Id, on: chrono::NaiveDate) -> Record {
    match step {
        Step::Claim(c) => Record::Progress(report(f, on, c)),
        Step::Review(v) => Record::Determination(determination(f, on, v)),
        Step::Check(v) => Record::Check(check(f, on, v)),
        Step::Close => Record::Closure(closure(f, on)),
        Step::Reopen => Record::Reopen(reopen(f, on)),
    }
}

impl Case {
    fn apply(&mut self, step: Step, on: chrono::NaiveDate) -> Result<(), LedgerError> {
        self.ledger
            .create_batch(vec![record(step, self.finding.id, on)])
            .map(|_| ())
    }

    fn walk(&mut self, steps: &[(Step, chrono::NaiveDate)]) {
        for (step, on) in steps {
            if let Err(e) = self.apply(*step, *on) {
                panic!("{step:?} on {on} should be allowed: {e}");
            }
        }
    }

    fn at(&self, on: chrono::NaiveDate) -> StatusView {
        self.ledger.status_of(&self.finding, on).expect("status")
    }
}

use ClaimedStatus as C;
use ReviewVerdict as V;

/// The paths to each status, each step a day apart from 2023-03-01 on.
fn path_to(status: Status) -> (bool, Vec<Step>) {
    match status {
        Status::InProgress => (false, vec![]),
        Status::AwaitingReview => (false, vec![Step::Claim(C::Rectified)]),
        Status::Rectified => (
            false,
            vec![Step::Claim(C::Rectified), Step::Review(V::Rectified)],
        ),
        Status::Partial => (
            false,
            vec![Step::Claim(C::Partial), Step::Review(V::Partial)],
        ),
        Status::NotRectified => (false, vec![Step::Review(V::NotRectified)]),
        Status::LongTerm => (
            true,
            vec![Step::Claim(C::RequestLongTerm), Step::Review(V::LongTerm)],
        ),
        Status::Closed => (
            false,
            vec![
                Step::Claim(C::Rectified),
                Step::Review(V::Rectified),
                Step::Close,
            ],
        ),
        Status::NotStarted => unreachable!("a draft takes no records"),
    }
}

fn dated(steps: Vec<Step>) -> Vec<(Step, chrono::NaiveDate)> {
    steps
        .into_iter()
        .enumerate()
        .map(|(i, s)| (s, d(2023, 3, 1 + i as u32)))
        .collect()
}

const REACHABLE: [Status; 7] = [
    Status::InProgress,
    Status::AwaitingReview,
    Status::Rectified,
    Status::Partial,
    Status::NotRectified,
    Status::LongTerm,
    Status::Closed,
];

#[test]
fn every_transition_of_the_status_machine() {
    // (from, step, to): every arrow of §7.4 plus the ones the checks (回头看) draw.
    let arrows: Vec<(Status, Step, Status)> = vec![
        (
            Status::InProgress,
            Step::Claim(C::Rectified),
            Status::AwaitingReview,
        ),
        (
            Status::InProgress,
            Step::Claim(C::Partial),
            Status::AwaitingReview,
        ),
        (
            Status::AwaitingReview,
            Step::Review(V::Rectified),
            Status::Rectified,
        ),
        (
            Status::AwaitingReview,
            Step::Review(V::Partial),
            Status::Partial,
        ),
        (
            Status::AwaitingReview,
            Step::Review(V::NotRectified),
            Status::NotRectified,
        ),
        (
            Status::AwaitingReview,
            Step::Review(V::Rejected),
            Status::InProgress,
        ),
        (
            Status::Partial,
            Step::Claim(C::Rectified),
            Status::AwaitingReview,
        ),
        (
            Status::NotRectified,
            Step::Claim(C::Rectified),
            Status::AwaitingReview,
        ),
        (Status::Rectified, Step::Close, Status::Closed),
        (Status::Closed, Step::Reopen, Status::InProgress),
        (
            Status::Closed,
            Step::Check(CheckVerdict::Rectified),
            Status::Closed,
        ),
        (
            Status::Closed,
            Step::Check(CheckVerdict::Fake),
            Status::InProgress,
        ),
        (
            Status::InProgress,
            Step::Check(CheckVerdict::Partial),
            Status::Partial,
        ),
        (
            Status::InProgress,
            Step::Check(CheckVerdict::Rectified),
            Status::Rectified,
        ),
        (
            Status::LongTerm,
            Step::Claim(C::Rectified),
            Status::AwaitingReview,
        ),
    ];
    for (from, step, to) in arrows {
        let (long_term, path) = path_to(from);
        let mut c = case(long_term);
        let path = dated(path);
        c.walk(&path);
        let on = d(2023, 4, 1);
        assert_eq!(c.at(d(2023, 3, 31)).status, from, "set-up for {from:?}");
        c.apply(step, on)
            .unwrap_or_else(|e| panic!("{from:?} --{step:?}--> should be allowed: {e}"));
        let after = c.at(on);
        assert_eq!(after.status, to, "{from:?} --{step:?}-->");
        if matches!(step, Step::Reopen | Step::Check(CheckVerdict::Fake)) {
            assert!(after.reopened, "a reopened finding is marked");
        }
    }
}

#[test]
fn the_deadline_turns_open_findings_overdue_but_not_long_term_ones() {
    let mut c = case(false);
    assert_eq!(c.at(d(2023, 6, 30)).status, Status::InProgress);
    let late = c.at(d(2023, 7, 1));
    assert_eq!(late.status, Status::NotRectified);
    assert!(late.overdue && late.days_overdue == 1);
    // A claim made after the deadline waits for review, still flagged 超期.
    c.walk(&[(Step::Claim(C::Rectified), d(2023, 7, 5))]);
    let claimed = c.at(d(2023, 7, 6));
    assert_eq!(claimed.status, Status::AwaitingReview);
    assert!(claimed.overdue);

    // 持续整改 is judged by its current milestone (2024-12-31), not by the first one, done.
    let mut lt = case(true);
    lt.walk(&dated(path_to(Status::LongTerm).1));
    let view = lt.at(d(2023, 9, 1));
    assert_eq!(view.status, Status::LongTerm);
    assert!(!view.overdue);
    assert!(
        lt.at(d(2025, 1, 1)).overdue,
        "overdue once the milestone passes undone"
    );
}

#[test]
fn every_forbidden_step_is_refused_with_its_reason_and_nothing_written() {
    for from in REACHABLE {
        let (long_term, path) = path_to(from);
        let mut c = case(long_term);
        c.walk(&dated(path));
        let on = d(2023, 4, 1);
        let journal = journal_file(&c.dir);
        let mut forbidden = Vec::new();
        if from != Status::Rectified {
            forbidden.push((Step::Close, "已整改"));
        }
        if from != Status::Closed {
            forbidden.push((Step::Reopen, "已销号"));
        }
        if !long_term {
            forbidden.push((Step::Review(V::LongTerm), "持续整改"));
            forbidden.push((Step::Check(CheckVerdict::LongTerm), "持续整改"));
        }
        for (step, needed) in forbidden {
            let before = std::fs::read(&journal).expect("journal");
            match c.apply(step, on) {
                Err(e @ (LedgerError::Rule(_) | LedgerError::Invalid(_))) => {
                    let text = e.to_string();
                    assert!(text.contains(needed), "{from:?} {step:?}: {text}");
                }
                other => panic!("{from:?} --{step:?}--> must be refused, got {other:?}"),
            }
            assert_eq!(
                std::fs::read(&journal).expect("journal"),
                before,
                "{from:?} {step:?} wrote something"
            );
            assert_eq!(c.at(on).status, from, "the status is untouched");
        }
    }
}

#[test]
fn records_on_drafts_before_the_issue_or_in_the_future_are_refused() {
    let (_scratch, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let lead = ledger.create(unit("区财政局")).expect("unit").id;
    let project = ledger.create(project("2023-01")).expect("project").id;
    let draft = ledger
        .create(draft(project, lead, "2023-01-09", d(2023, 6, 30)))
        .expect("draft");
    let issued = ledger
        .create(finding(
            project,
            lead,
            "2023-01-01",
            d(2023, 1, 10),
            d(2023, 6, 30),
        ))
        .expect("finding");
    let tomorrow = chrono::Local::now().date_naive() + chrono::Duration::days(1);
    let refused = [
        (
            record(Step::Claim(C::Rectified), draft.id, d(2023, 3, 1)),
            "尚未下发",
        ),
        (
            record(Step::Claim(C::Rectified), issued.id, d(2023, 1, 9)),
            "早于问题下发日期",
        ),
        (
            record(Step::Review(V::Rectified), issued.id, tomorrow),
            "晚于今天",
        ),
    ];
    let journal = journal_file(&dir);
    for (rec, why) in refused {
        let before = std::fs::read(&journal).expect("journal");
        let err = ledger
            .create_batch(vec![rec.clone()])
            .expect_err("must be refused");
        assert!(err.to_string().contains(why), "{rec:?}: {err}");
        assert_eq!(std::fs::read(&journal).expect("journal"), before);
    }
}

#[test]
fn a_record_dated_back_cannot_pull_the_ground_from_under_a_later_closure() {
    let mut c = case(false);
    c.walk(&dated(path_to(Status::Closed).1)); // claim 3-1, 已整改 3-2, closed 3-3
    // A 部分整改 determination slipped in on 3-2 would leave the closure without 已整改.
    let err = c
        .apply(Step::Review(V::Partial), d(2023, 3, 2))
        .expect_err("refused");
    assert!(err.to_string().contains("销号"), "{err}");
    assert_eq!(c.at(d(2023, 3, 5)).status, Status::Closed);
}
