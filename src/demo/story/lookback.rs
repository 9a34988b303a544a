//! The 回头看 the newest project took on (the seed's practice): its 实施方案 lists the unit's
//! findings of earlier years, and the team has checked some of them so far. The plan is still
//! running, so a check made today joins it.

use super::plus;
use crate::domain::{CheckKind, CheckMethod, CheckPlan, CheckVerdict, FollowUpCheck, Id, Project};
use crate::store::Record;
use chrono::NaiveDate;

/// What the story knows of a finding when the plan is drawn up.
pub(super) struct Played {
    pub id: Id,
    pub year: i32,
    pub units: Vec<Id>,
    /// Closed for good in the story (scenes C and K): a look-back can only confirm it.
    pub closed: bool,
    pub issued: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
    pub looked_back_lately: bool,
}

/// The plan and its checks so far; nothing when the project has no earlier findings to look at.
pub(super) fn plan(project: &Project, played: &[Played], today: NaiveDate) -> Vec<Record> {
    let scope: Vec<&Played> = played
        .iter()
        .filter(|p| p.issued.is_some() && p.year < project.year && !p.looked_back_lately)
        .filter(|p| p.units.iter().any(|u| project.audited_units.contains(u)))
        .collect();
    if scope.is_empty() {
        return Vec::new();
    }
    let start = plus(today, -110);
    let plan = CheckPlan {
        id: Id::new(),
        kind: CheckKind::LookBack,
        title: format!("{} 回头看", project.name),
        project: Some(project.id),
        unit: project.audited_units.first().copied(),
        findings: scope.iter().map(|p| p.id).collect(),
        start,
        end: None,
        team: format!("{}、{}", project.team.leader, project.team.chief),
        created_by: project.team.chief.clone(),
        archived: false,
    };
    let mut out = vec![];
    // The first closed ones have been checked; the rest are still to do.
    let checked: Vec<&&Played> = scope
        .iter()
        .filter(|p| p.closed)
        .take(scope.len() / 2 + 1)
        .collect();
    let mut checks = Vec::new();
    for (n, p) in checked.into_iter().enumerate() {
        let want = plus(today, -70 + n as i64 * 9);
        let floor = p.last.map_or(p.issued, |last| Some(plus(last, 1)));
        let date = floor.map_or(want, |floor| want.max(floor));
        if date > today {
            continue;
        }
        checks.push(Record::Check(FollowUpCheck {
            id: Id::new(),
            finding: p.id,
            date,
            checker: project.team.chief.as_str().into(),
            kind: CheckKind::LookBack,
            method: CheckMethod::SiteVisit,
            verdict: CheckVerdict::Rectified,
            note: format!(
                "回头看（纳入{}实施方案）：整改成效巩固，未发现问题反弹。",
                project.number
            ),
            next_check: None,
            project: Some(project.id),
            archived: false,
            plan: Some(plan.id),
            evidence: Vec::new(),
        }));
    }
    out.push(Record::Plan(plan));
    out.extend(checks);
    out
}
