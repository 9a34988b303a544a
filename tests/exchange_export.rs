//! `rectify export` on the demo ledger, as the auditor who sends the 整改台账 out sees it: the
//! columns of a real ledger, a workbook that opens filtered and frozen with real dates and
//! numbers, CSV that Excel reads as UTF-8, one sheet or file per unit numbered from 1, and text
//! that Excel cannot run as a formula.

mod common;
#[path = "common/exchange_env.rs"]
mod exchange_env;

use calamine::Data;
use exchange_env::{Demo, col, read_csv, read_xlsx, text, write_csv, xcol};
use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

const HEADERS: [&str; 33] = [
    "序号",
    "问题编号",
    "审计项目名称",
    "项目编号",
    "结果文书文号",
    "被审计单位",
    "问题摘要",
    "问题描述",
    "问题类别",
    "统计定性",
    "定性依据",
    "涉及金额（万元）",
    "审计建议",
    "整改方式",
    "牵头单位",
    "配合单位",
    "责任人",
    "跟进审计人员",
    "下发日期",
    "整改时限",
    "整改措施",
    "整改情况",
    "未整改原因",
    "下一步措施",
    "整改状态",
    "超期天数",
    "整改金额（万元）",
    "认定意见",
    "销号日期",
    "跟踪检查次数",
    "纳入审计工作报告",
    "原因说明",
    "稳定编号",
];

/// One file of the workbook's zip, as text.
fn zip_text(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("xlsx");
    let mut zip = zip::ZipArchive::new(file).expect("an xlsx is a zip");
    let mut entry = zip.by_name(name).expect("part of the workbook");
    let mut s = String::new();
    entry.read_to_string(&mut s).expect("utf-8 xml");
    s
}

#[test]
fn the_workbook_has_the_ledger_columns_a_frozen_filtered_header_and_real_values() {
    let demo = Demo::new();
    let findings = demo.findings();
    let path = demo.export("台账.xlsx", &[]);
    let sheets = read_xlsx(&path);
    let (name, rows) = &sheets[0];
    assert_eq!(name, "整改台账");
    let header: Vec<String> = rows[0].iter().map(text).collect();
    for h in HEADERS {
        assert!(
            header.iter().any(|x| x == h),
            "column {h} missing: {header:?}"
        );
    }
    assert_eq!(header.last().map(String::as_str), Some("稳定编号"));
    assert_eq!(rows.len() - 1, findings.len(), "one row per finding");

    let deadline = xcol(&rows[0], "整改时限");
    let amount = xcol(&rows[0], "涉及金额（万元）");
    let id = xcol(&rows[0], "稳定编号");
    let seq = xcol(&rows[0], "序号");
    assert!(
        rows[1..]
            .iter()
            .all(|r| matches!(r[deadline], Data::DateTime(_))),
        "deadlines are date cells"
    );
    let with_amount = rows[1..]
        .iter()
        .filter(|r| matches!(r[amount], Data::Float(_)))
        .count();
    assert!(with_amount > 10, "amounts are numbers: {with_amount}");
    assert!(
        rows[1..]
            .iter()
            .all(|r| !matches!(r[amount], Data::String(_))),
        "no amount is text"
    );
    // The amount of a finding, in 万元, is exactly its 分 / 10⁶.
    let first = &findings[0];
    let row = rows[1..]
        .iter()
        .find(|r| text(&r[id]) == first["id"].as_str().unwrap_or(""))
        .expect("the first finding's row");
    if let (Data::Float(wan), Some(fen)) = (&row[amount], first["amount"]["fen"].as_i64()) {
        assert_eq!((wan * 1e6).round() as i64, fen);
    }
    let numbers: Vec<String> = rows[1..].iter().map(|r| text(&r[seq])).collect();
    assert_eq!(numbers[0], "1");
    assert_eq!(numbers.last().cloned(), Some(findings.len().to_string()));

    let sheet = zip_text(&path, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("state=\"frozen\""), "header row frozen");
    assert!(
        sheet.contains("ySplit=\"1\""),
        "exactly the first row frozen"
    );
    assert!(sheet.contains("<autoFilter"), "autofilter on the header");
    let styles = zip_text(&path, "xl/styles.xml");
    assert!(styles.contains("yyyy-mm-dd"), "dates formatted yyyy-mm-dd");
    assert!(styles.contains("0.0000"), "money shown with 4 decimals");
    assert!(styles.contains("wrapText=\"1\""), "long text wrapped");
    // The description column is wider than the row number column (Chinese counts double).
    let widths: Vec<f64> = sheet
        .split("<col ")
        .skip(1)
        .filter_map(|c| c.split("width=\"").nth(1))
        .filter_map(|w| w.split('"').next())
        .filter_map(|w| w.parse().ok())
        .collect();
    let facts = xcol(&rows[0], "问题描述");
    assert!(widths.len() >= facts, "{widths:?}");
    assert!(widths[facts] > widths[seq] * 2.0, "{widths:?}");
    // A 说明 sheet tells the unit what to fill in.
    assert!(sheets.iter().any(|(n, _)| n == "说明"));
}

