//! Reading a spreadsheet into rows of cells, whatever its format: xlsx (streamed, cell by cell),
//! the old binary xls, or CSV (UTF-8, with or without a BOM). The content decides the format,
//! not the file name: a renamed file is still read right, and a file that is no spreadsheet
//! at all is told so.
//!
//! Limits, so that a wrong file cannot exhaust memory: at most `MAX_FILE_BYTES` on disk,
//! `MAX_ROWS` rows in all, and `MAX_COLUMNS` columns (cells further right are ignored).
//! Merged cells (a title across the top, a project name down a block of rows) are filled in
//! from their top-left cell, as the eye reads them.

use crate::i18n::Msg;
use calamine::{Data, DataRef, Dimensions, Reader, Xls, Xlsx};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::io::{Read, Seek};
use std::path::Path;

/// The largest file read (documented in the README).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most rows read from one file, all sheets together.
pub const MAX_ROWS: usize = 200_000;
/// Columns beyond this are ignored: no ledger has that many.
pub const MAX_COLUMNS: usize = 256;

#[derive(Debug, Clone, PartialEq)]
pub enum RawCell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    /// A cell Excel shows as an error (`#N/A`, `#REF!`) or a date it cannot be.
    Bad(String),
}

#[derive(Debug, Clone)]
pub struct RawRow {
    /// The row number as the spreadsheet shows it (1-based).
    pub number: u32,
    pub cells: Vec<RawCell>,
}

#[derive(Debug, Clone)]
pub struct RawSheet {
    pub name: String,
    pub rows: Vec<RawRow>,
    /// Dates counted from 1904 (old Mac workbooks).
    pub is_1904: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Xlsx,
    Xls,
    Csv,
}

/// Every sheet of the file at `path`.
pub fn read(path: &Path) -> Result<Vec<RawSheet>, Msg> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| {
        Msg::new(
            format!("无法读取 {shown}：{e}"),
            format!("cannot read {shown}: {e}"),
        )
    })?;
    if !meta.is_file() {
        return Err(Msg::new(
            format!("{shown} 不是文件"),
            format!("{shown} is not a file"),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Msg::new(
            format!(
                "{shown} 有 {} MB，超过导入上限 {} MB；请按项目或单位拆分后分批导入",
                meta.len() / 1_048_576,
                MAX_FILE_BYTES / 1_048_576
            ),
            format!(
                "{shown} is {} MB, above the import limit of {} MB; split it by project or unit",
                meta.len() / 1_048_576,
                MAX_FILE_BYTES / 1_048_576
            ),
        ));
    }
    let unreadable = |e: std::io::Error| {
        Msg::new(
            format!("无法读取 {shown}：{e}"),
            format!("cannot read {shown}: {e}"),
        )
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let mut magic = Vec::with_capacity(8);
    std::io::Read::by_ref(&mut file)
        .take(8)
        .read_to_end(&mut magic)
        .map_err(unreadable)?;
    match kind_of(&magic) {
        Kind::Csv => read_csv(&std::fs::read(path).map_err(unreadable)?, &shown),
        // Workbooks are read from the file as the zip needs them, not loaded whole.
        kind => {
            let reader = std::io::BufReader::new(std::fs::File::open(path).map_err(unreadable)?);
            guarded(|| match kind {
                Kind::Xls => read_xls(reader),
                _ => read_xlsx(reader),
            })
            .map_err(|reason| not_readable(&shown, &reason))
        }
    }
}

fn kind_of(bytes: &[u8]) -> Kind {
    if bytes.starts_with(b"PK\x03\x04") {
        Kind::Xlsx
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Kind::Xls
    } else {
        Kind::Csv
    }
}

fn not_readable(shown: &str, reason: &str) -> Msg {
    Msg::new(
        format!(
            "{shown} 不是可读取的 Excel 工作簿（{reason}）。请用 Excel 或 WPS 打开后另存为 .xlsx 再导入"
        ),
        format!(
            "{shown} is not a readable Excel workbook ({reason}). Open it in Excel or WPS and save it as .xlsx"
        ),
    )
}

/// Run a third-party parser so that even a panic inside it on a malformed file becomes an
/// error message, with the panic's own report kept off the terminal.
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    result.unwrap_or_else(|_| Err("文件结构损坏 / the file's structure is damaged".to_string()))
}

/// Rows being collected for one sheet, sparse until the end.
#[derive(Default)]
struct Collect {
    rows: BTreeMap<u32, Vec<RawCell>>,
}

impl Collect {
    fn put(&mut self, row: u32, col: u32, cell: RawCell) -> Result<(), String> {
        if col as usize >= MAX_COLUMNS || cell == RawCell::Empty {
            return Ok(());
        }
        if !self.rows.contains_key(&row) && self.rows.len() >= MAX_ROWS {
            return Err(too_many_rows());
        }
        let cells = self.rows.entry(row).or_default();
        let col = col as usize;
        if cells.len() <= col {
            cells.resize(col + 1, RawCell::Empty);
        }
        cells[col] = cell;
        Ok(())
    }

