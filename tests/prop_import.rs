//! The importers under arbitrary input, the CI twins of `fuzz/fuzz_targets/import_csv.rs`,
//! `import_xlsx.rs`:
//! - any bytes as a CSV file, and ledger-shaped sheets (csv and xlsx) whose cells hold anything
//!   (impossible dates, negative and 1e30 amounts, control characters, escape sequences), are
//!   planned against the demo ledger without a panic, every refusal in Chinese;
//! - a generated ledger whose titles and texts hold arbitrary Chinese, ASCII and control text,
//!   once the ledger accepted it, exports to xlsx and csv and imports back with zero changes.

mod common;

use chrono::NaiveDate;
use proptest::prelude::*;
use rectify::domain::{Finding, Money};
use rectify::exchange::columns::COLUMNS;
use rectify::exchange::{export, import, names::Lookup};
use rectify::i18n::Msg;
use rectify::ledger::{Ledger, LedgerError};
use rectify::store::{Record, SledStore};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn clear(msg: &Msg) -> Result<(), TestCaseError> {
    prop_assert!(has_cjk(&msg.zh), "not a Chinese message: {msg:?}");
    prop_assert!(!msg.en.trim().is_empty(), "no English message: {msg:?}");
    Ok(())
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).expect("date")
}

struct Demo {
    ledger: Ledger<SledStore>,
    _dir: tempfile::TempDir,
}

fn demo() -> &'static Mutex<Demo> {
    static DEMO: OnceLock<Mutex<Demo>> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ledger =
            Ledger::new(SledStore::open(&dir.path().join("l"), "prop").expect("open store"));
        ledger
            .create_batch(rectify::demo::story::demo_records(today()))
            .expect("demo");
        Mutex::new(Demo { ledger, _dir: dir })
    })
}

fn options() -> import::Options<'static> {
    import::Options {
        mapping: None,
        today: today(),
        user: "审计员",
    }
}

/// Plan an import of `path` against the demo ledger: a plan or a clear refusal.
fn plan_demo(path: &Path) -> Result<(), TestCaseError> {
    if let Err(msg) = import::read::read(path) {
        return clear(&msg);
    }
    let demo = demo().lock().unwrap_or_else(|e| e.into_inner());
    match import::plan(&demo.ledger, path, &options()) {
        Ok(plan) => {
            for e in &plan.errors {
                clear(&e.message)?;
            }
            for n in &plan.notes {
                clear(&n.message)?;
            }
        }
        Err(msg) => clear(&msg)?,
    }
    Ok(())
}

/// Whatever a person might type into a cell.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("2023-02-30".to_string()),
        Just("2023-06-30".to_string()),
        Just("+30".to_string()),
        Just("-99999999".to_string()),
        Just("-5".to_string()),
        Just("1e30".to_string()),
        Just("1e308万元".to_string()),
        Just("NaN".to_string()),
        Just("99999999999999999999元".to_string()),
        Just("区财政局".to_string()),
        Just("已整改".to_string()),
        Just("=1+1".to_string()),
        Just("\u{1b}[31m红\u{1b}[0m".to_string()),
        "[\\u{4e00}-\\u{9fff}a-zA-Z0-9 ，。]{0,12}",
        "[\\x00-\\x1f\\x7f]{0,4}",
        any::<String>(),
    ]
}

/// A header row of our columns (some of them, in any order) and rows of any cells.
fn sheet() -> impl Strategy<Value = Vec<Vec<String>>> {
    let header = proptest::sample::subsequence(
        COLUMNS
            .iter()
            .map(|c| c.header.to_string())
            .collect::<Vec<_>>(),
        3..12,
    )
    .prop_shuffle();
    (
        header,
        proptest::collection::vec(proptest::collection::vec(cell(), 0..12), 0..6),
    )
        .prop_map(|(header, rows)| {
            let mut out = vec![header];
            out.extend(rows);
            out
        })
}

fn write_csv(path: &Path, rows: &[Vec<String>]) {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_path(path)
        .expect("csv");
    for r in rows {
        w.write_record(r).expect("csv row");
    }
    w.flush().expect("csv flush");
}

fn write_xlsx(path: &Path, rows: &[Vec<String>], numbers: &[f64]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            // Some cells as numbers, the way Excel stores typed amounts and dates.
            let n = numbers.get((r * 7 + c) % numbers.len().max(1)).copied();
            let result = match n {
                Some(n) if r > 0 && c % 3 == 0 && n.is_finite() => {
                    sheet.write_number(r as u32, c as u16, n).map(|_| ())
                }
                _ => sheet.write_string(r as u32, c as u16, text).map(|_| ()),
            };
            // The writer refuses some strings (too long); such a cell stays empty.
            let _ = result;
        }
    }
    book.save(path).expect("xlsx");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_as_a_csv_file_are_planned_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("台账.csv");
        std::fs::write(&path, &bytes).expect("write");
        plan_demo(&path)?;
    }

    #[test]
    fn ledger_shaped_csv_with_any_cells_is_planned_or_refused(rows in sheet()) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("台账.csv");
        write_csv(&path, &rows);
        plan_demo(&path)?;
    }

    #[test]
    fn ledger_shaped_xlsx_with_any_cells_is_planned_or_refused(rows in sheet(),
        numbers in proptest::collection::vec(prop_oneof![any::<f64>(), -1e6..1e6f64, 0.0..3e6f64], 1..8)) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("台账.xlsx");
        write_xlsx(&path, &rows, &numbers);
        plan_demo(&path)?;
    }
}

