//! The rules that span records: references exist, numbers are unique, and the workflow steps
//! come in an order that makes sense (销号 only after 已整改, 持续整改 only with a timetable …).

use super::Ledger;
use super::error::{LedgerError, LedgerResult};
use crate::domain::status::status_at;
use crate::domain::{
    CheckPlan, CheckVerdict, Finding, FindingRecords, Id, Labelled, Mode, ReviewVerdict, Status,
};
use crate::store::{EntityKind, Index, Record, Store};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// What a batch has added so far, so later records in it may refer to earlier ones.
#[derive(Debug, Default)]
pub(super) struct BatchContext {
    ids: HashMap<Id, EntityKind>,
    finding_numbers: HashSet<(Id, String)>,
    project_numbers: HashSet<String>,
    /// Findings added earlier in the batch, and the records added for any finding, so a batch
    /// is judged in order: [determination 已整改, closure] is fine, [closure] alone is not.
    findings: HashMap<Id, Finding>,
    records: HashMap<Id, FindingRecords>,
    /// Check plans added earlier in the batch.
    plans: HashMap<Id, CheckPlan>,
    /// The record being updated (its own number does not collide with itself).
    updating: Option<Id>,
}

impl BatchContext {
    pub(super) fn for_update(id: Id) -> Self {
        BatchContext {
            updating: Some(id),
            ..Default::default()
        }
    }

    pub(super) fn add(&mut self, record: &Record) {
        self.ids.insert(record.id(), record.kind());
        if let Some(finding) = record.finding() {
            let records = self.records.entry(finding).or_default();
            super::queries::file_record(records, record.clone());
        }
        match record {
            Record::Finding(f) => {
                self.finding_numbers
                    .insert((f.project, f.number.to_string()));
                self.findings.insert(f.id, f.clone());
            }
            Record::Project(p) => {
                self.project_numbers.insert(p.number.clone());
            }
            Record::Plan(p) => {
                self.plans.insert(p.id, p.clone());
            }
            _ => {}
        }
    }
}

impl<S: Store> Ledger<S> {
    fn exists(&self, kind: EntityKind, id: Id, batch: &BatchContext) -> LedgerResult<bool> {
        if batch.ids.get(&id) == Some(&kind) {
            return Ok(true);
        }
        Ok(self.store().get(kind, id)?.is_some_and(|r| !r.archived()))
    }

    fn require(
        &self,
        kind: EntityKind,
        id: Id,
        batch: &BatchContext,
        field: &'static str,
    ) -> LedgerResult<()> {
        if self.exists(kind, id, batch)? {
            Ok(())
        } else {
            Err(LedgerError::field(
                field,
                format!("引用的{}不存在或已归档：{}", kind.label(), id.short()),
                format!(
                    "the referenced {} does not exist or is archived: {}",
                    kind.label(),
                    id.short()
                ),
            ))
        }
    }

    pub(super) fn check_rules(&self, record: &Record, batch: &BatchContext) -> LedgerResult<()> {
        self.check_record(record, batch)?;
        self.check_later_steps(record, batch)
    }

    fn check_record(&self, record: &Record, batch: &BatchContext) -> LedgerResult<()> {
        match record {
            Record::Unit(u) => {
                if let Some(parent) = u.parent {
                    self.require(EntityKind::Unit, parent, batch, "parent")?;
                }
                Ok(())
            }
            Record::Project(p) => {
                for unit in &p.audited_units {
                    self.require(EntityKind::Unit, *unit, batch, "audited_units")?;
                }
                self.check_project_number(p.id, &p.number, batch)
            }
            Record::Finding(f) => {
                self.require(EntityKind::Project, f.project, batch, "project")?;
                for u in &f.units {
                    self.require(EntityKind::Unit, u.unit, batch, "units")?;
                }
                for r in &f.repeat_of {
                    self.require(EntityKind::Finding, *r, batch, "repeat_of")?;
                }
                self.check_finding_number(f.id, f.project, &f.number, batch)
            }
            Record::Check(c) => {
                self.check_after_issue(c.finding, c.date, batch)?;
                if let Some(plan) = c.plan {
                    self.check_plan_scope(plan, c.finding, batch)?;
                }
                if c.verdict == CheckVerdict::LongTerm {
                    self.require_long_term_mode(c.finding, batch)?;
                }
                Ok(())
            }
            Record::Progress(p) => self.check_after_issue(p.finding, p.date, batch),
            Record::Determination(d) => {
                self.check_after_issue(d.finding, d.date, batch)?;
                if d.verdict == ReviewVerdict::LongTerm {
                    self.require_long_term_mode(d.finding, batch)?;
                }
                Ok(())
            }
            Record::Closure(c) => {
                self.check_after_issue(c.finding, c.date, batch)?;
                self.require_status(c.finding, c.date, Status::Rectified, batch)
            }
            Record::Reopen(r) => {
                self.check_after_issue(r.finding, r.date, batch)?;
                self.require_status(r.finding, r.date, Status::Closed, batch)
            }
            Record::Outcome(o) => self.check_after_issue(o.finding, o.date, batch),
            Record::Accountability(a) => self.check_after_issue(a.finding, a.date, batch),
            Record::Referral(r) => self.check_after_issue(r.finding, r.date, batch),
            Record::Supervision(s) => {
                if let Some(unit) = s.target_unit {
                    self.require(EntityKind::Unit, unit, batch, "target_unit")?;
                }
                self.check_after_issue(s.finding, s.date, batch)
            }
            Record::Plan(p) => {
                if let Some(project) = p.project {
                    self.require(EntityKind::Project, project, batch, "project")?;
                }
                if let Some(unit) = p.unit {
                    self.require(EntityKind::Unit, unit, batch, "unit")?;
                }
                for finding in &p.findings {
                    self.require(EntityKind::Finding, *finding, batch, "findings")?;
                }
                Ok(())
            }
        }
    }

