//! The columns of the 整改台账 (domain.md §1.2), what each holds for a finding, and the header
//! texts other bureaus' ledgers use for the same thing.
//!
//! One table drives the export (order, header, cell type, width), the import (which header
//! names which column, what a column does on import) and the import preview (a change is shown
//! as the column's text before and after), so the three cannot drift apart.

use super::names::Lookup;
use crate::domain::{Finding, Labelled, Money, MoneyUnit, ProgressReport, ReviewVerdict, Status};
use crate::ledger::FindingRow;
use chrono::NaiveDate;

/// Every column the ledger knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Seq,
    Number,
    ProjectName,
    ProjectNumber,
    DocNo,
    AuditedUnits,
    Title,
    Facts,
    Category,
    StatClass,
    LegalBasis,
    Amount,
    Recommendation,
    Mode,
    LeadUnits,
    AssistUnits,
    ResponsiblePerson,
    Auditor,
    IssuedOn,
    Deadline,
    Measures,
    Narrative,
    Reason,
    NextSteps,
    Status,
    DaysOverdue,
    RectifiedAmount,
    Opinion,
    ClosedOn,
    CheckCount,
    ReportToCongress,
    UnresolvedReason,
    Justification,
    Id,
}

/// What a column does when a spreadsheet comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// 序号: renumbered on every export, ignored.
    Seq,
    /// 稳定编号: which finding a row is.
    Id,
    /// A field of the finding: a difference becomes a field edit.
    Field,
    /// Names the project or its units: used to file a new finding, ignored for an existing one.
    Reference,
    /// From the latest progress report: a difference becomes a new report.
    Progress,
    /// 整改状态: derived, but a unit writing a claim (已整改 …) files a report claiming it.
    Claim,
    /// Derived from the records (超期天数, 认定意见 …): ignored.
    Derived,
}

/// What kind of cell a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A short line.
    Text,
    /// Paragraphs: wrapped in the sheet.
    Long,
    /// Money, as a number in 万元.
    Money,
    Date,
    Count,
}

pub struct Column {
    pub key: Key,
    pub header: &'static str,
    /// The English name, for messages in English and `--mapping` keys.
    pub en: &'static str,
    pub shape: Shape,
    pub role: Role,
    /// Other header texts for the same column (compared after `normalise_header`).
    pub aliases: &'static [&'static str],
}

const fn col(
    key: Key,
    header: &'static str,
    en: &'static str,
    shape: Shape,
    role: Role,
    aliases: &'static [&'static str],
) -> Column {
    Column {
        key,
        header,
        en,
        shape,
        role,
        aliases,
    }
}

use Role as R;
use Shape as S;

