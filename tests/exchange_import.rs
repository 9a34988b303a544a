//! `rectify import` as a bureau uses it: the 整改台账 sent to the units comes back with their
//! progress filled in, or another office's ledger arrives with its own headers. Round trips
//! change nothing; edits are exactly what is imported (and history shows old → new); new rows
//! become findings under the right project and units; and every malformed file is refused with
//! a clear message, the journal untouched, never a panic.

mod common;
#[path = "common/exchange_env.rs"]
mod exchange_env;

use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
use chrono::NaiveDate;
use exchange_env::{Demo, col, read_csv, read_xlsx, text, write_csv, write_xlsx, xcol};
use serde_json::Value;
use std::path::Path;

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

fn serial(date: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch");
    (date - epoch).num_days() as f64
}

fn date_cell(date: NaiveDate) -> Data {
    Data::DateTime(ExcelDateTime::new(
        serial(date),
        ExcelDateTimeType::DateTime,
        false,
    ))
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// An issued finding still being worked on (the kind a unit reports progress on).
fn open_finding(demo: &Demo) -> Value {
    demo.findings()
        .into_iter()
        .find(|f| f["status"] == "整改中" && f["issued_on"].is_string())
        .expect("the demo has a finding in progress")
}

fn array_len(v: &Value) -> usize {
    v.as_array().map_or(usize::MAX, Vec::len)
}

#[test]
fn unedited_exports_import_with_no_changes() {
    let demo = Demo::new();
    let before = demo.journals();
    let whole = demo.export("台账.xlsx", &[]);
    let csv = demo.export("台账.csv", &[]);
    let units = demo.export("各单位.xlsx", &["--by-unit"]);
    for file in [&whole, &csv, &units] {
        let plan = demo.import(file, &["--json"]).json();
        assert_eq!(array_len(&plan["changed"]), 0, "{}: {plan}", file.display());
        assert_eq!(array_len(&plan["created"]), 0, "{plan}");
        assert_eq!(array_len(&plan["errors"]), 0, "{plan}");
        assert_eq!(plan["written"], false, "nothing to write");
    }
    let text = demo.import(&whole, &[]).ok().to_string();
    assert!(text.contains("没有需要导入的更改"), "{text}");
    assert_eq!(demo.journals(), before, "the journal is untouched");
}

#[test]
fn edits_in_an_exported_workbook_are_exactly_what_is_imported() {
    let demo = Demo::new();
    let target = open_finding(&demo);
    let id = target["id"].as_str().expect("id").to_string();
    let old_deadline = target["deadline"].as_str().expect("deadline").to_string();
    let path = demo.export("台账.xlsx", &[]);
    let mut sheets = read_xlsx(&path);
    {
        let rows = &mut sheets[0].1;
        let (deadline, narrative, idc) = (
            xcol(&rows[0], "整改时限"),
            xcol(&rows[0], "整改情况"),
            xcol(&rows[0], "稳定编号"),
        );
        let row = rows
            .iter_mut()
            .find(|r| text(&r[idc]) == id)
            .expect("the finding's row");
        row[deadline] = date_cell(ymd(2027, 12, 31));
        row[narrative] = Data::String("已完成资金清退，正在完善制度。".to_string());
    }
    let edited = demo.path("回收.xlsx");
    write_xlsx(&edited, &sheets);

    let before = demo.journals();
    let plan = demo.import(&edited, &["--dry-run", "--json"]).json();
    assert_eq!(demo.journals(), before, "--dry-run writes nothing");
    assert_eq!(array_len(&plan["created"]), 0, "{plan}");
    let changed = plan["changed"].as_array().expect("changed");
    assert_eq!(changed.len(), 1, "{plan}");
    assert_eq!(changed[0]["id"], id.as_str());
    let columns: Vec<&str> = changed[0]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c["column"].as_str())
        .collect();
    assert_eq!(columns, ["整改时限", "整改情况"], "{plan}");
    assert_eq!(changed[0]["changes"][0]["old"], old_deadline.as_str());
    assert_eq!(changed[0]["changes"][0]["new"], "2027-12-31");
    let preview = demo.import(&edited, &["--dry-run"]).ok().to_string();
    assert!(
        preview.contains(&format!("整改时限：{old_deadline} → 2027-12-31")),
        "{preview}"
    );

    let done = demo.import(&edited, &[]).ok().to_string();
    assert!(done.contains("已导入"), "{done}");
    let shown = demo.show(&id);
    assert_eq!(shown["deadline"], "2027-12-31");
    assert_eq!(
        shown["status"], target["status"],
        "a progress text claims nothing"
    );
    let reports = shown["progress_reports"].as_array().expect("reports");
    let imported: Vec<&Value> = reports
        .iter()
        .filter(|r| r["channel"] == "Excel导入")
        .collect();
    assert_eq!(imported.len(), 1, "{reports:?}");
    assert_eq!(imported[0]["narrative"], "已完成资金清退，正在完善制度。");
    assert_eq!(imported[0]["date"], today().as_str());
    let history = demo.run(&["history", &id]).ok().to_string();
    assert!(
        history.contains(&format!("整改时限：{old_deadline} → 2027-12-31")),
        "{history}"
    );
    // Importing the same file again finds nothing left to do.
    let again = demo.import(&edited, &["--json"]).json();
    assert_eq!(array_len(&again["changed"]), 0, "{again}");
    let check = demo.run(&["check"]);
    assert!(check.ok().contains("检查通过"), "{}", check.stdout);
}

