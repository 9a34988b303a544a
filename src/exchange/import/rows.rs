//! One row of a sheet, planned: the edits to an existing finding, or the new finding, with the
//! progress report either brings, every rule of the ledger checked, and every problem tied to
//! the row and column where the user can fix it.

use super::base::{self, Base, Verdict};
use super::cells;
use super::header::{Layout, ours};
use super::read::{RawRow, RawSheet};
use super::resolve::Resolver;
use super::row::{Row, field_key, title_from};
use super::{Created, FieldChange, Note, Plan, RowRef, Updated};
use crate::domain::{
    Channel, ClaimedStatus, Finding, Id, Labelled, Mode, ProgressReport, ResponsibleUnit,
    StatClass, UnitRole, UnresolvedReason,
};
use crate::exchange::columns::{COLUMNS, Key, Role, cell, latest_report};
use crate::exchange::names::Lookup;
use crate::i18n::Msg;
use crate::ledger::{FindingRow, Ledger, LedgerError};
use crate::store::{Entity, Record, Store};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::ops::Deref;

pub(super) struct Planner<'a, S: Store> {
    ledger: &'a Ledger<S>,
    names: &'a Lookup,
    /// Every live finding as of today.
    current: HashMap<Id, FindingRow>,
    resolver: Resolver,
    today: NaiveDate,
    user: String,
    /// Numbers in use per project: the ledger's, and those this import gives out.
    numbers: HashMap<Id, HashSet<Box<str>>>,
    /// Numbers this import gives (new findings and renumbered ones), with the row that did.
    planned: HashMap<(Id, String), RowRef>,
    /// Rows already planned for a finding, to tell a harmless repeat from a conflict.
    seen: HashMap<Id, (RowRef, Signature)>,
    /// Live findings by (project, title), to catch a sheet imported twice.
    titles: HashMap<(Id, Box<str>), Vec<Id>>,
    /// What an exported workbook said when it was sent (see `base`).
    pub(super) base: Option<Base>,
}

/// What a row asks of a finding, to compare two rows naming the same one.
type Signature = (Option<Finding>, Option<[String; 4]>, Option<ClaimedStatus>);

