//! Writes the seed corpora under `fuzz/corpus/<target>/` from the demo ledger: real sled values,
//! journal lines and their ops, filter expressions, the shipped keymaps, an exported CSV and xlsx, and a JSON
//! backup. Small on purpose (the corpus is committed); run from `fuzz/`:
//!
//! ```sh
//! cargo run --example seeds
//! ```

use rectify::exchange::{backup, export, names::Lookup, xlsx};
use rectify::ledger::Ledger;
use rectify::store::{EntityKind, SledStore, codec, encode_record};
use rectify::tui::keymap;
use std::path::{Path, PathBuf};

fn put(target: &str, name: &str, bytes: &[u8]) {
    let dir = PathBuf::from("corpus").join(target);
    std::fs::create_dir_all(&dir).expect("corpus dir");
    std::fs::write(dir.join(name), bytes).expect("write seed");
}

fn main() {
    rectify::i18n::set_lang(rectify::i18n::Lang::Zh);
    let today = rectify_fuzz::today();
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("ledger");
    let mut ledger = Ledger::new(SledStore::open(&dir, "seeds").expect("open"));
    let all = rectify::demo::story::demo_records(today);

    // record_decode: one value of each kind, sealed and as a bare payload (high bit set).
    for kind in EntityKind::ALL {
        let Some(record) = all.iter().find(|r| r.kind() == kind) else {
            continue;
        };
        let index = EntityKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u8;
        let sealed = encode_record(record).expect("encode");
        let mut seed = vec![index];
        seed.extend_from_slice(&sealed);
        put("record_decode", &format!("{kind:?}-sealed"), &seed);
        let (_, _, payload) = codec::open(&sealed).expect("open");
        let mut seed = vec![index | 0x80];
        seed.extend_from_slice(payload);
        put("record_decode", &format!("{kind:?}-payload"), &seed);
    }

    // A small ledger: the units, one project and its findings' records.
    let project = all
        .iter()
        .find(|r| r.kind() == EntityKind::Project)
        .map(|r| r.id());
    let mut small: Vec<_> = all
        .iter()
        .filter(|r| r.kind() == EntityKind::Unit || Some(r.id()) == project)
        .cloned()
        .collect();
    let findings: Vec<_> = all
        .iter()
        .filter(|r| match r {
            rectify::store::Record::Finding(f) => Some(f.project) == project,
            _ => false,
        })
        .take(4)
        .cloned()
        .collect();
    let ids: Vec<_> = findings.iter().map(|f| f.id()).collect();
    small.extend(findings);
    small.extend(
        all.iter()
            .filter(|r| r.finding().is_some_and(|f| ids.contains(&f)))
            .cloned(),
    );
    ledger.create_batch(small).expect("small ledger");

    // journal_read: the journal as written (mode 0), and its lines without checksums (mode 1).
    let (_, journal_path) = rectify::store::sled_store::journal_files(&dir)
        .expect("journals")
        .into_iter()
        .next()
        .expect("a journal");
    let journal = std::fs::read(&journal_path).expect("read journal");
    let lines: Vec<&[u8]> = journal.split_inclusive(|b| *b == b'\n').collect();
    let first: Vec<u8> = lines
        .iter()
        .take(3)
        .flat_map(|l| l.iter().copied())
        .collect();
    put(
        "journal_read",
        "three-lines",
        &[&[0u8][..], &first].concat(),
    );
    let bare: Vec<u8> = lines
        .iter()
        .take(3)
        .flat_map(|l| {
            l.splitn(2, |b| *b == b' ')
                .nth(1)
                .unwrap_or(l)
                .iter()
                .copied()
        })
        .collect();
    put(
        "journal_read",
        "three-bodies",
        &[&[1u8][..], &bare].concat(),
    );
    put(
        "journal_read",
        "torn",
        &[&[0u8][..], &first[..first.len() - 10]].concat(),
    );

    // journal_replay: the ops alone, one JSON per line (the target adds seq, chain, checksums).
    let ops: Vec<String> = lines
        .iter()
        .filter_map(|l| l.splitn(2, |b| *b == b' ').nth(1))
        .filter_map(|body| serde_json::from_slice::<serde_json::Value>(body).ok())
        .filter_map(|v| serde_json::to_string(&v["op"]).ok())
        .collect();
    put(
        "journal_replay",
        "small-ledger-ops",
        ops.join("\n").as_bytes(),
    );

    // filter_parse: the language's forms.
    for (i, expr) in [
        "状态:未整改,部分整改 单位:财政 金额>100万 +超期 -+重开 预算 \"预算 编制\" 排序:紧迫度",
        "年度:2021..2023 时限<=+30",
        "status:rectified sort:-deadline",
        "金额：≥3500元 「专项 资金」 -类别:资金使用",
        "时限>-7 进展<=-90 分数>7.5 +屡审屡犯 +无进展",
        "“未闭合",
    ]
    .iter()
    .enumerate()
    {
        put("filter_parse", &format!("expr-{i}"), expr.as_bytes());
    }

    // keymap_parse: the presets and an override file.
    for name in keymap::preset_names() {
        let text = keymap::preset_text(name).unwrap_or_default();
        put("keymap_parse", name, text.as_bytes());
    }
    put(
        "keymap_parse",
        "override",
        b"[global]\n\"ctrl-s\" = \"save\"\n\"g g\" = \"top\"\n\n[list]\nj = \"down\"\nx = \"none\"\n",
    );
    put(
        "keymap_parse",
        "extends",
        b"extends = \"vim\"\n\n[form]\n\"ctrl-x ctrl-s\" = \"save\"\n",
    );

    // import_csv / import_xlsx: the small ledger exported.
    let rows = ledger.finding_rows(today).expect("rows");
    let names = Lookup::load(&ledger).expect("names");
    let table = export::whole(&rows, &names, today);
    let out = tmp.path().join("out.csv");
    export::write(
        std::slice::from_ref(&table),
        export::Format::Csv,
        false,
        &out,
    )
    .expect("csv");
    put(
        "import_csv",
        "export.csv",
        &std::fs::read(&out).expect("csv"),
    );
    put(
        "import_csv",
        "hand.csv",
        "序号,审计项目名称,问题描述,整改责任单位,整改时限,整改情况\n1,区财政局2023年度预算执行情况审计,未按规定收缴,区财政局,2023-02-30,已整改\n2,,金额 1e30,区财政局,+30,\"多行\n情况\"\n"
            .as_bytes(),
    );
    let book = xlsx::workbook(std::slice::from_ref(&table)).expect("xlsx");
    put("import_xlsx", "export.xlsx", &book);
    // The same sheet as raw XML for the target's own wrapper (sheet NUL shared strings).
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(book)).expect("zip");
    let mut part = |name: &str| -> Vec<u8> {
        use std::io::Read;
        let mut bytes = Vec::new();
        if let Ok(mut f) = archive.by_name(name) {
            let _ = f.read_to_end(&mut bytes);
        }
        bytes
    };
    let sheet = part("xl/worksheets/sheet1.xml");
    let strings = part("xl/sharedStrings.xml");
    let mut seed = sheet.clone();
    if !strings.is_empty() {
        seed.push(0);
        seed.extend_from_slice(&strings);
    }
    put("import_xlsx", "sheet-xml", &seed);

    // backup_json: the small ledger's backup.
    let b = backup::build(&ledger, "seeds").expect("backup");
    put(
        "backup_json",
        "small.json",
        &backup::to_bytes(&b).expect("bytes"),
    );
    drop(ledger);
    report(Path::new("corpus"));
}

fn report(root: &Path) {
    let mut total = 0u64;
    for entry in walk(root) {
        total += std::fs::metadata(&entry).map(|m| m.len()).unwrap_or(0);
    }
    println!("corpus: {total} bytes");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