#[test]
fn a_workbook_returned_late_does_not_undo_later_changes_in_the_ledger() {
    let demo = Demo::new();
    let target = open_finding(&demo);
    let id = target["id"].as_str().expect("id").to_string();
    let sent = demo.export("发出.xlsx", &[]);
    // Meanwhile the auditor moves the deadline in the ledger (here through a CSV).
    let csv = demo.export("台账.csv", &[]);
    let mut rows = read_csv(&csv);
    let (deadline, idc) = (col(&rows[0], "整改时限"), col(&rows[0], "稳定编号"));
    rows.iter_mut().find(|r| r[idc] == id).expect("row")[deadline] = "2027-03-31".into();
    write_csv(&csv, &rows);
    demo.import(&csv, &[]).ok();

    // The unit's workbook comes back untouched: nothing changes, the new deadline stays.
    let plan = demo.import(&sent, &["--json"]).json();
    assert_eq!(array_len(&plan["changed"]), 0, "{plan}");
    assert_eq!(demo.show(&id)["deadline"], "2027-03-31");

    // The unit filled in its progress only: that is imported, the deadline still stays.
    let mut sheets = read_xlsx(&sent);
    let edit = |sheets: &mut Vec<(String, Vec<Vec<Data>>)>, column: &str, value: Data| {
        let rows = &mut sheets[0].1;
        let (c, idc) = (xcol(&rows[0], column), xcol(&rows[0], "稳定编号"));
        let row = rows.iter_mut().find(|r| text(&r[idc]) == id).expect("row");
        row[c] = value;
    };
    edit(
        &mut sheets,
        "整改情况",
        Data::String("已制定整改方案".into()),
    );
    let back = demo.path("收回.xlsx");
    write_xlsx(&back, &sheets);
    let plan = demo.import(&back, &["--json"]).json();
    let columns: Vec<&str> = plan["changed"][0]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c["column"].as_str())
        .collect();
    assert_eq!(columns, ["整改情况"], "{plan}");
    assert_eq!(demo.show(&id)["deadline"], "2027-03-31");

    // The unit changed the deadline too, to something else: a conflict, nothing written.
    edit(&mut sheets, "整改时限", date_cell(ymd(2027, 5, 31)));
    write_xlsx(&back, &sheets);
    let before = demo.journals();
    let run = demo.import(&back, &[]);
    run.fails();
    assert!(
        run.stdout.contains("2027-03-31") && run.stdout.contains("2027-05-31"),
        "{}",
        run.stdout
    );
    assert_eq!(demo.journals(), before);
}