#[test]
fn csv_is_utf8_with_a_bom_plain_dates_and_plain_money() {
    let demo = Demo::new();
    let path = demo.export("台账.csv", &[]);
    let bytes = std::fs::read(&path).expect("csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let rows = read_csv(&path);
    assert_eq!(rows[0], HEADERS_WITH_REASON_CLASS());
    let deadline = col(&rows[0], "整改时限");
    let amount = col(&rows[0], "涉及金额（万元）");
    for r in &rows[1..] {
        let d = &r[deadline];
        assert!(
            d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-',
            "YYYY-MM-DD: {d}"
        );
        let a = &r[amount];
        if !a.is_empty() {
            let (int, frac) = a.split_once('.').expect("a decimal");
            assert!(int.chars().all(|c| c.is_ascii_digit()), "{a}");
            assert!(
                frac.len() >= 4 && frac.chars().all(|c| c.is_ascii_digit()),
                "{a}"
            );
        }
    }
    assert_eq!(rows.len() - 1, demo.findings().len());
}

/// The exported header row: the brief's columns plus 未完成原因类别 before 原因说明.
#[allow(non_snake_case)]
fn HEADERS_WITH_REASON_CLASS() -> Vec<String> {
    let mut v: Vec<String> = HEADERS.iter().map(|s| s.to_string()).collect();
    let at = v.iter().position(|h| h == "原因说明").unwrap_or(v.len());
    v.insert(at, "未完成原因类别".to_string());
    v
}

#[test]
fn by_unit_gives_each_unit_its_own_sheet_numbered_from_one() {
    let demo = Demo::new();
    let path = demo.export("各单位.xlsx", &["--by-unit"]);
    let sheets = read_xlsx(&path);
    let units = demo.run(&["list", "units", "--json"]).json();
    let with_findings: usize = units
        .as_array()
        .expect("units")
        .iter()
        .filter(|u| u["finding_count"].as_u64().unwrap_or(0) > 0)
        .count();
    let tables: Vec<&(String, Vec<Vec<Data>>)> = sheets
        .iter()
        .filter(|(n, _)| n != "说明" && n != "rectify_base")
        .collect();
    assert_eq!(tables.len(), with_findings, "one sheet per unit with work");
    let mut names = HashSet::new();
    for (name, rows) in &tables {
        assert!(name.chars().count() <= 31, "{name}");
        assert!(
            !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
            "{name}"
        );
        assert!(names.insert(name.to_lowercase()), "unique: {name}");
        let seq = xcol(&rows[0], "序号");
        let lead = xcol(&rows[0], "牵头单位");
        let assist = xcol(&rows[0], "配合单位");
        for (i, r) in rows[1..].iter().enumerate() {
            assert_eq!(text(&r[seq]), (i + 1).to_string(), "{name} numbered 1..n");
            let units = format!("{}、{}", text(&r[lead]), text(&r[assist]));
            assert!(
                units.contains(name.as_str()),
                "{name} is responsible: {units}"
            );
        }
    }
}

#[test]
fn by_unit_csv_writes_one_file_per_unit_into_a_new_directory() {
    let demo = Demo::new();
    let dir = demo.path("发各单位");
    let out = dir.to_str().expect("utf-8").to_string();
    demo.run(&["export", "--format", "csv", "--by-unit", "-o", &out])
        .ok();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the directory was created")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() > 5, "{files:?}");
    let finance = dir.join("区财政局.csv");
    assert!(finance.exists(), "{files:?}");
    for f in &files {
        let rows = read_csv(f);
        let seq = col(&rows[0], "序号");
        let numbers: Vec<&str> = rows[1..].iter().map(|r| r[seq].as_str()).collect();
        let expected: Vec<String> = (1..=numbers.len()).map(|n| n.to_string()).collect();
        assert_eq!(numbers, expected, "{}", f.display());
    }
}

#[test]
fn filter_and_as_of_choose_the_rows_and_their_date() {
    let demo = Demo::new();
    let expr = "+超期";
    let listed = demo
        .run(&["list", "findings", "--filter", expr, "--json"])
        .json();
    let path = demo.export("超期.csv", &["--filter", expr]);
    let rows = read_csv(&path);
    assert_eq!(rows.len() - 1, listed.as_array().map_or(0, Vec::len));
    assert!(rows.len() > 1, "the demo has overdue findings");
    let overdue = col(&rows[0], "超期天数");
    assert!(rows[1..].iter().all(|r| !r[overdue].is_empty()));

    // As of a past date, a finding closed later is not yet 已销号.
    let then = demo.export("当时.csv", &["--as-of", "2021-06-30"]);
    let rows = read_csv(&then);
    let status = col(&rows[0], "整改状态");
    let closed_then = rows[1..].iter().filter(|r| r[status] == "已销号").count();
    let now = read_csv(&demo.export("现在.csv", &[]));
    let closed_now = now[1..].iter().filter(|r| r[status] == "已销号").count();
    assert!(closed_then < closed_now, "{closed_then} < {closed_now}");

    let bad = demo.run(&["export", "-o", "/dev/null", "--filter", "状态:不存在的状态"]);
    assert!(bad.fails().contains("筛选"), "{}", bad.stderr);
}

#[test]
fn formula_like_text_is_written_inert_and_survives_a_round_trip() {
    let demo = Demo::new();
    // A title that starts like a formula, entered through a spreadsheet.
    let path = demo.export("台账.csv", &[]);
    let mut rows = read_csv(&path);
    let title = col(&rows[0], "问题摘要");
    let id = col(&rows[0], "稳定编号");
    rows[3][title] = "=1+1 重复发放补贴".to_string();
    let finding = rows[3][id].clone();
    write_csv(&path, &rows);
    demo.import(&path, &[]).ok();
    assert_eq!(demo.show(&finding)["title"], "=1+1 重复发放补贴");

    let xlsx = demo.export("再导出.xlsx", &[]);
    let sheets = read_xlsx(&xlsx);
    let rows_x = &sheets[0].1;
    let cell = rows_x[1..]
        .iter()
        .find(|r| text(&r[xcol(&rows_x[0], "稳定编号")]) == finding)
        .map(|r| text(&r[xcol(&rows_x[0], "问题摘要")]))
        .expect("the row");
    assert_eq!(cell, "'=1+1 重复发放补贴", "written with a leading quote");
    let csv = read_csv(&demo.export("再导出.csv", &[]));
    let cell = csv[1..]
        .iter()
        .find(|r| r[id] == finding)
        .map(|r| r[title].clone())
        .expect("the row");
    assert_eq!(cell, "'=1+1 重复发放补贴");
    // …and importing them back changes nothing.
    for file in [xlsx, demo.path("再导出.csv")] {
        let plan = demo.import(&file, &["--dry-run", "--json"]).json();
        assert_eq!(plan["changed"].as_array().map(Vec::len), Some(0), "{plan}");
        assert_eq!(plan["created"].as_array().map(Vec::len), Some(0), "{plan}");
    }
    assert_eq!(demo.show(&finding)["title"], "=1+1 重复发放补贴");
}

#[test]
fn the_json_backup_takes_no_table_options() {
    let demo = Demo::new();
    for extra in [
        ["--by-unit", ""],
        ["--filter", "+超期"],
        ["--as-of", "2023-01-01"],
    ] {
        let mut args = vec!["export", "--format", "json", "-o", "/dev/null"];
        args.extend(extra.iter().filter(|a| !a.is_empty()));
        assert!(demo.run(&args).fails().contains("完整备份"));
    }
}
