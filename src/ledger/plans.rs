//! Check plans and 回头看 planning: which earlier findings a new project should look back at,
//! which plan a check made today belongs to, and what each plan's round has found so far.

use super::Ledger;
use super::error::LedgerResult;
use super::queries::FindingRow;
use super::queries::natural_cmp;
use crate::domain::{CheckKind, CheckPlan, FollowUpCheck, Id, Project, Status};
use crate::store::Store;
use chrono::NaiveDate;

/// One finding of a plan with the latest check its round made of it.
#[derive(Debug, Clone)]
pub struct PlanResult {
    pub row: FindingRow,
    pub check: Option<FollowUpCheck>,
}

impl<S: Store> Ledger<S> {
    /// The findings of earlier years a new project for these units should take into its 回头看
    /// scope (the seed's practice): every issued finding of the units from projects of earlier
    /// years that no 回头看 has looked at in the last year; open ones first, then by deadline.
    /// Closed ones stay in: a look-back is how a relapse is found.
    pub fn lookback_candidates(
        &self,
        project: &Project,
        date: NaiveDate,
    ) -> LedgerResult<Vec<FindingRow>> {
        let years: std::collections::HashMap<Id, i32> = self
            .all::<Project>()?
            .into_iter()
            .map(|p| (p.id, p.year))
            .collect();
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for unit in &project.audited_units {
            for row in self.findings_of_unit(*unit, date)? {
                let earlier = years
                    .get(&row.finding.project)
                    .is_some_and(|year| *year < project.year);
                if earlier && needs_look_back(&row, date) && seen.insert(row.finding.id) {
                    out.push(row);
                }
            }
        }
        out.sort_by(|a, b| {
            let key = |r: &FindingRow| (r.status.status.is_rectified(), r.finding.deadline);
            key(a)
                .cmp(&key(b))
                .then_with(|| natural_cmp(&a.finding.number, &b.finding.number))
        });
        Ok(out)
    }

    /// The plans whose scope holds this finding, running on `date` first.
    pub fn plans_of_finding(&self, finding: Id, date: NaiveDate) -> LedgerResult<Vec<CheckPlan>> {
        let mut plans: Vec<CheckPlan> = self
            .all::<CheckPlan>()?
            .into_iter()
            .filter(|p| p.findings.contains(&finding))
            .collect();
        plans.sort_by_key(|p| (!p.is_running_on(date), std::cmp::Reverse(p.start)));
        Ok(plans)
    }

    /// The plan a check of this finding made on `date` belongs to, if one is running.
    pub fn running_plan(&self, finding: Id, date: NaiveDate) -> LedgerResult<Option<CheckPlan>> {
        Ok(self
            .plans_of_finding(finding, date)?
            .into_iter()
            .find(|p| p.is_running_on(date)))
    }

    /// Each finding of a plan with the latest check of the plan's round (checks naming the plan).
    pub fn plan_results(&self, plan: &CheckPlan, date: NaiveDate) -> LedgerResult<Vec<PlanResult>> {
        let mut out = Vec::with_capacity(plan.findings.len());
        for id in &plan.findings {
            let Ok(finding) = self.get::<crate::domain::Finding>(*id) else {
                continue; // archived since the plan was made
            };
            let records = self.records_of(*id)?;
            let status =
                crate::domain::status_at(&finding, &records, date, self.config.near_due_days);
            let check = records
                .checks
                .iter()
                .filter(|c| !c.archived && c.plan == Some(plan.id))
                .max_by_key(|c| (c.date, c.id))
                .cloned();
            out.push(PlanResult {
                row: FindingRow {
                    finding,
                    status,
                    records,
                },
                check,
            });
        }
        Ok(out)
    }
}

/// Issued, and not looked back at (回头看) within the last year.
fn needs_look_back(row: &FindingRow, date: NaiveDate) -> bool {
    if row.status.status == Status::NotStarted {
        return false;
    }
    let year_ago = date - chrono::Duration::days(365);
    !row.records
        .checks
        .iter()
        .any(|c| !c.archived && c.kind == CheckKind::LookBack && c.date > year_ago)
}