/// The export's columns, in order.
pub const COLUMNS: &[Column] = &[
    col(Key::Seq, "序号", "no.", S::Count, R::Seq, &["序", "行号"]),
    col(
        Key::Number,
        "问题编号",
        "finding number",
        S::Text,
        R::Field,
        &["问题序号", "编号"],
    ),
    col(
        Key::ProjectName,
        "审计项目名称",
        "audit project",
        S::Text,
        R::Reference,
        &["审计项目", "项目名称", "项目", "审计项目名"],
    ),
    col(
        Key::ProjectNumber,
        "项目编号",
        "project number",
        S::Text,
        R::Reference,
        &["审计项目编号", "项目代码"],
    ),
    col(
        Key::DocNo,
        "结果文书文号",
        "document number",
        S::Text,
        R::Derived,
        &[
            "审计整改通知书",
            "文号",
            "审计报告文号",
            "结果文书",
            "通知书文号",
            "审计文书文号",
        ],
    ),
    col(
        Key::AuditedUnits,
        "被审计单位",
        "audited unit",
        S::Text,
        R::Reference,
        &["被审计单位名称", "被审计对象"],
    ),
    col(
        Key::Title,
        "问题摘要",
        "title",
        S::Text,
        R::Field,
        &[
            "问题标题",
            "问题",
            "问题名称",
            "存在问题",
            "问题概述",
            "审计发现问题",
            "问题简述",
        ],
    ),
    col(
        Key::Facts,
        "问题描述",
        "facts",
        S::Long,
        R::Field,
        &[
            "具体描述",
            "问题事实",
            "问题具体描述",
            "问题详情",
            "审计查出问题",
            "问题内容",
            "具体问题",
        ],
    ),
    col(
        Key::Category,
        "问题类别",
        "category",
        S::Text,
        R::Field,
        &["问题类型", "问题分类"],
    ),
    col(
        Key::StatClass,
        "统计定性",
        "statistical class",
        S::Text,
        R::Field,
        &["问题定性", "定性"],
    ),
    col(
        Key::LegalBasis,
        "定性依据",
        "legal basis",
        S::Long,
        R::Field,
        &["问题定性依据", "法规依据", "依据"],
    ),
    col(
        Key::Amount,
        "涉及金额（万元）",
        "amount involved",
        S::Money,
        R::Field,
        &["涉及金额", "问题金额", "金额", "涉及资金"],
    ),
    col(
        Key::Recommendation,
        "审计建议",
        "recommendation",
        S::Long,
        R::Field,
        &["整改建议", "整改要求", "整改标准", "审计意见"],
    ),
    col(
        Key::Mode,
        "整改方式",
        "mode",
        S::Text,
        R::Field,
        &["整改类型"],
    ),
    col(
        Key::LeadUnits,
        "牵头单位",
        "lead unit",
        S::Text,
        R::Field,
        &[
            "整改责任单位",
            "责任单位",
            "牵头整改单位",
            "整改牵头单位",
            "主责单位",
            "整改单位",
        ],
    ),
    col(
        Key::AssistUnits,
        "配合单位",
        "assisting units",
        S::Text,
        R::Field,
        &["协办单位", "配合整改单位", "协同单位"],
    ),
    col(
        Key::ResponsiblePerson,
        "责任人",
        "responsible person",
        S::Text,
        R::Field,
        &["整改责任人", "单位责任人", "联系人"],
    ),
    col(
        Key::Auditor,
        "跟进审计人员",
        "auditor",
        S::Text,
        R::Field,
        &["跟踪审计人员", "审计联系人", "跟踪人员", "跟进人员"],
    ),
    col(
        Key::IssuedOn,
        "下发日期",
        "issued on",
        S::Date,
        R::Field,
        &["下发时间", "通知日期"],
    ),
    col(
        Key::Deadline,
        "整改时限",
        "deadline",
        S::Date,
        R::Field,
        &[
            "完成时限",
            "整改期限",
            "计划完成时间",
            "完成时间",
            "整改完成时限",
            "整改截止日期",
            "截止日期",
        ],
    ),
    col(
        Key::Measures,
        "整改措施",
        "measures",
        S::Long,
        R::Progress,
        &["已采取的整改措施"],
    ),
    col(
        Key::Narrative,
        "整改情况",
        "progress",
        S::Long,
        R::Progress,
        &[
            "整改进展",
            "整改进度",
            "整改完成情况",
            "整改落实情况",
            "整改进展情况",
        ],
    ),
    col(
        Key::Reason,
        "未整改原因",
        "reason unfinished",
        S::Long,
        R::Progress,
        &[
            "未整改到位原因",
            "未整改到位主要原因",
            "未完成原因",
            "主要原因",
            "未整改到位的原因",
        ],
    ),
    col(
        Key::NextSteps,
        "下一步措施",
        "next steps",
        S::Long,
        R::Progress,
        &["下一步工作计划", "下一步计划", "下一步工作措施"],
    ),
    col(
        Key::Status,
        "整改状态",
        "status",
        S::Text,
        R::Claim,
        &["状态", "整改完成状态", "是否整改", "完成状态"],
    ),
    col(
        Key::DaysOverdue,
        "超期天数",
        "days overdue",
        S::Count,
        R::Derived,
        &[],
    ),
    col(
        Key::RectifiedAmount,
        "整改金额（万元）",
        "rectified amount",
        S::Money,
        R::Derived,
        &["整改金额", "已整改金额", "整改到位金额"],
    ),
    col(
        Key::Opinion,
        "认定意见",
        "determination",
        S::Long,
        R::Derived,
        &["认定结果", "复核意见"],
    ),
    col(
        Key::ClosedOn,
        "销号日期",
        "closed on",
        S::Date,
        R::Derived,
        &["销号时间"],
    ),
    col(
        Key::CheckCount,
        "跟踪检查次数",
        "follow-up checks",
        S::Count,
        R::Derived,
        &["检查次数"],
    ),
    col(
        Key::ReportToCongress,
        "纳入审计工作报告",
        "in the audit work report",
        S::Text,
        R::Field,
        &["是否纳入审计工作报告", "纳入工作报告"],
    ),
    col(
        Key::UnresolvedReason,
        "未完成原因类别",
        "reason class",
        S::Text,
        R::Field,
        &["原因类别"],
    ),
    col(
        Key::Justification,
        "原因说明",
        "justification",
        S::Long,
        R::Field,
        &["情况说明"],
    ),
    col(
        Key::Id,
        "稳定编号",
        "stable id",
        S::Text,
        R::Id,
        &["系统编号", "记录编号", "id"],
    ),
];

