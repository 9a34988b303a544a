//! Every kind of bad input: its message in both languages and the span of the bad part.

use super::fixture::parse_err;
use rectify::i18n::{Lang, set_lang};

/// (input, excerpt the span must cover, fragment of the Chinese message, fragment of the
/// English message)
const CASES: &[(&str, &str, &str, &str)] = &[
    // Quotes.
    (
        "状态:未整改 \"预算 编制",
        "\"预算 编制",
        "引号未闭合",
        "unclosed quote",
    ),
    ("“预算", "“预算", "缺少结尾的 ”", "closing ” is missing"),
    ("a \"\" b", "\"\"", "引号内没有内容", "quotes are empty"),
    // Keys.
    (
        "状况:未整改",
        "状况",
        "是否想写“状态”",
        "did you mean \"状态\"",
    ),
    (
        "stauts:未整改",
        "stauts",
        "未知的键“stauts”",
        "unknown key \"stauts\"",
    ),
    (
        "deadlin<2023-06-30",
        "deadlin",
        "是否想写“deadline”",
        "did you mean \"deadline\"",
    ),
    (
        "foo:bar",
        "foo",
        "可用的键：状态、单位",
        "Keys: status, unit",
    ),
    (":未整改", ":未整改", "前面缺少键名", "a key is missing"),
    (">100万", ">100万", "前面缺少键名", "a key is missing"),
    // Operators.
    (
        "金额=>100万",
        "=>",
        "只能用 “:” “=” “<”",
        "takes : = < <= > >=",
    ),
    ("金额<>100万", "<>", "不能用“<>”", "not \"<>\""),
    ("金额>>100万", ">>", "不能用“>>”", "not \">>\""),
    ("状态>未整改", ">", "只能用 “:”", "takes :, not \">\""),
    ("单位<=财政", "<=", "只能用 “:”", "takes :, not \"<=\""),
    ("时限:<2023-06-30", ":<", "不能用“:<”", "not \":<\""),
    // Empty values.
    ("状态:", "状态:", "后面缺少值", "needs a value"),
    (
        "+超期 金额>",
        "金额>",
        "“金额>”后面缺少值",
        "\"金额>\" needs a value",
    ),
    (
        "状态:未整改,",
        ",",
        "逗号前后缺少值",
        "missing next to the comma",
    ),
    (
        "状态:,未整改",
        ",",
        "逗号前后缺少值",
        "missing next to the comma",
    ),
    (
        "状态:未整改,,整改中",
        ",",
        "逗号前后缺少值",
        "missing next to the comma",
    ),
    ("年度:..", "..", "范围至少要给出一端", "at least one end"),
    // Labels, with the valid ones listed.
    (
        "状态:未正改",
        "未正改",
        "可选：未启动、整改中",
        "choose one of: not started",
    ),
    (
        "状态:未整改,部分正改",
        "部分正改",
        "不是有效的整改状态",
        "is not a valid status",
    ),
    ("状态:超期", "超期", "请写 +超期", "write +overdue"),
    (
        "状态:整改",
        "整改",
        "不是有效的整改状态",
        "not a valid status",
    ),
    (
        "方式:马上改",
        "马上改",
        "可选：立行立改、分阶段整改、持续整改",
        "immediate, staged, long-term",
    ),
    (
        "定性:违法",
        "违法",
        "不是有效的统计定性",
        "not a valid statistical class",
    ),
    (
        "严重:特大",
        "特大",
        "可选：重大、较大、一般",
        "major, serious, general",
    ),
    (
        "来源:网上",
        "网上",
        "不是有效的问题来源",
        "not a valid finding source",
    ),
    (
        "原因:没钱",
        "没钱",
        "不是有效的未完成原因",
        "not a valid reason unfinished",
    ),
    // Dates.
    ("时限<2023-02-30", "2023-02-30", "不存在", "does not exist"),
    (
        "deadline<tomorrow",
        "tomorrow",
        "无法识别的日期",
        "cannot read the date",
    ),
    (
        "时限<2023-06",
        "2023-06",
        "无法识别的日期",
        "cannot read the date",
    ),
    (
        "时限<=+3o",
        "+3o",
        "无法识别的相对日期",
        "cannot read the relative date",
    ),
    (
        "时限<+-99999999999999",
        "+-99999999999999",
        "相对日期",
        "relative date",
    ),
    (
        "时限<--9223372036854775808",
        "--9223372036854775808",
        "相对日期",
        "relative date",
    ),
    (
        "时限:2023-01-01..2023-13-01",
        "2023-13-01",
        "2023-13-01",
        "2023-13-01",
    ),
    // Amounts.
    (
        "金额>abc",
        "abc",
        "无法识别的金额“abc”",
        "cannot read the amount \"abc\"",
    ),
    (
        "amount>1.2.3万",
        "1.2.3万",
        "无法识别的金额",
        "cannot read the amount",
    ),
    (
        "金额>0.001元",
        "0.001元",
        "精度超过1分",
        "finer than one fen",
    ),
    (
        "金额>99999999999999亿",
        "99999999999999亿",
        "超出可记录范围",
        "too large",
    ),
    (
        "金额:1万..x",
        "x",
        "无法识别的金额“x”",
        "cannot read the amount \"x\"",
    ),
    // Numbers.
    ("年度:22", "22", "不是有效的年度", "is not a year"),
    ("year:2021..20x3", "20x3", "不是有效的年度", "is not a year"),
    (
        "超期天数>-5",
        "-5",
        "不是有效的天数",
        "not a number of days",
    ),
    (
        "overdue>九十",
        "九十",
        "不是有效的天数",
        "not a number of days",
    ),
    ("紧迫度>NaN", "NaN", "不是有效的分数", "not a score"),
    ("urgency>inf", "inf", "不是有效的分数", "not a score"),
    // Signs.
    ("+", "+", "“+”后面缺少标记名", "'+' needs a tag name"),
    (
        "+超期 + 单位:财政",
        "+",
        "可用：+超期、+临期",
        "tags: +overdue, +neardue",
    ),
    (
        "-",
        "-",
        "“-”后面缺少要排除的条件",
        "'-' needs something to exclude",
    ),
    (
        "+超期 -",
        "-",
        "缺少要排除的条件",
        "needs something to exclude",
    ),
    ("-+", "+", "缺少标记名", "needs a tag name"),
    ("--财政", "--", "只能有一个“-”", "only one '-'"),
    // Tags.
    (
        "+超时",
        "+超时",
        "未知的标记“+超时”",
        "unknown tag \"+超时\"",
    ),
    (
        "+overdeu",
        "+overdeu",
        "是否想写“+overdue”",
        "did you mean \"+overdue\"",
    ),
    ("+foo", "+foo", "可用：+超期", "Tags: +overdue"),
    (
        "+移送",
        "+移送",
        "尚未记录移送事项",
        "does not record referrals",
    ),
    // Sort.
    (
        "排序:名字",
        "名字",
        "未知的排序列“名字”",
        "unknown sort column \"名字\"",
    ),
    (
        "sort:urgncy",
        "urgncy",
        "是否想写“urgency”",
        "did you mean \"urgency\"",
    ),
    (
        "sort:amount,",
        ",",
        "逗号前后缺少值",
        "missing next to the comma",
    ),
    (
        "sort:-",
        "-",
        "未知的排序列“-”",
        "unknown sort column \"-\"",
    ),
    (
        "-排序:金额",
        "-排序:金额",
        "排序不能取反",
        "cannot be negated",
    ),
    ("sort>amount", ">", "只能用 “:”", "takes :"),
];