#[test]
fn a_split_workbook_takes_the_edit_made_on_one_units_sheet() {
    let demo = Demo::new();
    let shared = demo
        .findings()
        .into_iter()
        .find(|f| f["units"].as_array().is_some_and(|u| u.len() >= 2) && f["issued_on"].is_string())
        .expect("the demo has a finding shared by two units");
    let id = shared["id"].as_str().expect("id").to_string();
    let path = demo.export("各单位.xlsx", &["--by-unit"]);
    let mut sheets = read_xlsx(&path);
    let mut copies = 0;
    for (name, rows) in sheets
        .iter_mut()
        .filter(|(n, _)| n != "说明" && n != "rectify_base")
    {
        let (narrative, idc) = (xcol(&rows[0], "整改情况"), xcol(&rows[0], "稳定编号"));
        if let Some(row) = rows.iter_mut().find(|r| text(&r[idc]) == id) {
            copies += 1;
            if copies == 2 {
                row[narrative] = Data::String(format!("{name}：已完成整改"));
            }
        }
    }
    assert!(copies >= 2, "on each unit's sheet");
    let back = demo.path("合并回收.xlsx");
    write_xlsx(&back, &sheets);
    let plan = demo.import(&back, &["--json"]).json();
    assert_eq!(array_len(&plan["errors"]), 0, "{plan}");
    assert_eq!(array_len(&plan["changed"]), 1, "{plan}");
    assert_eq!(plan["changed"][0]["id"], id.as_str());
}

#[test]
fn edits_in_an_exported_csv_are_exactly_what_is_imported() {
    let demo = Demo::new();
    let target = open_finding(&demo);
    let id = target["id"].as_str().expect("id").to_string();
    let path = demo.export("台账.csv", &[]);
    let mut rows = read_csv(&path);
    let (deadline, narrative, idc) = (
        col(&rows[0], "整改时限"),
        col(&rows[0], "整改情况"),
        col(&rows[0], "稳定编号"),
    );
    let row = rows
        .iter_mut()
        .find(|r| r[idc] == id)
        .expect("the finding's row");
    row[deadline] = "2027年9月30日".to_string();
    row[narrative] = "已退回违规资金".to_string();
    write_csv(&path, &rows);
    let plan = demo.import(&path, &["--json"]).json();
    assert_eq!(plan["written"], true, "{plan}");
    let columns: Vec<&str> = plan["changed"][0]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c["column"].as_str())
        .collect();
    assert_eq!(columns, ["整改时限", "整改情况"], "{plan}");
    let shown = demo.show(&id);
    assert_eq!(shown["deadline"], "2027-09-30");
    assert!(
        shown["progress_reports"]
            .as_array()
            .expect("reports")
            .iter()
            .any(|r| r["channel"] == "Excel导入" && r["narrative"] == "已退回违规资金")
    );
}

#[test]
fn a_unit_writing_rectified_files_a_claim_that_awaits_determination() {
    let demo = Demo::new();
    let target = open_finding(&demo);
    let id = target["id"].as_str().expect("id").to_string();
    let path = demo.export("台账.csv", &[]);
    let mut rows = read_csv(&path);
    let (status, idc) = (col(&rows[0], "整改状态"), col(&rows[0], "稳定编号"));
    let overdue = col(&rows[0], "超期天数");
    for row in rows.iter_mut().skip(1) {
        // Derived columns typed over are ignored.
        row[overdue] = "999".to_string();
        if row[idc] == id {
            row[status] = "已整改".to_string();
        }
    }
    write_csv(&path, &rows);
    let plan = demo.import(&path, &["--json"]).json();
    assert_eq!(array_len(&plan["changed"]), 1, "{plan}");
    let shown = demo.show(&id);
    assert_eq!(shown["status"], "已报送待认定", "status stays derived");
    assert!(
        shown["progress_reports"]
            .as_array()
            .expect("reports")
            .iter()
            .any(|r| r["channel"] == "Excel导入" && r["claimed"] == "已整改")
    );
}