pub fn column(key: Key) -> &'static Column {
    // Every key has its entry (tested below); the first column is a harmless fallback.
    COLUMNS.iter().find(|c| c.key == key).unwrap_or(&COLUMNS[0])
}

/// A header as typed, reduced to what identifies it: no blanks or line breaks (long headers
/// are often wrapped by hand), half-width brackets, no required-field stars or trailing colon.
pub fn normalise_header(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '＊' | '※'))
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '【' | '[' => '(',
            '】' | ']' => ')',
            c => c,
        })
        .collect::<String>()
        .trim_end_matches([':', '：'])
        .to_lowercase()
}

/// The money unit a header states in brackets (`涉及金额（万元）`, `金额(元)`), and the header
/// without it.
pub fn split_unit(normalised: &str) -> (String, Option<MoneyUnit>) {
    for (suffix, unit) in [
        ("(亿元)", MoneyUnit::Yi),
        ("(万元)", MoneyUnit::Wan),
        ("(元)", MoneyUnit::Yuan),
    ] {
        if let Some(base) = normalised.strip_suffix(suffix) {
            return (base.to_string(), Some(unit));
        }
    }
    (normalised.to_string(), None)
}

/// Which column a header names, and the money unit it states.
pub fn identify(header: &str) -> Option<(Key, Option<MoneyUnit>)> {
    let (base, unit) = split_unit(&normalise_header(header));
    if base.is_empty() {
        return None;
    }
    COLUMNS
        .iter()
        .find(|c| {
            split_unit(&normalise_header(c.header)).0 == base
                || c.aliases.iter().any(|a| normalise_header(a) == base)
        })
        .map(|c| (c.key, unit))
}

/// One cell of the table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Money(Money),
    Date(NaiveDate),
    Count(i64),
}

impl Cell {
    fn text(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_string())
        }
    }

    /// The cell as a reader sees it (the import preview shows changes this way).
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Money(m) => m.format_exact(MoneyUnit::Wan),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Count(n) => n.to_string(),
        }
    }

    /// The cell in a CSV file: money as a plain decimal in 万元 (at least 4 decimals, more
    /// when the amount needs them to stay exact), text made inert for spreadsheets.
    pub fn csv(&self) -> String {
        match self {
            Cell::Text(t) => super::quote(t),
            Cell::Money(m) => wan_decimal(*m),
            other => other.display(),
        }
    }
}

