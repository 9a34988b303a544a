//! Builders shared by the integration tests: valid records made with the domain constructors,
//! so a test only spells out what it is about.
//!
//! Each test file uses a different part of this module.
#![allow(dead_code)]

pub mod cli_env;
pub mod preset_keys;
pub mod scratch_app;
pub mod sshd;
pub mod store_env;
pub mod tmux;
pub mod tui_env;
#[allow(unused_imports)]
pub use store_env::*;

use chrono::NaiveDate;
use rectify::domain::{
    CheckKind, CheckMethod, CheckVerdict, ClaimedStatus, Closure, Determination, Finding,
    FollowUpCheck, Id, Milestone, Mode, ProgressReport, Project, ProjectType, Reopen, ReopenReason,
    ResponsibleUnit, ReviewMethod, ReviewVerdict, Unit, UnitKind, UnitRole, UnresolvedReason,
};

/// A number from the environment (rounds, seeds of the longer documented runs), or `default`;
/// panics on a value that is not a number, rather than quietly running the default.
pub fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, got {v:?}")),
        Err(_) => default,
    }
}

/// A calendar date; panics on an impossible one (a typo in a test).
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

pub fn unit(name: &str) -> Unit {
    let mut u = Unit::new(name, UnitKind::PartyGovernment);
    u.leader = "张三".to_string();
    u
}

pub fn project(number: &str) -> Project {
    let mut p = Project::new(
        number,
        "区财政局2023年度预算执行情况审计",
        2023,
        ProjectType::BudgetExecution,
    );
    p.doc_no = "区审报〔2023〕3号".to_string();
    p.team.leader = "李审计".to_string();
    p
}

/// An issued finding with `lead` as its 牵头 unit.
pub fn finding(
    project: Id,
    lead: Id,
    number: &str,
    issued: NaiveDate,
    deadline: NaiveDate,
) -> Finding {
    let mut f = Finding::new(project, number, "未按规定及时收缴非税收入", deadline);
    f.facts = "抽查发现12笔非税收入滞留专户，合计36.5万元。".into();
    f.recommendation = "及时足额缴入国库。".into();
    f.units = Box::new([ResponsibleUnit {
        unit: lead,
        role: UnitRole::Lead,
    }]);
    f.auditor = "王审计".into();
    f.issued_on = Some(issued);
    f
}

/// Adds a responsible unit after `f`'s others (the list is a boxed slice, so it is rebuilt).
pub fn add_unit(f: &mut Finding, unit: Id, role: UnitRole) {
    let mut units = std::mem::take(&mut f.units).into_vec();
    units.push(ResponsibleUnit { unit, role });
    f.units = units.into();
}

/// A draft finding: not yet issued to the unit.
pub fn draft(project: Id, lead: Id, number: &str, deadline: NaiveDate) -> Finding {
    let mut f = finding(project, lead, number, deadline, deadline);
    f.issued_on = None;
    f
}

pub fn milestone(title: &str, due: NaiveDate, done_on: Option<NaiveDate>) -> Milestone {
    Milestone {
        title: title.to_string(),
        due,
        done_on,
    }
}

/// Turn a finding into a valid 持续整改 item with the given timetable.
pub fn make_long_term(f: &mut Finding, milestones: Vec<Milestone>) {
    f.mode = Mode::LongTerm;
    f.milestones = milestones.into();
    f.unresolved_reason = Some(UnresolvedReason::FundingGap);
    f.justification = "资金缺口较大，需分年度纳入预算逐步解决。".into();
}

pub fn report(finding: Id, date: NaiveDate, claimed: ClaimedStatus) -> ProgressReport {
    ProgressReport {
        id: Id::new(),
        finding,
        date,
        submitted_by: "赵联络员".to_string(),
        narrative: "已将滞留资金缴入国库。".to_string(),
        measures: "制定非税收入管理办法。".to_string(),
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

pub fn determination(finding: Id, date: NaiveDate, verdict: ReviewVerdict) -> Determination {
    Determination {
        id: Id::new(),
        finding,
        date,
        reviewer: "王审计".to_string(),
        method: ReviewMethod::WrittenReview,
        verdict,
        standard: String::new(),
        opinion: "经审核佐证材料。".to_string(),
        amount_confirmed: None,
        archived: false,
        amounts: Vec::new(),
        evidence: Vec::new(),
    }
}

pub fn closure(finding: Id, date: NaiveDate) -> Closure {
    Closure {
        id: Id::new(),
        finding,
        date,
        closed_by: "科长".to_string(),
        remark: String::new(),
        archived: false,
    }
}

pub fn reopen(finding: Id, date: NaiveDate) -> Reopen {
    Reopen {
        id: Id::new(),
        finding,
        date,
        by: "王审计".to_string(),
        reason: ReopenReason::Relapse,
        note: "回头看发现问题反弹。".to_string(),
        archived: false,
    }
}

pub fn check(finding: Id, date: NaiveDate, verdict: CheckVerdict) -> FollowUpCheck {
    FollowUpCheck {
        id: Id::new(),
        finding,
        date,
        checker: "王审计".into(),
        kind: CheckKind::LookBack,
        method: CheckMethod::SiteVisit,
        verdict,
        note: "实地查看。".to_string(),
        next_check: None,
        project: None,
        archived: false,
        plan: None,
        evidence: Vec::new(),
    }
}
