//! Virtual tags, negation, alternatives and free words against the hand-computed table in
//! filter.rs (today 2024-06-01).

use super::fixture::{Fixture, nums};

#[test]
fn each_tag_selects_the_hand_computed_findings() {
    let fx = Fixture::new();
    let cases: &[(&str, &[&str])] = &[
        // 2022-03-01 is 458 days past 2023-03-01; 2023-01-02's milestone was due 2024-05-01.
        ("+超期", &["2022-03-01", "2023-01-02"]),
        // 2024-06-10 is 9 days away, within the 15 of 临期.
        ("+临期", &["2022-03-02"]),
        ("+待认定", &["2022-03-10"]),
        // 2022-03-10 repeats 2022-03-01: both ends of the chain.
        ("+屡审屡犯", &["2022-03-01", "2022-03-10"]),
        ("+人大", &["2023-01-01"]),
        ("+批示", &["2022-03-01"]),
        // The flag, not the source: 2022-03-02 has 来源 上级交办 but no flag.
        ("+上级交办", &["2023-01-03"]),
        ("+重点督办", &["2023-01-02"]),
        ("+边审边改", &["2023-01-03"]),
        // Nothing since issue on 2022-09-01; the others had a report or check within 90 days,
        // and the closed and draft ones are not open.
        ("+无进展", &["2022-03-01"]),
        ("+持续", &["2023-01-02"]),
        ("+重开", &["2023-01-03"]),
        (
            "+未完成",
            &[
                "2022-03-01",
                "2022-03-02",
                "2022-03-10",
                "2023-01-02",
                "2023-01-03",
            ],
        ),
        ("+草稿", &["2023-01-04"]),
    ];
    for (expr, want) in cases {
        assert_eq!(fx.hits(expr), nums(want), "{expr}");
    }
}

#[test]
fn stale_threshold_comes_from_the_context() {
    let mut fx = Fixture::new();
    fx.stale_days = 30;
    // 2023-01-03's last report was 2024-04-15, 47 days ago; the long-term check 17 days ago.
    assert_eq!(fx.hits("+无进展"), nums(&["2022-03-01", "2023-01-03"]));
    fx.stale_days = 46;
    assert_eq!(fx.hits("+stale"), nums(&["2022-03-01", "2023-01-03"]));
    fx.stale_days = 47;
    assert_eq!(fx.hits("+stale"), nums(&["2022-03-01"]));
}

#[test]
fn tags_agree_with_the_status_view() {
    let fx = Fixture::new();
    let overdue: Vec<String> = fx
        .rows
        .iter()
        .filter(|r| r.status.overdue)
        .map(|r| r.finding.number.to_string())
        .collect();
    let mut hits = fx.hits("+overdue");
    hits.sort();
    let mut overdue_sorted = overdue;
    overdue_sorted.sort();
    assert_eq!(hits, overdue_sorted);
    assert_eq!(fx.row("2023-01-02").status.days_overdue, 31);
    assert_eq!(fx.row("2022-03-01").status.days_overdue, 458);
}

#[test]
fn negation_excludes() {
    let fx = Fixture::new();
    let all = fx.hits("");
    let complement = |expr: &str| -> Vec<String> {
        let hit = fx.hits(expr);
        all.iter().filter(|n| !hit.contains(n)).cloned().collect()
    };
    for expr in [
        "+超期",
        "状态:已销号",
        "单位:财政",
        "金额>100万",
        "年度:2022",
        "财政",
    ] {
        assert_eq!(fx.hits(&format!("-{expr}")), complement(expr), "-{expr}");
    }
    assert_eq!(
        fx.hits("-状态:已销号 -+草稿 -+超期"),
        nums(&["2022-03-02", "2022-03-10", "2023-01-03"])
    );
    // An amount test is false without an amount, so its negation keeps those findings.
    assert_eq!(
        fx.hits("-金额>100万"),
        nums(&["2022-03-02", "2022-03-10", "2023-01-03", "2023-01-04"])
    );
}

#[test]
fn commas_mean_any_of_within_a_term_and_terms_all_hold() {
    let fx = Fixture::new();
    assert_eq!(
        fx.hits("状态:未整改,整改中"),
        nums(&["2022-03-01", "2022-03-02", "2023-01-03"])
    );
    assert_eq!(
        fx.hits("状态:未整改,整改中 单位:财政"),
        nums(&["2022-03-01"])
    );
    assert_eq!(
        fx.hits("单位:水务,城投"),
        nums(&["2022-03-01", "2022-03-02", "2023-01-02", "2023-01-03"])
    );
    assert_eq!(fx.hits("-状态:未整改,整改中").len(), 4);
    assert_eq!(fx.hits("+超期 +批示"), nums(&["2022-03-01"]));
}

#[test]
fn units_lead_and_assisting() {
    let fx = Fixture::new();
    let finance = nums(&[
        "2022-03-01",
        "2022-03-10",
        "2023-01-01",
        "2023-01-02",
        "2023-01-04",
    ]);
    assert_eq!(fx.hits("单位:财政"), finance);
    assert_eq!(fx.hits("单位:区财政局"), finance);
    assert_eq!(
        fx.hits("牵头:财政"),
        nums(&["2022-03-01", "2022-03-10", "2023-01-01", "2023-01-04"])
    );
    assert_eq!(fx.hits("状态:未整改 单位:财政"), nums(&["2022-03-01"]));
    assert!(fx.hits("单位:教育").is_empty());
}

#[test]
fn free_words_search_number_title_facts_category_and_units() {
    let fx = Fixture::new();
    // Unit names: 财政 is in the name of a lead or assisting unit, or in a title.
    assert_eq!(
        fx.hits("财政"),
        nums(&[
            "2022-03-01",
            "2022-03-10",
            "2023-01-01",
            "2023-01-02",
            "2023-01-04"
        ])
    );
    assert_eq!(fx.hits("国库"), nums(&["2023-01-01"]));
    assert_eq!(fx.hits("2022-03-1"), nums(&["2022-03-10"]));
    assert_eq!(fx.hits("频繁"), nums(&["2022-03-10"]));
    assert_eq!(fx.hits("预算管理"), nums(&["2022-03-10"]));
    // ASCII in any case, full-width or not.
    for word in ["ppp", "PPP", "Ppp", "ＰＰＰ", "ｐｐｐ"] {
        assert_eq!(fx.hits(word), nums(&["2023-01-02"]), "{word}");
    }
    assert_eq!(fx.hits("预算 频繁"), nums(&["2022-03-10"]));
    assert!(fx.hits("预算 国库").is_empty());
    // The characters of a word in order in a title: fuzzy for plain words, never when negated.
    assert_eq!(fx.hits("化整招标"), nums(&["2022-03-02"]));
    assert_eq!(fx.hits("-化整招标").len(), fx.rows.len());
    assert_eq!(fx.hits("-化整为零").len(), fx.rows.len() - 1);
}
