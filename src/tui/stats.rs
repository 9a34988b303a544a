//! The 总览's figures: totals and 整改率 under a 口径, counts by status, overdue findings by how
//! late they are, and tables by lead unit and by project type. Computed in one pass over the
//! snapshot and cached per snapshot state (see `App::dashboard`), never per frame.
//!
//! Every number has a `Drill`: the findings behind it, listed by `members`. Counting and listing
//! both classify a finding with `member`, so a number and its list cannot disagree.
//!
//! What the 总览 counts: every issued finding (下发 on or before today) of a live project, of every
//! year in the ledger (the years are shown beside the 口径), under the 口径's rules for what is
//! rectified and what is in the denominator (`report::figures`, the same rules as the annual
//! report). Its default 口径 is the seed's but with scope "all": the 总览 is about the whole
//! ledger, not only what a work report listed. `caliber` in config.toml changes it.

use super::model::Snapshot;
use crate::domain::{Id, Money, ProjectType, Status};
use crate::ledger::FindingRow;
use crate::report::figures::{self, Rate};
use crate::report::{Basis, Caliber, Scope};
use chrono::NaiveDate;
use std::cmp::Ordering;
use std::collections::HashMap;

/// The 总览's 口径 before config.toml: the seed's rules, over every issued finding.
pub fn default_caliber(today: NaiveDate) -> Caliber {
    Caliber {
        scope: Scope::All,
        ..Caliber::seed(today)
    }
}

/// Overdue findings by days past their deadline.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Aging {
    UpTo30,
    UpTo90,
    UpTo180,
    Over180,
}

impl Aging {
    pub const ALL: [Aging; 4] = [Aging::UpTo30, Aging::UpTo90, Aging::UpTo180, Aging::Over180];

    pub fn of(days_overdue: i64) -> Aging {
        match days_overdue {
            ..=30 => Aging::UpTo30,
            31..=90 => Aging::UpTo90,
            91..=180 => Aging::UpTo180,
            _ => Aging::Over180,
        }
    }
}

/// The findings behind one number of the 总览.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Drill {
    /// 问题总数.
    All,
    /// 已整改到位 under the 口径.
    Rectified,
    /// Not rectified under the 口径.
    Unfinished,
    Status(Status),
    /// Findings of the scope not issued yet (未启动): not counted, shown for completeness.
    NotIssued,
    Aging(Aging),
    /// By lead unit (`None`: no lead unit set).
    Unit(Option<Id>),
    Type(ProjectType),
}

/// The parts of the 总览, in the order the cursor walks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Totals,
    Status,
    Aging,
    Units,
    Types,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Totals,
        Section::Status,
        Section::Aging,
        Section::Units,
        Section::Types,
    ];
}

/// The statuses an issued finding can have, in the order the 总览 lists them.
pub const ISSUED_STATUSES: [Status; 7] = [
    Status::InProgress,
    Status::AwaitingReview,
    Status::Partial,
    Status::LongTerm,
    Status::NotRectified,
    Status::Rectified,
    Status::Closed,
];

/// How one counted finding counts.
struct Class {
    status: Status,
    rectified: bool,
    in_denominator: bool,
    aging: Option<Aging>,
    lead: Option<Id>,
    kind: ProjectType,
    year: i32,
}

enum Member {
    Out,
    NotIssued,
    In(Class),
}

/// Where one finding stands under the 口径 on the snapshot's day.
fn member(snap: &Snapshot, row: &FindingRow, caliber: &Caliber) -> Member {
    let Some(project) = snap.project(row.finding.project) else {
        return Member::Out;
    };
    if !figures::in_scope(&row.finding, caliber) {
        return Member::Out;
    }
    if !figures::issued_by(&row.finding, caliber.cutoff) {
        return Member::NotIssued;
    }
    let status = row.status.status;
    Member::In(Class {
        status,
        rectified: figures::is_rectified(status, caliber),
        in_denominator: figures::in_denominator(status, caliber),
        aging: row
            .status
            .overdue
            .then(|| Aging::of(row.status.days_overdue)),
        lead: row.finding.lead_unit(),
        kind: project.kind,
        year: project.year,
    })
}

impl Drill {
    fn matches(self, m: &Member) -> bool {
        let c = match (self, m) {
            (Drill::NotIssued, Member::NotIssued) => return true,
            (_, Member::In(c)) => c,
            _ => return false,
        };
        match self {
            Drill::All => true,
            Drill::Rectified => c.rectified,
            Drill::Unfinished => !c.rectified,
            Drill::Status(s) => c.status == s,
            Drill::NotIssued => false,
            Drill::Aging(a) => c.aging == Some(a),
            Drill::Unit(u) => c.lead == u,
            Drill::Type(t) => c.kind == t,
        }
    }

