//! One parsed term and whether a finding satisfies it.

use super::FilterContext;
use super::fold::Needle;
use super::value::{Cond, DateSpec};
use super::vocab::Tag;
use crate::domain::{
    FindingSource, Mode, Money, Severity, StatClass, Status, UnitRole, UnresolvedReason,
};
use crate::ledger::FindingRow;
use crate::search::urgency::days_without_progress;

#[derive(Debug, Clone)]
pub(super) struct Term {
    pub negated: bool,
    pub test: Test,
}

/// What a term asks. Lists are alternatives (`状态:未整改,部分整改`): any one will do.
#[derive(Debug, Clone)]
pub(super) enum Test {
    Tag(Tag),
    /// A free word or quoted phrase. `fuzzy` also accepts the word's characters in order in
    /// the title; it is off for phrases (quoted means literal) and for negated words, so that a
    /// near miss can never hide a row.
    Word {
        needle: Needle,
        fuzzy: bool,
    },
    Status(Vec<Status>),
    Mode(Vec<Mode>),
    Class(Vec<StatClass>),
    Severity(Vec<Severity>),
    Source(Vec<FindingSource>),
    Reason(Vec<UnresolvedReason>),
    Unit {
        lead_only: bool,
        any: Vec<Needle>,
    },
    Project(Vec<Needle>),
    Category(Vec<Needle>),
    Number(Vec<Needle>),
    Year(Vec<Cond<i64>>),
    Amount(Cond<Money>),
    Deadline(Vec<Cond<DateSpec>>),
    Overdue(Vec<Cond<i64>>),
    Urgency(Cond<f64>),
}

impl Term {
    pub fn matches(&self, row: &FindingRow, ctx: &FilterContext) -> bool {
        self.test.holds(row, ctx) != self.negated
    }
}

fn any_in(needles: &[Needle], texts: &[&str]) -> bool {
    needles.iter().any(|n| texts.iter().any(|t| n.in_text(t)))
}

impl Test {
    fn holds(&self, row: &FindingRow, ctx: &FilterContext) -> bool {
        let f = &row.finding;
        match self {
            Test::Tag(tag) => tag_holds(*tag, row, ctx),
            Test::Word { needle, fuzzy } => word_holds(needle, *fuzzy, row, ctx),
            Test::Status(any) => any.contains(&row.status.status),
            Test::Mode(any) => any.contains(&f.mode),
            Test::Class(any) => any.contains(&f.stat_class),
            Test::Severity(any) => any.contains(&f.severity),
            Test::Source(any) => any.contains(&f.source),
            Test::Reason(any) => f.unresolved_reason.is_some_and(|r| any.contains(&r)),
            Test::Unit { lead_only, any } => f
                .units
                .iter()
                .filter(|u| !lead_only || u.role == UnitRole::Lead)
                .filter_map(|u| (ctx.units)(u.unit))
                .any(|u| any_in(any, &[&u.name, &u.short_name])),
            Test::Project(any) => {
                (ctx.projects)(f.project).is_some_and(|p| any_in(any, &[&p.number, &p.name]))
            }
            Test::Category(any) => any_in(any, &[&f.category]),
            Test::Number(any) => any_in(any, &[&f.number]),
            Test::Year(any) => (ctx.projects)(f.project)
                .is_some_and(|p| any.iter().any(|c| c.holds(&i64::from(p.year)))),
            // A finding without an amount satisfies no amount test (`金额<1万` does not mean
            // "no amount"), as in SQL.
            Test::Amount(cond) => f.amount.is_some_and(|a| cond.holds(&a)),
            // The deadline that counts, as 超期 and 临期 judge it: the current milestone of a
            // 持续整改 item, else the finding's own.
            Test::Deadline(any) => f.effective_deadline(ctx.today).is_some_and(|due| {
                any.iter().any(|c| {
                    c.map(|spec| spec.resolve(ctx.today))
                        .is_some_and(|c| c.holds(&due))
                })
            }),
            Test::Overdue(any) => any.iter().any(|c| c.holds(&row.status.days_overdue)),
            Test::Urgency(cond) => cond.holds(&ctx.urgency(row)),
        }
    }
}

/// `+待回头看` looks this many days ahead: "this week's checks".
const DUE_CHECK_WINDOW_DAYS: i64 = 7;

/// Issued and not rectified in substance.
fn open(row: &FindingRow) -> bool {
    let s = row.status.status;
    s != Status::NotStarted && !s.is_rectified()
}

fn tag_holds(tag: Tag, row: &FindingRow, ctx: &FilterContext) -> bool {
    let f = &row.finding;
    let s = &row.status;
    match tag {
        Tag::Overdue => s.overdue,
        Tag::NearDue => s.near_due,
        Tag::Awaiting => s.status == Status::AwaitingReview,
        Tag::Repeat => ctx.is_repeat(row),
        Tag::Congress => f.flags.report_to_congress,
        Tag::Instructed => f.flags.leader_instruction,
        Tag::Assigned => f.flags.upper_assigned,
        Tag::KeySupervision => f.flags.key_supervision,
        Tag::DuringAudit => f.during_audit,
        Tag::Stale => {
            open(row) && days_without_progress(row, ctx.today).is_some_and(|d| d > ctx.stale_days)
        }
        Tag::LongTerm => f.mode == Mode::LongTerm || s.status == Status::LongTerm,
        Tag::Reopened => s.reopened,
        Tag::Open => open(row),
        Tag::Draft => s.status == Status::NotStarted,
        Tag::DueCheck => row
            .next_check(ctx.today)
            .is_some_and(|due| due <= ctx.today + chrono::Duration::days(DUE_CHECK_WINDOW_DAYS)),
    }
}

/// A free word: number, title, facts, category and the names of the responsible units.
fn word_holds(needle: &Needle, fuzzy: bool, row: &FindingRow, ctx: &FilterContext) -> bool {
    let f = &row.finding;
    if [&*f.number, &*f.title, &*f.facts, &*f.category]
        .iter()
        .any(|t| needle.in_text(t))
    {
        return true;
    }
    let in_unit = f
        .units
        .iter()
        .filter_map(|u| (ctx.units)(u.unit))
        .any(|u| needle.in_text(&u.name) || needle.in_text(&u.short_name));
    in_unit || (fuzzy && needle.in_order(&f.title))
}
