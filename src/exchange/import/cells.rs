//! Reading one cell as the value its column holds: text, a date (typed any of the usual ways,
//! or an Excel serial), money (in the unit the header or the cell states, exactly), yes/no, or
//! a vocabulary label. Every refusal says what was found and what is expected.

use super::read::{RawCell, serial_date};
use crate::domain::{Labelled, Money, MoneyUnit};
use crate::i18n::Msg;
use chrono::NaiveDate;

/// What ledgers write for "nothing here" in a money or date column.
const BLANK_LIKE: [&str; 8] = ["无", "/", "-", "—", "——", "－", "不涉及", "暂无"];

/// The cell as text: a spreadsheet's formula quote taken off, line ends made `\n`.
pub fn text(cell: &RawCell) -> Result<String, Msg> {
    Ok(match cell {
        RawCell::Empty => String::new(),
        RawCell::Text(t) => super::super::unquote(t)
            .replace("\r\n", "\n")
            .replace('\r', "\n"),
        RawCell::Number(n) => number_text(*n),
        RawCell::Date(d) => d.format("%Y-%m-%d").to_string(),
        RawCell::Bool(b) => super::super::columns::yes_no(*b).to_string(),
        RawCell::Bad(e) => return Err(bad_cell(e)),
    })
}

/// The cell as one trimmed line.
pub fn line(cell: &RawCell) -> Result<String, Msg> {
    Ok(text(cell)?.trim().to_string())
}

/// `7`, not `7.0`: a number typed into a text column (a 问题编号 of 7).
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn bad_cell(e: &str) -> Msg {
    Msg::new(
        format!("单元格显示错误值 {e}，请改为实际内容"),
        format!("the cell shows the error {e}; put the actual value in"),
    )
}

fn blank_like(text: &str) -> bool {
    text.is_empty() || BLANK_LIKE.contains(&text)
}

/// A date: a date cell, an Excel serial, or `2023-06-30`, `2023/6/30`, `2023.6.30`,
/// `20230630`, `2023年6月30日` (a time after it is ignored). `None` for an empty cell.
pub fn date(cell: &RawCell, is_1904: bool) -> Result<Option<NaiveDate>, Msg> {
    match cell {
        RawCell::Empty => Ok(None),
        RawCell::Date(d) => Ok(Some(*d)),
        RawCell::Number(n) => {
            let as_digits = (*n >= 19_000_101.0 && *n <= 29_991_231.0)
                .then(|| date_text(&number_text(*n)))
                .and_then(Result::ok)
                .flatten();
            as_digits
                .or_else(|| serial_date(*n, is_1904))
                .map(Some)
                .ok_or_else(|| not_a_date(&number_text(*n)))
        }
        RawCell::Bad(e) => Err(bad_cell(e)),
        other => date_text(&line(other)?),
    }
}

fn date_text(text: &str) -> Result<Option<NaiveDate>, Msg> {
    if blank_like(text) {
        return Ok(None);
    }
    // Relative forms (+30) are for typing at the prompt, not for a table sent around.
    if text.starts_with(['+', '-']) {
        return Err(not_a_date(text));
    }
    // A serial that lost its cell type on the way through CSV (45107 is 2023-06-30).
    if text.len() == 5
        && text.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = text.parse::<f64>()
    {
        return serial_date(n, false)
            .map(Some)
            .ok_or_else(|| not_a_date(text));
    }
    let day = text.split([' ', 'T']).next().unwrap_or(text);
    let today = chrono::Local::now().date_naive();
    // The typing prompt's message offers `+30`, which a table may not use: keep only its
    // "no such day" verdict.
    crate::domain::date::parse_date(day, today)
        .map(Some)
        .map_err(|e| {
            if e.zh.contains("不存在") {
                e
            } else {
                not_a_date(text)
            }
        })
}

fn not_a_date(text: &str) -> Msg {
    Msg::new(
        format!("无法识别的日期“{text}”，请写成 2023-06-30、2023/6/30 或 2023年6月30日"),
        format!(
            "cannot read the date \"{text}\"; write it as 2023-06-30, 2023/6/30 or 2023年6月30日"
        ),
    )
}

/// Money in `unit` (what the header says), or in the unit the cell itself states (`12万元`),
/// exact to the 分. A bare number under a header that names no unit is refused: guessing
/// between 元 and 万元 would be off by ten thousand.
pub fn money(cell: &RawCell, unit: Option<MoneyUnit>) -> Result<Option<Money>, Msg> {
    match cell {
        RawCell::Empty => Ok(None),
        RawCell::Number(n) => {
            let unit = unit.ok_or_else(|| unitless(&number_text(*n)))?;
            float_money(*n, unit).map(Some)
        }
        RawCell::Bad(e) => Err(bad_cell(e)),
        RawCell::Date(_) | RawCell::Bool(_) => Err(Msg::new(
            "金额列中不是数字",
            "the money column holds something that is not a number",
        )),
        RawCell::Text(_) => {
            let t = line(cell)?;
            if blank_like(&t) {
                return Ok(None);
            }
            let states_unit = t.ends_with('元') || t.ends_with('万') || t.ends_with('亿');
            match (states_unit, unit) {
                (true, _) => Money::parse(&t).map(Some),
                (false, Some(unit)) => Money::parse_in(&t, unit).map(Some),
                (false, None) => Err(unitless(&t)),
            }
        }
    }
}