    pub fn section(self) -> Section {
        match self {
            Drill::All | Drill::Rectified | Drill::Unfinished => Section::Totals,
            Drill::Status(_) | Drill::NotIssued => Section::Status,
            Drill::Aging(_) => Section::Aging,
            Drill::Unit(_) => Section::Units,
            Drill::Type(_) => Section::Types,
        }
    }
}

/// Indexes into `snap.findings` of the findings behind `drill`, in the snapshot's order.
pub fn members(snap: &Snapshot, caliber: &Caliber, drill: Drill) -> Vec<usize> {
    snap.findings_where(|r| drill.matches(&member(snap, r, caliber)))
}

/// What a group of findings adds up to: the totals, or one row of a table.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    pub findings: usize,
    /// 已整改到位 under the 口径.
    pub rectified: usize,
    /// In the denominator of the count-based rate.
    pub denominator: usize,
    /// Rectified and in the denominator: the count-based rate's numerator.
    pub rectified_in_denominator: usize,
    pub overdue: usize,
    /// 问题涉及金额.
    pub amount: Money,
    /// 整改金额 confirmed by the latest determination: the amount-based rate's numerator.
    pub amount_rectified: Money,
}

impl Tally {
    fn add(&mut self, c: &Class, row: &FindingRow) {
        self.findings += 1;
        self.rectified += usize::from(c.rectified);
        self.denominator += usize::from(c.in_denominator);
        self.rectified_in_denominator += usize::from(c.rectified && c.in_denominator);
        self.overdue += usize::from(c.aging.is_some());
        if let Some(amount) = row.finding.amount {
            self.amount = self.amount.checked_add(amount).unwrap_or(self.amount);
        }
        if let Some((_, amount)) = figures::latest_confirmation(&row.records) {
            self.amount_rectified = self
                .amount_rectified
                .checked_add(amount)
                .unwrap_or(self.amount_rectified);
        }
    }

    /// The 整改率 on the 口径's basis.
    pub fn rate(&self, basis: Basis) -> Rate {
        match basis {
            Basis::Count => Rate {
                numerator: self.rectified_in_denominator as i64,
                denominator: self.denominator as i64,
            },
            Basis::Amount => Rate {
                numerator: self.amount_rectified.fen(),
                denominator: self.amount.fen(),
            },
        }
    }
}

/// Lower rate first; a rate with nothing to divide by after every real one.
fn worse(a: Rate, b: Rate) -> Ordering {
    match (a.denominator > 0, b.denominator > 0) {
        (true, true) => (i128::from(a.numerator) * i128::from(b.denominator))
            .cmp(&(i128::from(b.numerator) * i128::from(a.denominator))),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => Ordering::Equal,
    }
}

/// One selectable row of the 总览.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Row {
    pub drill: Drill,
    /// How many findings the drill-down lists.
    pub count: usize,
    /// The row's figures, for the unit and project-type tables.
    pub tally: Option<Tally>,
}

/// The 总览 of one snapshot state under one 口径.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Dashboard {
    pub generation: u64,
    pub caliber: Caliber,
    pub totals: Tally,
    /// The first and last year of the counted findings.
    pub years: Option<(i32, i32)>,
    /// Every selectable row, section by section (`Section::ALL` order).
    pub rows: Vec<Row>,
}

impl Dashboard {
    pub fn compute(snap: &Snapshot, caliber: &Caliber) -> Dashboard {
        let mut totals = Tally::default();
        let mut years: Option<(i32, i32)> = None;
        let mut not_issued = 0;
        let mut by_status: HashMap<Status, usize> = HashMap::new();
        let mut by_aging: HashMap<Aging, usize> = HashMap::new();
        let mut by_unit: HashMap<Option<Id>, Tally> = HashMap::new();
        let mut by_type: HashMap<ProjectType, Tally> = HashMap::new();
        for row in &snap.findings {
            let c = match member(snap, row, caliber) {
                Member::Out => continue,
                Member::NotIssued => {
                    not_issued += 1;
                    continue;
                }
                Member::In(c) => c,
            };
            totals.add(&c, row);
            years = Some(years.map_or((c.year, c.year), |(lo, hi)| {
                (lo.min(c.year), hi.max(c.year))
            }));
            *by_status.entry(c.status).or_default() += 1;
            if let Some(a) = c.aging {
                *by_aging.entry(a).or_default() += 1;
            }
            by_unit.entry(c.lead).or_default().add(&c, row);
            by_type.entry(c.kind).or_default().add(&c, row);
        }
        let mut rows = vec![
            counted(Drill::All, totals.findings),
            counted(Drill::Rectified, totals.rectified),
            counted(Drill::Unfinished, totals.findings - totals.rectified),
        ];
        for s in ISSUED_STATUSES {
            rows.push(counted(
                Drill::Status(s),
                by_status.get(&s).copied().unwrap_or(0),
            ));
        }
        rows.push(counted(Drill::NotIssued, not_issued));
        for a in Aging::ALL {
            rows.push(counted(
                Drill::Aging(a),
                by_aging.get(&a).copied().unwrap_or(0),
            ));
        }
        let basis = caliber.basis;
        let mut units: Vec<(String, Row)> = by_unit
            .into_iter()
            .map(|(u, t)| {
                let name = u.map(|u| snap.unit_name(u)).unwrap_or_default();
                (name, tallied(Drill::Unit(u), t))
            })
            .collect();
        units.sort_by(|a, b| unit_order(basis, a, b));
        rows.extend(units.into_iter().map(|(_, r)| r));
        let mut types: Vec<(String, Row)> = by_type
            .into_iter()
            .map(|(k, t)| (format!("{:03}", k as usize), tallied(Drill::Type(k), t)))
            .collect();
        types.sort_by(|a, b| table_order(basis, a, b));
        rows.extend(types.into_iter().map(|(_, r)| r));
        Dashboard {
            generation: snap.generation,
            caliber: *caliber,
            totals,
            years,
            rows,
        }
    }

