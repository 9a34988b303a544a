//! Every construct of the language parses, in Chinese and in ASCII, and means the same.

use super::fixture::{Fixture, d, nums};
use rectify::search::filter::{self, vocabulary};

/// Each pair is the same question asked with Chinese and with ASCII keys, and its answer.
#[test]
fn chinese_and_ascii_keys_mean_the_same() {
    let fx = Fixture::new();
    let cases: &[(&str, &str, &[&str])] = &[
        ("状态:未整改", "status:未整改", &["2022-03-01"]),
        ("状态:未整改", "status:NotRectified", &["2022-03-01"]),
        ("状态:未整改", "status:\"not rectified\"", &["2022-03-01"]),
        ("单位:城投", "unit:城投", &["2022-03-01", "2023-01-02"]),
        ("牵头:城投", "lead:城投", &["2023-01-02"]),
        (
            "项目:2022-03",
            "project:专项债券",
            &["2022-03-01", "2022-03-02", "2022-03-10"],
        ),
        (
            "年度:2023",
            "year:2023",
            &["2023-01-01", "2023-01-02", "2023-01-03", "2023-01-04"],
        ),
        ("方式:分阶段整改", "mode:staged", &["2022-03-02"]),
        (
            "定性:违规",
            "class:violation",
            &["2022-03-01", "2022-03-02"],
        ),
        ("严重:重大", "severity:major", &["2022-03-01", "2023-01-02"]),
        ("程度:较大", "severity:serious", &["2022-03-02"]),
        ("来源:上级交办", "source:UpperAssigned", &["2022-03-02"]),
        ("原因:资金缺口", "reason:\"funding gap\"", &["2023-01-02"]),
        ("类别:预算", "category:预算", &["2022-03-10"]),
        (
            "编号:2022-03-0",
            "number:2022-03-0",
            &["2022-03-01", "2022-03-02"],
        ),
        (
            "金额>100万",
            "amount>100",
            &["2022-03-01", "2023-01-01", "2023-01-02"],
        ),
        ("时限<2023-06-30", "deadline<2023-06-30", &["2022-03-01"]),
        ("超期天数>90", "overdue>90", &["2022-03-01"]),
        ("超期>30", "OVERDUE>30", &["2022-03-01", "2023-01-02"]),
        ("紧迫度>=20", "urgency>=20", &["2022-03-01"]),
        ("+超期", "+overdue", &["2022-03-01", "2023-01-02"]),
        ("+临期", "+NearDue", &["2022-03-02"]),
        ("+持续", "+longterm", &["2023-01-02"]),
        (
            "-+超期 +未完成",
            "-+overdue +open",
            &["2022-03-02", "2022-03-10", "2023-01-03"],
        ),
    ];
    for (zh, en, want) in cases {
        assert_eq!(fx.hits(zh), nums(want), "{zh}");
        assert_eq!(fx.hits(en), nums(want), "{en}");
    }
}

#[test]
fn full_width_signs_from_an_ime_work() {
    let fx = Fixture::new();
    let pairs = [
        ("状态：未整改", "状态:未整改"),
        ("金额＞100万", "金额>100万"),
        ("金额≥1250.6万", "金额>=1250.6万"),
        ("金额＞＝1250.6万", "金额>=1250.6万"),
        ("＋超期", "+超期"),
        ("－＋超期", "-+超期"),
        ("年度：２０２３", "年度:2023"),
        ("状态:未整改，整改中", "状态:未整改,整改中"),
        ("状态:未整改、整改中", "状态:未整改,整改中"),
        ("+超期\u{3000}单位:财政", "+超期 单位:财政"),
        ("ＰＰＰ", "ppp"),
    ];
    for (typed, plain) in pairs {
        assert_eq!(fx.hits(typed), fx.hits(plain), "{typed}");
        assert!(!fx.hits(plain).is_empty(), "{plain}");
    }
}

#[test]
fn label_fragments_naming_one_value_are_accepted() {
    let fx = Fixture::new();
    assert_eq!(fx.hits("方式:持续"), fx.hits("方式:持续整改"));
    assert_eq!(fx.hits("状态:待认定"), nums(&["2022-03-10"]));
    assert_eq!(fx.hits("status:awaiting"), nums(&["2022-03-10"]));
    assert_eq!(fx.hits("严重:重"), fx.hits("严重:重大"));
}

