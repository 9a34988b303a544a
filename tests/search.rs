//! The finder's search (`search::index`) on the demo ledger, in a real store in a temp dir,
//! plus a few records of our own for the polyphonic readings the demo lacks in its titles
//! (重庆, 银行).

mod common;

use rectify::demo::rng::SplitMix64;

use common::tui_env::test_today;
use rectify::domain::{FollowUpCheck, Id, Project, ResponsibleUnit, Unit, UnitRole};
use rectify::ledger::Ledger;
use rectify::search::index::{ItemKind, SearchHit, SearchIndex};
use rectify::store::{Record, SledStore};

/// The title, and the note of a check on it, that share their text exactly.
const TWIN: &str = "重庆银行账户资金长期闲置";

/// The demo ledger plus: a unit 区农商银行, a finding `2022-03-99` of 区财政局 titled `TWIN`, and
/// a check on it whose note is `TWIN` too.
fn index() -> SearchIndex {
    let (_dir, ledger) = demo_ledger();
    build(None, &ledger)
}

/// The ledger `index()` indexes, in a temp dir (dropped with the guard).
fn demo_ledger() -> (common::store_env::Scratch, Ledger<SledStore>) {
    rectify::i18n::set_lang(rectify::i18n::Lang::Zh);
    let (dir, path) = common::new_store_dir();
    let mut ledger = Ledger::new(SledStore::open(&path, "审计员甲").expect("open store"));
    ledger
        .create_batch(rectify::demo::story::demo_records(test_today()))
        .expect("demo loads");
    let units: Vec<Unit> = ledger.all().expect("units");
    let projects: Vec<Project> = ledger.all().expect("projects");
    let finance = units
        .iter()
        .find(|u| u.name == "区财政局")
        .expect("区财政局");
    let bonds = projects
        .iter()
        .find(|p| p.number == "2022-03")
        .expect("2022-03");
    let mut bank = common::unit("区农商银行");
    bank.short_name = "农商银行".into();
    let mut twin = common::finding(
        bonds.id,
        finance.id,
        "2022-03-99",
        common::d(2022, 9, 1),
        common::d(2022, 12, 31),
    );
    twin.title = TWIN.into();
    twin.units = Box::new([ResponsibleUnit {
        unit: finance.id,
        role: UnitRole::Lead,
    }]);
    let mut check = common::check(
        twin.id,
        common::d(2023, 3, 1),
        rectify::domain::CheckVerdict::Rectified,
    );
    check.note = TWIN.into();
    ledger
        .create_batch(vec![
            Record::Unit(bank),
            Record::Finding(twin),
            Record::Check(check),
        ])
        .expect("extra records");
    (dir, ledger)
}

/// The index of the ledger's records: in memory, or with its display half spilled to `dir`.
fn build(spill: Option<&std::path::Path>, ledger: &Ledger<SledStore>) -> SearchIndex {
    let units = ledger.all::<Unit>().expect("units");
    let projects = ledger.all::<Project>().expect("projects");
    let rows = ledger.finding_rows(test_today()).expect("rows");
    let checks = ledger.all::<FollowUpCheck>().expect("checks");
    let checks: Vec<_> = checks.iter().collect();
    match spill {
        Some(dir) => SearchIndex::build_spilled(dir, &units, &projects, &rows, &checks)
            .expect("spilled build"),
        None => SearchIndex::build(&units, &projects, &rows, &checks),
    }
}

fn texts(index: &SearchIndex, hits: &[SearchHit]) -> Vec<String> {
    hits.iter()
        .map(|h| index.items()[h.item].text.clone())
        .collect()
}

fn kind_of(index: &SearchIndex, hit: &SearchHit) -> ItemKind {
    index.items()[hit.item].kind
}

/// The highlighted characters of a hit, as a string.
fn marked(index: &SearchIndex, hit: &SearchHit) -> String {
    let text: Vec<char> = index.items()[hit.item].text.chars().collect();
    hit.positions.iter().filter_map(|&p| text.get(p)).collect()
}

