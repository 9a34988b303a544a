//! The 整改台账 as an Excel workbook a unit can open, filter and fill in: the header row frozen
//! with an autofilter, real dates (yyyy-mm-dd) and real numbers (万元, 4 decimals), long text
//! wrapped, columns as wide as their Chinese text needs, and a 说明 sheet that tells the unit
//! which columns to fill and which to leave alone.

use super::columns::{COLUMNS, Cell, Role, Shape};
use super::export::{Table, sheet_name};
use super::import::BASE_SHEET;
use crate::i18n::Msg;
use crate::text::width;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use std::collections::HashSet;

/// Widest a wrapped column gets (in Excel's character units, about one Latin digit; a Chinese
/// character is two).
const LONG_WIDTH: usize = 48;
/// Widest a single-line column gets.
const LINE_WIDTH: usize = 30;
const NOTES_SHEET: &str = "说明";

struct Formats {
    header: Format,
    text: Format,
    long: Format,
    money: Format,
    date: Format,
    count: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin);
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xDDEBF7))
                .set_border(FormatBorder::Thin),
            text: base.clone(),
            long: base.clone().set_text_wrap(),
            money: base.clone().set_num_format("0.0000"),
            date: base.clone().set_num_format("yyyy-mm-dd"),
            count: base.set_num_format("0"),
        }
    }
}

fn fail(e: XlsxError) -> Msg {
    Msg::new(
        format!("生成 Excel 文件失败：{e}"),
        format!("cannot build the Excel file: {e}"),
    )
}

/// The workbook's bytes: one sheet per table, then the notes.
pub fn workbook(tables: &[Table]) -> Result<Vec<u8>, Msg> {
    let formats = Formats::new();
    let mut book = Workbook::new();
    let mut used = HashSet::new();
    used.insert(NOTES_SHEET.to_string());
    used.insert(BASE_SHEET.to_string());
    for table in tables {
        let sheet = book.add_worksheet();
        sheet
            .set_name(sheet_name(&table.name, &mut used))
            .map_err(fail)?;
        write_table(sheet, &table.rows, &formats).map_err(fail)?;
    }
    write_notes(book.add_worksheet()).map_err(fail)?;
    write_base(book.add_worksheet(), tables).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

/// The hidden copy of what was sent, which lets an import tell a unit's edits from changes
/// made in the ledger since (see `import::base`): plain text, one row per finding, only the
/// columns an import compares.
fn write_base(sheet: &mut Worksheet, tables: &[Table]) -> Result<(), XlsxError> {
    sheet.set_name(BASE_SHEET)?;
    sheet.set_hidden(true);
    let kept: Vec<usize> = COLUMNS
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            matches!(
                c.role,
                Role::Field | Role::Progress | Role::Claim | Role::Id
            )
        })
        .map(|(i, _)| i)
        .collect();
    for (to, from) in kept.iter().enumerate() {
        sheet.write_string(0, to as u16, COLUMNS[*from].header)?;
    }
    let mut seen = HashSet::new();
    let id_at = COLUMNS.len() - 1;
    let mut r = 1u32;
    for cells in tables.iter().flat_map(|t| &t.rows) {
        let id = cells.get(id_at).map(Cell::display).unwrap_or_default();
        if !seen.insert(id) {
            continue;
        }
        for (to, from) in kept.iter().enumerate() {
            let text = cells.get(*from).map(Cell::display).unwrap_or_default();
            if !text.is_empty() {
                sheet.write_string(r, to as u16, text)?;
            }
        }
        r += 1;
    }
    Ok(())
}

fn write_table(
    sheet: &mut Worksheet,
    rows: &[Vec<Cell>],
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (c, column) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, column.header, &formats.header)?;
    }
    for (r, cells) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, (cell, column)) in cells.iter().zip(COLUMNS).enumerate() {
            let c = c as u16;
            match cell {
                Cell::Empty => {
                    sheet.write_blank(r, c, &formats.text)?;
                }
                Cell::Text(t) => {
                    let format = if column.shape == Shape::Long {
                        &formats.long
                    } else {
                        &formats.text
                    };
                    sheet.write_string_with_format(r, c, super::quote(t), format)?;
                }
                // Exact to the 分 in the cell's value; the format shows 4 decimals.
                Cell::Money(m) => {
                    sheet.write_number_with_format(r, c, m.fen() as f64 / 1e6, &formats.money)?;
                }
                Cell::Date(d) => {
                    sheet.write_date_with_format(r, c, d, &formats.date)?;
                }
                Cell::Count(n) => {
                    sheet.write_number_with_format(r, c, *n as f64, &formats.count)?;
                }
            }
        }
    }
    for (c, column) in COLUMNS.iter().enumerate() {
        let cells = rows.iter().filter_map(|row| row.get(c));
        sheet.set_column_width(
            c as u16,
            column_width(column.header, column.shape, cells) as f64,
        )?;
    }
    sheet.set_row_height(0, 30)?;
    sheet.set_freeze_panes(1, 0)?;
    let last_row = rows.len() as u32;
    sheet.autofilter(0, 0, last_row, COLUMNS.len() as u16 - 1)?;
    sheet.set_landscape();
    sheet.set_repeat_rows(0, 0)?;
    Ok(())
}

/// As wide as the widest line of the header or a cell (Chinese counts 2), within bounds.
fn column_width<'a>(header: &str, shape: Shape, cells: impl Iterator<Item = &'a Cell>) -> usize {
    let cap = if shape == Shape::Long {
        LONG_WIDTH
    } else {
        LINE_WIDTH
    };
    let widest_line = |text: &str| text.lines().map(width).max().unwrap_or(0);
    let content = cells
        .map(|c| match c {
            Cell::Money(_) => 12,
            Cell::Date(_) => 11,
            other => widest_line(&other.display()),
        })
        .max()
        .unwrap_or(0);
    // Headers wrap onto two lines, so half their width is enough.
    let header = width(header).div_ceil(2).max(4);
    (content.max(header) + 2).clamp(6, cap)
}

fn write_notes(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_name(NOTES_SHEET)?;
    let fill: Vec<&str> = COLUMNS
        .iter()
        .filter(|c| matches!(c.role, Role::Progress | Role::Claim))
        .map(|c| c.header)
        .collect();
    let derived: Vec<&str> = COLUMNS
        .iter()
        .filter(|c| c.role == Role::Derived)
        .map(|c| c.header)
        .collect();
    let lines = [
        "填写说明".to_string(),
        format!("1. 请在“{}”列填写本单位的整改进展。", fill.join("”“")),
        "2. 整改状态可填：整改中、已整改、部分整改、申请持续整改；填报后由审计机关认定。"
            .to_string(),
        "3. 请勿修改表头文字和“稳定编号”列；可以排序、筛选、调整列序。新增问题可另起一行，稳定编号留空。"
            .to_string(),
        format!(
            "4. 以下各列由系统根据认定、销号等记录计算，修改无效：{}。",
            derived.join("、")
        ),
        "5. 日期请写成 2024-06-30 或 2024年6月30日；金额单位为万元。".to_string(),
    ];
    let bold = Format::new().set_bold();
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            sheet.write_string_with_format(0, 0, line, &bold)?;
        } else {
            sheet.write_string(i as u32, 0, line)?;
        }
    }
    sheet.set_column_width(0, 100)?;
    Ok(())
}