/// `12.3456`, `12.345678`, `3.0000`: 万元 with 4 to 6 decimals, exact.
pub fn wan_decimal(m: Money) -> String {
    let full = m.format_rounded(MoneyUnit::Wan, 6);
    let Some((int, frac)) = full.split_once('.') else {
        return full;
    };
    let trimmed = frac.trim_end_matches('0');
    let frac = if trimmed.len() < 4 {
        &frac[..4]
    } else {
        trimmed
    };
    format!("{int}.{frac}")
}

/// 是 / 否 as ledgers write booleans.
pub fn yes_no(value: bool) -> &'static str {
    if value { "是" } else { "否" }
}

/// The latest progress report on or before `date`.
pub fn latest_report(row: &FindingRow, date: NaiveDate) -> Option<&ProgressReport> {
    row.records
        .reports
        .iter()
        .filter(|r| !r.archived && r.date <= date)
        .max_by_key(|r| (r.date, r.id))
}

/// The cell of `key` for a finding as of `as_of` (`Seq` is left empty: the writer numbers).
pub fn cell(key: Key, row: &FindingRow, names: &Lookup, as_of: NaiveDate) -> Cell {
    let f = &row.finding;
    let report = latest_report(row, as_of);
    let from_report = |pick: fn(&ProgressReport) -> &str| Cell::text(report.map_or("", pick));
    match key {
        Key::Seq => Cell::Empty,
        Key::Number => Cell::text(&f.number),
        Key::ProjectName => Cell::text(names.projects.get(&f.project).map_or("", |p| &p.name)),
        Key::ProjectNumber => Cell::text(names.projects.get(&f.project).map_or("", |p| &p.number)),
        Key::DocNo => Cell::text(names.projects.get(&f.project).map_or("", |p| &p.doc_no)),
        Key::AuditedUnits => Cell::text(
            &names
                .projects
                .get(&f.project)
                .map_or_else(String::new, |p| {
                    names.unit_names(p.audited_units.iter().copied())
                }),
        ),
        Key::Title => Cell::text(&f.title),
        Key::Facts => Cell::text(&f.facts),
        Key::Category => Cell::text(&f.category),
        Key::StatClass => Cell::text(f.stat_class.zh()),
        Key::LegalBasis => Cell::text(&f.legal_basis),
        Key::Amount => f.amount.map_or(Cell::Empty, Cell::Money),
        Key::Recommendation => Cell::text(&f.recommendation),
        Key::Mode => Cell::text(f.mode.zh()),
        Key::LeadUnits => Cell::text(&names.unit_names(units_of(f, true))),
        Key::AssistUnits => Cell::text(&names.unit_names(units_of(f, false))),
        Key::ResponsiblePerson => Cell::text(&f.responsible_person),
        Key::Auditor => Cell::text(&f.auditor),
        Key::IssuedOn => f.issued_on.map_or(Cell::Empty, Cell::Date),
        Key::Deadline => Cell::Date(f.deadline),
        Key::Measures => from_report(|r| &r.measures),
        Key::Narrative => from_report(|r| &r.narrative),
        Key::Reason => from_report(|r| &r.reason_if_incomplete),
        Key::NextSteps => from_report(|r| &r.next_steps),
        Key::Status => Cell::text(row.status.status.zh()),
        Key::DaysOverdue if row.status.overdue => Cell::Count(row.status.days_overdue),
        Key::DaysOverdue => Cell::Empty,
        Key::RectifiedAmount => confirmed_amount(row, as_of).map_or(Cell::Empty, Cell::Money),
        Key::Opinion => Cell::text(&opinion(row, as_of)),
        Key::ClosedOn => closed_on(row, as_of).map_or(Cell::Empty, Cell::Date),
        Key::CheckCount => Cell::Count(
            row.records
                .checks
                .iter()
                .filter(|c| !c.archived && c.date <= as_of)
                .count() as i64,
        ),
        Key::ReportToCongress => Cell::text(yes_no(f.flags.report_to_congress)),
        Key::UnresolvedReason => Cell::text(f.unresolved_reason.map_or("", |r| r.zh())),
        Key::Justification => Cell::text(&f.justification),
        Key::Id => Cell::Text(f.id.to_string()),
    }
}

