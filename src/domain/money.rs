//! Money as an exact integer number of 分 (cents of a yuan). Never floats.
//!
//! Auditors write amounts in 元, 万元 or 亿元 (`12.3456万元`, `1.2亿元`, `3,500.00元`). Parsing is
//! exact: an amount that cannot be represented in whole 分 (`0.001元`) is refused rather than
//! rounded, because a ledger that silently rounds cannot be reconciled against a 缴款凭证.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Money(pub i64);

/// The unit an amount is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyUnit {
    Yuan,
    Wan,
    Yi,
}

impl MoneyUnit {
    /// How many 分 one of this unit is.
    fn fen(self) -> i64 {
        match self {
            MoneyUnit::Yuan => 100,
            MoneyUnit::Wan => 1_000_000,
            MoneyUnit::Yi => 10_000_000_000,
        }
    }

    /// How many decimals can be written exactly in this unit.
    fn exact_decimals(self) -> usize {
        match self {
            MoneyUnit::Yuan => 2,
            MoneyUnit::Wan => 6,
            MoneyUnit::Yi => 10,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            MoneyUnit::Yuan => "元",
            MoneyUnit::Wan => "万元",
            MoneyUnit::Yi => "亿元",
        }
    }
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn from_yuan(yuan: i64) -> Money {
        Money(yuan.saturating_mul(100))
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    pub fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// Sum amounts, saturating instead of wrapping (a sum that large is a data error anyway,
    /// and a report must never panic).
    pub fn sum<I: IntoIterator<Item = Money>>(items: I) -> Money {
        Money(
            items
                .into_iter()
                .fold(0i64, |acc, m| acc.saturating_add(m.0)),
        )
    }

    /// Parse an amount; a bare number is read in `default_unit`.
    ///
    /// Accepts `12.3456万元`, `12.3456万`, `1.2亿元`, `1,234.56元`, `１２３元` (full-width digits),
    /// `-3万元`, `¥100`. Refuses empty text, more decimals than the unit can hold exactly, and
    /// amounts beyond ±9×10¹⁶ 分.
    pub fn parse_in(text: &str, default_unit: MoneyUnit) -> Result<Money, Msg> {
        let normalised: String = text
            .trim()
            .chars()
            .filter_map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
                '．' => Some('.'),
                '－' => Some('-'),
                ',' | '，' | ' ' | '_' | '¥' | '￥' => None,
                other => Some(other),
            })
            .collect();
        if normalised.is_empty() {
            return Err(Msg::new("金额不能为空", "the amount is empty"));
        }
        // What the messages quote: short and inert, whatever was pasted.
        let shown = &crate::text::excerpt(text);
        let (number, unit) = split_unit(&normalised, default_unit);
        let malformed = || {
            Msg::new(
                format!(
                    "无法识别的金额“{}”，请写成如 12.3456万元、1.2亿元 或 3500元",
                    shown
                ),
                format!(
                    "cannot read the amount \"{}\"; write it like 12.3456万元, 1.2亿元 or 3500元",
                    shown
                ),
            )
        };
        let (negative, digits) = match number.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, number.strip_prefix('+').unwrap_or(number)),
        };
        let (int_part, frac_part) = match digits.split_once('.') {
            Some((i, f)) => (i, f),
            None => (digits, ""),
        };
        if (int_part.is_empty() && frac_part.is_empty())
            || !int_part.chars().all(|c| c.is_ascii_digit())
            || !frac_part.chars().all(|c| c.is_ascii_digit())
        {
            return Err(malformed());
        }
        let frac_trimmed = frac_part.trim_end_matches('0');
        if frac_trimmed.len() > unit.exact_decimals() {
            return Err(Msg::new(
                format!(
                    "金额“{}”精度超过1分，{}最多{}位小数",
                    shown,
                    unit.suffix(),
                    unit.exact_decimals()
                ),
                format!(
                    "the amount \"{}\" is finer than one fen; {} takes at most {} decimals",
                    shown,
                    unit.suffix(),
                    unit.exact_decimals()
                ),
            ));
        }
        let too_large = || {
            Msg::new(
                format!("金额“{}”超出可记录范围", shown),
                format!("the amount \"{}\" is too large", shown),
            )
        };
        let whole: i64 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| too_large())?
        };
        // The fraction, scaled to 分: pad it to the unit's exact decimals.
        let mut frac_fen: i64 = 0;
        let scale_digits = unit.exact_decimals();
        for i in 0..scale_digits {
            let d = frac_trimmed
                .as_bytes()
                .get(i)
                .map_or(0, |b| i64::from(b - b'0'));
            frac_fen = frac_fen * 10 + d;
        }
        let fen = whole
            .checked_mul(unit.fen())
            .and_then(|w| w.checked_add(frac_fen))
            .filter(|v| *v <= MAX_FEN)
            .ok_or_else(too_large)?;
        Ok(Money(if negative { -fen } else { fen }))
    }

    /// Parse with 元 as the unit of a bare number.
    pub fn parse(text: &str) -> Result<Money, Msg> {
        Money::parse_in(text, MoneyUnit::Yuan)
    }

    /// Exact text in the given unit, trailing zeros dropped: `12.3456万元`, `3500元`, `0.25元`.
    pub fn format_exact(self, unit: MoneyUnit) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let per = unit.fen() as u64;
        let whole = abs / per;
        let frac = abs % per;
        let mut text = format!("{sign}{whole}");
        if frac != 0 {
            let width = unit.exact_decimals();
            let digits = format!("{frac:0width$}");
            text.push('.');
            text.push_str(digits.trim_end_matches('0'));
        }
        text.push_str(unit.suffix());
        text
    }

    /// Rounded (half away from zero) to `decimals` places in the given unit, without the suffix,
    /// as reports print them: `12.3456` for 万元 with 4 decimals.
    pub fn format_rounded(self, unit: MoneyUnit, decimals: usize) -> String {
        let decimals = decimals.min(unit.exact_decimals());
        let drop = unit.exact_decimals() - decimals;
        let divisor = 10u64.pow(drop as u32);
        let abs = self.0.unsigned_abs();
        let rounded = (abs + divisor / 2) / divisor; // in units of 10^-decimals
        let per = 10u64.pow(decimals as u32);
        let sign = if self.0 < 0 && rounded != 0 { "-" } else { "" };
        if decimals == 0 {
            format!("{sign}{rounded}")
        } else {
            format!(
                "{sign}{}.{:0width$}",
                rounded / per,
                rounded % per,
                width = decimals
            )
        }
    }

    /// The everyday display: 万元 with up to 6 exact decimals for amounts of 1万 and more,
    /// 元 below that.
    pub fn display(self) -> String {
        if self.0.unsigned_abs() >= 1_000_000 {
            self.format_exact(MoneyUnit::Wan)
        } else {
            self.format_exact(MoneyUnit::Yuan)
        }
    }
}

