//! The filter language, the same in the TUI filter line and `rectify list findings --filter`.
//!
//! ```text
//! 状态:未整改,部分整改 单位:财政 金额>100万 +超期 -+重开 预算 "预算 编制" 排序:紧迫度
//! ```
//! Whitespace-separated terms must all hold. A term is a `key:value` (Chinese or ASCII key), a
//! comparison (`金额>100万`, `时限<=+30`, `年度:2021..2023`), a virtual tag (`+超期`), a free
//! word or a quoted phrase; a leading `-` negates it. `排序:` / `sort:` picks the order.
//! [`vocabulary`] lists every key, tag and sort column with its description.
//!
//! Parsing never looks at the ledger: a filter is parsed once (and saved as text) and then
//! applied to rows with a [`FilterContext`] that supplies today's date, names and weights.
//! Relative dates (`+30`) are resolved against that context's `today`.

mod error;
mod fold;
mod lex;
mod parse;
mod sort;
mod term;
mod value;
mod vocab;

#[cfg(test)]
mod tests;

pub use error::FilterError;
pub use vocab::vocabulary;

use crate::domain::{Id, Project, Unit};
use crate::ledger::FindingRow;
use crate::search::urgency::{Weights, urgency};
use chrono::NaiveDate;
use std::collections::HashSet;

/// How many days without a progress report or check make an open finding 无进展, unless
/// configured otherwise (a quarter: units report monthly, so three missed reports).
pub const DEFAULT_STALE_DAYS: i64 = 90;

/// A parsed filter expression: its conditions and its sort columns.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    text: String,
    terms: Vec<term::Term>,
    sort: Vec<sort::SortKey>,
}

/// Parse a filter expression. An empty or blank expression is an empty filter (everything, in
/// number order).
pub fn parse(expr: &str) -> Result<Filter, FilterError> {
    let input: Vec<char> = expr.chars().collect();
    let tokens = lex::lex(&input).map_err(|(msg, s, e)| FilterError::at(msg, s, e, &input))?;
    let parser = parse::Parser { input: &input };
    let mut filter = Filter {
        text: expr.to_string(),
        ..Filter::default()
    };
    for token in &tokens {
        match parser.item(token)? {
            parse::Item::Term(t) => filter.terms.push(t),
            parse::Item::Sort(keys) => filter.sort.extend(keys),
        }
    }
    Ok(filter)
}

/// What applying a filter needs from outside the row.
pub struct FilterContext<'a> {
    /// The day the rows' statuses were computed for; relative dates count from it.
    pub today: NaiveDate,
    pub units: &'a dyn Fn(Id) -> Option<&'a Unit>,
    pub projects: &'a dyn Fn(Id) -> Option<&'a Project>,
    /// Findings that a later finding repeats (see [`repeated_ids`]).
    pub repeated: &'a HashSet<Id>,
    /// Days without progress that make `+无进展`.
    pub stale_days: i64,
    pub weights: Weights,
}

impl<'a> FilterContext<'a> {
    /// A context with the default 无进展 threshold and urgency weights.
    pub fn new(
        today: NaiveDate,
        units: &'a dyn Fn(Id) -> Option<&'a Unit>,
        projects: &'a dyn Fn(Id) -> Option<&'a Project>,
        repeated: &'a HashSet<Id>,
    ) -> Self {
        FilterContext {
            today,
            units,
            projects,
            repeated,
            stale_days: DEFAULT_STALE_DAYS,
            weights: Weights::default(),
        }
    }

    /// 屡审屡犯: the finding repeats an earlier one, or a later one repeats it.
    pub fn is_repeat(&self, row: &FindingRow) -> bool {
        !row.finding.repeat_of.is_empty() || self.repeated.contains(&row.finding.id)
    }

    /// The row's 督办紧迫度 with this context's weights.
    pub fn urgency(&self, row: &FindingRow) -> f64 {
        urgency(row, self.today, self.is_repeat(row), &self.weights)
    }
}

impl Filter {
    /// No condition and no sort: the filter shows everything in number order.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.sort.is_empty()
    }

    /// Whether the row satisfies every term.
    pub fn matches(&self, row: &FindingRow, ctx: &FilterContext) -> bool {
        self.terms.iter().all(|t| t.matches(row, ctx))
    }

    /// Sort rows in place by the expression's sort key (number order when none).
    pub fn sort(&self, rows: &mut [&FindingRow], ctx: &FilterContext) {
        sort::sort(&self.sort, rows, ctx);
    }

    /// Whether the expression names a sort (else the caller's own order may be kept).
    pub fn has_sort(&self) -> bool {
        !self.sort.is_empty()
    }

    /// The source text, for saved views.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The ids that some finding's `repeat_of` points at: the earlier findings of 屡审屡犯 chains,
/// for [`FilterContext::repeated`].
pub fn repeated_ids<'r>(rows: impl IntoIterator<Item = &'r FindingRow>) -> HashSet<Id> {
    rows.into_iter()
        .flat_map(|r| r.finding.repeat_of.iter().copied())
        .collect()
}