impl<'a, S: Store> Planner<'a, S> {
    pub(super) fn new(
        ledger: &'a Ledger<S>,
        names: &'a Lookup,
        today: NaiveDate,
        user: &str,
    ) -> Result<Planner<'a, S>, Msg> {
        let rows = ledger
            .finding_rows(today)
            .map_err(|e| crate::exchange::ledger_msg(&e))?;
        let mut numbers: HashMap<Id, HashSet<Box<str>>> = HashMap::new();
        let mut titles: HashMap<(Id, Box<str>), Vec<Id>> = HashMap::new();
        for r in &rows {
            let f = &r.finding;
            numbers
                .entry(f.project)
                .or_default()
                .insert(f.number.clone());
            titles
                .entry((f.project, f.title.clone()))
                .or_default()
                .push(f.id);
        }
        Ok(Planner {
            ledger,
            names,
            current: rows.into_iter().map(|r| (r.finding.id, r)).collect(),
            resolver: Resolver::new(names.live_units(), names.live_projects()),
            today,
            user: user.to_string(),
            numbers,
            planned: HashMap::new(),
            seen: HashMap::new(),
            titles,
            base: None,
        })
    }

    /// Plan every data row of a sheet below its header.
    pub(super) fn sheet(&mut self, sheet: &RawSheet, layout: &Layout, plan: &mut Plan) {
        for raw in sheet.rows.iter().skip(layout.header_at + 1) {
            self.row(sheet, layout, raw, plan);
        }
    }

    fn row(&mut self, sheet: &RawSheet, layout: &Layout, raw: &RawRow, plan: &mut Plan) {
        let mut row = Row {
            at: RowRef {
                sheet: sheet.name.clone(),
                row: raw.number,
            },
            layout,
            cells: &raw.cells,
            is_1904: sheet.is_1904,
            errors: Vec::new(),
        };
        if row.is_blank() || row.is_total() || layout.repeats_header(&raw.cells) {
            plan.skipped += 1;
            return;
        }
        let id_text = row.line(Key::Id).unwrap_or_default();
        if id_text.is_empty() {
            self.create(&mut row, plan);
        } else {
            self.update(&mut row, &id_text, plan);
        }
        plan.errors.append(&mut row.errors);
    }

    // ---- rows naming an existing finding ----

    fn update(&mut self, row: &mut Row, id_text: &str, plan: &mut Plan) {
        let Some(current) = self.finding_named(row, id_text) else {
            return;
        };
        let before = current.finding.clone();
        let mut after = before.clone();
        self.apply_fields(row, &mut after, false);
        let sent = self.base.as_ref().and_then(|b| b.get(&before.id)).cloned();
        if let Some(sent) = &sent {
            after = self.three_way(row, &current, after, sent);
        }
        let report = self.report_from(row, Some(&current), &before, sent.as_ref(), plan);
        if !row.errors.is_empty() {
            return;
        }
        let number_changed = after.number != before.number;
        let after = (after != before).then_some(after);
        let signature: Signature = (
            after.clone(),
            report.as_ref().map(report_texts),
            report.as_ref().map(|r| r.claimed),
        );
        // The same finding on several rows (a workbook split by unit, merged back): copies as
        // sent give way to the one copy edited; two different edits are for the user to settle.
        let unchanged: Signature = (None, None, None);
        if let Some((first, earlier)) = self.seen.get(&before.id) {
            if *earlier == unchanged && signature != unchanged {
                plan.unchanged -= 1;
            } else {
                if *earlier != signature && signature != unchanged {
                    let (sheet, first) = (first.sheet.clone(), first.row);
                    row.fail(
                        Some(Key::Id),
                        Msg::new(
                            format!("该问题已在“{sheet}”第 {first} 行出现，两处的修改不同，请只保留一处"),
                            format!(
                                "this finding is already on sheet \"{sheet}\" row {first}, with different edits; keep one"
                            ),
                        ),
                    );
                }
                plan.skipped += 1;
                return;
            }
        }
        self.seen.insert(before.id, (row.at.clone(), signature));
        if after.is_none() && report.is_none() {
            plan.unchanged += 1;
            return;
        }
        if number_changed
            && let Some(f) = &after
            && !self.claim_number(row, f.project, &f.number)
        {
            return;
        }
        let edits: Vec<Record> = after.iter().cloned().map(Entity::into_record).collect();
        let new: Vec<Record> = report.iter().cloned().map(Entity::into_record).collect();
        if let Err(e) = self.ledger.plan_changes(edits, new) {
            self.ledger_failure(row, e);
            return;
        }
        let mut changes = self.field_changes(row, &current, after.as_ref());
        changes.extend(progress_changes(row, &current, report.as_ref(), self.today));
        plan.updated.push(Updated {
            at: row.at.clone(),
            before,
            after,
            changes,
            report,
        });
    }

    fn finding_named(&mut self, row: &mut Row, id_text: &str) -> Option<FindingRow> {
        let id = match Id::parse(id_text) {
            Ok(id) => id,
            Err(m) => {
                row.fail(Some(Key::Id), m);
                return None;
            }
        };
        if let Some(current) = self.current.get(&id) {
            return Some(current.clone());
        }
        let archived = matches!(
            self.ledger
                .store()
                .get(crate::store::EntityKind::Finding, id),
            Ok(Some(_))
        );
        row.fail(
            Some(Key::Id),
            if archived {
                Msg::new(
                    format!("稳定编号 {id} 的问题已归档，不能再通过表格修改"),
                    format!("the finding {id} is archived and cannot be changed from a spreadsheet"),
                )
            } else {
                Msg::new(
                    format!("台账中没有稳定编号为 {id} 的问题（表格可能来自另一个台账）；新问题请清空稳定编号"),
                    format!("no finding with the stable id {id} (the sheet may come from another ledger); leave the id empty for a new finding"),
                )
            },
        );
        None
    }

    /// Keep the ledger's value where the sheet still holds what was sent; a cell both sides
    /// changed differently is an error on that cell.
    fn three_way(
        &self,
        row: &mut Row,
        current: &FindingRow,
        after: Finding,
        sent: &HashMap<Key, String>,
    ) -> Finding {
        let mut edited = FindingRow {
            finding: after,
            ..current.clone()
        };
        for c in COLUMNS
            .iter()
            .filter(|c| c.role == Role::Field && row.layout.has(c.key))
        {
            let Some(was) = sent.get(&c.key) else {
                continue;
            };
            let ours = cell(c.key, current, self.names, self.today).display();
            let theirs = cell(c.key, &edited, self.names, self.today).display();
            match base::judge(c.header, was, &ours, &theirs) {
                Verdict::Unedited => base::keep_ours(c.key, &current.finding, &mut edited.finding),
                Verdict::Edited => {}
                Verdict::Conflict(m) => row.fail(Some(c.key), m),
            }
        }
        edited.finding
    }

    /// The columns that differ, as the sheet shows them.
    fn field_changes(
        &self,
        row: &Row,
        current: &FindingRow,
        after: Option<&Finding>,
    ) -> Vec<FieldChange> {
        let Some(after) = after else {
            return Vec::new();
        };
        let edited = FindingRow {
            finding: after.clone(),
            ..current.clone()
        };
        COLUMNS
            .iter()
            .filter(|c| c.role == Role::Field && row.layout.has(c.key))
            .filter_map(|c| {
                let old = cell(c.key, current, self.names, self.today).display();
                let new = cell(c.key, &edited, self.names, self.today).display();
                (old != new).then_some(FieldChange {
                    column: c.header,
                    old,
                    new,
                })
            })
            .collect()
    }

    // ---- rows for new findings ----

    fn create(&mut self, row: &mut Row, plan: &mut Plan) {
        let Some(project) = self.project_of(row) else {
            return;
        };
        let Some(p) = self.resolver.project_record(project).cloned() else {
            return;
        };
        // Peeked here without noting a bad cell: `apply_fields` reads it again and reports it.
        let is_1904 = row.is_1904;
        let deadline = row
            .cell(Key::Deadline)
            .and_then(|c| cells::date(c, is_1904).ok().flatten())
            .or(p.deadline);
        let Some(deadline) = deadline else {
            // Read again to note why: a bad cell, or nothing to go on.
            if row
                .read(Key::Deadline, |c| cells::date(c, is_1904))
                .is_some()
            {
                row.fail(
                    Some(Key::Deadline),
                    Msg::new(
                        "整改时限不能为空（项目也未设整体整改时限）",
                        "the deadline is required (the project has no overall deadline either)",
                    ),
                );
            }
            return;
        };
        let mut f = Finding::new(project, "", "", deadline);
        f.issued_on = p.doc_date;
        self.apply_fields(row, &mut f, true);
        if f.title.trim().is_empty() {
            f.title = title_from(&f.facts).into();
        }
        if f.lead_unit().is_none() {
            self.default_lead(row, &mut f, &p);
        }
        if let Some(same) = self.same_as_existing(&f) {
            row.fail(
                None,
                Msg::new(
                    format!("与已有问题 {same} 的项目、摘要和描述都相同，可能是重复导入；如确为新问题，请修改摘要"),
                    format!("the same project, title and facts as the existing finding {same}: imported twice? If it is new, change its title"),
                ),
            );
            return;
        }
        if f.number.is_empty() {
            f.number = self.next_number(&p).into();
        }
        let report = self.report_from(row, None, &f, None, plan);
        if !row.errors.is_empty() || !self.claim_number(row, project, &f.number) {
            return;
        }
        let mut new = vec![f.clone().into_record()];
        new.extend(report.iter().cloned().map(Entity::into_record));
        if let Err(e) = self.ledger.plan_changes(Vec::new(), new) {
            self.ledger_failure(row, e);
            return;
        }
        plan.created.push(Created {
            at: row.at.clone(),
            finding: f,
            project: format!("{} {}", p.number, p.name),
            report,
        });
    }

    /// The number of a live finding this new one repeats word for word.
    fn same_as_existing(&self, f: &Finding) -> Option<String> {
        self.titles
            .get(&(f.project, f.title.clone()))?
            .iter()
            .filter_map(|id| self.current.get(id))
            .find(|r| r.finding.facts.trim() == f.facts.trim())
            .map(|r| r.finding.number.to_string())
    }

    /// The project a new finding goes under: by 项目编号, else by name.
    fn project_of(&mut self, row: &mut Row) -> Option<Id> {
        let number = row.line(Key::ProjectNumber).unwrap_or_default();
        if !number.is_empty() {
            return match self.resolver.project_by_number(&number) {
                Ok(id) => Some(id),
                Err(m) => {
                    row.fail(Some(Key::ProjectNumber), m);
                    None
                }
            };
        }
        let name = row.line(Key::ProjectName).unwrap_or_default();
        if name.is_empty() {
            row.fail(
                Some(Key::ProjectName),
                Msg::new(
                    "新问题须填写审计项目名称或项目编号（已有问题请保留稳定编号）",
                    "a new finding needs its audit project (name or number); keep the stable id for an existing one",
                ),
            );
            return None;
        }
        match self.resolver.project(&name) {
            Ok(id) => Some(id),
            Err(m) => {
                row.fail(Some(Key::ProjectName), m);
                None
            }
        }
    }

    /// No 牵头单位 given: the 被审计单位 column, else the project's one audited unit.
    fn default_lead(&mut self, row: &mut Row, f: &mut Finding, p: &crate::domain::Project) {
        let audited = row
            .read(Key::AuditedUnits, cells::names)
            .unwrap_or_default();
        let mut leads = Vec::new();
        for name in audited {
            match self.resolver.unit(&name) {
                Ok(id) => leads.push(id),
                Err(m) => row.fail(Some(Key::AuditedUnits), m),
            }
        }
        if leads.is_empty() && p.audited_units.len() == 1 {
            leads = p.audited_units.clone();
        }
        if leads.is_empty() && row.errors.is_empty() {
            row.fail(
                Some(Key::LeadUnits),
                Msg::new(
                    "请填写牵头（整改责任）单位",
                    "the lead responsible unit is required",
                ),
            );
        }
        let assists = std::mem::take(&mut f.units);
        f.units = leads
            .into_iter()
            .map(|unit| ResponsibleUnit {
                unit,
                role: UnitRole::Lead,
            })
            .chain(assists)
            .collect();
    }

    /// `<project number>-NN`, one past the highest such number in the project.
    fn next_number(&self, p: &crate::domain::Project) -> String {
        let prefix = format!("{}-", p.number);
        let taken = |n: &str| {
            self.numbers.get(&p.id).is_some_and(|s| s.contains(n))
                || self.planned.contains_key(&(p.id, n.to_string()))
        };
        let used = self
            .numbers
            .get(&p.id)
            .into_iter()
            .flatten()
            .map(|n| n.as_ref())
            .chain(
                self.planned
                    .keys()
                    .filter(|(proj, _)| *proj == p.id)
                    .map(|(_, n)| n.as_str()),
            );
        let (mut next, width) = used
            .filter_map(|n| n.strip_prefix(&prefix))
            .filter_map(|tail| tail.parse::<u64>().ok().map(|v| (v, tail.len())))
            .fold((0u64, 2usize), |(max, w), (v, len)| {
                (max.max(v), w.max(len))
            });
        loop {
            next += 1;
            let candidate = format!("{prefix}{next:0width$}");
            if !taken(&candidate) {
                return candidate;
            }
        }
    }

    /// Reserve a number for a row; a second row giving the same number is an error.
    fn claim_number(&mut self, row: &mut Row, project: Id, number: &str) -> bool {
        let key = (project, number.to_string());
        if let Some(first) = self.planned.get(&key) {
            let first = first.row;
            row.fail(
                Some(Key::Number),
                Msg::new(
                    format!("问题编号“{number}”与第 {first} 行重复"),
                    format!("the finding number \"{number}\" repeats row {first}"),
                ),
            );
            return false;
        }
        self.planned.insert(key, row.at.clone());
        true
    }

    // ---- the cells of a finding ----

    /// Set the finding's fields from the row's cells. Text equal but for blanks at its ends
    /// is left as stored, so a round trip through a spreadsheet changes nothing.
    fn apply_fields(&mut self, row: &mut Row, f: &mut Finding, creating: bool) {
        if let Some(v) = row.line(Key::Number) {
            if v.is_empty() && !creating {
                row.fail(
                    Some(Key::Number),
                    Msg::new("问题编号不能为空", "the finding number is required"),
                );
            } else {
                set_text(&mut f.number, v);
            }
        }
        if let Some(v) = row.line(Key::Title) {
            set_text(&mut f.title, v);
        }
        for (key, target) in [
            (Key::Category, &mut f.category),
            (Key::ResponsiblePerson, &mut f.responsible_person),
            (Key::Auditor, &mut f.auditor),
        ] {
            if let Some(v) = row.line(key) {
                set_text(target, v);
            }
        }
        for (key, target) in [
            (Key::Facts, &mut f.facts),
            (Key::LegalBasis, &mut f.legal_basis),
            (Key::Recommendation, &mut f.recommendation),
            (Key::Justification, &mut f.justification),
        ] {
            if let Some(v) = row.read(key, cells::text) {
                set_text(target, v);
            }
        }
        if let Some(Some(v)) = row.read(Key::StatClass, cells::label::<StatClass>) {
            f.stat_class = v;
        }
        if let Some(Some(v)) = row.read(Key::Mode, cells::label::<Mode>) {
            f.mode = v;
        }
        if let Some(v) = row.read(Key::UnresolvedReason, cells::label::<UnresolvedReason>) {
            f.unresolved_reason = v;
        }
        if let Some(v) = row.read(Key::ReportToCongress, cells::flag) {
            f.flags.report_to_congress = v;
        }
        let unit = row.mapped(Key::Amount).and_then(|m| m.unit);
        if let Some(v) = row.read(Key::Amount, |c| cells::money(c, unit)) {
            f.amount = v;
        }
        self.apply_dates(row, f, creating);
        self.apply_units(row, f);
    }

    fn apply_dates(&self, row: &mut Row, f: &mut Finding, creating: bool) {
        let is_1904 = row.is_1904;
        match row.read(Key::Deadline, |c| cells::date(c, is_1904)) {
            Some(Some(d)) => f.deadline = d,
            Some(None) if !creating => row.fail(
                Some(Key::Deadline),
                Msg::new("整改时限不能为空", "the deadline is required"),
            ),
            _ => {}
        }
        match row.read(Key::IssuedOn, |c| cells::date(c, is_1904)) {
            Some(Some(d)) => f.issued_on = Some(d),
            Some(None) if !creating => f.issued_on = None,
            _ => {}
        }
    }

    /// 牵头 and 配合 units from their cells; the same units in another order are no change.
    fn apply_units(&mut self, row: &mut Row, f: &mut Finding) {
        let mut read_role =
            |row: &mut Row, key: Key, role: UnitRole| -> Option<Vec<ResponsibleUnit>> {
                let names = row.read(key, cells::names)?;
                let mut units = Vec::new();
                for name in names {
                    match self.resolver.unit(&name) {
                        Ok(unit) => units.push(ResponsibleUnit { unit, role }),
                        Err(m) => row.fail(Some(key), m),
                    }
                }
                Some(units)
            };
        let leads = read_role(row, Key::LeadUnits, UnitRole::Lead);
        let assists = read_role(row, Key::AssistUnits, UnitRole::Assist);
        if leads.is_none() && assists.is_none() {
            return;
        }
        let keep = |role: UnitRole| f.units.iter().filter(move |u| u.role == role).copied();
        let units: Vec<ResponsibleUnit> = leads
            .unwrap_or_else(|| keep(UnitRole::Lead).collect())
            .into_iter()
            .chain(assists.unwrap_or_else(|| keep(UnitRole::Assist).collect()))
            .collect();
        let as_set =
            |v: &[ResponsibleUnit]| v.iter().map(|u| (u.unit, u.role)).collect::<HashSet<_>>();
        if units.len() != f.units.len() || as_set(&units) != as_set(&f.units) {
            f.units = units.into();
        }
    }

    // ---- the progress report a row brings ----

    /// A new progress report when the progress cells differ from the latest report, or the
    /// unit claims a status the ledger does not show.
    fn report_from(
        &self,
        row: &mut Row,
        current: Option<&FindingRow>,
        f: &Finding,
        sent: Option<&HashMap<Key, String>>,
        plan: &mut Plan,
    ) -> Option<ProgressReport> {
        let latest = current.and_then(|c| latest_report(c, self.today));
        let old = latest.map_or_else(Default::default, |r| {
            [
                r.measures.clone(),
                r.narrative.clone(),
                r.reason_if_incomplete.clone(),
                r.next_steps.clone(),
            ]
        });
        let mut texts = old.clone();
        for (i, key) in [Key::Measures, Key::Narrative, Key::Reason, Key::NextSteps]
            .into_iter()
            .enumerate()
        {
            let Some(v) = row.read(key, cells::text) else {
                continue;
            };
            let verdict = match sent.and_then(|s| s.get(&key)) {
                Some(was) => base::judge(ours(key).header, was, &old[i], &v),
                None => Verdict::Edited,
            };
            match verdict {
                Verdict::Edited if v.trim() != texts[i].trim() => texts[i] = v.trim().to_string(),
                Verdict::Conflict(m) => row.fail(Some(key), m),
                _ => {}
            }
        }
        let sent_status = sent.and_then(|s| s.get(&Key::Status));
        let claim = self.claim_of(row, current, sent_status, plan);
        let texts_changed = texts != old;
        if !texts_changed
            && claim.is_none_or(|c| c == ClaimedStatus::InProgress && current.is_none())
        {
            return None;
        }
        let [measures, narrative, reason_if_incomplete, next_steps] = texts;
        Some(ProgressReport {
            id: Id::new(),
            finding: f.id,
            date: self.today,
            submitted_by: self.user.clone(),
            narrative,
            measures,
            reason_if_incomplete,
            next_steps,
            claimed: claim.unwrap_or(ClaimedStatus::InProgress),
            amount_rectified: None,
            archived: false,
            channel: Channel::ExcelImport,
            requested_deadline: None,
            amounts: Vec::new(),
            evidence: Vec::new(),
        })
    }

    /// The status a unit claims in 整改状态: only when it differs from the derived status, and
    /// only the four a unit may claim; anything else is derived and left alone, with a note.
    fn claim_of(
        &self,
        row: &mut Row,
        current: Option<&FindingRow>,
        sent: Option<&String>,
        plan: &mut Plan,
    ) -> Option<ClaimedStatus> {
        let text = row.line(Key::Status)?;
        if text.is_empty()
            || current.is_some_and(|c| c.status.status.zh() == text)
            || sent.is_some_and(|s| *s == text)
        {
            return None;
        }
        match ClaimedStatus::parse_label(&text) {
            Ok(c) => Some(c),
            Err(_) => {
                plan.notes.push(Note {
                    at: Some(row.at.clone()),
                    message: Msg::new(
                        format!("整改状态“{text}”由审计机关根据认定得出，导入时忽略；单位可填：整改中、已整改、部分整改、申请持续整改"),
                        format!("the status \"{text}\" is derived from determinations and was ignored; a unit may claim 整改中, 已整改, 部分整改 or 申请持续整改"),
                    ),
                });
                None
            }
        }
    }

    /// Problems the ledger found with the row's records, put on the columns they concern.
    fn ledger_failure(&self, row: &mut Row, e: LedgerError) {
        match e {
            LedgerError::Invalid(errors) => {
                for fe in errors {
                    row.fail(field_key(fe.field), fe.msg);
                }
            }
            other => row.fail(None, crate::exchange::ledger_msg(&other)),
        }
    }
}