#[test]
fn exact_title_beats_fuzzy() {
    let mut ix = index();
    // 违规出借财政资金 contains 出借财政 as it is; 会计核算不实 and the like only scatter the
    // characters of a fuzzy query.
    let hits = ix.search("出借财政", 50);
    assert!(hits.len() >= 3, "{:?}", texts(&ix, &hits));
    assert!(
        texts(&ix, &hits[..3])
            .iter()
            .all(|t| t.contains("违规出借财政资金"))
    );
    // A query found whole in some titles and only scattered in others: every exact hit ranks
    // above every fuzzy one.
    let hits = ix.search("资金闲置", 100);
    let exact: Vec<bool> = texts(&ix, &hits)
        .iter()
        .map(|t| t.contains("资金闲置"))
        .collect();
    assert!(exact.contains(&true) && exact.contains(&false), "{exact:?}");
    let first_fuzzy = exact.iter().position(|e| !e).unwrap_or(exact.len());
    assert!(
        exact[first_fuzzy..].iter().all(|e| !e),
        "exact after fuzzy: {:?}",
        texts(&ix, &hits)
    );
}

#[test]
fn a_title_that_starts_with_the_query_ranks_higher() {
    let mut ix = index();
    let hits = ix.search("专项债券", 20);
    let first = &ix.items()[hits[0].item];
    assert!(
        first.text.contains(" 专项债券"),
        "title starting with the query first: {}",
        first.text
    );
    // …above a title that has it further in (项目的专项债券… / 擅自改变专项债券资金用途).
    let later = texts(&ix, &hits)
        .iter()
        .position(|t| t.contains("擅自改变专项债券"))
        .expect("a title with the query inside");
    assert!(later > 0);
}

#[test]
fn czj_finds_the_finance_bureau_first() {
    let mut ix = index();
    let hits = ix.search("czj", 20);
    assert_eq!(ix.items()[hits[0].item].text, "区财政局");
    assert_eq!(kind_of(&ix, &hits[0]), ItemKind::Unit);
    // Then its findings and projects (牵头 or first audited unit: shown in the context).
    for hit in &hits[1..12] {
        let item = &ix.items()[hit.item];
        assert!(
            item.context.contains("财政局"),
            "{} / {}",
            item.text,
            item.context
        );
    }
}

#[test]
fn full_pinyin_and_initials_match() {
    let mut ix = index();
    let hits = ix.search("caizheng", 50);
    assert!(!hits.is_empty());
    assert!(texts(&ix, &hits).iter().any(|t| t.contains("财政")));
    // The example: zxzq → 专项债券.
    let hits = ix.search("zxzq", 5);
    assert!(texts(&ix, &hits).iter().all(|t| t.contains("专项债券")));
    // Mixed: full reading then initials, and a character then pinyin.
    assert_eq!(ix.search("caizj", 1)[0].item, ix.search("czj", 1)[0].item);
    let hits = ix.search("专xiang债", 5);
    assert!(texts(&ix, &hits).iter().all(|t| t.contains("专项债")));
}

#[test]
fn polyphonic_readings_all_match() {
    let mut ix = index();
    for query in ["chongqing", "cq", "yinhang", "zhongqing"] {
        let hits = ix.search(query, 5);
        assert!(
            texts(&ix, &hits).iter().any(|t| t.contains("重庆银行")),
            "{query}: {:?}",
            texts(&ix, &hits)
        );
    }
    // 重大 as zhongda (the demo's 重大经济事项未经集体决策).
    let hits = ix.search("zhongdajingji", 5);
    assert!(texts(&ix, &hits).iter().all(|t| t.contains("重大经济")));
    // 会计 as kuaiji, 银行 as yinhang in a unit name.
    // (社会救助 spells kuai-ji too, 救 being jiu: a reading's prefix may end a term.)
    let hits = ix.search("kuaiji", 5);
    let found = texts(&ix, &hits);
    assert!(found[..2].iter().all(|t| t.contains("会计")), "{found:?}");
    let hits = ix.search("nongshangyinhang", 5);
    assert_eq!(texts(&ix, &hits), vec!["区农商银行".to_string()]);
}

#[test]
fn digits_and_pinyin_mix() {
    let mut ix = index();
    let hits = ix.search("2022 czj", 30);
    assert!(!hits.is_empty());
    for hit in &hits {
        let item = &ix.items()[hit.item];
        assert!(item.text.contains("2022"), "{}", item.text);
    }
    // First the 2022 projects and findings of 区财政局 (the projects' shorter numbers are
    // covered more by `2022`), before titles that merely spell c-z-j (扶持资金).
    for hit in &hits[..8] {
        let item = &ix.items()[hit.item];
        assert!(item.text.starts_with("2022-"), "{}", item.text);
        assert!(item.context.contains("财政局"), "{}", item.context);
    }
    assert_eq!(kind_of(&ix, &hits[0]), ItemKind::Project);
    assert_eq!(kind_of(&ix, &hits[2]), ItemKind::Finding);
    // Numbers typed without their dashes still find them.
    let hits = ix.search("20220301", 3);
    assert!(texts(&ix, &hits)[0].starts_with("2022-03-01 "));
}

