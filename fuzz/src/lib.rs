//! What the fuzz targets share: a demo ledger opened once per process (for the importers and
//! the filter), scratch files, and the rule every target checks — a refusal carries a message
//! in Chinese (and English), never an empty one.

use chrono::NaiveDate;
use rectify::i18n::Msg;
use rectify::ledger::{FindingRow, Ledger};
use rectify::store::SledStore;
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// The day the targets live on, so nothing depends on the calendar.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
}

/// A temp dir for the whole process (files in it are rewritten each iteration).
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("a temp dir for the fuzz target"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Write `bytes` to `name` in the scratch dir and return its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write a scratch file");
        path
    }
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch::new()
    }
}

/// The demo ledger with its rows, opened once per thread and kept (the targets only read it).
pub struct Demo {
    pub ledger: Ledger<SledStore>,
    pub rows: Vec<FindingRow>,
    _dir: tempfile::TempDir,
}

thread_local! {
    static DEMO: RefCell<Option<Demo>> = const { RefCell::new(None) };
}

/// Run `f` with the demo ledger, loading it on first use.
pub fn with_demo<T>(f: impl FnOnce(&Demo) -> T) -> T {
    DEMO.with(|cell| {
        let mut slot = cell.borrow_mut();
        let demo = slot.get_or_insert_with(|| {
            rectify::i18n::set_lang(rectify::i18n::Lang::Zh);
            let dir = tempfile::tempdir().expect("a temp dir for the demo ledger");
            let store =
                SledStore::open(&dir.path().join("ledger"), "fuzz").expect("open the store");
            let mut ledger = Ledger::new(store);
            ledger
                .create_batch(rectify::demo::story::demo_records(today()))
                .expect("the demo loads");
            let rows = ledger.finding_rows(today()).expect("finding rows");
            Demo {
                ledger,
                rows,
                _dir: dir,
            }
        });
        f(demo)
    })
}

/// A refusal must say why, in Chinese at least.
pub fn assert_clear(msg: &Msg) {
    assert!(
        !msg.zh.trim().is_empty(),
        "an error without a message: {msg:?}"
    );
    assert!(
        !msg.en.trim().is_empty(),
        "an error without an English message: {msg:?}"
    );
    assert!(
        msg.zh
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "an error whose message is not in Chinese: {msg:?}"
    );
}

/// Read and plan an import of `path` against the demo ledger; panics (the fuzzer's finding)
/// on a panic inside, or on a refusal without a clear message.
pub fn check_import(path: &Path) {
    use rectify::exchange::import;
    if let Err(msg) = import::read::read(path) {
        assert_clear(&msg);
        return;
    }
    with_demo(|demo| {
        let options = import::Options {
            mapping: None,
            today: today(),
            user: "fuzz",
        };
        match import::plan(&demo.ledger, path, &options) {
            Ok(plan) => {
                for e in &plan.errors {
                    assert_clear(&e.message);
                }
                for n in &plan.notes {
                    assert_clear(&n.message);
                }
            }
            Err(msg) => assert_clear(&msg),
        }
    });
}

/// A minimal xlsx workbook whose first sheet's XML is `sheet` and whose shared strings are
/// `strings` (both taken as they are, however broken).
pub fn xlsx_around(sheet: &[u8], strings: Option<&[u8]>) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let strings_type = if strings.is_some() {
        r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#
    } else {
        ""
    };
    let strings_rel = if strings.is_some() {
        r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
    } else {
        ""
    };
    let mut parts: Vec<(&str, Vec<u8>)> = vec![
        (
            "[Content_Types].xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{strings_type}</Types>"#
            )
            .into_bytes(),
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
                .to_vec(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="整改台账" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                .as_bytes()
                .to_vec(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{strings_rel}</Relationships>"#
            )
            .into_bytes(),
        ),
        ("xl/worksheets/sheet1.xml", sheet.to_vec()),
    ];
    if let Some(s) = strings {
        parts.push(("xl/sharedStrings.xml", s.to_vec()));
    }
    for (name, bytes) in parts {
        zip.start_file(name, options).expect("zip entry");
        zip.write_all(&bytes).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}