    /// Give every cell of a merged region its top-left cell's value.
    fn fill_merged(&mut self, regions: &[Dimensions]) {
        for region in regions {
            let (top, left) = region.start;
            let (bottom, right) = region.end;
            let Some(value) = self
                .rows
                .get(&top)
                .and_then(|r| r.get(left as usize))
                .filter(|c| **c != RawCell::Empty)
                .cloned()
            else {
                continue;
            };
            let right = right.min(MAX_COLUMNS as u32 - 1);
            // Only rows that exist: a region merged down a whole column must not create a
            // million rows.
            let rows: Vec<u32> = self.rows.range(top..=bottom).map(|(r, _)| *r).collect();
            for r in rows {
                for c in left..=right {
                    if r != top || c != left {
                        let _ = self.put(r, c, value.clone());
                    }
                }
            }
        }
    }

    fn finish(self, name: String, is_1904: bool) -> RawSheet {
        RawSheet {
            name,
            rows: self
                .rows
                .into_iter()
                .map(|(r, mut cells)| {
                    // Grown a cell at a time, the vectors hold up to twice their cells.
                    cells.shrink_to_fit();
                    RawRow {
                        number: r + 1,
                        cells,
                    }
                })
                .collect(),
            is_1904,
        }
    }
}

fn too_many_rows() -> String {
    format!("超过 {MAX_ROWS} 行 / more than {MAX_ROWS} rows")
}

fn read_xlsx<R: Read + Seek>(reader: R) -> Result<Vec<RawSheet>, String> {
    let mut book: Xlsx<_> = Xlsx::new(reader).map_err(|e| e.to_string())?;
    let is_1904 = book.has_1904_epoch();
    let mut sheets = Vec::new();
    let mut total = 0usize;
    for name in book.sheet_names() {
        let mut collect = Collect::default();
        {
            let mut cells = match book.worksheet_cells_reader(&name) {
                Ok(reader) => reader,
                // Chart sheets and dialog sheets hold no cells.
                Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
                Err(e) => return Err(e.to_string()),
            };
            while let Some(cell) = cells.next_cell().map_err(|e| e.to_string())? {
                let (row, col) = cell.get_position();
                collect.put(row, col, from_ref(cell.get_value()))?;
            }
        }
        if let Some(Ok(regions)) = book.worksheet_merge_cells(&name) {
            collect.fill_merged(&regions);
        }
        total += collect.rows.len();
        if total > MAX_ROWS {
            return Err(too_many_rows());
        }
        sheets.push(collect.finish(name, is_1904));
    }
    Ok(sheets)
}

fn read_xls<R: Read + Seek>(reader: R) -> Result<Vec<RawSheet>, String> {
    let mut book: Xls<_> = Xls::new(reader).map_err(|e| e.to_string())?;
    let is_1904 = book.has_1904_epoch();
    let mut sheets = Vec::new();
    let mut total = 0usize;
    for name in book.sheet_names() {
        let Ok(range) = book.worksheet_range(&name) else {
            continue;
        };
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut collect = Collect::default();
        for (r, c, value) in range.used_cells() {
            collect.put(top + r as u32, left + c as u32, from_data(value))?;
        }
        if let Some(regions) = book.worksheet_merge_cells(&name) {
            collect.fill_merged(&regions);
        }
        total += collect.rows.len();
        if total > MAX_ROWS {
            return Err(too_many_rows());
        }
        sheets.push(collect.finish(name, is_1904));
    }
    Ok(sheets)
}

fn from_ref(value: &DataRef<'_>) -> RawCell {
    match value {
        DataRef::Empty => RawCell::Empty,
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Int(i) => RawCell::Number(*i as f64),
        DataRef::Float(f) => RawCell::Number(*f),
        DataRef::Bool(b) => RawCell::Bool(*b),
        DataRef::DateTime(dt) => excel_date(dt),
        DataRef::DateTimeIso(s) => iso_date(s),
        DataRef::DurationIso(s) => text(s),
        DataRef::Error(e) => RawCell::Bad(e.to_string()),
    }
}

fn from_data(value: &Data) -> RawCell {
    match value {
        Data::Empty => RawCell::Empty,
        Data::String(s) => text(s),
        Data::Int(i) => RawCell::Number(*i as f64),
        Data::Float(f) => RawCell::Number(*f),
        Data::Bool(b) => RawCell::Bool(*b),
        Data::DateTime(dt) => excel_date(dt),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => text(s),
        Data::Error(e) => RawCell::Bad(e.to_string()),
    }
}