#[test]
fn highlights_land_on_the_matched_characters() {
    let mut ix = index();
    // Characters: the query's characters in the title, offset past the number.
    let hits = ix.search("出借财政", 1);
    let text = &ix.items()[hits[0].item].text;
    let start = text
        .chars()
        .collect::<Vec<_>>()
        .windows(4)
        .position(|w| w.iter().collect::<String>() == "出借财政")
        .expect("in text");
    assert_eq!(hits[0].positions, (start..start + 4).collect::<Vec<_>>());
    // Pinyin initials: the characters whose readings matched.
    let hits = ix.search("czj", 1);
    assert_eq!(marked(&ix, &hits[0]), "财政局");
    assert_eq!(hits[0].positions, vec![1, 2, 3]);
    let hits = ix.search("zxzq", 1);
    assert_eq!(marked(&ix, &hits[0]), "专项债券");
    // Two terms: the number and the title both light up.
    let hits = ix.search("2022-03 zxzq", 1);
    assert_eq!(marked(&ix, &hits[0]), "2022-03专项债券");
    let hits = ix.search("zhongqing 2022", 1);
    assert_eq!(marked(&ix, &hits[0]), "2022重庆");
    // A match on the (hidden) unit name highlights nothing.
    let hits = ix.search("2022-03-01 czj", 1);
    assert_eq!(marked(&ix, &hits[0]), "2022-03-01");
}

#[test]
fn findings_rank_above_checks_on_ties() {
    let mut ix = index();
    let hits = ix.search(TWIN, 5);
    assert_eq!(hits.len(), 2, "{:?}", texts(&ix, &hits));
    assert_eq!(hits[0].score, hits[1].score);
    assert_eq!(kind_of(&ix, &hits[0]), ItemKind::Finding);
    assert_eq!(kind_of(&ix, &hits[1]), ItemKind::Check);
}

#[test]
fn empty_query_returns_nothing() {
    let mut ix = index();
    assert!(ix.search("", 10).is_empty());
    assert!(ix.search("   ", 10).is_empty());
    assert!(ix.search("财政", 0).is_empty());
    assert!(ix.search("没有这样的问题xyz", 10).is_empty());
}

#[test]
fn incremental_search_equals_a_fresh_search() {
    let mut typed = index();
    let mut fresh = index();
    // Letters of common readings, characters of the demo titles, digits, separators.
    let alphabet: Vec<char> = "zxcaihengjuqdsy财政资金专项债预算重庆会计2022-0301 "
        .chars()
        .collect();
    let mut rng = SplitMix64(42);
    for _ in 0..60 {
        let mut query = String::new();
        for _ in 0..1 + rng.next_u64() % 9 {
            // Mostly type; sometimes Backspace, to walk back down the step stack.
            if rng.next_u64() % 5 == 0 {
                query.pop();
            } else {
                query.push(*rng.pick(&alphabet));
            }
            let incremental = typed.search(&query, usize::MAX);
            fresh.search("", 1); // forget the session: a full scan
            let scratch = fresh.search(&query, usize::MAX);
            assert_eq!(incremental, scratch, "query {query:?}");
        }
    }
}

#[test]
fn a_persisted_index_searches_the_same_and_a_damaged_one_is_refused() {
    let mut ix = index();
    let bytes = ix.to_bytes("key-1");
    let mut loaded = SearchIndex::from_bytes(&bytes, "key-1").expect("round trip");
    assert_eq!(loaded.items(), ix.items());
    for query in ["czj", "出借财政", "2022 zx", "chongqing", "资金闲置"] {
        assert_eq!(loaded.search(query, 50), ix.search(query, 50), "{query}");
    }
    // Opened from a file, the display half stays on disk and is read per item.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("search.idx");
    std::fs::write(&path, &bytes).expect("write index");
    let mut opened = SearchIndex::open(&path, "key-1").expect("open");
    for query in ["czj", "出借财政", "2022 zx"] {
        let hits = opened.search(query, 50);
        assert_eq!(hits, ix.search(query, 50), "{query}");
        for hit in &hits {
            let (a, b) = (opened.item(hit.item), ix.item(hit.item));
            let (a, b) = (a.expect("opened item"), b.expect("item"));
            assert_eq!(
                (a.id, &a.text, &a.context, &a.number, &a.title, &a.status),
                (b.id, &b.text, &b.context, &b.number, &b.title, &b.status)
            );
        }
    }
    assert_eq!(opened.items(), ix.items());
    assert!(SearchIndex::open(&path, "key-2").is_none());
    assert!(SearchIndex::from_bytes(&bytes, "key-2").is_none());
    assert!(SearchIndex::from_bytes(&bytes[..bytes.len() - 1], "key-1").is_none());
    let mut flipped = bytes.clone();
    for i in (0..flipped.len()).step_by(97) {
        flipped[i] ^= 0x5A;
    }
    // Whatever it decodes to, it must not panic.
    if let Some(mut damaged) = SearchIndex::from_bytes(&flipped, "key-1") {
        let _ = damaged.search("czj", 10);
        let _ = damaged.items();
    }
}

