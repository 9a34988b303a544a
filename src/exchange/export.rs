//! The 整改台账 as a table: one row per finding, in the columns of `columns::COLUMNS`, either
//! whole or split by responsible unit (each unit's sheet or file numbered 1..n, ready to send).

use super::columns::{COLUMNS, Cell, Key, cell};
use super::names::Lookup;
use crate::domain::Id;
use crate::i18n::Msg;
use crate::ledger::FindingRow;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

/// One sheet (or CSV file): its name and its rows, header not included.
pub struct Table {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The files written (one, or one per unit for `--by-unit` csv).
    pub files: Vec<PathBuf>,
    /// Sheet or file names with their row counts.
    pub parts: Vec<(String, usize)>,
}

/// The rows of a table for these findings, numbered from 1.
pub fn rows(findings: &[&FindingRow], names: &Lookup, as_of: NaiveDate) -> Vec<Vec<Cell>> {
    findings
        .iter()
        .enumerate()
        .map(|(i, row)| {
            COLUMNS
                .iter()
                .map(|c| match c.key {
                    Key::Seq => Cell::Count(i as i64 + 1),
                    key => cell(key, row, names, as_of),
                })
                .collect()
        })
        .collect()
}

/// The whole ledger as one table.
pub fn whole(findings: &[FindingRow], names: &Lookup, as_of: NaiveDate) -> Table {
    let refs: Vec<&FindingRow> = findings.iter().collect();
    Table {
        name: "整改台账".to_string(),
        rows: rows(&refs, names, as_of),
    }
}

/// One table per responsible unit (牵头 or 配合: a finding shared by two units is on both
/// their lists), in the order of the units' names; units with nothing to do are left out.
pub fn by_unit(findings: &[FindingRow], names: &Lookup, as_of: NaiveDate) -> Vec<Table> {
    let mut groups: BTreeMap<(String, Id), Vec<&FindingRow>> = BTreeMap::new();
    for row in findings {
        let mut seen = HashSet::new();
        for u in &row.finding.units {
            if seen.insert(u.unit) {
                groups
                    .entry((names.unit_name(u.unit), u.unit))
                    .or_default()
                    .push(row);
            }
        }
    }
    groups
        .into_iter()
        .map(|((name, _), rows_of_unit)| Table {
            name,
            rows: rows(&rows_of_unit, names, as_of),
        })
        .collect()
}

/// Write the tables to `output`: one workbook with a sheet per table; for CSV one file, or
/// with `split` one file per table in the directory `output`.
pub fn write(tables: &[Table], format: Format, split: bool, output: &Path) -> Result<Written, Msg> {
    let parts: Vec<(String, usize)> = tables
        .iter()
        .map(|t| (t.name.clone(), t.rows.len()))
        .collect();
    let files = match format {
        Format::Xlsx => {
            super::write_file(output, &super::xlsx::workbook(tables)?)?;
            vec![output.to_path_buf()]
        }
        Format::Csv if split => write_csv_dir(tables, output)?,
        Format::Csv => {
            let rows = tables.first().map_or(&[][..], |t| &t.rows[..]);
            super::write_file(output, &super::csv::table(rows)?)?;
            vec![output.to_path_buf()]
        }
    };
    Ok(Written { files, parts })
}

fn write_csv_dir(tables: &[Table], dir: &Path) -> Result<Vec<PathBuf>, Msg> {
    if dir.exists() && !dir.is_dir() {
        return Err(Msg::new(
            format!(
                "{} 已存在且不是目录；按单位导出 CSV 时 -o 应为目录",
                dir.display()
            ),
            format!(
                "{} exists and is not a directory; with --by-unit, csv needs -o DIR",
                dir.display()
            ),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        Msg::new(
            format!("无法创建目录 {}：{e}", dir.display()),
            format!("cannot create the directory {}: {e}", dir.display()),
        )
    })?;
    let mut used = HashSet::new();
    let mut files = Vec::new();
    for t in tables {
        let path = dir.join(format!("{}.csv", file_stem(&t.name, &mut used)));
        super::write_file(&path, &super::csv::table(&t.rows)?)?;
        files.push(path);
    }
    Ok(files)
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, not starting or
/// ending with `'`, not `History`, and unique in the workbook (`财政局(2)`).
pub fn sheet_name(name: &str, used: &mut HashSet<String>) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').to_string();
    let base = if cleaned.is_empty() || cleaned.eq_ignore_ascii_case("history") {
        "单位".to_string()
    } else {
        cleaned
    };
    unique(&base, 31, used)
}

/// A file name safe on Windows too (the files go to units), unique in its directory.
pub fn file_stem(name: &str, used: &mut HashSet<String>) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('.').to_string();
    let base = if cleaned.is_empty() {
        "单位".to_string()
    } else {
        cleaned
    };
    unique(&base, 80, used)
}

/// `base` cut to `max` characters, with `(2)`, `(3)` … until it is not in `used`. Compared
/// without case, as Excel and Windows compare names.
fn unique(base: &str, max: usize, used: &mut HashSet<String>) -> String {
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("({n})")
        };
        let room = max.saturating_sub(suffix.chars().count());
        let name: String = base.chars().take(room).collect::<String>() + &suffix;
        if used.insert(name.to_lowercase()) {
            return name;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_what_excel_accepts() {
        let mut used = HashSet::new();
        let long = "区住房和城乡建设局（区人民防空办公室）下属事业单位联合体第二分部";
        let a = sheet_name(long, &mut used);
        let b = sheet_name(long, &mut used);
        assert!(a.chars().count() <= 31 && b.chars().count() <= 31);
        assert_ne!(a, b);
        assert!(b.ends_with("(2)"), "{b}");
        let odd = sheet_name("财政[局]:*?/\\", &mut used);
        assert!(!odd.contains(['[', ']', ':', '*', '?', '/', '\\']), "{odd}");
        assert_eq!(sheet_name("'History'", &mut used), "单位");
        assert_eq!(sheet_name("", &mut used), "单位(2)");
    }

    #[test]
    fn file_names_avoid_what_windows_refuses() {
        let mut used = HashSet::new();
        assert_eq!(file_stem("区财政局", &mut used), "区财政局");
        assert_eq!(file_stem("区财政局", &mut used), "区财政局(2)");
        assert_eq!(file_stem("a/b:c", &mut used), "a_b_c");
        assert_eq!(file_stem("..", &mut used), "单位");
    }
}
