//! 整改状态, derived from the records up to a date (domain.md §7.4). Never stored, never typed.
//!
//! ```text
//! 未启动 ──下发──▶ 整改中 ──claim──▶ 已报送待认定 ──determination──▶ 已整改 ──销号──▶ 已销号
//!                    │                                   ├──▶ 部分整改 (stays open)
//!                    │ deadline passes                   ├──▶ 持续整改 (judged by milestones)
//!                    ▼                                   └──▶ 不予认定 → back to 整改中
//!                  未整改 (+超期)                 已销号 ──reopen──▶ 整改中
//! ```
//! A follow-up check (回头看) is an auditor's finding on the ground and counts like a
//! determination; 虚假整改 sends the finding back to 整改中 and marks it reopened.

use super::finding::Finding;
use super::ids::Id;
use super::outcomes::{Accountability, Outcome};
use super::oversight::{Referral, Supervision};
use super::records::{Closure, Determination, FollowUpCheck, ProgressReport, Reopen};
use super::thin_list::ThinList;
use super::vocab::{CheckVerdict, ClaimedStatus, Mode, ReviewVerdict, Status};
use chrono::NaiveDate;

/// How many days before its deadline a finding counts as 临期, unless configured otherwise.
pub const DEFAULT_NEAR_DUE_DAYS: i64 = 15;

/// Every record hanging on one finding: the first five bear on its status, the rest are what
/// the rectification achieved and the pressure applied. Thin lists: most are empty, and every
/// finding in the app holds all nine (see `thin_list`).
#[derive(Debug, Clone, Default)]
pub struct FindingRecords {
    pub checks: ThinList<FollowUpCheck>,
    pub reports: ThinList<ProgressReport>,
    pub determinations: ThinList<Determination>,
    pub closures: ThinList<Closure>,
    pub reopens: ThinList<Reopen>,
    pub outcomes: ThinList<Outcome>,
    pub accountability: ThinList<Accountability>,
    pub referrals: ThinList<Referral>,
    pub supervisions: ThinList<Supervision>,
}

/// The status of a finding on a date, with its derived flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusView {
    pub status: Status,
    /// 超期: past the deadline that counts (the current milestone for 持续整改) and not rectified.
    pub overdue: bool,
    /// 临期: open, not overdue, and due within the configured number of days.
    pub near_due: bool,
    /// Days past the deadline that counts (0 when not overdue).
    pub days_overdue: i64,
    /// Days to the deadline that counts, negative when past; `None` when nothing is due.
    pub days_to_due: Option<i64>,
    /// Opened again after a closure, or after a check found the rectification fake.
    pub reopened: bool,
    /// The last progress report or check on or before the date.
    pub last_activity: Option<NaiveDate>,
}

