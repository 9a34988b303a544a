//! The hand-built ledger of the table in filter.rs, and helpers to run expressions over it.

use chrono::NaiveDate;
use rectify::domain::status::{DEFAULT_NEAR_DUE_DAYS, FindingRecords, status_at};
use rectify::domain::{
    CheckKind, CheckMethod, CheckVerdict, ClaimedStatus, Closure, Determination, Finding,
    FindingSource, FollowUpCheck, Id, Milestone, Mode, Money, MoneyUnit, ProgressReport, Project,
    ProjectType, Reopen, ReopenReason, ResponsibleUnit, ReviewMethod, ReviewVerdict, Severity,
    StatClass, Unit, UnitKind, UnitRole, UnresolvedReason,
};
use rectify::ledger::FindingRow;
use rectify::search::filter::{self, FilterContext, FilterError, repeated_ids};
use std::collections::{HashMap, HashSet};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

pub fn today() -> NaiveDate {
    d(2024, 6, 1)
}

pub fn wan(text: &str) -> Money {
    Money::parse_in(text, MoneyUnit::Wan).expect("valid amount")
}

pub struct Fixture {
    pub today: NaiveDate,
    pub rows: Vec<FindingRow>,
    pub units: HashMap<Id, Unit>,
    pub projects: HashMap<Id, Project>,
    pub repeated: HashSet<Id>,
    pub stale_days: i64,
}

fn unit(name: &str, short: &str) -> Unit {
    let mut u = Unit::new(name, UnitKind::PartyGovernment);
    u.short_name = short.to_string();
    u
}

fn finding(p: &Project, number: &str, title: &str, units: &[(&Unit, UnitRole)]) -> Finding {
    let mut f = Finding::new(p.id, number, title, d(2024, 12, 31));
    f.units = units
        .iter()
        .map(|(u, role)| ResponsibleUnit {
            unit: u.id,
            role: *role,
        })
        .collect();
    f.issued_on = Some(d(2023, 8, 1));
    f
}

pub fn report(f: &Finding, date: NaiveDate, claimed: ClaimedStatus) -> ProgressReport {
    ProgressReport {
        id: Id::new(),
        finding: f.id,
        date,
        submitted_by: "联络员".to_string(),
        narrative: String::new(),
        measures: String::new(),
        reason_if_incomplete: String::new(),
        next_steps: String::new(),
        claimed,
        amount_rectified: None,
        archived: false,
        channel: rectify::domain::Channel::Typed,
        requested_deadline: None,
        amounts: Vec::new(),
        evidence: Vec::new(),
    }
}

pub fn determination(f: &Finding, date: NaiveDate, verdict: ReviewVerdict) -> Determination {
    Determination {
        id: Id::new(),
        finding: f.id,
        date,
        reviewer: "王审计".to_string(),
        method: ReviewMethod::WrittenReview,
        verdict,
        standard: String::new(),
        opinion: String::new(),
        amount_confirmed: None,
        archived: false,
        amounts: Vec::new(),
        evidence: Vec::new(),
    }
}

fn check(f: &Finding, date: NaiveDate, verdict: CheckVerdict) -> FollowUpCheck {
    FollowUpCheck {
        id: Id::new(),
        finding: f.id,
        date,
        checker: "王审计".into(),
        kind: CheckKind::LookBack,
        method: CheckMethod::SiteVisit,
        verdict,
        note: String::new(),
        next_check: None,
        project: None,
        archived: false,
        plan: None,
        evidence: Vec::new(),
    }
}

fn closure(f: &Finding, date: NaiveDate) -> Closure {
    Closure {
        id: Id::new(),
        finding: f.id,
        date,
        closed_by: "科长".to_string(),
        remark: String::new(),
        archived: false,
    }
}

fn reopen(f: &Finding, date: NaiveDate) -> Reopen {
    Reopen {
        id: Id::new(),
        finding: f.id,
        date,
        by: "王审计".to_string(),
        reason: ReopenReason::Relapse,
        note: String::new(),
        archived: false,
    }
}

/// A row with its status computed the way the ledger does.
pub fn row(finding: Finding, records: FindingRecords, on: NaiveDate) -> FindingRow {
    let status = status_at(&finding, &records, on, DEFAULT_NEAR_DUE_DAYS);
    FindingRow {
        finding,
        status,
        records,
    }
}