/// About 9×10¹⁶ 分: far above any real amount, and leaves room for sums.
const MAX_FEN: i64 = 90_000_000_000_000_000;

fn split_unit(text: &str, default_unit: MoneyUnit) -> (&str, MoneyUnit) {
    for (suffixes, unit) in [
        (&["亿元", "亿"][..], MoneyUnit::Yi),
        (&["万元", "万"][..], MoneyUnit::Wan),
        (&["元"][..], MoneyUnit::Yuan),
    ] {
        for suffix in suffixes {
            if let Some(number) = text.strip_suffix(suffix) {
                return (number, unit);
            }
        }
    }
    (text, default_unit)
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_unit_exactly() {
        assert_eq!(Money::parse("12.3456万元"), Ok(Money(12_345_600)));
        assert_eq!(Money::parse("1.2亿元"), Ok(Money(12_000_000_000)));
        assert_eq!(Money::parse("1,234.56元"), Ok(Money(123_456)));
        assert_eq!(Money::parse("3500"), Ok(Money(350_000)));
        assert_eq!(Money::parse("-3万"), Ok(Money(-3_000_000)));
        assert_eq!(Money::parse("０.５元"), Ok(Money(50)));
        assert_eq!(Money::parse("¥100"), Ok(Money(10_000)));
        assert_eq!(Money::parse(".5万元"), Ok(Money(500_000)));
        assert_eq!(Money::parse_in("2.5", MoneyUnit::Wan), Ok(Money(2_500_000)));
        assert_eq!(Money::parse("0.000001万元"), Ok(Money(1)));
    }

    #[test]
    fn round_trips_through_exact_text() {
        for fen in [
            0i64,
            1,
            99,
            100,
            12_345_600,
            -3_000_000,
            12_000_000_000,
            123_456_789_012,
        ] {
            let m = Money(fen);
            for unit in [MoneyUnit::Yuan, MoneyUnit::Wan, MoneyUnit::Yi] {
                let text = m.format_exact(unit);
                assert_eq!(Money::parse(&text), Ok(m), "{text}");
            }
        }
        assert_eq!(
            Money(12_345_600).format_exact(MoneyUnit::Wan),
            "12.3456万元"
        );
        assert_eq!(Money(12_000_000_000).format_exact(MoneyUnit::Yi), "1.2亿元");
        assert_eq!(Money(-50).format_exact(MoneyUnit::Yuan), "-0.5元");
    }

    #[test]
    fn refuses_malformed_and_inexact() {
        for bad in [
            "", "  ", "abc", "1.2.3万", "万元", "-", "12元5", "0.001元", "1e5", "--3",
        ] {
            assert!(Money::parse(bad).is_err(), "{bad:?} should be refused");
        }
        let err = Money::parse("0.001元").unwrap_err();
        assert!(err.zh.contains("精度"), "{}", err.zh);
        assert!(Money::parse("99999999999999999999元").is_err());
        assert!(Money::parse("1000000000亿元").is_err());
    }

    #[test]
    fn rounds_for_reports() {
        assert_eq!(
            Money(12_345_650).format_rounded(MoneyUnit::Wan, 4),
            "12.3457"
        );
        assert_eq!(
            Money(12_345_649).format_rounded(MoneyUnit::Wan, 4),
            "12.3456"
        );
        assert_eq!(
            Money(-12_345_650).format_rounded(MoneyUnit::Wan, 4),
            "-12.3457"
        );
        assert_eq!(Money(1).format_rounded(MoneyUnit::Wan, 2), "0.00");
        assert_eq!(
            Money(15_500_000_000).format_rounded(MoneyUnit::Yi, 2),
            "1.55"
        );
        assert_eq!(Money(123_456).format_rounded(MoneyUnit::Yuan, 0), "1235");
    }
}