/// Mapping-file-shaped TOML: our headers (and others) to texts, lists, numbers or tables.
fn mapping_text() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        proptest::sample::select(COLUMNS.iter().map(|c| c.header).collect::<Vec<_>>())
            .prop_map(str::to_string),
        "\\PC{0,8}",
    ];
    let value = prop_oneof![
        "\\PC{0,10}".prop_map(|v| format!("{v:?}")),
        proptest::collection::vec("\\PC{0,6}", 0..3).prop_map(|v| format!("{v:?}")),
        Just("12".to_string()),
        Just("{ a = 1 }".to_string()),
        Just("".to_string()),
    ];
    let line = prop_oneof![
        (key, value).prop_map(|(k, v)| format!("{k:?} = {v}")),
        "\\PC{0,20}",
    ];
    proptest::collection::vec(line, 0..6).prop_map(|l| l.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mapping_files_parse_or_are_refused_clearly(text in prop_oneof![mapping_text(), any::<String>()]) {
        if let Err(msg) = import::Mapping::parse(&text) {
            clear(&msg)?;
        }
    }
}

/// Text for titles and the other finding fields: Chinese, ASCII, and control characters.
fn title() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\\u{4e00}-\\u{9fff}]{1,15}",
        "[ -~]{1,20}",
        "[\\u{4e00}-\\u{9fff}a-zA-Z0-9 ，。=+@'\"-]{1,20}",
        "[\\u{4e00}-\\u{9fff}a-z\\x00-\\x1f\\x7f\\u{1b}\\[]{1,12}",
        any::<String>(),
    ]
}

fn long_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\\u{4e00}-\\u{9fff}a-z\n\t ]{0,40}",
        "[\\u{4e00}-\\u{9fff}\\x00-\\x1f]{0,10}",
        any::<String>(),
    ]
}

/// The generated ledger: a unit, a project and findings with these texts and amounts. `None`
/// when the ledger refused them (that refusal must then be clear).
fn generated(
    dir: &Path,
    titles: &[(String, String, Option<i64>)],
) -> Result<Option<Ledger<SledStore>>, TestCaseError> {
    let mut ledger = Ledger::new(SledStore::open(dir, "审计员").expect("open store"));
    let unit = common::unit("区财政局");
    let project = common::project("审测〔2026〕1号");
    let mut records = vec![Record::Unit(unit.clone()), Record::Project(project.clone())];
    for (i, (title, facts, amount)) in titles.iter().enumerate() {
        let mut f: Finding = common::finding(
            project.id,
            unit.id,
            &format!("审测〔2026〕1号-{:02}", i + 1),
            today(),
            today() + chrono::Duration::days(30),
        );
        f.title = title.as_str().into();
        f.facts = facts.as_str().into();
        f.amount = amount.map(Money::from_fen);
        records.push(Record::Finding(f));
    }
    match ledger.create_batch(records) {
        Ok(_) => Ok(Some(ledger)),
        Err(LedgerError::Invalid(errors)) => {
            for e in errors {
                clear(&e.msg)?;
            }
            Ok(None)
        }
        Err(e) => {
            clear(&rectify::exchange::ledger_msg(&e))?;
            Ok(None)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn exported_ledgers_with_any_text_import_with_zero_changes(
        titles in proptest::collection::vec(
            (title(), long_text(), proptest::option::of(-1_000_000_000_000i64..1_000_000_000_000)),
            1..5)
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let Some(ledger) = generated(&dir.path().join("l"), &titles)? else {
            return Ok(());
        };
        let rows = ledger.finding_rows(today()).expect("rows");
        let names = Lookup::load(&ledger).expect("names");
        let table = export::whole(&rows, &names, today());
        for (name, format) in [("台账.xlsx", export::Format::Xlsx), ("台账.csv", export::Format::Csv)] {
            let path = dir.path().join(name);
            export::write(std::slice::from_ref(&table), format, false, &path).expect("export");
            let plan = import::plan(&ledger, &path, &options())
                .unwrap_or_else(|m| panic!("{name}: {}", m.zh));
            let errors: Vec<_> = plan.errors.iter().map(|e| e.message.zh.clone()).collect();
            prop_assert!(errors.is_empty(), "{}: {:?}", name, errors);
            prop_assert!(plan.created.is_empty(), "{}: created {:?}", name, plan.created.len());
            let changed: Vec<_> = plan.updated.iter().map(|u| (&u.changes, u.report.is_some())).collect();
            prop_assert!(plan.updated.is_empty(), "{}: changed {:?}", name, changed);
        }
    }
}