fn unitless(text: &str) -> Msg {
    Msg::new(
        format!(
            "金额“{text}”没有单位：表头未注明（元）或（万元），请改表头为“涉及金额（万元）”，或在单元格中写明单位，如 12万元"
        ),
        format!(
            "the amount \"{text}\" has no unit: the header names none; make it 涉及金额（万元） or write the unit in the cell, e.g. 12万元"
        ),
    )
}

/// A number from a cell, rounded to the 分: the cell's binary fraction is no more exact than
/// that, and the export wrote it from whole 分.
fn float_money(n: f64, unit: MoneyUnit) -> Result<Money, Msg> {
    let per = match unit {
        MoneyUnit::Yuan => 100.0,
        MoneyUnit::Wan => 1_000_000.0,
        MoneyUnit::Yi => 10_000_000_000.0,
    };
    let fen = (n * per).round();
    if !fen.is_finite() || fen.abs() > 9e16 {
        return Err(Msg::new(
            format!("金额 {} 超出可记录范围", number_text(n)),
            format!("the amount {} is out of range", number_text(n)),
        ));
    }
    Ok(Money::from_fen(fen as i64))
}

/// 是 / 否, as ledgers write it (√, Y, 1 …); empty is 否.
pub fn flag(cell: &RawCell) -> Result<bool, Msg> {
    if let RawCell::Bool(b) = cell {
        return Ok(*b);
    }
    let t = line(cell)?.to_lowercase();
    match t.as_str() {
        "" | "否" | "不" | "n" | "no" | "false" | "0" | "×" | "x" => Ok(false),
        "是" | "y" | "yes" | "true" | "1" | "√" | "✓" | "✔" => Ok(true),
        _ => Err(Msg::new(
            format!("“{t}”应为“是”或“否”"),
            format!("\"{t}\" should be 是 (yes) or 否 (no)"),
        )),
    }
}

/// A vocabulary label in Chinese or English; `None` for an empty cell.
pub fn label<T: Labelled>(cell: &RawCell) -> Result<Option<T>, Msg> {
    let t = line(cell)?;
    if t.is_empty() {
        return Ok(None);
    }
    T::parse_label(&t).map(Some)
}

/// Unit names listed in one cell: 区财政局、区发改委 (also commas, semicolons, slashes, lines).
pub fn names(cell: &RawCell) -> Result<Vec<String>, Msg> {
    Ok(text(cell)?
        .split(['、', ',', '，', ';', '；', '/', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> RawCell {
        RawCell::Text(s.to_string())
    }

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn dates_come_in_every_usual_form() {
        for cell in [
            t("2023-06-30"),
            t("2023/6/30"),
            t("2023年6月30日"),
            t("2023.06.30"),
            t("2023-06-30 00:00:00"),
            t("45107"),
            RawCell::Number(45107.0),
            RawCell::Number(20230630.0),
            RawCell::Date(NaiveDate::from_ymd_opt(2023, 6, 30).unwrap()),
        ] {
            assert_eq!(date(&cell, false), Ok(d(2023, 6, 30)), "{cell:?}");
        }
        assert_eq!(date(&t("无"), false), Ok(None));
        assert!(date(&t("明年"), false).is_err());
        assert!(date(&t("+30"), false).is_err());
        assert!(date(&RawCell::Number(1e300), false).is_err());
    }

    #[test]
    fn money_takes_its_unit_from_the_header_or_the_cell() {
        let wan = Some(MoneyUnit::Wan);
        assert_eq!(money(&t("12万元"), None), Ok(Some(Money(12_000_000))));
        assert_eq!(money(&t("12.3456"), wan), Ok(Some(Money(12_345_600))));
        assert_eq!(
            money(&RawCell::Number(1.234567), wan),
            Ok(Some(Money(1_234_567)))
        );
        assert_eq!(
            money(&t("3500"), Some(MoneyUnit::Yuan)),
            Ok(Some(Money(350_000)))
        );
        assert_eq!(money(&t("3,500元"), wan), Ok(Some(Money(350_000))));
        assert_eq!(money(&t("/"), wan), Ok(None));
        assert!(money(&t("12"), None).is_err());
        assert!(money(&RawCell::Number(f64::INFINITY), wan).is_err());
        assert!(money(&t("很多"), wan).is_err());
    }

    #[test]
    fn text_loses_exactly_the_formula_quote() {
        assert_eq!(text(&t("'=1+1")), Ok("=1+1".to_string()));
        assert_eq!(text(&t("a\r\nb")), Ok("a\nb".to_string()));
        assert_eq!(text(&RawCell::Number(7.0)), Ok("7".to_string()));
        assert_eq!(names(&t("区财政局、区发改委，")).unwrap().len(), 2);
        assert_eq!(flag(&t("是")), Ok(true));
        assert!(flag(&t("也许")).is_err());
    }
}