/// Put `value`, trimmed, in `target` (a `Box<str>` or a shared `Arc<str>`), unless the two
/// differ only in blanks at their ends.
fn set_text<T: Deref<Target = str> + for<'a> From<&'a str>>(target: &mut T, value: String) {
    if value.trim() != target.trim() {
        *target = value.trim().into();
    }
}

fn report_texts(r: &ProgressReport) -> [String; 4] {
    [
        r.measures.clone(),
        r.narrative.clone(),
        r.reason_if_incomplete.clone(),
        r.next_steps.clone(),
    ]
}

/// The progress cells that differ from the latest report, and a claimed status.
fn progress_changes(
    row: &Row,
    current: &FindingRow,
    report: Option<&ProgressReport>,
    today: NaiveDate,
) -> Vec<FieldChange> {
    let Some(report) = report else {
        return Vec::new();
    };
    let latest = latest_report(current, today);
    let pick = |r: &ProgressReport, key: Key| -> String {
        match key {
            Key::Measures => r.measures.clone(),
            Key::Narrative => r.narrative.clone(),
            Key::Reason => r.reason_if_incomplete.clone(),
            _ => r.next_steps.clone(),
        }
    };
    let mut out: Vec<FieldChange> = [Key::Measures, Key::Narrative, Key::Reason, Key::NextSteps]
        .into_iter()
        .filter(|k| row.layout.has(*k))
        .filter_map(|k| {
            let old = latest.map(|r| pick(r, k)).unwrap_or_default();
            let new = pick(report, k);
            (old != new).then_some(FieldChange {
                column: ours(k).header,
                old,
                new,
            })
        })
        .collect();
    if row.layout.has(Key::Status) && report.claimed.zh() != current.status.status.zh() {
        out.push(FieldChange {
            column: ours(Key::Status).header,
            old: current.status.status.zh().to_string(),
            new: Msg::new(
                format!("{}（单位报送，待认定）", report.claimed.zh()),
                format!(
                    "{} (claimed by the unit, awaiting determination)",
                    report.claimed.zh()
                ),
            )
            .to_string(),
        });
    }
    out
}