impl Fixture {
    pub fn new() -> Fixture {
        let czj = unit("区财政局", "财政局");
        let swj = unit("区水务局", "水务局");
        let ct = unit("区城投集团", "城投集团");
        let bonds = Project::new(
            "2022-03",
            "区级地方政府专项债券管理使用情况审计",
            2022,
            ProjectType::SpecialBonds,
        );
        let budget = Project::new(
            "2023-01",
            "2022年度区本级预算执行和决算草案审计",
            2023,
            ProjectType::BudgetExecution,
        );
        let (lead, assist) = (UnitRole::Lead, UnitRole::Assist);
        let mut rows = Vec::new();
        let mut add = |f: Finding, r: FindingRecords| rows.push(row(f, r, today()));

        let mut a = finding(
            &bonds,
            "2022-03-01",
            "违规出借财政资金",
            &[(&czj, lead), (&ct, assist)],
        );
        a.issued_on = Some(d(2022, 9, 1));
        a.deadline = d(2023, 3, 1);
        a.amount = Some(wan("3000"));
        a.stat_class = StatClass::Violation;
        a.severity = Severity::Major;
        a.flags.leader_instruction = true;
        let a_id = a.id;
        add(a, FindingRecords::default());

        let mut b = finding(
            &bonds,
            "2022-03-02",
            "化整为零规避公开招标",
            &[(&swj, lead)],
        );
        b.issued_on = Some(d(2022, 9, 1));
        b.deadline = d(2024, 6, 10);
        b.amount = Some(wan("98.6"));
        b.stat_class = StatClass::Violation;
        b.severity = Severity::Serious;
        b.mode = Mode::Staged;
        b.source = FindingSource::UpperAssigned;
        let mut r = FindingRecords::default();
        r.reports
            .push(report(&b, d(2024, 5, 20), ClaimedStatus::InProgress));
        add(b, r);

        let mut c = finding(&bonds, "2022-03-10", "预算编制不够细化", &[(&czj, lead)]);
        c.facts = "代编预算占比27%，年中追加调整频繁。".into();
        c.category = "预算管理".into();
        c.repeat_of = Box::new([a_id]);
        let mut r = FindingRecords::default();
        r.reports
            .push(report(&c, d(2024, 5, 25), ClaimedStatus::Rectified));
        add(c, r);

        let mut dd = finding(
            &budget,
            "2023-01-01",
            "非税收入未及时缴入国库",
            &[(&czj, lead)],
        );
        dd.deadline = d(2023, 12, 31);
        dd.amount = Some(wan("1250.6"));
        dd.flags.report_to_congress = true;
        let mut r = FindingRecords::default();
        r.reports
            .push(report(&dd, d(2023, 11, 1), ClaimedStatus::Rectified));
        r.determinations.push(determination(
            &dd,
            d(2023, 11, 20),
            ReviewVerdict::Rectified,
        ));
        r.closures.push(closure(&dd, d(2023, 12, 5)));
        add(dd, r);

        let mut e = finding(
            &budget,
            "2023-01-02",
            "建设资金缺口导致拖欠工程款",
            &[(&ct, lead), (&czj, assist)],
        );
        e.facts = "PPP项目建设资金缺口2350万元。".into();
        e.deadline = d(2025, 12, 31);
        e.amount = Some(wan("2350"));
        e.severity = Severity::Major;
        e.mode = Mode::LongTerm;
        e.milestones = Box::new([
            Milestone {
                title: "制定偿还计划".to_string(),
                due: d(2023, 12, 31),
                done_on: Some(d(2023, 12, 20)),
            },
            Milestone {
                title: "偿还一半".to_string(),
                due: d(2024, 5, 1),
                done_on: None,
            },
        ]);
        e.unresolved_reason = Some(UnresolvedReason::FundingGap);
        e.justification = "资金缺口需逐年解决。".into();
        e.flags.key_supervision = true;
        let mut r = FindingRecords::default();
        r.determinations
            .push(determination(&e, d(2023, 10, 1), ReviewVerdict::LongTerm));
        r.checks
            .push(check(&e, d(2024, 5, 15), CheckVerdict::LongTerm));
        add(e, r);

        let mut f = finding(&budget, "2023-01-03", "固定资产账实不符", &[(&swj, lead)]);
        f.deadline = d(2024, 9, 30);
        f.flags.upper_assigned = true;
        f.during_audit = true;
        let mut r = FindingRecords::default();
        r.determinations
            .push(determination(&f, d(2023, 12, 1), ReviewVerdict::Rectified));
        r.closures.push(closure(&f, d(2024, 1, 10)));
        r.reopens.push(reopen(&f, d(2024, 3, 1)));
        r.reports
            .push(report(&f, d(2024, 4, 15), ClaimedStatus::InProgress));
        add(f, r);

        let mut g = finding(&budget, "2023-01-04", "三公经费超标准列支", &[(&czj, lead)]);
        g.issued_on = None;
        add(g, FindingRecords::default());

        let repeated = repeated_ids(&rows);
        Fixture {
            today: today(),
            rows,
            units: [czj, swj, ct].into_iter().map(|u| (u.id, u)).collect(),
            projects: [bonds, budget].into_iter().map(|p| (p.id, p)).collect(),
            repeated,
            stale_days: filter::DEFAULT_STALE_DAYS,
        }
    }

    /// Run `body` with a context over this ledger.
    pub fn with_ctx<R>(&self, body: impl FnOnce(&FilterContext) -> R) -> R {
        let units = |id: Id| self.units.get(&id);
        let projects = |id: Id| self.projects.get(&id);
        let mut ctx = FilterContext::new(self.today, &units, &projects, &self.repeated);
        ctx.stale_days = self.stale_days;
        body(&ctx)
    }

    /// The numbers an expression selects, in the order it sorts them (the fixture's rows are
    /// stored out of order on purpose, so the sort is really exercised).
    pub fn hits(&self, expr: &str) -> Vec<String> {
        let filter = match filter::parse(expr) {
            Ok(f) => f,
            Err(e) => panic!("{expr:?} should parse: {e}"),
        };
        self.with_ctx(|ctx| {
            let mut rows: Vec<&FindingRow> = self
                .rows
                .iter()
                .rev()
                .filter(|r| filter.matches(r, ctx))
                .collect();
            filter.sort(&mut rows, ctx);
            rows.iter().map(|r| r.finding.number.to_string()).collect()
        })
    }

    pub fn row(&self, number: &str) -> &FindingRow {
        self.rows
            .iter()
            .find(|r| &*r.finding.number == number)
            .unwrap_or_else(|| panic!("no finding {number}"))
    }
}

/// Finding numbers as the `hits` of an expression return them.
pub fn nums(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The error an expression must give.
pub fn parse_err(expr: &str) -> FilterError {
    match filter::parse(expr) {
        Ok(f) => panic!("{expr:?} should not parse, got {f:?}"),
        Err(e) => e,
    }
}