    fn check_project_number(&self, id: Id, number: &str, batch: &BatchContext) -> LedgerResult<()> {
        let taken_in_batch = batch.project_numbers.contains(number);
        let taken_in_store = self
            .store()
            .scan(EntityKind::Project)
            .filter_map(Result::ok)
            .any(|r| matches!(&r, Record::Project(p) if p.number == number && p.id != id && !p.archived));
        if (taken_in_batch && batch.updating != Some(id)) || taken_in_store {
            return Err(LedgerError::field(
                "number",
                format!("项目编号“{number}”已被使用"),
                format!("the project number \"{number}\" is already in use"),
            ));
        }
        Ok(())
    }

    fn check_finding_number(
        &self,
        id: Id,
        project: Id,
        number: &str,
        batch: &BatchContext,
    ) -> LedgerResult<()> {
        let in_batch = batch
            .finding_numbers
            .contains(&(project, number.to_string()));
        let mut in_store = false;
        for other in self
            .store()
            .lookup(&Index::FindingNumber(project, number.to_string()))?
        {
            if other != id
                && self
                    .store()
                    .get(EntityKind::Finding, other)?
                    .is_some_and(|r| !r.archived())
            {
                in_store = true;
            }
        }
        if in_batch || in_store {
            return Err(LedgerError::field(
                "number",
                format!("问题编号“{number}”在本项目中已被使用"),
                format!("the finding number \"{number}\" is already used in this project"),
            ));
        }
        Ok(())
    }

    /// The finding as the batch sees it: added earlier in the batch, or stored.
    fn finding_in(&self, id: Id, batch: &BatchContext) -> LedgerResult<Option<Finding>> {
        if let Some(f) = batch.findings.get(&id) {
            return Ok(Some(f.clone()));
        }
        match self.store().get(EntityKind::Finding, id)? {
            Some(Record::Finding(f)) if !f.archived => Ok(Some(f)),
            _ => Ok(None),
        }
    }

    /// A finding's records: stored ones plus those added earlier in the batch.
    fn records_in(&self, id: Id, batch: &BatchContext) -> LedgerResult<FindingRecords> {
        let mut records = if batch.findings.contains_key(&id) {
            FindingRecords::default()
        } else {
            self.records_of(id)?
        };
        if let Some(added) = batch.records.get(&id) {
            records.checks.extend(added.checks.iter().cloned());
            records.reports.extend(added.reports.iter().cloned());
            records
                .determinations
                .extend(added.determinations.iter().cloned());
            records.closures.extend(added.closures.iter().cloned());
            records.reopens.extend(added.reopens.iter().cloned());
        }
        Ok(records)
    }

    /// A record about a finding must refer to an existing, issued finding, dated on or after
    /// its issue.
    fn check_after_issue(
        &self,
        finding: Id,
        date: NaiveDate,
        batch: &BatchContext,
    ) -> LedgerResult<()> {
        let Some(f) = self.finding_in(finding, batch)? else {
            return self.require(EntityKind::Finding, finding, batch, "finding");
        };
        match f.issued_on {
            None => Err(LedgerError::rule(
                format!("问题 {} 尚未下发，不能登记整改记录", f.number),
                format!(
                    "finding {} has not been issued yet; no rectification record can be added",
                    f.number
                ),
            )),
            Some(issued) if date < issued => Err(LedgerError::field(
                "date",
                format!("日期 {date} 早于问题下发日期 {issued}"),
                format!("the date {date} is before the finding was issued ({issued})"),
            )),
            // A record says what happened; it cannot have happened yet.
            _ if date > chrono::Local::now().date_naive() => Err(LedgerError::field(
                "date",
                format!("日期 {date} 晚于今天，整改记录只能登记已发生的事"),
                format!("the date {date} is after today; a record can only tell what has happened"),
            )),
            _ => Ok(()),
        }
    }