#[test]
fn an_index_built_with_its_display_half_on_disk_is_the_index_built_in_memory() {
    let (_store, ledger) = demo_ledger();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut spilled = build(Some(dir.path()), &ledger);
    let mut memory = build(None, &ledger);
    for query in ["czj", "出借财政", "2022 zx", "chongqing", "资金闲置", "y"] {
        let hits = spilled.search(query, 50);
        assert!(!hits.is_empty(), "{query}");
        assert_eq!(hits, memory.search(query, 50), "{query}");
        assert_eq!(texts(&spilled, &hits), texts(&memory, &hits), "{query}");
    }
    assert_eq!(spilled.items(), memory.items());
    // Kept at exit, it is the same file, byte for byte.
    assert_eq!(spilled.to_bytes("k"), memory.to_bytes("k"));
    // The spill files have no names: nothing is left in the directory.
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
    assert!(left.is_empty(), "{left:?}");
    // Where the files cannot be made, the build says so (the app then builds in memory).
    let gone = dir.path().join("no such directory");
    let (units, projects) = (ledger.all::<Unit>().expect("units"), Vec::<Project>::new());
    assert!(SearchIndex::build_spilled(&gone, &units, &projects, &[], &[]).is_err());
}

#[test]
fn ids_and_kinds_point_back_to_records() {
    let ix = index();
    let kinds = [
        ItemKind::Unit,
        ItemKind::Project,
        ItemKind::Finding,
        ItemKind::Check,
    ];
    for kind in kinds {
        assert!(ix.items().iter().any(|i| i.kind == kind), "{kind:?}");
    }
    assert!(ix.items().iter().all(|i| i.id != Id::nil()));
    let finding = ix
        .items()
        .iter()
        .find(|i| i.text.starts_with("2022-03-99 "))
        .expect("our finding");
    assert_eq!(finding.text, format!("2022-03-99 {TWIN}"));
    assert!(finding.context.starts_with("2022-03 / 财政局 / "));
}

/// A synthetic ledger big enough for the scan to split across threads (4,096 candidates and
/// up), typed into incrementally and compared with fresh searches.
#[test]
fn incremental_equals_fresh_on_a_ledger_big_enough_for_threads() {
    let today = test_today();
    let records = rectify::demo::synthetic::synthetic_records(6000, 7, today, |_| {});
    let (mut units, mut projects, mut findings, mut checks) = (vec![], vec![], vec![], vec![]);
    for record in records {
        match record {
            Record::Unit(u) => units.push(u),
            Record::Project(p) => projects.push(p),
            Record::Finding(f) => findings.push(f),
            Record::Check(c) => checks.push(c),
            _ => {}
        }
    }
    let rows: Vec<rectify::ledger::FindingRow> = findings
        .into_iter()
        .map(|finding| {
            let records = rectify::domain::FindingRecords::default();
            let status = rectify::domain::status_at(&finding, &records, today, 15);
            rectify::ledger::FindingRow {
                finding,
                status,
                records,
            }
        })
        .collect();
    let checks: Vec<_> = checks.iter().collect();
    let mut typed = SearchIndex::build(&units, &projects, &rows, &checks);
    let mut fresh = SearchIndex::build(&units, &projects, &rows, &checks);
    for query in [
        "2022 zxzq",
        "czj 预算",
        "专项债券资金",
        "caizheng ju",
        "2019-0001-0",
    ] {
        let mut prefix = String::new();
        for c in query.chars() {
            prefix.push(c);
            let incremental = typed.search(&prefix, 200);
            fresh.search("", 1);
            assert_eq!(incremental, fresh.search(&prefix, 200), "{prefix:?}");
        }
        assert!(!typed.search(query, 1).is_empty(), "{query}");
    }
}