/// Another office's ledger: a merged title, a line above the header, its own header words,
/// deadlines as a date cell, as text two ways and as a bare Excel serial, amounts in 元 and
/// with units, a project name merged down two rows, a blank row and a total row.
fn foreign_workbook(path: &Path, unit_of_second_row: &str) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy/m/d");
    sheet
        .merge_range(0, 0, 0, 7, "某区审计查出问题整改台账（2026年）", &bold)
        .expect("merge");
    sheet.write_string(1, 0, "填报单位：区审计局").expect("w");
    let headers = [
        "序号",
        "审计项目",
        "问题描述",
        "整改责任单位",
        "完成时限",
        "涉及金额(元)",
        "整改情况",
        "备注",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).expect("w");
    }
    let deadline = ymd(2027, 6, 30);
    let text_rows: [(u32, [&str; 7]); 4] = [
        (
            3,
            [
                "",
                "区级地方政府专项债券管理使用情况审计",
                "专项债券资金闲置一年以上。涉及2个项目",
                "财政局",
                "",
                "",
                "",
            ],
        ),
        (
            4,
            [
                "",
                "专项债券管理使用",
                "债券项目未按期开工",
                unit_of_second_row,
                "2027/6/30",
                "12万元",
                "已约谈项目单位",
            ],
        ),
        (
            6,
            [
                "",
                "涉粮资金改革专项审计调查",
                "粮食风险基金未专户管理",
                "区粮食和物资储备中心",
                "2027年6月30日",
                "",
                "",
            ],
        ),
        (
            7,
            [
                "",
                "",
                "粮食收购资金挤占挪用",
                "区粮食和物资储备中心",
                "",
                "3.5万",
                "",
            ],
        ),
    ];
    for (i, (r, cells)) in text_rows.iter().enumerate() {
        sheet.write_number(*r, 0, i as f64 + 1.0).expect("w");
        for (c, v) in cells.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            sheet.write_string(*r, c as u16, *v).expect("w");
        }
    }
    sheet
        .write_number_with_format(3, 4, serial(deadline), &date)
        .expect("a date cell");
    sheet
        .write_number(3, 5, 123456.78)
        .expect("an amount in 元");
    sheet
        .write_number(7, 4, serial(deadline))
        .expect("a bare serial");
    // The project named once for its two findings, merged down.
    let plain = rust_xlsxwriter::Format::new();
    sheet
        .merge_range(6, 1, 7, 1, "涉粮资金改革专项审计调查", &plain)
        .expect("merge");
    sheet.write_string(8, 0, "合计").expect("w");
    sheet.write_number(8, 5, 123456.78).expect("w");
    book.save(path).expect("save");
}

#[test]
fn another_offices_ledger_creates_findings_under_the_right_project_and_units() {
    let demo = Demo::new();
    let path = demo.path("外来台账.xlsx");
    foreign_workbook(&path, "区住建局");
    let plan = demo.import(&path, &["--dry-run", "--json"]).json();
    assert_eq!(plan["sheets"][0]["header_row"], 3, "{plan}");
    let created = plan["created"].as_array().expect("created");
    assert_eq!(created.len(), 4, "{plan}");
    assert_eq!(array_len(&plan["errors"]), 0, "{plan}");
    let numbers: Vec<&str> = created
        .iter()
        .filter_map(|c| c["number"].as_str())
        .collect();
    assert_eq!(
        numbers,
        ["2022-03-08", "2022-03-09", "2022-05-09", "2022-05-10"],
        "{plan}"
    );

    demo.import(&path, &[]).ok();
    let by_number = |n: &str| {
        demo.findings()
            .into_iter()
            .find(|f| f["number"] == n)
            .unwrap_or_else(|| panic!("finding {n}"))
    };
    let first = by_number("2022-03-08");
    assert_eq!(first["amount"]["fen"], 12_345_678, "123456.78 元 exactly");
    assert_eq!(first["deadline"], "2027-06-30");
    assert_eq!(first["title"], "专项债券资金闲置一年以上");
    assert_eq!(first["units"][0]["name"], "财政局");
    let second = by_number("2022-03-09");
    assert_eq!(second["amount"]["fen"], 12_000_000, "12万元 exactly");
    assert_eq!(second["deadline"], "2027-06-30");
    assert_eq!(by_number("2022-05-09")["deadline"], "2027-06-30");
    let fourth = by_number("2022-05-10");
    assert_eq!(fourth["deadline"], "2027-06-30", "from the Excel serial");
    assert_eq!(fourth["amount"]["fen"], 3_500_000);
    let shown = demo.show("2022-03-09");
    assert!(
        shown["progress_reports"][0]["narrative"] == "已约谈项目单位",
        "{shown}"
    );
    // The same file again: every row repeats a finding it made, so nothing is filed twice.
    let again = demo.import(&path, &[]);
    assert!(again.fails().contains("4 行"), "{}", again.stderr);
    assert!(again.stdout.contains("重复导入"), "{}", again.stdout);
}

