//! The annual report as JSON: every figure with the findings behind it (id and number), the 口径
//! both as settings and in words, and the journal heads the figures were built from.

use super::AnnualReport;
use super::figures::{Counted, Rate, Summed};
use super::text::{Style, render};
use crate::domain::{Id, Labelled};
use serde_json::{Value, json};

fn findings(report: &AnnualReport, ids: &[Id]) -> Value {
    json!(
        ids.iter()
            .map(|id| json!({
                "id": id.to_string(),
                "number": report.numbers.get(id).cloned().unwrap_or_default(),
            }))
            .collect::<Vec<_>>()
    )
}

fn counted(report: &AnnualReport, c: &Counted) -> Value {
    json!({ "count": c.count, "findings": findings(report, &c.findings) })
}

fn summed(report: &AnnualReport, s: &Summed) -> Value {
    json!({
        "fen": s.amount.fen(),
        "wan_yuan": s.amount.format_rounded(crate::domain::MoneyUnit::Wan, 4),
        "findings": findings(report, &s.findings),
    })
}

fn rate(r: Rate) -> Value {
    json!({ "numerator": r.numerator, "denominator": r.denominator, "percent": r.percent() })
}

pub fn to_json(report: &AnnualReport) -> Value {
    let f = &report.figures;
    let c = &report.caliber;
    json!({
        "year": f.year,
        "caliber": {
            "cutoff": c.cutoff.to_string(),
            "count_partial": c.count_partial,
            "long_term_in_denominator": c.long_term_in_denominator,
            "include_prior_years": c.include_prior_years,
            "basis": c.basis,
            "scope": c.scope,
            "text": c.describe().into_iter().map(|m| m.zh).collect::<Vec<_>>(),
        },
        "figures": {
            "total": counted(report, &f.total),
            "rectified": counted(report, &f.rectified),
            "denominator": counted(report, &f.denominator),
            "rate": rate(f.rate),
            "partial": counted(report, &f.partial),
            "long_term": counted(report, &f.long_term),
            "unfinished": counted(report, &f.unfinished),
            "unfinished_share": rate(f.unfinished_share),
            "amount_involved": summed(report, &f.amount_involved),
            "amount_rectified": summed(report, &f.amount_rectified),
            "revenue": summed(report, &f.revenue),
            "funds": summed(report, &f.funds),
            "investment_cut": summed(report, &f.investment_cut),
            "other_money": summed(report, &f.other_money),
            "people": counted(report, &f.people),
            "rules": counted(report, &f.rules),
            "rule_names": f.rule_names,
            "recommendations_adopted": counted(report, &f.recommendations_adopted),
            "referrals": counted(report, &f.referrals),
            "referral_persons": f.referral_persons,
            "prior_rectified": counted(report, &f.prior_rectified),
        },
        "unfinished_by_reason": f.groups.iter().map(|g| json!({
            "reason": g.reason.map(|r| r.label_in(crate::i18n::Lang::Zh)),
            "count": g.findings.len(),
            "findings": findings(report, &g.findings),
        })).collect::<Vec<_>>(),
        "built_from": report.heads,
        "text": render(&report.blocks, Style::Plain),
    })
}