#[test]
fn ranges_and_alternatives() {
    let fx = Fixture::new();
    let bonds = nums(&["2022-03-01", "2022-03-02", "2022-03-10"]);
    assert_eq!(fx.hits("年度:2021..2022"), bonds);
    assert_eq!(fx.hits("年度:..2022"), bonds);
    assert_eq!(fx.hits("年度:2021~2022"), bonds);
    assert_eq!(fx.hits("年度:2022,2023").len(), 7);
    assert_eq!(fx.hits("year<=2022"), bonds);
    assert_eq!(
        fx.hits("金额:1000万..2500万"),
        nums(&["2023-01-01", "2023-01-02"])
    );
    assert_eq!(fx.hits("金额:98.6万"), nums(&["2022-03-02"]));
    assert_eq!(fx.hits("金额=986000元"), nums(&["2022-03-02"]));
    assert_eq!(
        fx.hits("金额<1亿 金额>=1,000万"),
        nums(&["2022-03-01", "2023-01-01", "2023-01-02"])
    );
    assert_eq!(fx.hits("超期天数:1..40"), nums(&["2023-01-02"]));
    assert_eq!(
        fx.hits("overdue:31,458"),
        nums(&["2022-03-01", "2023-01-02"])
    );
    assert_eq!(
        fx.hits("时限:2024-01-01..2024-06-30"),
        nums(&["2022-03-02", "2023-01-02"])
    );
}

#[test]
fn relative_dates_count_from_the_context_today() {
    let fx = Fixture::new();
    // Today 2024-06-01: +30 is 2024-07-01. The counted deadlines up to then: 2023-03-01,
    // 2024-06-10, 2023-12-31 and the milestone 2024-05-01.
    let want = nums(&["2022-03-01", "2022-03-02", "2023-01-01", "2023-01-02"]);
    assert_eq!(fx.hits("deadline<=+30"), want);
    assert_eq!(fx.hits("时限:..+30"), want);
    assert_eq!(
        fx.hits("时限>=-31 时限<+10"),
        nums(&["2022-03-02", "2023-01-02"])
    );
    // The same parsed filter, applied a year earlier, moves with it (saved views stay relative).
    let mut earlier = Fixture::new();
    earlier.today = d(2023, 6, 1);
    let filter = filter::parse("时限<=+30").expect("parses");
    let hits = earlier.with_ctx(|ctx| {
        earlier
            .rows
            .iter()
            .filter(|r| filter.matches(r, ctx))
            .map(|r| r.finding.number.to_string())
            .collect::<Vec<_>>()
    });
    // On 2023-06-01 the long-term item's current milestone is 2023-12-31: out of range.
    assert_eq!(hits, nums(&["2022-03-01"]));
}

#[test]
fn quotes_make_literal_phrases() {
    let fx = Fixture::new();
    assert_eq!(fx.hits("\"追加调整\""), nums(&["2022-03-10"]));
    assert_eq!(fx.hits("“追加 调整”"), Vec::<String>::new());
    assert_eq!(fx.hits("「年中追加」"), nums(&["2022-03-10"]));
    // Inside quotes, key syntax and signs are just text.
    assert_eq!(fx.hits("\"状态:未整改\""), Vec::<String>::new());
    assert_eq!(fx.hits("\"+超期\""), Vec::<String>::new());
    assert_eq!(fx.hits("单位:\"城投\""), fx.hits("单位:城投"));
    // Unquoted, the characters of a word may be spread over the title; quoted they may not.
    assert_eq!(fx.hits("预算细化"), nums(&["2022-03-10"]));
    assert_eq!(fx.hits("\"预算细化\""), Vec::<String>::new());
}

#[test]
fn text_round_trips_and_empty_means_everything() {
    let fx = Fixture::new();
    let expr = "状态:未整改  排序:-金额";
    assert_eq!(filter::parse(expr).expect("parses").text(), expr);
    let empty = filter::parse("  ").expect("parses");
    assert!(empty.is_empty());
    assert_eq!(fx.hits("").len(), fx.rows.len());
    assert!(!filter::parse("sort:amount").expect("parses").is_empty());
    assert!(!filter::parse("+超期").expect("parses").is_empty());
}

/// The help lists real syntax: every form it shows parses.
#[test]
fn every_vocabulary_entry_parses() {
    let vocab = vocabulary();
    assert!(vocab.len() > 40, "{}", vocab.len());
    for (shown, zh, en) in vocab {
        assert!(!zh.is_empty() && !en.is_empty(), "{shown}");
        for form in shown.split(" / ") {
            assert!(
                filter::parse(form).is_ok(),
                "{form:?} from {shown:?}: {:?}",
                filter::parse(form).err()
            );
        }
    }
}
