//! Calendar dates as auditors type them.

use crate::i18n::Msg;
use chrono::{Duration, NaiveDate};

/// Parse a date typed by a user: `2023-06-30`, `2023/6/30`, `2023.6.30`, `20230630`,
/// `2023年6月30日`, or `+30` / `-7` (days from `today`).
pub fn parse_date(text: &str, today: NaiveDate) -> Result<NaiveDate, Msg> {
    let t = text.trim();
    // What the messages quote: short and inert, whatever was pasted.
    let shown = crate::text::excerpt(t);
    let bad = || {
        Msg::new(
            format!("无法识别的日期“{shown}”，请写成 2023-06-30、20230630 或 +30（今天起30天）"),
            format!(
                "cannot read the date \"{shown}\"; write it as 2023-06-30, 20230630 or +30 (days from today)"
            ),
        )
    };
    if t.is_empty() {
        return Err(Msg::new("日期不能为空", "the date is empty"));
    }
    if let Some(sign) = t.chars().next().filter(|c| *c == '+' || *c == '-') {
        let digits = t[1..].trim();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let days: i64 = digits.parse().map_err(|_| bad())?;
        // A hundred years either way; beyond that it is a typo (and chrono would overflow).
        if !(0..=36_500).contains(&days) {
            return Err(bad());
        }
        let delta = Duration::days(if sign == '-' { -days } else { days });
        return today.checked_add_signed(delta).ok_or_else(bad);
    }
    if t.len() == 8 && t.chars().all(|c| c.is_ascii_digit()) {
        return NaiveDate::parse_from_str(t, "%Y%m%d").map_err(|_| bad());
    }
    let unified: String = t
        .replace(['年', '月', '/', '.'], "-")
        .trim_end_matches('日')
        .to_string();
    let parts: Vec<&str> = unified.split('-').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(bad());
    }
    let nums: Result<Vec<u32>, _> = parts.iter().map(|p| p.parse::<u32>()).collect();
    let nums = nums.map_err(|_| bad())?;
    if !(1900..=2999).contains(&nums[0]) {
        return Err(bad());
    }
    NaiveDate::from_ymd_opt(nums[0] as i32, nums[1], nums[2]).ok_or_else(|| {
        Msg::new(
            format!("日期“{shown}”不存在"),
            format!("the date \"{shown}\" does not exist"),
        )
    })
}

/// The day count from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reads_the_usual_forms() {
        let today = d(2023, 6, 1);
        for text in [
            "2023-06-30",
            "20230630",
            "2023/6/30",
            "2023.6.30",
            "2023年6月30日",
            " +29 ",
        ] {
            assert_eq!(parse_date(text, today), Ok(d(2023, 6, 30)), "{text}");
        }
        assert_eq!(parse_date("-1", today), Ok(d(2023, 5, 31)));
    }

    #[test]
    fn refuses_impossible_dates() {
        let today = d(2023, 6, 1);
        for text in [
            "",
            "2023-02-30",
            "20231340",
            "tomorrow",
            "+x",
            "2023-06",
            "99999-1-1",
            "+99999999",
            "--9223372036854775808",
            "+-99999999999999",
            "-+5",
        ] {
            assert!(parse_date(text, today).is_err(), "{text:?}");
        }
        assert!(
            parse_date("2023-02-30", today)
                .unwrap_err()
                .zh
                .contains("不存在")
        );
    }
}
