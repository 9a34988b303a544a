//! 口径: the counting rules a report's figures follow (domain.md §2.3). There is no single legal
//! formula, so every choice is explicit, printed beside the figures, and part of the report's
//! identity: the same store, cutoff and 口径 give the same report, byte for byte.

use crate::i18n::Msg;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the 整改率 is a share of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// 已整改问题数 / 问题总数 (the seed's way).
    Count,
    /// 整改金额 / 问题金额.
    Amount,
}

/// Which findings of the year a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Those flagged 纳入审计工作报告 (what the congress heard about).
    Reported,
    /// Every issued finding of the year's projects.
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caliber {
    /// Status, records and edits count up to the end of this day.
    pub cutoff: NaiveDate,
    /// 部分整改 counts as rectified (瑞金 groups it with 正在整改, so the default is no).
    pub count_partial: bool,
    /// 持续整改 items stay in the denominator (the seed keeps them: "占问题总数的*%").
    pub long_term_in_denominator: bool,
    /// Outcomes achieved this year on earlier years' problems count too (广西 counts them).
    pub include_prior_years: bool,
    pub basis: Basis,
    pub scope: Scope,
}

impl Caliber {
    /// The seed's 口径: count-based, 部分整改 not rectified, 持续整改 in the denominator,
    /// earlier years' outcomes left out, only what the work report listed.
    pub fn seed(cutoff: NaiveDate) -> Caliber {
        Caliber {
            cutoff,
            count_partial: false,
            long_term_in_denominator: true,
            include_prior_years: false,
            basis: Basis::Count,
            scope: Scope::Reported,
        }
    }

    /// Apply `key=value,key=value` (keys and values in English or Chinese).
    pub fn apply(&mut self, text: &str) -> Result<(), Msg> {
        let mut next = *self;
        next.apply_parts(text)?;
        *self = next;
        Ok(())
    }

