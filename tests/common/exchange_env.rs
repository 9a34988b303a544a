//! What the export, import and backup tests share: a demo ledger of their own, run through the
//! binary, and spreadsheets read and written the way a user's Excel would (calamine to read,
//! rust_xlsxwriter and csv to write).
//!
//! Included with `#[path]` by the files that use it, beside `mod common`.
#![allow(dead_code)]

use crate::common::cli_env::{Run, rectify_command};
use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A demo ledger in a temp dir, with room for the files a test writes.
pub struct Demo {
    tmp: tempfile::TempDir,
    pub db: PathBuf,
}

impl Demo {
    pub fn new() -> Demo {
        let tmp = tempfile::tempdir().expect("temp dir");
        let db = tmp.path().join("ledger");
        let demo = Demo { tmp, db };
        demo.run(&["demo"]).ok();
        demo
    }

    /// A file or directory in the test's temp dir.
    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_on(&self.db, args)
    }

    /// Run against another ledger directory.
    pub fn run_on(&self, db: &Path, args: &[&str]) -> Run {
        let out = rectify_command()
            .arg("--db")
            .arg(db)
            .args(["--user", "审计员"])
            .args(args)
            .output()
            .expect("cannot start the rectify binary");
        Run::from_output(format!("rectify {}", args.join(" ")), out)
    }

    /// Every journal's bytes, to prove a refused command wrote nothing.
    pub fn journals(&self) -> Vec<(String, Vec<u8>)> {
        journals_of(&self.db)
    }

    pub fn findings(&self) -> Vec<Value> {
        match self.run(&["list", "findings", "--json"]).json() {
            Value::Array(items) => items,
            other => panic!("list findings --json is not an array: {other}"),
        }
    }

    pub fn show(&self, target: &str) -> Value {
        self.run(&["show", target, "--json"]).json()
    }

    /// Export to `name` in the temp dir with extra arguments; returns the path.
    pub fn export(&self, name: &str, extra: &[&str]) -> PathBuf {
        let path = self.path(name);
        let out = path.to_str().expect("utf-8 path").to_string();
        let mut args = vec!["export", "-o", out.as_str()];
        args.extend_from_slice(extra);
        self.run(&args).ok();
        path
    }

    pub fn import(&self, path: &Path, extra: &[&str]) -> Run {
        let file = path.to_str().expect("utf-8 path").to_string();
        let mut args = vec!["import", file.as_str()];
        args.extend_from_slice(extra);
        self.run(&args)
    }
}

pub fn journals_of(db: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(db.join("journal"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).expect("journal readable"),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Every sheet of a workbook as rows of cells (row 0 is the sheet's first row).
pub fn read_xlsx(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> = open_workbook(path).expect("a readable xlsx");
    book.worksheets()
        .into_iter()
        .map(|(name, range)| (name, range.rows().map(<[Data]>::to_vec).collect()))
        .collect()
}

/// Write sheets of cells as a user's Excel would: text, numbers, dates as date cells.
pub fn write_xlsx(path: &Path, sheets: &[(String, Vec<Vec<Data>>)]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name).expect("sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Data::String(s) => {
                        sheet.write_string(r, c, s).expect("write");
                    }
                    Data::Float(f) => {
                        sheet.write_number(r, c, *f).expect("write");
                    }
                    Data::Int(i) => {
                        sheet.write_number(r, c, *i as f64).expect("write");
                    }
                    Data::DateTime(d) => {
                        sheet
                            .write_number_with_format(r, c, d.as_f64(), &date)
                            .expect("write");
                    }
                    Data::Bool(b) => {
                        sheet.write_boolean(r, c, *b).expect("write");
                    }
                    _ => {}
                }
            }
        }
    }
    book.save(path).expect("save xlsx");
}

/// A CSV file's records (BOM taken off).
pub fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).expect("csv readable");
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body)
        .records()
        .map(|r| {
            r.expect("a csv record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// Write records as Excel's "CSV UTF-8" does: with a BOM.
pub fn write_csv(path: &Path, rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        w.write_record(row).expect("csv record");
    }
    std::fs::write(path, w.into_inner().expect("csv bytes")).expect("write csv");
}

/// The index of a header in a header row.
pub fn col<T: PartialEq<str> + std::fmt::Debug>(header: &[T], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// The index of a header among calamine cells.
pub fn xcol(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| matches!(h, Data::String(s) if s == name))
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

pub fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}
