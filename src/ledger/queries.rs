//! Queries: read records back and derive what is never stored (status, flags, due checks).

use super::Ledger;
use super::error::{LedgerError, LedgerResult};
use crate::domain::status::{next_check_due, status_at};
use crate::domain::{Finding, FindingRecords, Id, Labelled, SharedText, Status, StatusView};
use crate::i18n::Msg;
use crate::store::{Entity, EntityKind, Index, Record, Store};
use chrono::NaiveDate;

/// A finding with what a list shows beside it.
#[derive(Debug, Clone)]
pub struct FindingRow {
    pub finding: Finding,
    pub status: StatusView,
    pub records: FindingRecords,
}

impl FindingRow {
    /// When the next 跟踪检查 / 回头看 is due, as of `date`.
    pub fn next_check(&self, date: NaiveDate) -> Option<NaiveDate> {
        next_check_due(&self.finding, &self.records, self.status.status, date)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusCount {
    pub status: Status,
    pub count: usize,
}

impl<S: Store> Ledger<S> {
    pub fn record(&self, kind: EntityKind, id: Id) -> LedgerResult<Record> {
        self.store().get(kind, id)?.ok_or_else(|| {
            LedgerError::NotFound(Msg::new(
                format!("找不到{} {}", kind.label(), id),
                format!("no {} {}", kind.label(), id),
            ))
        })
    }

    pub fn get<T: Entity>(&self, id: Id) -> LedgerResult<T> {
        let record = self.record(T::KIND, id)?;
        T::from_record(record)
            .ok_or_else(|| LedgerError::NotFound(Msg::new("记录类型不符", "wrong record kind")))
    }

    /// Every record of a type, archived ones left out.
    pub fn all<T: Entity>(&self) -> LedgerResult<Vec<T>> {
        let mut out = Vec::new();
        for record in self.store().scan(T::KIND) {
            if let Some(r) = T::from_record(record?)
                && !r.archived()
            {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// The records hanging on a finding, grouped by kind.
    pub fn records_of(&self, finding: Id) -> LedgerResult<FindingRecords> {
        let mut records = FindingRecords::default();
        for record in self.store().children(finding)? {
            file_record(&mut records, record);
        }
        Ok(records)
    }

    /// The status of a finding as it was on `date`.
    pub fn status_of(&self, finding: &Finding, date: NaiveDate) -> LedgerResult<StatusView> {
        let records = self.records_of(finding.id)?;
        Ok(status_at(
            finding,
            &records,
            date,
            self.config.near_due_days,
        ))
    }

    fn row(&self, finding: Finding, date: NaiveDate) -> LedgerResult<FindingRow> {
        let records = self.records_of(finding.id)?;
        let status = status_at(&finding, &records, date, self.config.near_due_days);
        Ok(FindingRow {
            finding,
            status,
            records,
        })
    }

    fn rows_of(&self, ids: Vec<Id>, date: NaiveDate) -> LedgerResult<Vec<FindingRow>> {
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(Record::Finding(f)) = self.store().get(EntityKind::Finding, id)?
                && !f.archived
            {
                rows.push(self.row(f, date)?);
            }
        }
        sort_by_number(&mut rows);
        Ok(rows)
    }

    /// Every live finding with its status on `date`, in number order.
    ///
    /// The findings are read first, straight into their rows; then the records are read kind by
    /// kind in one pass each and filed into their finding's row, rather than looked up finding
    /// by finding: at 100,000 findings that is a few scans instead of 100,000 index lookups.
    /// Nothing is held twice on the way (no list of findings beside the rows, no map of records
    /// beside them): at 100,000 findings each copy was 30 MB more at the peak.
    pub fn finding_rows(&self, date: NaiveDate) -> LedgerResult<Vec<FindingRow>> {
        Ok(self.finding_rows_and_strays(date)?.0)
    }

    /// The rows as `finding_rows` makes them, and the records of findings that have no row
    /// (archived, or missing), met on the same pass: what the app shows of those (their
    /// checks) without reading every record of the kind again.
    ///
    /// The texts that repeat across the ledger (a finding's category, responsible person and
    /// auditor, a check's checker) are shared through one pool for the whole call: each
    /// decoded record had its own copy, one heap allocation per field per finding (100,000 of
    /// each at 100,000 findings), where the ledger has a few dozen distinct values.
    pub fn finding_rows_and_strays(
        &self,
        date: NaiveDate,
    ) -> LedgerResult<(Vec<FindingRow>, Vec<Record>)> {
        // Every record of these kinds: the store may fetch them all first (`before_bulk_read`).
        let kinds: Vec<EntityKind> = std::iter::once(EntityKind::Finding)
            .chain(
                EntityKind::ALL
                    .into_iter()
                    .filter(|k| k.belongs_to_finding()),
            )
            .collect();
        self.store().before_bulk_read(&kinds)?;
        let read = self.rows_and_strays(&kinds, date);
        self.store().after_bulk_read();
        read
    }

    /// `finding_rows_and_strays` once the store knows the read is coming: `kinds` has the
    /// findings first.
    fn rows_and_strays(
        &self,
        kinds: &[EntityKind],
        date: NaiveDate,
    ) -> LedgerResult<(Vec<FindingRow>, Vec<Record>)> {
        let mut rows = Vec::new();
        let mut strays = Vec::new();
        let mut texts = SharedText::new();
        for record in self.store().scan(EntityKind::Finding) {
            if let Record::Finding(mut finding) = record?
                && !finding.archived
            {
                finding.share_texts(&mut texts);
                rows.push(FindingRow {
                    finding,
                    status: NOT_YET_DERIVED,
                    records: FindingRecords::default(),
                });
            }
        }
        rows.shrink_to_fit();
        // Each record finds its row by a binary search on the id: the store scans in id
        // order, so this costs nothing, where a map of every row took 3 MB at 100,000.
        if !rows.is_sorted_by_key(|r| r.finding.id) {
            rows.sort_unstable_by_key(|r| r.finding.id);
        }
        for &kind in kinds.iter().skip(1) {
            for record in self.store().scan(kind) {
                let mut record = record?;
                if let Record::Check(check) = &mut record {
                    check.share_texts(&mut texts);
                }
                match record
                    .finding()
                    .and_then(|f| rows.binary_search_by_key(&f, |r| r.finding.id).ok())
                    .and_then(|i| rows.get_mut(i))
                {
                    Some(row) => file_record(&mut row.records, record),
                    None => strays.push(record),
                }
            }
        }
        for row in &mut rows {
            row.status = status_at(&row.finding, &row.records, date, self.config.near_due_days);
        }
        sort_by_number(&mut rows);
        Ok((rows, strays))
    }

    pub fn findings_of_project(
        &self,
        project: Id,
        date: NaiveDate,
    ) -> LedgerResult<Vec<FindingRow>> {
        let ids = self.store().lookup(&Index::FindingsOfProject(project))?;
        self.rows_of(ids, date)
    }

    /// The findings a unit is responsible for, as 牵头 or 配合.
    pub fn findings_of_unit(&self, unit: Id, date: NaiveDate) -> LedgerResult<Vec<FindingRow>> {
        let ids = self.store().lookup(&Index::FindingsOfUnit(unit))?;
        self.rows_of(ids, date)
    }

    /// 超期 findings on `date`, most overdue first.
    pub fn overdue(&self, date: NaiveDate) -> LedgerResult<Vec<FindingRow>> {
        let mut rows: Vec<FindingRow> = self
            .finding_rows(date)?
            .into_iter()
            .filter(|r| r.status.overdue)
            .collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.status.days_overdue));
        Ok(rows)
    }

    /// Findings due for a 跟踪检查 / 回头看 on `date`, longest waiting first.
    pub fn due_for_check(&self, date: NaiveDate) -> LedgerResult<Vec<FindingRow>> {
        let mut rows: Vec<(NaiveDate, FindingRow)> = self
            .finding_rows(date)?
            .into_iter()
            .filter_map(|r| {
                r.next_check(date)
                    .filter(|due| *due <= date)
                    .map(|due| (due, r))
            })
            .collect();
        rows.sort_by_key(|(due, r)| (*due, r.finding.number.clone()));
        Ok(rows.into_iter().map(|(_, r)| r).collect())
    }

    /// How many live findings are in each status on `date` (every status listed, zeros too).
    pub fn counts_by_status(&self, date: NaiveDate) -> LedgerResult<Vec<StatusCount>> {
        let rows = self.finding_rows(date)?;
        Ok(Status::ALL
            .iter()
            .map(|s| StatusCount {
                status: *s,
                count: rows.iter().filter(|r| r.status.status == *s).count(),
            })
            .collect())
    }

    /// Find a record by full id, id fragment (≥ 6 hex digits; findings, projects and units are
    /// tried first, then the records that have no number), finding or project number, or
    /// unit name. Ambiguous text is an error that lists the candidates.
    pub fn resolve(&self, text: &str) -> LedgerResult<Record> {
        let text = text.trim();
        if let Ok(id) = Id::parse(text) {
            for kind in EntityKind::ALL {
                if let Some(r) = self.store().get(kind, id)? {
                    return Ok(r);
                }
            }
        }
        let mut hits: Vec<Record> = Vec::new();
        for kind in [EntityKind::Finding, EntityKind::Project, EntityKind::Unit] {
            for record in self.store().scan(kind) {
                let record = record?;
                if record.archived() {
                    continue;
                }
                let named = match &record {
                    Record::Finding(f) => &*f.number == text,
                    Record::Project(p) => p.number == text,
                    Record::Unit(u) => u.name == text || u.short_name == text,
                    _ => false,
                };
                if named || record.id().matches_fragment(text) {
                    hits.push(record);
                }
            }
            if !hits.is_empty() {
                break; // a finding number wins over a project number of the same text
            }
        }
        if hits.is_empty() && looks_like_fragment(text) {
            // The other kinds (checks, referrals, plans …) have no number: only their ids.
            for kind in EntityKind::ALL.into_iter().filter(|k| {
                !matches!(
                    k,
                    EntityKind::Finding | EntityKind::Project | EntityKind::Unit
                )
            }) {
                for record in self.store().scan(kind) {
                    let record = record?;
                    if !record.archived() && record.id().matches_fragment(text) {
                        hits.push(record);
                    }
                }
            }
        }
        match hits.len() {
            1 => Ok(hits.remove(0)),
            0 => Err(LedgerError::NotFound(Msg::new(
                format!("找不到“{text}”：请给出问题编号、项目编号、单位名称或记录编号"),
                format!(
                    "nothing matches \"{text}\": give a finding or project number, a unit name or a record id"
                ),
            ))),
            n => {
                let ids: Vec<String> = hits.iter().take(5).map(|r| r.id().to_string()).collect();
                Err(LedgerError::NotFound(Msg::new(
                    format!(
                        "“{text}”对应 {n} 条记录，请改用记录编号：{}",
                        ids.join("、")
                    ),
                    format!(
                        "\"{text}\" matches {n} records; use a record id: {}",
                        ids.join(", ")
                    ),
                )))
            }
        }
    }
}

/// Whether typed text could be an id fragment (six or more hex digits, dashes allowed).
fn looks_like_fragment(text: &str) -> bool {
    let hex: Vec<char> = text.chars().filter(|c| *c != '-').collect();
    hex.len() >= 6 && hex.iter().all(char::is_ascii_hexdigit)
}

/// A row's status while `finding_rows` is still filing its records (derived once they are in).
const NOT_YET_DERIVED: StatusView = StatusView::not_started(None);

/// Put a record hanging on a finding into its place among the finding's records.
pub fn file_record(records: &mut FindingRecords, record: Record) {
    match record {
        Record::Check(r) => records.checks.push(r),
        Record::Progress(r) => records.reports.push(r),
        Record::Determination(r) => records.determinations.push(r),
        Record::Closure(r) => records.closures.push(r),
        Record::Reopen(r) => records.reopens.push(r),
        Record::Outcome(r) => records.outcomes.push(r),
        Record::Accountability(r) => records.accountability.push(r),
        Record::Referral(r) => records.referrals.push(r),
        Record::Supervision(r) => records.supervisions.push(r),
        Record::Unit(_) | Record::Project(_) | Record::Finding(_) | Record::Plan(_) => {}
    }
}

/// Numbers like `2022-03-07` sort naturally (2 before 10).
/// Number order, then id: the order of the ledger's lists.
pub fn number_order(a: &FindingRow, b: &FindingRow) -> std::cmp::Ordering {
    natural_cmp(&a.finding.number, &b.finding.number).then_with(|| a.finding.id.cmp(&b.finding.id))
}

/// Rows in number order (`number_order`). They nearly always are already: the store scans in id
/// order, and the app puts a changed row in its place. So look first: sorting rows took scratch
/// room for half of them (19 MB at 100,000 findings) even when nothing moved. Rows out of order
/// are sorted with cached keys, fast where comparing numbers one pair at a time is slow; ties
/// keep their order, which is id order as scanned.
fn sort_by_number(rows: &mut [FindingRow]) {
    if !rows.is_sorted_by(|a, b| number_order(a, b).is_le()) {
        rows.sort_by_cached_key(|r| natural_key(&r.finding.number));
    }
}

/// A run of digits or of other characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Segment<'s> {
    // Declared first: a number sorts before text.
    Number(u64),
    Text(&'s str),
}

pub fn segments(text: &str) -> impl Iterator<Item = Segment<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let digit = first.is_ascii_digit();
        let len = rest
            .find(|c: char| c.is_ascii_digit() != digit)
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(len);
        rest = tail;
        Some(if digit {
            Segment::Number(run.parse().unwrap_or(u64::MAX))
        } else {
            Segment::Text(run)
        })
    })
}

/// The natural order of numbers (`2022-03-02` before `2022-03-10`), without allocating: for
/// sorting what is nearly sorted already, and for single comparisons.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    segments(a).cmp(segments(b))
}

/// The same order as `natural_cmp`, as bytes that compare with one `memcmp`: for sorting many
/// numbers at once (at 100,000 findings the old key, a vector of strings, took a quarter of
/// start-up). Each run becomes 8 bytes, then the text's bytes, then a 0: a number is its value
/// (big-endian), text is all ones first, so numbers sort before text and a shorter run first.
pub fn natural_key(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 16);
    for segment in segments(text) {
        match segment {
            Segment::Number(n) => out.extend_from_slice(&n.to_be_bytes()),
            Segment::Text(t) => {
                out.extend_from_slice(&u64::MAX.to_be_bytes());
                out.extend_from_slice(t.as_bytes());
            }
        }
        out.push(0);
    }
    out
}