    /// The 整改率 of the whole.
    pub fn rate(&self) -> Rate {
        self.totals.rate(self.caliber.basis)
    }

    /// Indexes into `rows` of one section's rows.
    pub fn section_rows(&self, section: Section) -> std::ops::Range<usize> {
        let start = self
            .rows
            .iter()
            .position(|r| r.drill.section() == section)
            .unwrap_or(self.rows.len());
        let len = self.rows[start..]
            .iter()
            .take_while(|r| r.drill.section() == section)
            .count();
        start..start + len
    }

    /// The row counting `drill`, if the 总览 shows one.
    pub fn row_of(&self, drill: Drill) -> Option<usize> {
        self.rows.iter().position(|r| r.drill == drill)
    }
}

fn counted(drill: Drill, count: usize) -> Row {
    Row {
        drill,
        count,
        tally: None,
    }
}

fn tallied(drill: Drill, tally: Tally) -> Row {
    Row {
        drill,
        count: tally.findings,
        tally: Some(tally),
    }
}

/// Worst rate first; then more findings first; then by name, so the order is stable.
fn table_order(basis: Basis, a: &(String, Row), b: &(String, Row)) -> Ordering {
    let rate = |r: &Row| r.tally.as_ref().map(|t| t.rate(basis));
    let (ra, rb) = (rate(&a.1), rate(&b.1));
    let by_rate = match (ra, rb) {
        (Some(x), Some(y)) => worse(x, y),
        _ => Ordering::Equal,
    };
    by_rate
        .then(b.1.count.cmp(&a.1.count))
        .then_with(|| a.0.cmp(&b.0))
}

/// `table_order`, then by unit id: units may share a name (two 文旅局 of different districts),
/// and with equal figures their order came from a hash map's, so it changed from run to run
/// (and a cached 总览 could differ from the loaded one by two rows).
fn unit_order(basis: Basis, a: &(String, Row), b: &(String, Row)) -> Ordering {
    let unit = |r: &Row| match r.drill {
        Drill::Unit(u) => u,
        _ => None,
    };
    table_order(basis, a, b).then_with(|| unit(&a.1).cmp(&unit(&b.1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_of_one_name_and_equal_figures_keep_one_order() {
        let row = |id| {
            let tally = Tally {
                findings: 3,
                ..Tally::default()
            };
            ("文旅局".to_string(), tallied(Drill::Unit(Some(id)), tally))
        };
        let (a, b) = (row(Id::new()), row(Id::new()));
        let mut one = vec![a.clone(), b.clone()];
        let mut other = vec![b, a];
        one.sort_by(|x, y| unit_order(Basis::Count, x, y));
        other.sort_by(|x, y| unit_order(Basis::Count, x, y));
        let drills = |rows: &[(String, Row)]| rows.iter().map(|r| r.1.drill).collect::<Vec<_>>();
        assert_eq!(drills(&one), drills(&other));
    }

    #[test]
    fn aging_buckets_have_the_documented_edges() {
        let got: Vec<Aging> = [1, 30, 31, 90, 91, 180, 181, 5000]
            .into_iter()
            .map(Aging::of)
            .collect();
        use Aging::*;
        assert_eq!(
            got,
            [
                UpTo30, UpTo30, UpTo90, UpTo90, UpTo180, UpTo180, Over180, Over180
            ]
        );
    }

    #[test]
    fn the_worst_rate_sorts_first_and_no_rate_last() {
        let r = |n, d| Rate {
            numerator: n,
            denominator: d,
        };
        assert_eq!(worse(r(1, 3), r(1, 2)), Ordering::Less);
        assert_eq!(worse(r(2, 4), r(1, 2)), Ordering::Equal);
        assert_eq!(worse(r(0, 0), r(0, 5)), Ordering::Greater);
    }
}
