//! The ledger as it stood at a report's cutoff: every finding with its project, its records
//! dated up to the cutoff and its status then. Figures are computed from these facts only.

use super::asof::as_of;
use crate::domain::{Finding, FindingRecords, Id, Project, StatusView, Unit, status_at};
use crate::ledger::{Ledger, LedgerResult, file_record};
use crate::store::{EntityKind, Record, Store};
use chrono::NaiveDate;
use std::collections::HashMap;

/// One finding at the cutoff.
#[derive(Debug, Clone)]
pub struct FindingFact {
    pub finding: Finding,
    pub year: i32,
    pub project_name: String,
    /// Records dated up to the cutoff and not archived then.
    pub records: FindingRecords,
    pub status: StatusView,
}

pub struct Facts {
    pub findings: Vec<FindingFact>,
    pub units: HashMap<Id, Unit>,
}

impl Facts {
    pub fn unit_name(&self, id: Id) -> String {
        self.units
            .get(&id)
            .map(|u| {
                if u.short_name.is_empty() {
                    u.name.clone()
                } else {
                    u.short_name.clone()
                }
            })
            .unwrap_or_default()
    }
}

/// Gather the facts at the end of `cutoff`: issued findings not archived then, oldest number
/// first so that every later step is deterministic.
pub fn gather<S: Store>(ledger: &Ledger<S>, cutoff: NaiveDate) -> LedgerResult<Facts> {
    let store = ledger.store();
    let mut projects: HashMap<Id, Project> = HashMap::new();
    for record in store.scan(EntityKind::Project) {
        if let Record::Project(p) = as_of(store, record?, cutoff)? {
            projects.insert(p.id, p);
        }
    }
    let mut units = HashMap::new();
    for record in store.scan(EntityKind::Unit) {
        if let Record::Unit(u) = as_of(store, record?, cutoff)? {
            units.insert(u.id, u);
        }
    }
    let mut findings = Vec::new();
    for record in store.scan(EntityKind::Finding) {
        let Record::Finding(f) = as_of(store, record?, cutoff)? else {
            continue;
        };
        if f.archived || !super::figures::issued_by(&f, cutoff) {
            continue;
        }
        let Some(project) = projects.get(&f.project).filter(|p| !p.archived) else {
            continue;
        };
        let mut records = FindingRecords::default();
        for child in store.children(f.id)? {
            let child = as_of(store, child, cutoff)?;
            if !child.archived() && child.date().is_some_and(|d| d <= cutoff) {
                file_record(&mut records, child);
            }
        }
        let status = status_at(&f, &records, cutoff, ledger.config.near_due_days);
        findings.push(FindingFact {
            year: project.year,
            project_name: project.name.clone(),
            finding: f,
            records,
            status,
        });
    }
    findings.sort_by(|a, b| {
        a.year
            .cmp(&b.year)
            .then_with(|| crate::ledger::natural_cmp(&a.finding.number, &b.finding.number))
            .then(a.finding.id.cmp(&b.finding.id))
    });
    Ok(Facts { findings, units })
}