    fn apply_parts(&mut self, text: &str) -> Result<(), Msg> {
        for part in text
            .split([',', '，'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let Some((key, value)) = part.split_once(['=', '＝']) else {
                return Err(bad_part(part));
            };
            let (key, value) = (key.trim(), value.trim());
            match key {
                "partial" | "部分整改" => self.count_partial = yes_no(key, value)?,
                "long-term" | "持续整改" => self.long_term_in_denominator = yes_no(key, value)?,
                "prior-years" | "以前年度" => self.include_prior_years = yes_no(key, value)?,
                "basis" | "口径" => {
                    self.basis = match value {
                        "count" | "数量" | "问题数" => Basis::Count,
                        "amount" | "金额" => Basis::Amount,
                        _ => return Err(bad_value(key, value, "count|amount（数量|金额）")),
                    }
                }
                "scope" | "范围" => {
                    self.scope = match value {
                        "reported" | "报告" | "纳入报告" => Scope::Reported,
                        "all" | "全部" => Scope::All,
                        _ => return Err(bad_value(key, value, "reported|all（报告|全部）")),
                    }
                }
                _ => {
                    return Err(Msg::new(
                        format!(
                            "不认识的口径项“{key}”；可用：partial（部分整改）、long-term（持续整改）、prior-years（以前年度）、basis（口径）、scope（范围）"
                        ),
                        format!(
                            "unknown caliber key “{key}”; use partial, long-term, prior-years, basis or scope"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The counting rules in one short line (basis, 部分整改, 持续整改), for a panel that states
    /// its 口径 beside the figures; `describe` gives them in full.
    pub fn brief(&self) -> Msg {
        let basis = match self.basis {
            Basis::Count => ("按问题个数", "by count"),
            Basis::Amount => ("按金额", "by amount"),
        };
        let partial = if self.count_partial {
            ("部分整改计入已整改", "partly rectified counts")
        } else {
            ("部分整改不计入已整改", "partly rectified does not count")
        };
        let long_term = if self.long_term_in_denominator {
            ("持续整改计入分母", "long-term in the denominator")
        } else {
            ("持续整改不计入分母", "long-term out of the denominator")
        };
        Msg::new(
            format!("{}，{}，{}", basis.0, partial.0, long_term.0),
            format!("{}, {}, {}", basis.1, partial.1, long_term.1),
        )
    }

    /// The 口径 in words, printed with the figures.
    pub fn describe(&self) -> Vec<Msg> {
        let pick = |b: bool, yes: Msg, no: Msg| if b { yes } else { no };
        vec![
            Msg::new(
                format!("统计截止日期：{}", self.cutoff.format("%Y-%m-%d")),
                format!("cutoff: {}", self.cutoff.format("%Y-%m-%d")),
            ),
            match self.scope {
                Scope::Reported => Msg::new(
                    "统计范围：纳入当年审计工作报告的问题",
                    "scope: findings listed in the year's audit work report",
                ),
                Scope::All => Msg::new(
                    "统计范围：当年审计项目已下发的全部问题",
                    "scope: every issued finding of the year's projects",
                ),
            },
            match self.basis {
                Basis::Count => Msg::new(
                    "整改率：按问题个数计算（已整改到位问题数 ÷ 问题总数）",
                    "rate: by count (findings rectified ÷ findings)",
                ),
                Basis::Amount => Msg::new(
                    "整改率：按金额计算（已认定整改金额 ÷ 问题涉及金额）",
                    "rate: by amount (confirmed rectified amount ÷ amount involved)",
                ),
            },
            pick(
                self.count_partial,
                Msg::new(
                    "部分整改：计入已整改",
                    "partly rectified: counted as rectified",
                ),
                Msg::new(
                    "部分整改：不计入已整改",
                    "partly rectified: not counted as rectified",
                ),
            ),
            pick(
                self.long_term_in_denominator,
                Msg::new(
                    "持续整改事项：计入问题总数（分母）",
                    "long-term items: in the denominator",
                ),
                Msg::new(
                    "持续整改事项：不计入问题总数（分母）",
                    "long-term items: left out of the denominator",
                ),
            ),
            pick(
                self.include_prior_years,
                Msg::new(
                    "以前年度问题在截止日所在年度取得的整改成效：计入",
                    "outcomes on earlier years' findings within the cutoff's year: counted",
                ),
                Msg::new(
                    "以前年度问题在截止日所在年度取得的整改成效：不计入",
                    "outcomes on earlier years' findings within the cutoff's year: not counted",
                ),
            ),
        ]
    }
}

fn yes_no(key: &str, value: &str) -> Result<bool, Msg> {
    match value {
        "yes" | "true" | "1" | "是" | "计入" => Ok(true),
        "no" | "false" | "0" | "否" | "不计入" => Ok(false),
        _ => Err(bad_value(key, value, "yes|no（是|否）")),
    }
}

fn bad_value(key: &str, value: &str, valid: &str) -> Msg {
    Msg::new(
        format!("口径项“{key}”的值“{value}”无法识别，可用：{valid}"),
        format!("caliber “{key}” cannot be “{value}”; use {valid}"),
    )
}

fn bad_part(part: &str) -> Msg {
    Msg::new(
        format!("口径写法应为 键=值，如 partial=yes：“{part}”"),
        format!("write the caliber as key=value, e.g. partial=yes: “{part}”"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 6, 30).unwrap_or_default()
    }

    #[test]
    fn keys_and_values_in_either_language() {
        let mut c = Caliber::seed(day());
        c.apply("partial=yes，持续整改=否, basis=金额,scope=all")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(c.count_partial && !c.long_term_in_denominator);
        assert_eq!((c.basis, c.scope), (Basis::Amount, Scope::All));
        assert!(!c.include_prior_years);
    }

    #[test]
    fn mistakes_name_the_key_and_what_is_valid() {
        let mut c = Caliber::seed(day());
        let err = c
            .apply("partial=maybe")
            .err()
            .map(|m| m.zh)
            .unwrap_or_default();
        assert!(err.contains("partial") && err.contains("yes|no"), "{err}");
        let err = c
            .apply("colour=red")
            .err()
            .map(|m| m.zh)
            .unwrap_or_default();
        assert!(err.contains("colour"), "{err}");
        let err = c.apply("partial").err().map(|m| m.zh).unwrap_or_default();
        assert!(err.contains("键=值"), "{err}");
        let err = c
            .apply("partial=yes,colour=red")
            .err()
            .map(|m| m.zh)
            .unwrap_or_default();
        assert!(err.contains("colour"), "{err}");
        assert_eq!(c, Caliber::seed(day()), "a refused caliber changes nothing");
    }
}