/// The finding's 牵头 (or 配合) units, in the order the finding lists them.
pub fn units_of(f: &Finding, lead: bool) -> impl Iterator<Item = crate::domain::Id> + '_ {
    f.units
        .iter()
        .filter(move |u| (u.role == crate::domain::UnitRole::Lead) == lead)
        .map(|u| u.unit)
}

fn latest_determination(
    row: &FindingRow,
    as_of: NaiveDate,
) -> Option<&crate::domain::Determination> {
    row.records
        .determinations
        .iter()
        .filter(|d| !d.archived && d.date <= as_of)
        .max_by_key(|d| (d.date, d.id))
}

/// What the latest determination confirmed as rectified (its total, else its amounts by kind).
fn confirmed_amount(row: &FindingRow, as_of: NaiveDate) -> Option<Money> {
    let d = latest_determination(row, as_of)?;
    if matches!(
        d.verdict,
        ReviewVerdict::Rejected | ReviewVerdict::NotRectified
    ) {
        return None;
    }
    d.amount_confirmed
        .or_else(|| (!d.amounts.is_empty()).then(|| Money::sum(d.amounts.iter().map(|a| a.amount))))
}

/// `已整改：opinion` from the latest determination.
fn opinion(row: &FindingRow, as_of: NaiveDate) -> String {
    latest_determination(row, as_of).map_or_else(String::new, |d| {
        if d.opinion.trim().is_empty() {
            d.verdict.zh().to_string()
        } else {
            format!("{}：{}", d.verdict.zh(), d.opinion)
        }
    })
}

/// The day of the 销号 that stands (none once reopened).
fn closed_on(row: &FindingRow, as_of: NaiveDate) -> Option<NaiveDate> {
    if row.status.status != Status::Closed {
        return None;
    }
    row.records
        .closures
        .iter()
        .filter(|c| !c.archived && c.date <= as_of)
        .map(|c| c.date)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_one_column_and_headers_identify_themselves() {
        for c in COLUMNS {
            assert_eq!(column(c.key).header, c.header);
            assert_eq!(
                identify(c.header).map(|(k, _)| k),
                Some(c.key),
                "{}",
                c.header
            );
            for alias in c.aliases {
                assert_eq!(identify(alias).map(|(k, _)| k), Some(c.key), "{alias}");
            }
        }
        assert_eq!(COLUMNS.len(), Key::Id as usize + 1);
        // The hidden base copy finds each finding's id in the last column.
        assert_eq!(COLUMNS.last().map(|c| c.key), Some(Key::Id));
    }

    #[test]
    fn headers_are_read_in_their_usual_variants() {
        assert_eq!(
            identify("涉及金额（万元）"),
            Some((Key::Amount, Some(MoneyUnit::Wan)))
        );
        assert_eq!(
            identify("涉及金额(元)"),
            Some((Key::Amount, Some(MoneyUnit::Yuan)))
        );
        assert_eq!(identify(" 涉及金额 "), Some((Key::Amount, None)));
        assert_eq!(
            identify("整改金额(万元)").map(|(k, _)| k),
            Some(Key::RectifiedAmount)
        );
        assert_eq!(identify("整改\n时限").map(|(k, _)| k), Some(Key::Deadline));
        assert_eq!(
            identify("*整改责任单位：").map(|(k, _)| k),
            Some(Key::LeadUnits)
        );
        assert_eq!(identify("备注"), None);
        assert_eq!(identify(""), None);
    }

    #[test]
    fn money_in_csv_is_exact_with_four_decimals_at_least() {
        assert_eq!(wan_decimal(Money(12_345_600)), "12.3456");
        assert_eq!(wan_decimal(Money(3_000_000)), "3.0000");
        assert_eq!(wan_decimal(Money(1_234_567)), "1.234567");
        assert_eq!(wan_decimal(Money(0)), "0.0000");
    }
}
