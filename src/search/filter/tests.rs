//! Robustness: no input, however mangled, makes the parser or the matcher panic, and every
//! error span lies inside the input. (The language itself is tested in tests/filter.rs.)

use super::*;
use crate::domain::status::{FindingRecords, status_at};
use crate::domain::{Finding, Money, ResponsibleUnit, UnitKind, UnitRole};

/// xorshift64*: deterministic, so a failure can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const FRAGMENTS: &[&str] = &[
    "状态",
    "status",
    "单位",
    "牵头",
    "项目",
    "年度",
    "year",
    "方式",
    "定性",
    "严重",
    "来源",
    "原因",
    "金额",
    "amount",
    "时限",
    "deadline",
    "超期天数",
    "overdue",
    "紧迫度",
    "排序",
    "sort",
    "类别",
    "编号",
    "未整改",
    "部分整改",
    "已销号",
    "持续",
    "财政",
    "超期",
    "临期",
    "待认定",
    "屡审屡犯",
    "人大",
    "移送",
    "无进展",
    "urgency",
    "-amount",
    "2022",
    "2021..2023",
    "100万",
    "1.2亿",
    "1,000万",
    "2023-06-30",
    "+30",
    "-7",
    "+-99999999999999",
    "--9223372036854775808",
    "99999999999999999999",
    "NaN",
    "inf",
    "..",
    "~",
    ":",
    "：",
    ">",
    ">=",
    "<",
    "<=",
    "=",
    "≥",
    "＞",
    "=>",
    "<>",
    "+",
    "-",
    "＋",
    "－",
    ",",
    "，",
    "、",
    "\"",
    "“",
    "”",
    "「",
    "」",
    "＂",
    " ",
    "\u{3000}",
    "\t",
    "\n",
    "\0",
    "\u{1b}[2J",
    "\u{7f}",
    "\u{202e}",
    "👍🏽",
    "🇨🇳",
    "e\u{301}",
    "ＣＺＪ",
    "czj",
    "İ",
    "ß",
    "\u{FEFF}",
    "\u{FFFF}",
    "\u{10FFFF}",
];

fn random_expr(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(12) {
        if rng.below(4) == 0 {
            // A random scalar value now and then, to leave the fragments' comfort zone.
            let c = char::from_u32(rng.below(0x30000) as u32).unwrap_or('\u{fffd}');
            s.push(c);
        } else {
            s.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]);
        }
    }
    s
}

fn sample_row() -> (FindingRow, Unit, Project) {
    let today = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default();
    let unit = Unit::new("区财政局", UnitKind::PartyGovernment);
    let project = Project::new(
        "2022-03",
        "专项债券审计",
        2022,
        crate::domain::ProjectType::SpecialBonds,
    );
    let mut f = Finding::new(project.id, "2022-03-01", "预算编制不够细化", today);
    f.issued_on = NaiveDate::from_ymd_opt(2023, 1, 1);
    f.amount = Some(Money(123_456_789));
    f.units = Box::new([ResponsibleUnit {
        unit: unit.id,
        role: UnitRole::Lead,
    }]);
    let records = FindingRecords::default();
    let status = status_at(&f, &records, today, 15);
    (
        FindingRow {
            finding: f,
            status,
            records,
        },
        unit,
        project,
    )
}

#[test]
fn never_panics_and_spans_stay_inside() {
    let (row, unit, project) = sample_row();
    let mut other = row.clone();
    other.finding.number = "2022-03-02".into();
    other.finding.amount = None;
    let units = |id: Id| (id == unit.id).then_some(&unit);
    let projects = |id: Id| (id == project.id).then_some(&project);
    let repeated = HashSet::new();
    let ctx = FilterContext::new(
        row.status.last_activity.unwrap_or_default(),
        &units,
        &projects,
        &repeated,
    );
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut ok, mut bad) = (0, 0);
    for _ in 0..20_000 {
        let expr = random_expr(&mut rng);
        let len = expr.chars().count();
        match parse(&expr) {
            Ok(filter) => {
                ok += 1;
                assert_eq!(filter.text(), expr);
                let _ = filter.matches(&row, &ctx);
                let mut rows = vec![&row, &other];
                filter.sort(&mut rows, &ctx);
            }
            Err(e) => {
                bad += 1;
                assert!(e.start < e.end && e.end <= len, "{expr:?}: {e:?}");
                assert_eq!(e.excerpt.chars().count(), e.end - e.start, "{expr:?}");
                assert!(!e.msg.zh.is_empty() && !e.msg.en.is_empty());
                let _ = e.to_string();
                let _ = e.pointer(&expr);
            }
        }
    }
    // Both paths must have been exercised for the test to mean anything.
    assert!(ok > 1_000 && bad > 1_000, "ok {ok}, bad {bad}");
}

#[test]
fn blank_is_empty() {
    for blank in ["", "   ", "\u{3000}\t"] {
        let f = parse(blank).unwrap_or_default();
        assert!(f.is_empty(), "{blank:?}");
    }
    assert!(!parse("排序:金额").unwrap_or_default().is_empty());
}
