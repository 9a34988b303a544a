//! Sorting by columns and by 督办紧迫度 (orders worked out by hand from the table in filter.rs).

use super::fixture::{Fixture, nums};

#[test]
fn default_order_is_the_natural_finding_number() {
    let fx = Fixture::new();
    // 2022-03-02 before 2022-03-10: numbers compare as numbers, not as text.
    assert_eq!(
        fx.hits(""),
        nums(&[
            "2022-03-01",
            "2022-03-02",
            "2022-03-10",
            "2023-01-01",
            "2023-01-02",
            "2023-01-03",
            "2023-01-04",
        ])
    );
    assert_eq!(fx.hits("sort:number"), fx.hits(""));
    let mut reversed = fx.hits("");
    reversed.reverse();
    assert_eq!(fx.hits("排序:-编号"), reversed);
}

#[test]
fn by_amount_missing_amounts_last_both_ways() {
    let fx = Fixture::new();
    let no_amount = ["2022-03-10", "2023-01-03", "2023-01-04"];
    let mut want = vec!["2022-03-01", "2023-01-02", "2023-01-01", "2022-03-02"];
    want.extend(no_amount);
    assert_eq!(fx.hits("sort:-amount"), nums(&want));
    assert_eq!(fx.hits("排序:-金额"), nums(&want));
    let mut want = vec!["2022-03-02", "2023-01-01", "2023-01-02", "2022-03-01"];
    want.extend(no_amount);
    assert_eq!(fx.hits("sort:amount"), nums(&want));
}

#[test]
fn by_deadline_that_counts() {
    let fx = Fixture::new();
    // 2023-03-01, 2023-12-31, milestone 2024-05-01, 2024-06-10, 2024-09-30, then two on
    // 2024-12-31 in number order.
    assert_eq!(
        fx.hits("排序:时限"),
        nums(&[
            "2022-03-01",
            "2023-01-01",
            "2023-01-02",
            "2022-03-02",
            "2023-01-03",
            "2022-03-10",
            "2023-01-04",
        ])
    );
}

#[test]
fn by_days_overdue_status_unit_project() {
    let fx = Fixture::new();
    assert_eq!(
        fx.hits("sort:overdue"),
        nums(&[
            "2022-03-01",
            "2023-01-02",
            "2022-03-02",
            "2022-03-10",
            "2023-01-01",
            "2023-01-03",
            "2023-01-04",
        ])
    );
    // Workflow order: 未启动, 整改中, 已报送待认定, 持续整改, 未整改, 已销号.
    assert_eq!(
        fx.hits("排序:状态"),
        nums(&[
            "2023-01-04",
            "2022-03-02",
            "2023-01-03",
            "2022-03-10",
            "2023-01-02",
            "2022-03-01",
            "2023-01-01",
        ])
    );
    // Lead units' short names in code point order: 城投集团 (U+57CE) < 水务局 (U+6C34) <
    // 财政局 (U+8D22).
    assert_eq!(
        fx.hits("sort:unit"),
        nums(&[
            "2023-01-02",
            "2022-03-02",
            "2023-01-03",
            "2022-03-01",
            "2022-03-10",
            "2023-01-01",
            "2023-01-04",
        ])
    );
    assert_eq!(
        fx.hits("sort:-project +未完成"),
        nums(&[
            "2023-01-02",
            "2023-01-03",
            "2022-03-01",
            "2022-03-02",
            "2022-03-10"
        ])
    );
    assert_eq!(
        fx.hits("排序:严重 年度:2022"),
        nums(&["2022-03-01", "2022-03-02", "2022-03-10"])
    );
}

#[test]
fn several_columns_in_order() {
    let fx = Fixture::new();
    // By project (2022-03 first), then largest amount first within it.
    assert_eq!(
        fx.hits("sort:project,-amount"),
        nums(&[
            "2022-03-01",
            "2022-03-02",
            "2022-03-10",
            "2023-01-02",
            "2023-01-01",
            "2023-01-03",
            "2023-01-04",
        ])
    );
    // Two sort terms read as one list.
    assert_eq!(
        fx.hits("sort:project sort:-amount"),
        fx.hits("sort:project,-amount")
    );
}

/// Scores with the default weights (see urgency.rs for the table):
/// 2022-03-01: 9 (180-day cap) + 4 + 2 + log10(3001)=3.48 + 3 (批示) + 2 (重大) + 3 (repeat) + 3 (stale cap) = 29.48
/// 2023-01-02: 1.55 + 4 + 0 (持续) + log10(2351)=3.37 + 4 (重点督办) + 2 (重大) = 14.92
/// 2022-03-10: 2 (待认定) + 2 (立行立改) + 3 (repeat) = 7.00
/// 2022-03-02: 4×(1−9/30)=2.8 + 1 (分阶段) + log10(99.6)=2.00 + 1 (较大) = 6.80
/// 2023-01-03: 2 + 2.5 (上级交办) + 1.5 (重开) + 0.02×(47−30)=0.34 = 6.34
/// 2023-01-01 (已销号) and 2023-01-04 (草稿): 0.
#[test]
fn by_urgency_most_urgent_first() {
    let fx = Fixture::new();
    let want = nums(&[
        "2022-03-01",
        "2023-01-02",
        "2022-03-10",
        "2022-03-02",
        "2023-01-03",
        "2023-01-01",
        "2023-01-04",
    ]);
    assert_eq!(fx.hits("排序:紧迫度"), want);
    assert_eq!(fx.hits("sort:urgency"), want);
    assert_eq!(
        fx.hits("sort:-urgency"),
        nums(&[
            "2023-01-01",
            "2023-01-04",
            "2023-01-03",
            "2022-03-02",
            "2022-03-10",
            "2023-01-02",
            "2022-03-01",
        ])
    );
    let scores: Vec<(String, f64)> = fx.with_ctx(|ctx| {
        fx.rows
            .iter()
            .map(|r| (r.finding.number.to_string(), ctx.urgency(r)))
            .collect()
    });
    let expect = [
        (
            "2022-03-01",
            9.0 + 4.0 + 2.0 + 3001f64.log10() + 3.0 + 2.0 + 3.0 + 3.0,
        ),
        ("2023-01-02", 1.55 + 4.0 + 2351f64.log10() + 4.0 + 2.0),
        ("2022-03-10", 7.0),
        ("2022-03-02", 2.8 + 1.0 + 99.6f64.log10() + 1.0),
        ("2023-01-03", 2.0 + 2.5 + 1.5 + 0.34),
        ("2023-01-01", 0.0),
        ("2023-01-04", 0.0),
    ];
    for (number, want) in expect {
        let got = scores.iter().find(|(n, _)| n == number).map(|(_, s)| *s);
        let got = got.unwrap_or(f64::NAN);
        assert!((got - want).abs() < 1e-9, "{number}: {got} vs {want}");
    }
    assert_eq!(
        fx.hits("紧迫度>7 sort:urgency"),
        nums(&["2022-03-01", "2023-01-02"])
    );
    // Ranges include their ends: 2022-03-10 scores exactly 7.
    assert_eq!(
        fx.hits("urgency:6..7"),
        nums(&["2022-03-02", "2022-03-10", "2023-01-03"])
    );
}
