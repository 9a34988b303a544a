//! Values after a key: labels, numbers, dates and amounts, and the comparisons they sit in.
//! Each parser turns text into a value or a bilingual message; the caller adds the span.

use crate::domain::date::parse_date;
use crate::domain::{Labelled, Money, MoneyUnit};
use crate::i18n::Msg;
use crate::text::excerpt;
use chrono::{Duration, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    /// Read an operator written with ASCII or full-width signs (`＞`, `≥`, `：` …).
    pub fn parse(text: &str) -> Option<Op> {
        let canonical: String = text
            .chars()
            .map(|c| match c {
                '：' => ":".to_string(),
                '＜' => "<".to_string(),
                '＞' => ">".to_string(),
                '＝' => "=".to_string(),
                '≤' => "<=".to_string(),
                '≥' => ">=".to_string(),
                other => other.to_string(),
            })
            .collect();
        match canonical.as_str() {
            ":" | "=" => Some(Op::Eq),
            "<" => Some(Op::Lt),
            "<=" => Some(Op::Le),
            ">" => Some(Op::Gt),
            ">=" => Some(Op::Ge),
            _ => None,
        }
    }
}

/// Characters that make up an operator after a key.
pub(super) const OP_CHARS: &[char] = &[':', '：', '<', '>', '=', '＜', '＞', '＝', '≤', '≥'];

/// A comparison: `>100万`, `:2022`, or an inclusive range `:2021..2023` (either end open).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Cond<T> {
    Cmp(Op, T),
    Range(Option<T>, Option<T>),
}

impl<T: Copy> Cond<T> {
    /// Turn the bounds into comparable values; `None` if one cannot be (a date out of range).
    pub fn map<U>(self, f: impl Fn(T) -> Option<U>) -> Option<Cond<U>> {
        // An open end stays open; a bound that cannot be converted fails the whole condition.
        let bound = |v: Option<T>| match v {
            None => Some(None),
            Some(v) => f(v).map(Some),
        };
        Some(match self {
            Cond::Cmp(op, v) => Cond::Cmp(op, f(v)?),
            Cond::Range(lo, hi) => Cond::Range(bound(lo)?, bound(hi)?),
        })
    }
}

impl<T: PartialOrd> Cond<T> {
    pub fn holds(&self, x: &T) -> bool {
        match self {
            Cond::Cmp(Op::Eq, v) => x == v,
            Cond::Cmp(Op::Lt, v) => x < v,
            Cond::Cmp(Op::Le, v) => x <= v,
            Cond::Cmp(Op::Gt, v) => x > v,
            Cond::Cmp(Op::Ge, v) => x >= v,
            Cond::Range(lo, hi) => {
                lo.as_ref().is_none_or(|lo| x >= lo) && hi.as_ref().is_none_or(|hi| x <= hi)
            }
        }
    }
}

/// A date as written: absolute, or days from the day the filter is applied (`+30`, `-7`), so
/// that a saved view like 本周到期 stays relative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DateSpec {
    On(NaiveDate),
    FromToday(i64),
}

impl DateSpec {
    pub fn resolve(self, today: NaiveDate) -> Option<NaiveDate> {
        match self {
            DateSpec::On(d) => Some(d),
            DateSpec::FromToday(days) => today.checked_add_signed(Duration::try_days(days)?),
        }
    }
}

/// Full-width digits and signs to ASCII, so `２０２２` reads as `2022`.
fn half_width(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' | '＋' | '－' | '．' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .collect()
}

fn integer(text: &str, min: i64, max: i64) -> Option<i64> {
    let t = half_width(text);
    let digits = t.strip_prefix('+').unwrap_or(&t);
    // Digits only (the sign aside): `i64::from_str` would also take `+-5` apart oddly.
    let body = digits.strip_prefix('-').unwrap_or(digits);
    if body.is_empty() || body.len() > 12 || !body.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| (min..=max).contains(n))
}

pub(super) fn year(text: &str) -> Result<i64, Msg> {
    integer(text, 1900, 2999).ok_or_else(|| {
        Msg::new(
            format!("“{}”不是有效的年度，请写成如 2022", excerpt(text)),
            format!("\"{}\" is not a year; write it like 2022", excerpt(text)),
        )
    })
}

pub(super) fn days(text: &str) -> Result<i64, Msg> {
    integer(text, 0, 100_000).ok_or_else(|| {
        Msg::new(
            format!("“{}”不是有效的天数，请写非负整数，如 90", excerpt(text)),
            format!(
                "\"{}\" is not a number of days; write a whole number like 90",
                excerpt(text)
            ),
        )
    })
}

/// 涉及金额; a bare number is read in 万元, the unit every ledger and report uses.
pub(super) fn amount(text: &str) -> Result<Money, Msg> {
    Money::parse_in(text, MoneyUnit::Wan)
}

pub(super) fn score(text: &str) -> Result<f64, Msg> {
    let t = half_width(text);
    // `f64::from_str` takes `inf` and `NaN`; a score is a plain decimal.
    let plain = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+');
    t.parse::<f64>()
        .ok()
        .filter(|v| plain && v.is_finite())
        .ok_or_else(|| {
            Msg::new(
                format!("“{}”不是有效的分数，请写数字，如 10 或 7.5", excerpt(text)),
                format!(
                    "\"{}\" is not a score; write a number like 10 or 7.5",
                    excerpt(text)
                ),
            )
        })
}

/// A date, or `+N` / `-N` days from the day the filter is applied.
pub(super) fn date(text: &str) -> Result<DateSpec, Msg> {
    let t = half_width(text);
    if let Some(sign) = t.chars().next().filter(|c| *c == '+' || *c == '-') {
        // Read relative dates here rather than in `parse_date`: the filter is parsed without a
        // "today", and saved views must stay relative.
        let n = integer(&t[1..], 0, 36_500).ok_or_else(|| {
            let t = excerpt(&t);
            Msg::new(
                format!("无法识别的相对日期“{t}”，请写成 +30（今天起30天）或 -7"),
                format!(
                    "cannot read the relative date \"{t}\"; write +30 (30 days from today) or -7"
                ),
            )
        })?;
        return Ok(DateSpec::FromToday(if sign == '-' { -n } else { n }));
    }
    // Absolute dates do not depend on the anchor date.
    let anchor = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    parse_date(&t, anchor).map(DateSpec::On)
}

/// A label of a closed vocabulary, in Chinese or English. Besides the exact label, a fragment
/// naming exactly one value is accepted (`方式:持续` → 持续整改, `状态:待认定` → 已报送待认定),
/// since auditors type the short form. Otherwise the message lists the valid labels.
pub(super) fn label<T: Labelled>(text: &str) -> Result<T, Msg> {
    let err = match T::parse_label(text) {
        Ok(v) => return Ok(v),
        Err(err) => err,
    };
    let t = text.trim();
    let lower = t.to_lowercase();
    let mut hits = T::ALL
        .iter()
        .copied()
        .filter(|v| v.zh().contains(t) || v.en().to_lowercase().starts_with(&lower));
    match (hits.next(), hits.next()) {
        (Some(v), None) if !t.is_empty() => Ok(v),
        _ => Err(err),
    }
}