#[test]
fn ambiguous_or_unknown_names_are_row_errors_and_block_the_import() {
    let demo = Demo::new();
    let path = demo.path("外来台账.xlsx");
    foreign_workbook(&path, "镇");
    let before = demo.journals();
    let run = demo.import(&path, &[]);
    let stderr = run.fails().to_string();
    assert!(stderr.contains("未写入任何内容"), "{stderr}");
    assert!(
        run.stdout.contains("第 5 行"),
        "Excel's row number: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("整改责任单位"),
        "the column: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("东坝镇") && run.stdout.contains("西河镇"),
        "the candidates are listed: {}",
        run.stdout
    );
    assert_eq!(demo.journals(), before, "nothing written");
    let plan = demo.import(&path, &["--json", "--skip-bad-rows"]).json();
    assert_eq!(plan["written"], true);
    assert_eq!(array_len(&plan["created"]), 3, "{plan}");
}

#[test]
fn a_mapping_file_names_headers_we_do_not_know() {
    let demo = Demo::new();
    let csv = demo.path("自定义.csv");
    write_csv(
        &csv,
        &[
            vec![
                "事项".into(),
                "所属审计".into(),
                "主办".into(),
                "最后期限".into(),
            ],
            vec![
                "食堂采购未公开招标".into(),
                "区卫健委2025年度医疗卫生专项资金审计".into(),
                "区卫健委".into(),
                "2027-03-31".into(),
            ],
        ],
    );
    let refused = demo.import(&csv, &["--dry-run"]);
    assert!(refused.fails().contains("--mapping"), "{}", refused.stderr);
    let mapping = demo.path("对照.toml");
    std::fs::write(
        &mapping,
        "\"问题摘要\" = \"事项\"\n\"审计项目名称\" = \"所属审计\"\n\"牵头单位\" = \"主办\"\ndeadline = [\"最后期限\", \"期限\"]\n",
    )
    .expect("mapping");
    let m = mapping.to_str().expect("utf-8");
    let plan = demo
        .import(&csv, &["--dry-run", "--json", "--mapping", m])
        .json();
    assert_eq!(array_len(&plan["created"]), 1, "{plan}");
    assert_eq!(plan["created"][0]["title"], "食堂采购未公开招标");
    std::fs::write(&mapping, "\"没有这列\" = \"x\"\n").expect("mapping");
    let bad = demo.import(&csv, &["--mapping", m]);
    assert!(bad.fails().contains("没有这列"), "{}", bad.stderr);
}