impl StatusView {
    /// Not started, with nothing due: a finding not issued yet.
    pub const fn not_started(last_activity: Option<NaiveDate>) -> StatusView {
        StatusView {
            status: Status::NotStarted,
            overdue: false,
            near_due: false,
            days_overdue: 0,
            days_to_due: None,
            reopened: false,
            last_activity,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Event {
    Claim(ClaimedStatus),
    Review(ReviewVerdict),
    Check(CheckVerdict),
    Close,
    Reopen,
}

impl FindingRecords {
    /// The dated events up to `date`, in order (same day: in order of creation, which the
    /// time-ordered record ids give).
    fn events_until(&self, date: NaiveDate) -> Vec<(NaiveDate, Id, Event)> {
        let mut events: Vec<(NaiveDate, Id, Event)> = Vec::new();
        events.extend(
            self.reports
                .iter()
                .filter(|r| !r.archived)
                .map(|r| (r.date, r.id, Event::Claim(r.claimed))),
        );
        events.extend(
            self.determinations
                .iter()
                .filter(|r| !r.archived)
                .map(|r| (r.date, r.id, Event::Review(r.verdict))),
        );
        events.extend(
            self.checks
                .iter()
                .filter(|r| !r.archived)
                .map(|r| (r.date, r.id, Event::Check(r.verdict))),
        );
        events.extend(
            self.closures
                .iter()
                .filter(|r| !r.archived)
                .map(|r| (r.date, r.id, Event::Close)),
        );
        events.extend(
            self.reopens
                .iter()
                .filter(|r| !r.archived)
                .map(|r| (r.date, r.id, Event::Reopen)),
        );
        events.retain(|(d, _, _)| *d <= date);
        events.sort_by_key(|(d, id, _)| (*d, *id));
        events
    }

    /// The latest progress report or check on or before `date`.
    pub fn last_activity(&self, date: NaiveDate) -> Option<NaiveDate> {
        let reports = self.reports.iter().filter(|r| !r.archived).map(|r| r.date);
        let checks = self.checks.iter().filter(|r| !r.archived).map(|r| r.date);
        reports.chain(checks).filter(|d| *d <= date).max()
    }

    /// The latest check on or before `date`.
    pub fn last_check(&self, date: NaiveDate) -> Option<&FollowUpCheck> {
        self.checks
            .iter()
            .filter(|c| !c.archived && c.date <= date)
            .max_by_key(|c| (c.date, c.id))
    }
}

/// The status of `finding` as it was on `date`, from the records dated up to then.
pub fn status_at(
    finding: &Finding,
    records: &FindingRecords,
    date: NaiveDate,
    near_due_days: i64,
) -> StatusView {
    let last_activity = records.last_activity(date);
    let issued = finding.issued_on.is_some_and(|d| d <= date);
    if !issued {
        return StatusView::not_started(last_activity);
    }
    let mut decided = Status::InProgress;
    let mut awaiting_review = false;
    let mut reopened = false;
    for (_, _, event) in records.events_until(date) {
        match event {
            Event::Claim(ClaimedStatus::InProgress) => {}
            Event::Claim(_) => awaiting_review = decided != Status::Closed,
            Event::Review(verdict) => {
                awaiting_review = false;
                decided = match verdict {
                    ReviewVerdict::Rectified => Status::Rectified,
                    ReviewVerdict::Partial => Status::Partial,
                    ReviewVerdict::NotRectified => Status::NotRectified,
                    ReviewVerdict::LongTerm => Status::LongTerm,
                    ReviewVerdict::Rejected => Status::InProgress,
                };
            }
            Event::Check(verdict) => {
                awaiting_review = false;
                let was_done = decided.is_rectified();
                decided = match verdict {
                    // A check that confirms a closed finding leaves it closed.
                    CheckVerdict::Rectified if decided == Status::Closed => Status::Closed,
                    CheckVerdict::Rectified => Status::Rectified,
                    CheckVerdict::Partial => Status::Partial,
                    CheckVerdict::NotRectified => Status::NotRectified,
                    CheckVerdict::LongTerm => Status::LongTerm,
                    CheckVerdict::Fake => Status::InProgress,
                };
                if was_done && !decided.is_rectified() {
                    reopened = true;
                }
            }
            Event::Close => {
                awaiting_review = false;
                decided = Status::Closed;
            }
            Event::Reopen => {
                awaiting_review = false;
                reopened = true;
                decided = Status::InProgress;
            }
        }
    }
    let mut status = if awaiting_review {
        Status::AwaitingReview
    } else {
        decided
    };

    let due = if status == Status::LongTerm || finding.mode == Mode::LongTerm {
        finding.effective_deadline(date)
    } else {
        Some(finding.deadline)
    };
    let days_to_due = due.map(|d| (d - date).num_days());
    let open = !status.is_rectified();
    let overdue = open && days_to_due.is_some_and(|days| days < 0);
    if overdue && status == Status::InProgress {
        // 整改中 past the deadline with nothing accepted is 未整改.
        status = Status::NotRectified;
    }
    let near_due = open && !overdue && days_to_due.is_some_and(|days| days <= near_due_days);
    StatusView {
        status,
        overdue,
        near_due,
        days_overdue: if overdue {
            -days_to_due.unwrap_or(0)
        } else {
            0
        },
        days_to_due,
        reopened,
        last_activity,
    }
}

/// When the finding is next due for a 跟踪检查 / 回头看, as of `date`, or `None` if no check is
/// planned. The latest check's `next_check` decides. A finding never checked is due from its
/// deadline on (到期跟踪检查) while it is open; a rectified or closed one only when a check
/// schedules it (回头看 is planned, not perpetual). Drafts are never due.
pub fn next_check_due(
    finding: &Finding,
    records: &FindingRecords,
    status: Status,
    date: NaiveDate,
) -> Option<NaiveDate> {
    if finding.archived || finding.issued_on.is_none_or(|d| d > date) {
        return None;
    }
    match records.last_check(date) {
        Some(check) => check.next_check,
        None if status.is_rectified() => None,
        None => Some(finding.deadline),
    }
}
