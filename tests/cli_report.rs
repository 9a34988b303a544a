//! `rectify report` on the demo ledger as an auditor runs it: the text in the seed's style, the
//! same bytes for the same cutoff after later work, the figures' findings in JSON, a Word file.

mod common;

use common::cli_env::{Run, rectify_command};
use std::path::{Path, PathBuf};

struct Demo {
    _tmp: tempfile::TempDir,
    db: PathBuf,
}

impl Demo {
    fn new() -> Demo {
        let tmp = tempfile::tempdir().expect("temp dir");
        let db = tmp.path().join("ledger");
        let demo = Demo { _tmp: tmp, db };
        demo.run(&["demo"]).ok();
        demo
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = rectify_command()
            .arg("--db")
            .arg(&self.db)
            .args(["--user", "审计员"])
            .args(args)
            .output()
            .expect("cannot start the rectify binary");
        Run::from_output(format!("rectify {}", args.join(" ")), out)
    }

    fn dir(&self) -> &Path {
        self._tmp.path()
    }
}

const REPORT: [&str; 5] = ["report", "--year", "2022", "--as-of", "2023-10-31"];

#[test]
fn the_report_reads_like_the_seed_and_prints_its_caliber() {
    let demo = Demo::new();
    let text = demo
        .run(&[&REPORT[..], &["--format", "txt"]].concat())
        .ok()
        .to_string();
    assert!(
        text.starts_with("2022年度审计查出问题整改情况报告"),
        "{text}"
    );
    assert!(text.contains("一、审计查出问题整改的基本情况"), "{text}");
    assert!(text.contains("截至2023年10月31日"), "{text}");
    assert!(text.contains("整改率"), "{text}");
    assert!(
        text.contains("二、未整改到位的问题及后续工作安排"),
        "{text}"
    );
    assert!(text.contains("（一）涉及体制机制的问题"), "{text}");
    assert!(
        text.contains("统计截止日期：2023-10-31"),
        "the 口径 is printed: {text}"
    );
    let md = demo.run(&REPORT).ok().to_string();
    assert!(md.starts_with("# 2022年度"), "markdown by default: {md}");
}

#[test]
fn the_same_cutoff_gives_the_same_bytes_after_later_work() {
    let demo = Demo::new();
    let before = demo.run(&REPORT).ok().to_string();
    let json_before = demo
        .run(&[&REPORT[..], &["--format", "json"]].concat())
        .json();
    // Work goes on: a check today on a 2022 finding that was unfinished at the cutoff.
    let unfinished = json_before["figures"]["unfinished"]["findings"][0]["number"]
        .as_str()
        .expect("an unfinished finding")
        .to_string();
    demo.run(&[
        "followup",
        &unfinished,
        "--verdict",
        "部分整改",
        "--note",
        "今天复查",
    ])
    .ok();
    assert_eq!(
        demo.run(&REPORT).ok(),
        before,
        "a later check changes nothing at this cutoff"
    );
    let json_after = demo
        .run(&[&REPORT[..], &["--format", "json"]].concat())
        .json();
    assert_eq!(json_after["figures"], json_before["figures"]);
    assert_eq!(json_after["text"], json_before["text"]);
    // The journal heads it was built from moved on: the JSON says so.
    assert_ne!(json_after["built_from"], json_before["built_from"]);
}

#[test]
fn json_lists_the_findings_behind_every_figure() {
    let demo = Demo::new();
    let v = demo
        .run(
            &[
                &REPORT[..],
                &["--format", "json", "--caliber", "partial=yes,scope=all"],
            ]
            .concat(),
        )
        .json();
    let total = v["figures"]["total"]["count"].as_u64().expect("count");
    let listed = v["figures"]["total"]["findings"]
        .as_array()
        .expect("ids")
        .len() as u64;
    assert_eq!(total, listed);
    assert!(total > 0);
    let rectified = v["figures"]["rectified"]["count"].as_u64().expect("count");
    let unfinished = v["figures"]["unfinished"]["count"].as_u64().expect("count");
    assert_eq!(rectified + unfinished, total);
    assert_eq!(v["caliber"]["count_partial"], true);
    assert_eq!(v["caliber"]["scope"], "all");
    let first = &v["figures"]["total"]["findings"][0];
    assert!(
        first["number"]
            .as_str()
            .is_some_and(|n| n.starts_with("2022-")),
        "{first}"
    );
    // Each id is a finding `rectify show` knows.
    let id = first["id"].as_str().expect("id");
    demo.run(&["show", id]).ok();
}

#[test]
fn a_word_file_for_the_office() {
    let demo = Demo::new();
    let path = demo.dir().join("整改报告.docx");
    let path_text = path.to_string_lossy().to_string();
    demo.run(&[&REPORT[..], &["--format", "docx", "-o", &path_text]].concat())
        .ok();
    let bytes = std::fs::read(&path).expect("the docx was written");
    assert!(bytes.starts_with(b"PK"), "a docx is a zip file");
    let mut archive = zip_entries(&bytes);
    let document = archive
        .remove("word/document.xml")
        .expect("word/document.xml");
    assert!(document.contains("2022年度审计查出问题整改情况报告"));
    assert!(
        document.contains("仿宋_GB2312") || document.contains("一、审计查出问题整改的基本情况")
    );
    // Without -o a Word report is refused rather than dumped on the terminal.
    let err = demo
        .run(&[&REPORT[..], &["--format", "docx"]].concat())
        .fails()
        .to_string();
    assert!(err.contains("-o"), "{err}");
}

#[test]
fn bad_calibers_and_years_are_refused_in_either_language() {
    let demo = Demo::new();
    let err = demo
        .run(&[&REPORT[..], &["--caliber", "partial=maybe"]].concat())
        .fails()
        .to_string();
    assert!(err.contains("partial") && err.contains("yes|no"), "{err}");
    let err = demo.run(&["report", "--year", "22"]).fails().to_string();
    assert!(err.contains("四位年份"), "{err}");
    let err = demo
        .run(&[
            "--lang",
            "en",
            "report",
            "--year",
            "2022",
            "--caliber",
            "colour=red",
        ])
        .fails()
        .to_string();
    assert!(err.contains("unknown caliber key"), "{err}");
}

/// The text entries of a zip archive (docx parts are stored deflated).
fn zip_entries(bytes: &[u8]) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let mut text = String::new();
        if std::io::Read::read_to_string(&mut file, &mut text).is_ok() {
            out.insert(file.name().to_string(), text);
        }
    }
    out
}
