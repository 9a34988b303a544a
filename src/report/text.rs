//! The annual report in the seed's words (`../shared/seed`): section 一 with the figures, section
//! 二 with the unfinished problems grouped by reason and an example or two of each. The report
//! is an official Chinese document, so its text is Chinese whatever the UI language.

use super::caliber::{Basis, Caliber};
use super::facts::Facts;
use super::figures::{Figures, ReasonGroup};
use crate::domain::{Labelled, Money, MoneyUnit, UnresolvedReason};
use chrono::{Datelike, NaiveDate};

/// How many examples each group of unfinished problems cites.
const EXAMPLES_PER_GROUP: usize = 2;
/// How many rule names section 一 lists.
const RULES_LISTED: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Markdown,
    Plain,
}

/// One block of the report: a heading or a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Title(String),
    Heading(String),
    Paragraph(String),
    /// The 口径 and provenance lines, set apart from the text.
    Note(Vec<String>),
}

/// The report as blocks, shared by the text and Word writers.
pub fn blocks(fig: &Figures, facts: &Facts, caliber: &Caliber) -> Vec<Block> {
    let mut out = vec![Block::Title(format!(
        "{}年度审计查出问题整改情况报告",
        fig.year
    ))];
    let mut note: Vec<String> = vec!["统计口径".into()];
    note.extend(caliber.describe().into_iter().map(|m| m.zh));
    out.push(Block::Note(note));
    out.push(Block::Heading("一、审计查出问题整改的基本情况".into()));
    out.push(Block::Paragraph(basic_paragraph(fig, caliber)));
    let extra = extra_paragraph(fig, caliber);
    if !extra.is_empty() {
        out.push(Block::Paragraph(extra));
    }
    out.push(Block::Heading("二、未整改到位的问题及后续工作安排".into()));
    out.extend(unfinished_blocks(fig, facts, caliber));
    out
}

pub fn render(blocks: &[Block], style: Style) -> String {
    let mut out = String::new();
    for block in blocks {
        match (block, style) {
            (Block::Title(t), Style::Markdown) => out.push_str(&format!("# {t}\n\n")),
            (Block::Heading(h), Style::Markdown) => out.push_str(&format!("## {h}\n\n")),
            (Block::Note(lines), Style::Markdown) => {
                for (i, line) in lines.iter().enumerate() {
                    if i == 0 {
                        out.push_str(&format!("> **{line}**\n>\n"));
                    } else {
                        out.push_str(&format!("> - {line}\n"));
                    }
                }
                out.push('\n');
            }
            (Block::Title(t), Style::Plain) => out.push_str(&format!("{t}\n\n")),
            (Block::Heading(h), Style::Plain) => out.push_str(&format!("{h}\n")),
            (Block::Note(lines), Style::Plain) => {
                for (i, line) in lines.iter().enumerate() {
                    if i == 0 {
                        out.push_str(&format!("【{line}】\n"));
                    } else {
                        out.push_str(&format!("  {line}\n"));
                    }
                }
                out.push('\n');
            }
            (Block::Paragraph(p), Style::Markdown) => out.push_str(&format!("{p}\n\n")),
            (Block::Paragraph(p), Style::Plain) => out.push_str(&format!("　　{p}\n")),
        }
    }
    out
}

/// `2023年6月30日`.
pub fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// 万元 with four decimals, as reports print them.
pub fn wan(m: Money) -> String {
    format!("{}万元", m.format_rounded(MoneyUnit::Wan, 4))
}

/// 亿元 from one hundred million up, else 万元.
pub fn large(m: Money) -> String {
    if m.fen().unsigned_abs() >= 10_000_000_000 {
        format!("{}亿元", m.format_rounded(MoneyUnit::Yi, 4))
    } else {
        wan(m)
    }
}

fn basic_paragraph(fig: &Figures, caliber: &Caliber) -> String {
    let head = format!(
        "{}年审计报告反映{}个问题，截至{}，已整改到位{}个",
        fig.year,
        fig.total.count,
        chinese_date(caliber.cutoff),
        fig.rectified.count
    );
    let rate = match caliber.basis {
        Basis::Count => format!("整改率{}%", fig.rate.percent()),
        Basis::Amount => format!(
            "按金额计算整改率{}%（已认定整改金额{}，问题涉及金额{}）",
            fig.rate.percent(),
            wan(fig.amount_rectified.amount),
            wan(fig.amount_involved.amount)
        ),
    };
    format!(
        "{head}，{rate}。通过整改，促进增收节支{}，拨付、盘活、追回资金{}，审减投资{}，追责问责{}人，促进各被审计单位修改完善规章制度{}项，整改问题金额{}。",
        wan(fig.revenue.amount),
        wan(fig.funds.amount),
        wan(fig.investment_cut.amount),
        fig.people.count,
        fig.rules.count,
        large(fig.amount_rectified.amount),
    )
}