#[test]
fn bad_cells_are_reported_by_row_and_column() {
    let demo = Demo::new();
    let path = demo.export("台账.csv", &[]);
    let mut rows = read_csv(&path);
    let deadline = col(&rows[0], "整改时限");
    let amount = col(&rows[0], "涉及金额（万元）");
    let class = col(&rows[0], "统计定性");
    rows[2][deadline] = "明年六月".into();
    rows[3][amount] = "很多".into();
    rows[4][class] = "严重违纪".into();
    rows.push(vec![String::new(); rows[0].len()]); // an empty row
    write_csv(&path, &rows);
    let before = demo.journals();
    let run = demo.import(&path, &["--dry-run", "--json"]);
    assert!(
        run.fails().contains("3 行"),
        "refused, as the import would be: {}",
        run.stderr
    );
    let plan: Value = serde_json::from_str(&run.stdout).expect("json");
    let errors = plan["errors"].as_array().expect("errors");
    let at: Vec<(u64, &str)> = errors
        .iter()
        .map(|e| {
            (
                e["at"]["row"].as_u64().unwrap_or(0),
                e["column"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(at.contains(&(3, "T（整改时限）")), "{at:?}");
    assert!(at.contains(&(4, "L（涉及金额（万元））")), "{at:?}");
    assert!(at.contains(&(5, "J（统计定性）")), "{at:?}");
    assert_eq!(errors.len(), 3, "the empty row is skipped: {plan}");
    let run = demo.import(&path, &[]);
    assert!(run.fails().contains("3 行"), "{}", run.stderr);
    assert_eq!(demo.journals(), before);
}

#[test]
fn files_that_are_not_a_ledger_are_refused_clearly() {
    let demo = Demo::new();
    let before = demo.journals();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "图片.xlsx",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0".repeat(20),
            "不是表格文件",
        ),
        (
            "国标.csv",
            // 序号,问题描述,整改时限 in GBK.
            vec![
                0xD0, 0xF2, 0xBA, 0xC5, b',', 0xCE, 0xCA, 0xCC, 0xE2, 0xC3, 0xE8, 0xCA, 0xF6, b'\n',
            ],
            "UTF-8",
        ),
        (
            "表头不对.csv",
            "甲,乙,丙\n1,2,3\n".as_bytes().to_vec(),
            "找不到表头",
        ),
        ("空.csv", Vec::new(), "没有任何内容"),
        ("文档.xlsx", fake_docx(), "不是可读取的 Excel 工作簿"),
    ];
    for (name, bytes, expected) in cases {
        let path = demo.path(name);
        std::fs::write(&path, bytes).expect("write");
        let run = demo.import(&path, &[]);
        assert!(run.fails().contains(expected), "{name}: {}", run.stderr);
    }
    // Half an xlsx (a copy cut off in transfer).
    let whole = std::fs::read(demo.export("台账.xlsx", &[])).expect("xlsx");
    let cut = demo.path("半个.xlsx");
    std::fs::write(&cut, &whole[..whole.len() / 2]).expect("write");
    assert!(demo.import(&cut, &[]).fails().contains("Excel"));
    // English with --lang en.
    let png = demo.path("图片.xlsx");
    let run = demo.run(&["--lang", "en", "import", png.to_str().expect("utf-8")]);
    assert!(run.fails().contains("not a spreadsheet"), "{}", run.stderr);
    assert_eq!(demo.journals(), before);
}

fn fake_docx() -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("zip");
    zip.write_all(b"<w:document/>").expect("zip");
    zip.finish().expect("zip").into_inner()
}

#[test]
fn a_large_file_is_handled_and_one_over_the_cap_refused() {
    let demo = Demo::new();
    let before = demo.journals();
    // About 20 MB: rows for a project that does not exist, each with a long description.
    let big = demo.path("大文件.csv");
    let facts = "财政资金拨付不及时，影响项目进度。".repeat(60);
    let mut body = String::from("\u{feff}序号,审计项目名称,问题描述,牵头单位,整改时限\n");
    let mut n = 0;
    while body.len() < 20 * 1024 * 1024 {
        n += 1;
        body.push_str(&format!(
            "{n},不存在的审计项目,{facts},区财政局,2027-06-30\n"
        ));
    }
    std::fs::write(&big, body).expect("write");
    let run = demo.import(&big, &["--dry-run", "--json"]);
    run.assert_no_panic();
    let plan: Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(array_len(&plan["errors"]), n, "every row checked");
    assert_eq!(run.code, Some(1), "an import that would be refused");

    let huge = demo.path("超大.xlsx");
    let file = std::fs::File::create(&huge).expect("create");
    file.set_len(65 * 1024 * 1024).expect("sparse file");
    let refused = demo.import(&huge, &[]);
    assert!(refused.fails().contains("上限"), "{}", refused.stderr);
    assert_eq!(demo.journals(), before);
}
