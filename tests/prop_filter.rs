//! The filter language under arbitrary input, the CI twin of
//! `fuzz/fuzz_targets/filter_parse.rs`: any text parses or is refused with a Chinese message
//! whose span lies inside the input; a parsed filter's own text parses to the same filter; and
//! applying and sorting by any parsed filter on the demo ledger never panics, whatever day it is
//! applied on.

use chrono::NaiveDate;
use proptest::prelude::*;
use rectify::domain::{Id, Project, Unit};
use rectify::ledger::{FindingRow, Ledger};
use rectify::search::filter::{self, FilterContext};
use rectify::store::SledStore;
use std::collections::HashMap;
use std::sync::OnceLock;

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

struct Demo {
    rows: Vec<FindingRow>,
    units: HashMap<Id, Unit>,
    projects: HashMap<Id, Project>,
}

/// The demo ledger's rows, built once for the whole file.
fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).expect("date");
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ledger =
            Ledger::new(SledStore::open(&dir.path().join("l"), "prop").expect("open store"));
        ledger
            .create_batch(rectify::demo::story::demo_records(today))
            .expect("demo");
        Demo {
            rows: ledger.finding_rows(today).expect("rows"),
            units: ledger
                .all::<Unit>()
                .expect("units")
                .into_iter()
                .map(|u| (u.id, u))
                .collect(),
            projects: ledger
                .all::<Project>()
                .expect("projects")
                .into_iter()
                .map(|p| (p.id, p))
                .collect(),
        }
    })
}

const KEYS: &[&str] = &[
    "状态",
    "status",
    "单位",
    "unit",
    "牵头",
    "项目",
    "年度",
    "year",
    "方式",
    "定性",
    "严重",
    "程度",
    "来源",
    "原因",
    "类别",
    "编号",
    "金额",
    "amount",
    "时限",
    "deadline",
    "超期天数",
    "overdue",
    "紧迫度",
    "urgency",
    "排序",
    "sort",
    "无此键",
];
const OPS: &[&str] = &[
    ":", "：", "<", "<=", ">", ">=", "=", "＜", "＞", "≤", "≥", "＝", "..", "<>", "",
];
const VALUES: &[&str] = &[
    "未整改",
    "部分整改,已整改",
    "财政",
    "2022",
    "2021..2023",
    "..2023",
    "2023..",
    "100万",
    "1.2亿",
    "3500元",
    "-1",
    "1e30",
    "99999999999999",
    "+30",
    "-7",
    "+99999999",
    "2023-02-30",
    "2023-06-30",
    "２０２２",
    "紧迫度",
    "-amount,number",
    "持续",
    "NaN",
    "inf",
    "",
    "..",
    "…",
    "\u{1b}[31m",
];
const TAGS: &[&str] = &[
    "+超期",
    "+overdue",
    "+临期",
    "+待认定",
    "+屡审屡犯",
    "+无进展",
    "+重开",
    "-+重开",
    "+",
    "-",
    "--",
    "+未知",
];

/// Filter-shaped text: keys, operators and values from the language, tags, quotes and noise.
fn expression() -> impl Strategy<Value = String> {
    let term = prop_oneof![
        (0..KEYS.len(), 0..OPS.len(), 0..VALUES.len())
            .prop_map(|(k, o, v)| format!("{}{}{}", KEYS[k], OPS[o], VALUES[v])),
        (0..KEYS.len(), 0..OPS.len(), "\\PC{0,6}")
            .prop_map(|(k, o, v)| format!("{}{}{v}", KEYS[k], OPS[o])),
        (0..TAGS.len()).prop_map(|t| TAGS[t].to_string()),
        "\\PC{0,8}".prop_map(|w| format!("\"{w}\"")),
        "\\PC{0,8}".prop_map(|w| format!("“{w}")),
        "\\PC{0,8}".prop_map(|w| format!("「{w}」")),
        "\\PC{0,10}",
        "[ -~]{0,10}",
    ];
    proptest::collection::vec(term, 0..6).prop_map(|terms| terms.join(" "))
}

fn check(expr: &str) -> Result<(), TestCaseError> {
    match filter::parse(expr) {
        Ok(parsed) => {
            let again = filter::parse(parsed.text()).expect("a filter's own text parses");
            prop_assert_eq!(format!("{again:?}"), format!("{parsed:?}"));
            let demo = demo();
            let repeated = filter::repeated_ids(&demo.rows);
            let unit_of = |id: Id| demo.units.get(&id);
            let project_of = |id: Id| demo.projects.get(&id);
            for day in [(2026, 11, 28), (1900, 1, 1), (2999, 12, 31)] {
                let today = NaiveDate::from_ymd_opt(day.0, day.1, day.2).expect("date");
                let ctx = FilterContext::new(today, &unit_of, &project_of, &repeated);
                let mut kept: Vec<&FindingRow> = demo
                    .rows
                    .iter()
                    .filter(|r| parsed.matches(r, &ctx))
                    .collect();
                parsed.sort(&mut kept, &ctx);
            }
        }
        Err(e) => {
            prop_assert!(has_cjk(&e.msg.zh), "{:?}", e.msg);
            prop_assert!(!e.msg.en.trim().is_empty());
            let chars = expr.chars().count();
            prop_assert!(
                e.start <= e.end && e.end <= chars,
                "{}..{} of {chars}",
                e.start,
                e.end
            );
            // What is shown on a terminal carries no escape sequence from the input.
            prop_assert!(!e.to_string().contains('\x1b'), "escape in {}", e);
            prop_assert!(!e.pointer(expr).contains('\x1b'), "escape in the pointer");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn filter_shaped_text_parses_or_is_explained(expr in expression()) {
        check(&expr)?;
    }

    #[test]
    fn any_text_parses_or_is_explained(expr in any::<String>()) {
        check(&expr)?;
    }
}

#[test]
fn huge_and_hostile_filters_are_handled() {
    for expr in [
        "a".repeat(1 << 20),
        format!("金额>{}", "9".repeat(1 << 16)),
        format!("\"{}", "预算 ".repeat(100_000)),
        "\u{1b}[2J\u{1b}[31m状态:未整改\u{7}".to_string(),
        "\0\r\n\t状态:\u{0085}".to_string(),
        "时限<=+36500 时限>=-36500 时限:2999-12-31..".to_string(),
    ] {
        check(&expr).unwrap_or_else(|e| panic!("{e}"));
    }
}
