//! What the app shows, held in memory: every live unit, project, finding (with its status on
//! `today`) and check, with indexes for the lookups panels make on every frame. Loaded once at
//! start; after a change only the touched records are refreshed.

use crate::domain::{CheckPlan, FollowUpCheck, Id, Labelled, Project, Status, Unit};
use crate::ledger::{FindingRow, Ledger, LedgerResult};
use crate::store::{Conflict, EntityKind, Record, Store};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// Where a live check is held.
#[derive(Debug, Clone, Copy)]
enum CheckAt {
    /// In `findings[row].records.checks[index]`.
    Row(u32, u32),
    /// In `stray_checks[index]`.
    Stray(u32),
}

/// Every snapshot state gets its own number, across reloads too.
static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

pub struct Snapshot {
    /// Changes whenever the snapshot does, so what is derived from it can be cached.
    pub generation: u64,
    pub today: NaiveDate,
    pub units: Vec<Unit>,
    pub projects: Vec<Project>,
    pub findings: Vec<FindingRow>,
    /// Every live check, newest first, as places: most are in their finding's row already
    /// (`records.checks`), and a second copy of them was ~6 MB at 100,000 findings.
    checks: Vec<CheckAt>,
    /// Live checks whose finding has no row (archived, or missing): the only ones held here.
    stray_checks: Vec<FollowUpCheck>,
    /// Check plans, running ones first, then the latest started first.
    pub plans: Vec<CheckPlan>,
    /// Open conflicts: fields two replicas edited from the same base (see `store::apply`).
    pub conflicts: Vec<Conflict>,
    /// Findings of one project sharing a number (after a merge), one group per number.
    pub duplicates: Vec<Vec<Id>>,
    /// Records with an open conflict, and findings with a shared number.
    conflicted: HashSet<Id>,
    duplicated: HashSet<Id>,
    unit_at: HashMap<Id, usize>,
    project_at: HashMap<Id, usize>,
    finding_at: HashMap<Id, usize>,
}

impl Snapshot {
    pub fn load<St: Store>(ledger: &Ledger<St>, today: NaiveDate) -> LedgerResult<Snapshot> {
        let mut snap = Snapshot::load_without_findings(ledger, today)?;
        // The rows hold their checks; of findings without a row only the live checks are kept.
        let (findings, strays) = ledger.finding_rows_and_strays(today)?;
        snap.findings = findings;
        snap.stray_checks = strays
            .into_iter()
            .filter_map(|record| match record {
                Record::Check(c) if !c.archived => Some(c),
                _ => None,
            })
            .collect();
        snap.sort_and_index();
        Ok(snap)
    }

    /// Everything but the findings and checks (the bulk of a large ledger): units, projects,
    /// plans and conflicts, enough to draw a cached 总览 while the rest loads.
    pub fn load_without_findings<St: Store>(
        ledger: &Ledger<St>,
        today: NaiveDate,
    ) -> LedgerResult<Snapshot> {
        let mut snap = Snapshot {
            generation: 0,
            today,
            units: ledger.all::<Unit>()?,
            projects: ledger.all::<Project>()?,
            findings: Vec::new(),
            checks: Vec::new(),
            stray_checks: Vec::new(),
            plans: ledger.all::<CheckPlan>()?,
            conflicts: ledger.store().conflicts()?,
            duplicates: Vec::new(),
            conflicted: HashSet::new(),
            duplicated: HashSet::new(),
            unit_at: HashMap::new(),
            project_at: HashMap::new(),
            finding_at: HashMap::new(),
        };
        snap.sort_and_index();
        Ok(snap)
    }