    /// A check counted in a plan's round must be of a finding the plan covers.
    fn check_plan_scope(&self, plan: Id, finding: Id, batch: &BatchContext) -> LedgerResult<()> {
        let found = match batch.plans.get(&plan) {
            Some(p) => Some(p.clone()),
            None => match self.store().get(EntityKind::Plan, plan)? {
                Some(Record::Plan(p)) if !p.archived => Some(p),
                _ => None,
            },
        };
        let Some(found) = found else {
            return self.require(EntityKind::Plan, plan, batch, "plan");
        };
        if found.findings.contains(&finding) {
            return Ok(());
        }
        let number = self
            .finding_in(finding, batch)?
            .map_or_else(|| finding.short(), |f| f.number.into());
        Err(LedgerError::field(
            "plan",
            format!("问题 {number} 不在检查计划“{}”的范围内", found.title),
            format!(
                "finding {number} is not in the scope of the check plan \"{}\"",
                found.title
            ),
        ))
    }

    /// 持续整改 as a verdict needs the finding's mode to be 持续整改 (which in turn needs
    /// milestones, a reason and a justification).
    fn require_long_term_mode(&self, finding: Id, batch: &BatchContext) -> LedgerResult<()> {
        if let Some(f) = self.finding_in(finding, batch)?
            && f.mode != Mode::LongTerm
        {
            return Err(LedgerError::rule(
                "认定为持续整改前，须先把整改方式改为持续整改，并填写阶段目标、原因和说明",
                "before a long-term verdict, set the mode to 持续整改 with milestones, a reason and a justification",
            ));
        }
        Ok(())
    }

    fn require_status(
        &self,
        finding: Id,
        date: NaiveDate,
        wanted: Status,
        batch: &BatchContext,
    ) -> LedgerResult<()> {
        let Some(f) = self.finding_in(finding, batch)? else {
            return Ok(()); // reported by check_after_issue
        };
        let records = self.records_in(finding, batch)?;
        let status = status_at(&f, &records, date, self.config.near_due_days).status;
        if status != wanted {
            return Err(LedgerError::rule(
                format!(
                    "问题 {} 当前状态为{}，须为{}才能进行此操作",
                    f.number,
                    status.label(),
                    wanted.label()
                ),
                format!(
                    "finding {} is {}; it must be {} for this step",
                    f.number,
                    status.label_in(crate::i18n::Lang::En),
                    wanted.label_in(crate::i18n::Lang::En)
                ),
            ));
        }
        Ok(())
    }
}

impl<S: Store> Ledger<S> {
    /// A record dated back must not pull the ground from under a 销号 or 重新打开 that comes
    /// after it: each later step is judged again on what precedes it, the new record included.
    fn check_later_steps(&self, record: &Record, batch: &BatchContext) -> LedgerResult<()> {
        let Some(finding) = record.finding() else {
            return Ok(());
        };
        let Some(f) = self.finding_in(finding, batch)? else {
            return Ok(());
        };
        let Some(at) = record.date() else {
            return Ok(());
        };
        let mut records = self.records_in(finding, batch)?;
        super::queries::file_record(&mut records, record.clone());
        let new_key = (at, record.id());
        let later_closures = records
            .closures
            .iter()
            .filter(|c| !c.archived && (c.date, c.id) > new_key);
        let later_reopens = records
            .reopens
            .iter()
            .filter(|r| !r.archived && (r.date, r.id) > new_key);
        let steps: Vec<(NaiveDate, Id, Status)> = later_closures
            .map(|c| (c.date, c.id, Status::Rectified))
            .chain(later_reopens.map(|r| (r.date, r.id, Status::Closed)))
            .collect();
        for (date, id, needed) in steps {
            let before = records_before(&records, (date, id));
            let status = status_at(&f, &before, date, self.config.near_due_days).status;
            if status != needed {
                return Err(LedgerError::rule(
                    format!(
                        "这条记录会使问题 {} 在 {date} 的{}失去依据（届时状态将为{}）",
                        f.number,
                        if needed == Status::Rectified {
                            "销号"
                        } else {
                            "重新打开"
                        },
                        status.label()
                    ),
                    format!(
                        "this record would undercut the {} of finding {} on {date} (it would then be {})",
                        if needed == Status::Rectified {
                            "closure"
                        } else {
                            "reopening"
                        },
                        f.number,
                        status.label_in(crate::i18n::Lang::En)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// A finding's records that come before `key` (date, then creation order).
fn records_before(all: &FindingRecords, key: (NaiveDate, Id)) -> FindingRecords {
    FindingRecords {
        checks: all
            .checks
            .iter()
            .filter(|r| (r.date, r.id) < key)
            .cloned()
            .collect(),
        reports: all
            .reports
            .iter()
            .filter(|r| (r.date, r.id) < key)
            .cloned()
            .collect(),
        determinations: all
            .determinations
            .iter()
            .filter(|r| (r.date, r.id) < key)
            .cloned()
            .collect(),
        closures: all
            .closures
            .iter()
            .filter(|r| (r.date, r.id) < key)
            .cloned()
            .collect(),
        reopens: all
            .reopens
            .iter()
            .filter(|r| (r.date, r.id) < key)
            .cloned()
            .collect(),
        ..FindingRecords::default()
    }
}
