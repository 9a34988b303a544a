//! `rectify import`: a spreadsheet back into the ledger.
//!
//! A row with our 稳定编号 is an existing finding: the cells that differ from the ledger become
//! field edits (one op per field, as any edit), and changed 整改措施 / 整改情况 / 未整改原因 /
//! 下一步措施, or a 整改状态 the unit claims, become a new progress report (channel Excel导入,
//! dated today; the status stays derived, so 已整改 written by a unit awaits a determination).
//! A row without one is a new finding, filed under the project and units its cells name.
//!
//! Everything is planned first, row by row, with every rule checked; the plan is what
//! `--dry-run` prints. Writing is one all-or-nothing batch, and a plan with bad rows writes
//! nothing unless the user asks to skip them.

mod base;
mod cells;
mod header;
pub mod read;
mod resolve;
mod row;
mod rows;

pub use base::BASE_SHEET;
pub use header::Mapping;

use super::names::Lookup;
use crate::domain::{Finding, ProgressReport};
use crate::i18n::Msg;
use crate::ledger::Ledger;
use crate::store::{Entity, Op, Store};
use chrono::NaiveDate;
use std::path::Path;

/// Where a row is, as the user finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRef {
    pub sheet: String,
    /// The row number the spreadsheet shows.
    pub row: u32,
}

/// A column's value before and after, as the sheet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// Our header of the column.
    pub column: &'static str,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone)]
pub struct Created {
    pub at: RowRef,
    pub finding: Finding,
    /// `number name` of the project it is filed under.
    pub project: String,
    pub report: Option<ProgressReport>,
}

#[derive(Debug, Clone)]
pub struct Updated {
    pub at: RowRef,
    pub before: Finding,
    /// The edited finding, when a field of it changed.
    pub after: Option<Finding>,
    pub changes: Vec<FieldChange>,
    pub report: Option<ProgressReport>,
}

#[derive(Debug, Clone)]
pub struct RowError {
    pub at: RowRef,
    /// `F（整改时限）`, or our header when the sheet has no such column; `None` for the row.
    pub column: Option<String>,
    pub message: Msg,
}

/// Something the user should know that does not stop the import.
#[derive(Debug, Clone)]
pub struct Note {
    pub at: Option<RowRef>,
    pub message: Msg,
}

#[derive(Debug, Clone)]
pub struct SheetInfo {
    pub name: String,
    pub header_row: u32,
    /// (the sheet's header, our column's header) for every column recognised.
    pub columns: Vec<(String, &'static str)>,
    /// Headers left alone.
    pub ignored: Vec<String>,
}

/// Everything an import would do.
#[derive(Debug, Default)]
pub struct Plan {
    pub sheets: Vec<SheetInfo>,
    pub created: Vec<Created>,
    pub updated: Vec<Updated>,
    pub unchanged: usize,
    /// Empty rows, total rows, repeated headers.
    pub skipped: usize,
    pub errors: Vec<RowError>,
    pub notes: Vec<Note>,
}

impl Plan {
    pub fn reports(&self) -> usize {
        self.created.iter().filter(|c| c.report.is_some()).count()
            + self.updated.iter().filter(|u| u.report.is_some()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.created.is_empty() && self.updated.is_empty()
    }
}

pub struct Options<'a> {
    pub mapping: Option<&'a Path>,
    pub today: NaiveDate,
    /// Who files the progress reports the import makes.
    pub user: &'a str,
}

/// Plan the import of `path`. A file that cannot be read at all, or has no table we recognise,
/// is an error; problems of single rows are in `Plan::errors`.
pub fn plan<S: Store>(ledger: &Ledger<S>, path: &Path, options: &Options) -> Result<Plan, Msg> {
    let mapping = match options.mapping {
        Some(p) => Mapping::load(p)?,
        None => Mapping::default(),
    };
    let sheets = read::read(path)?;
    let names = Lookup::load(ledger).map_err(|e| super::ledger_msg(&e))?;
    let mut planner = rows::Planner::new(ledger, &names, options.today, options.user)?;
    planner.base = base::read(&sheets);
    let mut plan = Plan::default();
    for sheet in sheets.iter().filter(|s| s.name != base::BASE_SHEET) {
        let Some(layout) = header::find(sheet, &mapping) else {
            continue;
        };
        plan.sheets.push(SheetInfo {
            name: sheet.name.clone(),
            header_row: layout.header_row,
            columns: layout
                .columns
                .iter()
                .map(|m| (m.header.clone(), header::ours(m.key).header))
                .collect(),
            ignored: layout.ignored.clone(),
        });
        planner.sheet(sheet, &layout, &mut plan);
    }
    if plan.sheets.is_empty() {
        return Err(no_header(path, sheets.iter().all(|s| s.rows.is_empty())));
    }
    Ok(plan)
}

fn no_header(path: &Path, empty: bool) -> Msg {
    let shown = path.display();
    if empty {
        return Msg::new(
            format!("{shown} 中没有任何内容"),
            format!("{shown} holds nothing"),
        );
    }
    Msg::new(
        format!(
            "{shown} 中找不到表头：前 30 行里没有一行含有至少 3 个可识别的列名（如 序号、审计项目名称、问题描述、整改责任单位、整改时限、整改情况）。表头不同时，请用 --mapping 指定对照（见 README）"
        ),
        format!(
            "no header row in {shown}: none of the first 30 rows names at least 3 known columns (序号, 审计项目名称, 问题描述, 整改责任单位, 整改时限, 整改情况 …). For other headers give a --mapping file (see the README)"
        ),
    )
}

/// What `apply` wrote.
#[derive(Debug, Default)]
pub struct Applied {
    pub ops: Vec<Op>,
}

/// Write the plan in one batch. Refused while it has bad rows, unless `skip_bad_rows`.
pub fn apply<S: Store>(
    ledger: &mut Ledger<S>,
    plan: &Plan,
    skip_bad_rows: bool,
) -> Result<Applied, Msg> {
    if !plan.errors.is_empty() && !skip_bad_rows {
        let rows = plan
            .errors
            .iter()
            .map(|e| (&e.at.sheet, e.at.row))
            .collect::<std::collections::HashSet<_>>()
            .len();
        return Err(Msg::new(
            format!(
                "有 {rows} 行存在错误，未写入任何内容。请改正后重新导入，或加 --skip-bad-rows 只导入无误的行"
            ),
            format!(
                "{rows} rows have errors; nothing was written. Correct them and import again, or add --skip-bad-rows to import only the good rows"
            ),
        ));
    }
    let edits = plan
        .updated
        .iter()
        .filter_map(|u| u.after.clone().map(Entity::into_record))
        .collect();
    let mut new: Vec<_> = plan
        .created
        .iter()
        .map(|c| c.finding.clone().into_record())
        .collect();
    // Reports after every finding, so a report may hang on a finding created in this batch.
    new.extend(
        plan.created
            .iter()
            .filter_map(|c| c.report.clone())
            .chain(plan.updated.iter().filter_map(|u| u.report.clone()))
            .map(Entity::into_record),
    );
    let ops = ledger.apply_changes(edits, new).map_err(|e| {
        let why = super::ledger_msg(&e);
        Msg::new(
            format!("导入未写入任何内容：{}", why.zh),
            format!("nothing was imported: {}", why.en),
        )
    })?;
    Ok(Applied { ops })
}