#[test]
fn every_bad_input_is_explained_at_its_place() {
    for (input, excerpt, zh, en) in CASES {
        let e = parse_err(input);
        assert_eq!(&e.excerpt, excerpt, "{input}: span {}..{}", e.start, e.end);
        let chars: Vec<char> = input.chars().collect();
        let covered: String = chars[e.start..e.end].iter().collect();
        assert_eq!(&covered, excerpt, "{input}");
        assert!(e.msg.zh.contains(zh), "{input}: {}", e.msg.zh);
        assert!(e.msg.en.contains(en), "{input}: {}", e.msg.en);
    }
}

#[test]
fn spans_are_char_offsets() {
    // Char offsets, not bytes: 状态 is 2 chars (6 bytes).
    let e = parse_err("状态:未整改 金额>abc");
    assert_eq!((e.start, e.end), (10, 13));
    let e = parse_err("+超期 +超时");
    assert_eq!((e.start, e.end), (4, 7));
}

#[test]
fn display_and_pointer_show_the_bad_part() {
    let e = parse_err("状态:未整改 金额>abc");
    set_lang(Lang::En);
    let en = e.to_string();
    set_lang(Lang::Zh);
    let zh = e.to_string();
    assert!(
        en.contains("cannot read the amount") && en.contains("(at `abc`)"),
        "{en}"
    );
    assert!(
        zh.contains("无法识别的金额") && zh.contains("（`abc`）"),
        "{zh}"
    );
    // Carets under the bad part, counted in display cells (Chinese characters are two).
    let pointer = e.pointer("状态:未整改 金额>abc");
    let lines: Vec<&str> = pointer.lines().collect();
    assert_eq!(lines, ["状态:未整改 金额>abc", "                 ^^^"]);
    // Control characters in the input cannot reach the terminal raw.
    let e = parse_err("状态:\u{1b}[2J");
    assert!(!e.to_string().contains('\u{1b}'));
    assert!(!e.pointer("状态:\u{1b}[2J").contains('\u{1b}'));
}