fn text(s: &str) -> RawCell {
    if s.is_empty() {
        RawCell::Empty
    } else {
        RawCell::Text(s.to_string())
    }
}

/// A date cell. The serial is range-checked first: calamine's own conversion panics on
/// absurd values, and Excel's dates end in 9999.
fn excel_date(dt: &calamine::ExcelDateTime) -> RawCell {
    let value = dt.as_f64();
    if !(1.0..2_958_466.0).contains(&value) || dt.is_duration() {
        return RawCell::Number(value);
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
        .map_or_else(|| RawCell::Bad(format!("{value}")), RawCell::Date)
}

fn iso_date(s: &str) -> RawCell {
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map_or_else(|| text(s), RawCell::Date)
}

/// A date from an Excel serial number typed into a cell without a date format.
pub fn serial_date(value: f64, is_1904: bool) -> Option<NaiveDate> {
    if !value.is_finite() || value.fract() != 0.0 || !(1.0..2_958_466.0).contains(&value) {
        return None;
    }
    let days = value as i64;
    let (base, days) = if is_1904 {
        (NaiveDate::from_ymd_opt(1904, 1, 1)?, days)
    } else if days < 61 {
        // Excel counts a 29 February 1900 that never was; serials before it start a day later.
        (NaiveDate::from_ymd_opt(1899, 12, 31)?, days)
    } else {
        (NaiveDate::from_ymd_opt(1899, 12, 30)?, days)
    };
    base.checked_add_signed(chrono::Duration::days(days))
}

fn read_csv(bytes: &[u8], shown: &str) -> Result<Vec<RawSheet>, Msg> {
    let body = bytes.strip_prefix(super::super::csv::BOM).unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(body) else {
        return Err(not_utf8(shown, body));
    };
    if text.contains('\0') {
        return Err(not_utf8(shown, body));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut collect = Collect::default();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            Msg::new(
                format!("{shown} 第 {} 行无法按 CSV 读取：{e}", i + 1),
                format!("{shown} row {} cannot be read as CSV: {e}", i + 1),
            )
        })?;
        for (c, field) in record.iter().enumerate() {
            collect
                .put(i as u32, c as u32, text_cell(field))
                .map_err(|reason| {
                    Msg::new(
                        format!("{shown} 过大：{reason}；请拆分后分批导入"),
                        format!("{shown} is too large: {reason}; split it"),
                    )
                })?;
        }
    }
    let name = Path::new(shown)
        .file_stem()
        .map_or_else(|| "CSV".to_string(), |s| s.to_string_lossy().into_owned());
    Ok(vec![collect.finish(name, false)])
}

fn text_cell(field: &str) -> RawCell {
    if field.is_empty() {
        RawCell::Empty
    } else {
        RawCell::Text(field.to_string())
    }
}

/// Commas, unless the first line plainly uses tabs or semicolons.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.matches(c).count();
    [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|d| (count(*d as char), *d == b','))
        .unwrap_or(b',')
}

fn not_utf8(shown: &str, body: &[u8]) -> Msg {
    let mut probe = [0u8; 512];
    let n = body.len().min(probe.len());
    probe[..n].copy_from_slice(&body[..n]);
    let binary = probe[..n]
        .iter()
        .filter(|b| **b < 0x09 || (0x0E..0x20).contains(*b))
        .count()
        > n / 20;
    if binary {
        Msg::new(
            format!("{shown} 不是表格文件：只能导入 xlsx、xls 或 CSV（UTF-8）"),
            format!("{shown} is not a spreadsheet: import xlsx, xls or CSV (UTF-8)"),
        )
    } else {
        Msg::new(
            format!(
                "{shown} 不是 UTF-8 编码（可能是 GBK）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 xlsx 后再导入"
            ),
            format!(
                "{shown} is not UTF-8 (perhaps GBK). Save it from Excel as \"CSV UTF-8\" or as xlsx"
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_are_excel_dates() {
        assert_eq!(
            serial_date(45107.0, false),
            NaiveDate::from_ymd_opt(2023, 6, 30)
        );
        assert_eq!(serial_date(1.0, false), NaiveDate::from_ymd_opt(1900, 1, 1));
        assert_eq!(
            serial_date(61.0, false),
            NaiveDate::from_ymd_opt(1900, 3, 1)
        );
        assert_eq!(serial_date(1e300, false), None);
        assert_eq!(serial_date(f64::NAN, false), None);
        assert_eq!(serial_date(45107.5, false), None);
    }

    #[test]
    fn csv_delimiters_are_guessed_from_the_first_line() {
        assert_eq!(delimiter("a,b,c\n"), b',');
        assert_eq!(delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(delimiter("a;b;c\n"), b';');
        assert_eq!(delimiter("序号\n"), b',');
    }
}