    fn sort_and_index(&mut self) {
        self.generation = GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.units.sort_by(|a, b| a.name.cmp(&b.name));
        self.projects
            .sort_by(|a, b| (b.year, &a.number).cmp(&(a.year, &b.number)));
        // In number order already: loaded so, and a changed row is put in its place.
        debug_assert!(
            self.findings
                .is_sorted_by(|a, b| crate::ledger::number_order(a, b).is_le())
        );
        self.index_checks();
        let today = self.today;
        self.plans.sort_by_key(|p| {
            (
                !p.is_running_on(today),
                std::cmp::Reverse(p.start),
                std::cmp::Reverse(p.id),
            )
        });
        self.unit_at = self
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id, i))
            .collect();
        self.project_at = self
            .projects
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id, i))
            .collect();
        self.finding_at = self
            .findings
            .iter()
            .enumerate()
            .map(|(i, r)| (r.finding.id, i))
            .collect();
        self.conflicted = self.conflicts.iter().map(|c| c.entity).collect();
        self.duplicates = duplicate_numbers(&self.findings);
        self.duplicated = self.duplicates.iter().flatten().copied().collect();
    }

    /// Refresh what a change touched: the records themselves and, for a record hanging on a
    /// finding, that finding's row (its status may have moved).
    pub fn refresh<St: Store>(
        &mut self,
        ledger: &Ledger<St>,
        touched: &[(EntityKind, Id)],
    ) -> LedgerResult<()> {
        for (kind, id) in touched {
            if *kind == EntityKind::Finding {
                self.refresh_finding(ledger, *id)?;
                continue;
            }
            let record = ledger.store().get(*kind, *id)?;
            // A record on a finding moves the finding's status, archived or not.
            let finding = record.as_ref().and_then(Record::finding);
            self.units.retain(|u| u.id != *id);
            self.projects.retain(|p| p.id != *id);
            self.stray_checks.retain(|c| c.id != *id);
            self.plans.retain(|p| p.id != *id);
            match record.filter(|r| !r.archived()) {
                Some(Record::Unit(u)) => self.units.push(u),
                Some(Record::Project(p)) => self.projects.push(p),
                // A check arrives with its finding's row, or among its strays: refreshed below.
                Some(Record::Plan(p)) => self.plans.push(p),
                _ => {}
            }
            if let Some(f) = finding {
                self.refresh_finding(ledger, f)?;
            }
        }
        // Any write may settle a conflict (and a sync bring one): the list is short, read it whole.
        self.conflicts = ledger.store().conflicts()?;
        self.sort_and_index();
        Ok(())
    }

    fn refresh_finding<St: Store>(&mut self, ledger: &Ledger<St>, id: Id) -> LedgerResult<()> {
        self.findings.retain(|r| r.finding.id != id);
        self.stray_checks.retain(|c| c.finding != id);
        let records = ledger.records_of(id)?;
        if let Some(Record::Finding(f)) = ledger.store().get(EntityKind::Finding, id)?
            && !f.archived
        {
            let status =
                crate::domain::status_at(&f, &records, self.today, ledger.config.near_due_days);
            let row = FindingRow {
                finding: f,
                status,
                records,
            };
            // In its place, so the rows stay in number order and nothing needs sorting.
            let at = self
                .findings
                .partition_point(|r| crate::ledger::number_order(r, &row).is_lt());
            self.findings.insert(at, row);
        } else {
            // Its live checks stay listed, as they are after a reload.
            let live = records.checks.iter().filter(|c| !c.archived).cloned();
            self.stray_checks.extend(live);
        }
        Ok(())
    }

    /// Where every live check is, newest first: after any change to the rows or the strays.
    fn index_checks(&mut self) {
        let mut at: Vec<(NaiveDate, Id, CheckAt)> = Vec::new();
        for (row, r) in self.findings.iter().enumerate() {
            for (i, c) in r.records.checks.iter().enumerate() {
                if !c.archived {
                    at.push((c.date, c.id, CheckAt::Row(index(row), index(i))));
                }
            }
        }
        for (i, c) in self.stray_checks.iter().enumerate() {
            at.push((c.date, c.id, CheckAt::Stray(index(i))));
        }
        at.sort_unstable_by_key(|(date, id, _)| std::cmp::Reverse((*date, *id)));
        self.checks = at.into_iter().map(|(_, _, c)| c).collect();
    }

    fn check_at(&self, at: CheckAt) -> Option<&FollowUpCheck> {
        match at {
            CheckAt::Row(row, i) => self
                .findings
                .get(row as usize)
                .and_then(|r| r.records.checks.get(i as usize)),
            CheckAt::Stray(i) => self.stray_checks.get(i as usize),
        }
    }

    /// Every live check, newest first.
    pub fn checks(&self) -> impl Iterator<Item = &FollowUpCheck> + '_ {
        self.checks.iter().filter_map(|at| self.check_at(*at))
    }

    /// A live check by id.
    pub fn check(&self, id: Id) -> Option<&FollowUpCheck> {
        self.checks().find(|c| c.id == id)
    }

    pub fn unit(&self, id: Id) -> Option<&Unit> {
        self.unit_at.get(&id).and_then(|i| self.units.get(*i))
    }

    pub fn project(&self, id: Id) -> Option<&Project> {
        self.project_at.get(&id).and_then(|i| self.projects.get(*i))
    }

    pub fn finding(&self, id: Id) -> Option<&FindingRow> {
        self.finding_at.get(&id).and_then(|i| self.findings.get(*i))
    }

    /// Whether a record has an open conflict.
    pub fn in_conflict(&self, id: Id) -> bool {
        self.conflicted.contains(&id)
    }

    /// The fields of a record in conflict.
    pub fn conflicted_fields(&self, id: Id) -> Vec<&str> {
        self.conflicts
            .iter()
            .filter(|c| c.entity == id)
            .map(|c| c.field.as_str())
            .collect()
    }

    /// Whether another finding of the project has the same number.
    pub fn duplicate_number(&self, id: Id) -> bool {
        self.duplicated.contains(&id)
    }

    pub fn plan(&self, id: Id) -> Option<&CheckPlan> {
        self.plans.iter().find(|p| p.id == id)
    }

    pub fn unit_name(&self, id: Id) -> String {
        self.unit(id)
            .map(|u| u.display_name().to_string())
            .unwrap_or_else(|| id.short())
    }

    pub fn project_number(&self, id: Id) -> String {
        self.project(id)
            .map(|p| p.number.clone())
            .unwrap_or_else(|| id.short())
    }

    /// Indexes into `findings` of a project's findings.
    pub fn findings_of_project(&self, project: Id) -> Vec<usize> {
        self.findings_where(|r| r.finding.project == project)
    }

    /// Indexes into `findings` of the findings a unit is responsible for.
    pub fn findings_of_unit(&self, unit: Id) -> Vec<usize> {
        self.findings_where(|r| r.finding.units.iter().any(|u| u.unit == unit))
    }

    pub fn findings_where(&self, keep: impl Fn(&FindingRow) -> bool) -> Vec<usize> {
        self.findings
            .iter()
            .enumerate()
            .filter(|(_, r)| keep(r))
            .map(|(i, _)| i)
            .collect()
    }

    /// Findings due for a 跟踪检查 / 回头看 today, longest waiting first.
    pub fn check_queue(&self) -> Vec<(usize, NaiveDate)> {
        let mut due: Vec<(usize, NaiveDate)> = self
            .findings
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                r.next_check(self.today)
                    .filter(|d| *d <= self.today)
                    .map(|d| (i, d))
            })
            .collect();
        due.sort_by_key(|(i, d)| (*d, *i));
        due
    }

    /// Overdue findings, most overdue first.
    pub fn overdue(&self) -> Vec<usize> {
        let mut rows = self.findings_where(|r| r.status.overdue);
        rows.sort_by_key(|i| std::cmp::Reverse(self.findings[*i].status.days_overdue));
        rows
    }

    /// The checks of one finding, newest first.
    pub fn checks_of(&self, finding: Id) -> Vec<&FollowUpCheck> {
        // From the finding's own row, not a walk over every check: this is asked on every
        // frame that shows a finding.
        let mut checks: Vec<&FollowUpCheck> = match self.finding(finding) {
            Some(r) => r.records.checks.iter().filter(|c| !c.archived).collect(),
            None => self
                .stray_checks
                .iter()
                .filter(|c| c.finding == finding)
                .collect(),
        };
        checks.sort_by_key(|c| std::cmp::Reverse((c.date, c.id)));
        checks
    }

    pub fn status_label(status: Status) -> &'static str {
        status.label()
    }
}

/// A position in the snapshot's lists as the 4 bytes `CheckAt` keeps (no list comes near 4
/// billion entries; one that did would point past the end and be skipped, not misread).
fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The findings that share a number within their project, in groups ordered by (project,
/// number), each group in list order. Found by sorting positions, not by a map of every
/// number: at 100,000 findings a map of groups took 15 MB for a moment at every load.
fn duplicate_numbers(findings: &[FindingRow]) -> Vec<Vec<Id>> {
    let key = |i: u32| {
        findings
            .get(i as usize)
            .map(|r| (r.finding.project, &*r.finding.number))
    };
    let mut order: Vec<u32> = (0..findings.len())
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    order.sort_unstable_by_key(|&i| (key(i), i));
    order
        .chunk_by(|&a, &b| key(a) == key(b))
        .filter(|group| group.len() > 1)
        .map(|group| {
            group
                .iter()
                .filter_map(|&i| findings.get(i as usize))
                .map(|r| r.finding.id)
                .collect()
        })
        .collect()
}