fn extra_paragraph(fig: &Figures, caliber: &Caliber) -> String {
    let mut parts = Vec::new();
    if !caliber.count_partial && fig.partial.count > 0 {
        parts.push(format!(
            "另有{}个问题已部分整改，未计入已整改到位",
            fig.partial.count
        ));
    }
    if !caliber.long_term_in_denominator && fig.long_term.count > 0 {
        parts.push(format!(
            "{}个持续整改事项未计入整改率的分母",
            fig.long_term.count
        ));
    }
    if fig.other_money.amount.fen() != 0 {
        parts.push(format!(
            "调整账项、挽回损失等{}",
            wan(fig.other_money.amount)
        ));
    }
    if fig.referrals.count > 0 {
        parts.push(format!(
            "向纪检监察等机关移送问题线索{}件，涉及{}人",
            fig.referrals.count, fig.referral_persons
        ));
    }
    if fig.recommendations_adopted.count > 0 {
        parts.push(format!(
            "审计建议被采纳{}条",
            fig.recommendations_adopted.count
        ));
    }
    if caliber.include_prior_years && fig.prior_rectified.count > 0 {
        parts.push(format!(
            "以前年度审计查出的{}个问题在{}年整改到位，其整改成效已计入上述金额",
            fig.prior_rectified.count,
            caliber.cutoff.year()
        ));
    }
    if !fig.rule_names.is_empty() {
        let listed: Vec<&str> = fig
            .rule_names
            .iter()
            .take(RULES_LISTED)
            .map(String::as_str)
            .collect();
        let more = if fig.rule_names.len() > RULES_LISTED {
            "等"
        } else {
            ""
        };
        parts.push(format!("建立健全了{}{more}制度", listed.join("")));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}。", parts.join("；"))
    }
}

/// The seed's heading for each reason.
fn reason_heading(reason: Option<UnresolvedReason>) -> &'static str {
    match reason {
        Some(UnresolvedReason::Institutional) => "涉及体制机制的问题，需要在工作中逐步解决",
        Some(UnresolvedReason::ComplexNeedsTime) => "涉及情况复杂的事项，需要一定时间完成整改",
        Some(UnresolvedReason::MultiDepartment) => "涉及多个部门的事项，需要协同合力推动整改",
        Some(UnresolvedReason::Historical) => "涉及历史遗留的问题，需要分步化解",
        Some(UnresolvedReason::FundingGap) => "涉及资金缺口的事项，需要统筹资金逐步解决",
        Some(UnresolvedReason::Judicial) => "涉及司法程序的事项，需要依法推进",
        Some(UnresolvedReason::ConditionsLacking) => "整改条件暂不具备的事项，需要创造条件推进整改",
        Some(UnresolvedReason::Other) => "其他原因尚未整改到位的问题",
        None => "尚未说明原因的问题，需要督促有关单位加快整改",
    }
}

const ORDINALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn unfinished_blocks(fig: &Figures, facts: &Facts, caliber: &Caliber) -> Vec<Block> {
    if fig.unfinished.count == 0 {
        return vec![Block::Paragraph(format!(
            "截至{}，{}年度审计查出问题已全部整改到位。",
            chinese_date(caliber.cutoff),
            fig.year
        ))];
    }
    let mut out = vec![Block::Paragraph(format!(
        "从整改情况看，{}年度审计查出问题的整改工作取得了阶段性成果，但有{}个问题尚未整改到位，占问题总数的{}%。对此，审计机关严格落实“三个区分开来”重要要求，实事求是分析了原因，主要是：",
        fig.year,
        fig.unfinished.count,
        fig.unfinished_share.percent()
    ))];
    for (i, group) in fig.groups.iter().enumerate() {
        let ordinal = ORDINALS.get(i).copied().unwrap_or("十");
        out.push(Block::Paragraph(format!(
            "（{ordinal}）{}（{}个）。{}",
            reason_heading(group.reason),
            group.findings.len(),
            examples(group, facts)
        )));
    }
    out.push(Block::Paragraph(
        "以上问题，有关部门单位对后续整改作出了安排，审计机关将持续加强对问题整改的跟踪检查，确保发现的问题全部整改落实。".into(),
    ));
    out
}

/// “如：…” with the group's largest problems first (by amount, then number).
fn examples(group: &ReasonGroup, facts: &Facts) -> String {
    let mut items: Vec<_> = facts
        .findings
        .iter()
        .filter(|f| group.findings.contains(&f.finding.id))
        .collect();
    items.sort_by_key(|f| std::cmp::Reverse(f.finding.amount.map_or(0, |m| m.fen())));
    let texts: Vec<String> = items
        .iter()
        .take(EXAMPLES_PER_GROUP)
        .map(|f| {
            let amount = f
                .finding
                .amount
                .map(|m| format!("（涉及金额{}）", wan(m)))
                .unwrap_or_default();
            let status = f.status.status.label_in(crate::i18n::Lang::Zh);
            let why = f.finding.justification.trim();
            let why = why.trim_end_matches('。');
            let mut text = format!(
                "{}关于“{}”的问题{amount}，目前{status}",
                f.project_name, f.finding.title
            );
            if !why.is_empty() {
                text.push_str(&format!("，{why}"));
            }
            text
        })
        .collect();
    if texts.is_empty() {
        String::new()
    } else {
        format!("如：{}。", texts.join("；"))
    }
}
