//! The figures of the annual report (section 一 and the counts of section 二), each with the
//! findings behind it so that anyone can check a number against the ledger.

use super::caliber::{Basis, Caliber, Scope};
use super::facts::{Facts, FindingFact};
use crate::domain::{
    Finding, FindingRecords, Id, Money, OutcomeKind, ReviewVerdict, Status, UnresolvedReason,
};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// A count and the findings it counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counted {
    pub count: u64,
    pub findings: Vec<Id>,
}

/// A sum of money and the findings it comes from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summed {
    pub amount: Money,
    pub findings: Vec<Id>,
}

impl Counted {
    fn add(&mut self, n: u64, id: Id) {
        self.count += n;
        if n > 0 && self.findings.last() != Some(&id) {
            self.findings.push(id);
        }
    }
}

impl Summed {
    fn add(&mut self, amount: Money, id: Id) {
        if amount.fen() == 0 {
            return;
        }
        self.amount = self.amount.checked_add(amount).unwrap_or(self.amount);
        if self.findings.last() != Some(&id) {
            self.findings.push(id);
        }
    }
}

/// A share in tenths of a percent, computed with integers so it prints the same everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rate {
    pub numerator: i64,
    pub denominator: i64,
}

impl Rate {
    /// `94.3`, rounded half up; `—` when there is nothing to divide by.
    pub fn percent(self) -> String {
        if self.denominator <= 0 {
            return "—".into();
        }
        let tenths = (self.numerator as i128 * 1000 + self.denominator as i128 / 2)
            / self.denominator as i128;
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// The unfinished findings of one reason (section 二).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReasonGroup {
    pub reason: Option<UnresolvedReason>,
    pub findings: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub year: i32,
    /// 审计报告反映的问题.
    pub total: Counted,
    /// 已整改到位 under the 口径.
    pub rectified: Counted,
    /// The findings the rate is a share of.
    pub denominator: Counted,
    pub rate: Rate,
    pub partial: Counted,
    pub long_term: Counted,
    /// Not rectified under the 口径 (section 二).
    pub unfinished: Counted,
    pub unfinished_share: Rate,
    /// 问题涉及金额 of the findings in scope.
    pub amount_involved: Summed,
    /// 整改问题金额: confirmed by the latest determination.
    pub amount_rectified: Summed,
    /// 促进增收节支: 增收节支, 上缴财政, 减少财政拨款或补贴.
    pub revenue: Summed,
    /// 拨付、盘活、追回资金: 促进资金拨付, 盘活存量资金, 追回资金, 归还原资金渠道.
    pub funds: Summed,
    /// 审减投资.
    pub investment_cut: Summed,
    /// 调整账项, 挽回损失 and other money outcomes.
    pub other_money: Summed,
    /// 追责问责 people (one record per person).
    pub people: Counted,
    /// 完善规章制度 items, with their names.
    pub rules: Counted,
    pub rule_names: Vec<String>,
    pub recommendations_adopted: Counted,
    /// 移送 matters (distinct 文号) and the people involved.
    pub referrals: Counted,
    pub referral_persons: u64,
    /// Earlier years' findings rectified within the cutoff's year (shown when counted).
    pub prior_rectified: Counted,
    pub groups: Vec<ReasonGroup>,
}

/// The order section 二 takes its reasons in (the seed's three first).
pub const REASON_ORDER: [Option<UnresolvedReason>; 9] = [
    Some(UnresolvedReason::Institutional),
    Some(UnresolvedReason::ComplexNeedsTime),
    Some(UnresolvedReason::MultiDepartment),
    Some(UnresolvedReason::Historical),
    Some(UnresolvedReason::FundingGap),
    Some(UnresolvedReason::Judicial),
    Some(UnresolvedReason::ConditionsLacking),
    Some(UnresolvedReason::Other),
    None,
];

// The rules of the 口径 for one finding, shared with every other place that counts findings
// (the terminal's 总览), so that a figure means the same wherever it is shown.

/// Whether the finding was issued to its unit by the end of `cutoff`: only issued findings are
/// counted at all.
pub fn issued_by(finding: &Finding, cutoff: NaiveDate) -> bool {
    finding.issued_on.is_some_and(|issued| issued <= cutoff)
}

/// Whether the 口径's scope takes the finding (the year is the caller's to check).
pub fn in_scope(finding: &Finding, caliber: &Caliber) -> bool {
    match caliber.scope {
        Scope::Reported => finding.flags.report_to_congress,
        Scope::All => true,
    }
}

/// 已整改到位 under the 口径.
pub fn is_rectified(status: Status, caliber: &Caliber) -> bool {
    status.is_rectified() || (caliber.count_partial && status == Status::Partial)
}

/// Whether the finding is in the denominator of the count-based 整改率.
pub fn in_denominator(status: Status, caliber: &Caliber) -> bool {
    caliber.long_term_in_denominator || status != Status::LongTerm
}

/// The period in which earlier years' outcomes count: the cutoff's calendar year up to it.
fn prior_period(cutoff: NaiveDate) -> (NaiveDate, NaiveDate) {
    let start = NaiveDate::from_ymd_opt(cutoff.year(), 1, 1).unwrap_or(cutoff);
    (start, cutoff)
}

pub fn compute(facts: &Facts, year: i32, caliber: &Caliber) -> Figures {
    let in_scope = |f: &FindingFact| f.year == year && in_scope(&f.finding, caliber);
    let (from, to) = prior_period(caliber.cutoff);
    let mut fig = Figures {
        year,
        total: Counted::default(),
        rectified: Counted::default(),
        denominator: Counted::default(),
        rate: Rate {
            numerator: 0,
            denominator: 0,
        },
        partial: Counted::default(),
        long_term: Counted::default(),
        unfinished: Counted::default(),
        unfinished_share: Rate {
            numerator: 0,
            denominator: 0,
        },
        amount_involved: Summed::default(),
        amount_rectified: Summed::default(),
        revenue: Summed::default(),
        funds: Summed::default(),
        investment_cut: Summed::default(),
        other_money: Summed::default(),
        people: Counted::default(),
        rules: Counted::default(),
        rule_names: Vec::new(),
        recommendations_adopted: Counted::default(),
        referrals: Counted::default(),
        referral_persons: 0,
        prior_rectified: Counted::default(),
        groups: Vec::new(),
    };
    let mut referral_docs = std::collections::BTreeSet::new();
    // The amount rate compares this year's findings with themselves, whatever else is counted.
    let mut rectified_current = Money::ZERO;
    for fact in &facts.findings {
        let id = fact.finding.id;
        let status = fact.status.status;
        let current = in_scope(fact);
        let prior = caliber.include_prior_years && fact.year < year;
        if !current && !prior {
            continue;
        }
        // Outcomes and people: all of a current finding's up to the cutoff; an earlier year's
        // only those within the period.
        let counts = |date: NaiveDate| current || (date >= from && date <= to);
        if current {
            fig.total.add(1, id);
            let rectified = is_rectified(status, caliber);
            let long_term = status == Status::LongTerm;
            if rectified {
                fig.rectified.add(1, id);
            } else {
                fig.unfinished.add(1, id);
            }
            if status == Status::Partial {
                fig.partial.add(1, id);
            }
            if long_term {
                fig.long_term.add(1, id);
            }
            if in_denominator(status, caliber) {
                fig.denominator.add(1, id);
            }
            if let Some(amount) = fact.finding.amount {
                fig.amount_involved.add(amount, id);
            }
        } else if status.is_rectified() && rectified_within(fact, from, to) {
            fig.prior_rectified.add(1, id);
        }
        if let Some(d) = latest_confirmation(&fact.records)
            && counts(d.0)
        {
            fig.amount_rectified.add(d.1, id);
            if current {
                rectified_current = rectified_current
                    .checked_add(d.1)
                    .unwrap_or(rectified_current);
            }
        }
        for o in fact.records.outcomes.iter().filter(|o| counts(o.date)) {
            let money = o.amount.unwrap_or(Money::ZERO);
            match o.kind {
                OutcomeKind::IncreaseRevenue
                | OutcomeKind::PaidToTreasury
                | OutcomeKind::ReducedAppropriation => fig.revenue.add(money, id),
                OutcomeKind::FundsDisbursed
                | OutcomeKind::IdleFundsRevived
                | OutcomeKind::Recovered
                | OutcomeKind::ReturnedToChannel => fig.funds.add(money, id),
                OutcomeKind::InvestmentReduced => fig.investment_cut.add(money, id),
                OutcomeKind::AccountsAdjusted | OutcomeKind::LossAvoided | OutcomeKind::Other => {
                    fig.other_money.add(money, id)
                }
                OutcomeKind::RulesImproved => {
                    fig.rules.add(u64::from(o.pieces()), id);
                    fig.rule_names.extend(o.documents.iter().cloned());
                }
                OutcomeKind::RecommendationAdopted => {
                    fig.recommendations_adopted.add(u64::from(o.pieces()), id)
                }
            }
        }
        let people = fact
            .records
            .accountability
            .iter()
            .filter(|a| counts(a.date))
            .count();
        fig.people.add(people as u64, id);
        for r in fact.records.referrals.iter().filter(|r| counts(r.date)) {
            if referral_docs.insert(r.doc_no.clone()) {
                fig.referrals.add(1, id);
                fig.referral_persons += u64::from(r.persons);
            }
        }
    }
    fig.rate = match caliber.basis {
        Basis::Count => Rate {
            numerator: fig
                .rectified
                .findings
                .iter()
                .filter(|id| fig.denominator.findings.contains(id))
                .count() as i64,
            denominator: fig.denominator.count as i64,
        },
        Basis::Amount => Rate {
            numerator: rectified_current.fen(),
            denominator: fig.amount_involved.amount.fen(),
        },
    };
    fig.unfinished_share = Rate {
        numerator: fig.unfinished.count as i64,
        denominator: fig.total.count as i64,
    };
    fig.rule_names.sort();
    fig.rule_names.dedup();
    fig.groups = REASON_ORDER
        .iter()
        .map(|reason| ReasonGroup {
            reason: *reason,
            findings: facts
                .findings
                .iter()
                .filter(|f| fig.unfinished.findings.contains(&f.finding.id))
                .filter(|f| f.finding.unresolved_reason == *reason)
                .map(|f| f.finding.id)
                .collect(),
        })
        .filter(|g| !g.findings.is_empty())
        .collect();
    fig
}

/// Whether the step that made an earlier year's finding rectified (an accepting determination or
/// check) falls within the period.
fn rectified_within(fact: &FindingFact, from: NaiveDate, to: NaiveDate) -> bool {
    let within = |d: NaiveDate| d >= from && d <= to;
    fact.records
        .determinations
        .iter()
        .any(|d| d.verdict == ReviewVerdict::Rectified && within(d.date))
        || fact
            .records
            .checks
            .iter()
            .any(|c| c.verdict == crate::domain::CheckVerdict::Rectified && within(c.date))
}

/// The rectified amount the latest determination confirmed (its total, else its amounts by
/// kind), with its date; nothing when the latest determination confirmed nothing. This is the
/// numerator of the amount-based 整改率.
pub fn latest_confirmation(records: &FindingRecords) -> Option<(NaiveDate, Money)> {
    let latest = records
        .determinations
        .iter()
        .max_by_key(|d| (d.date, d.id))?;
    if !matches!(
        latest.verdict,
        ReviewVerdict::Rectified | ReviewVerdict::Partial | ReviewVerdict::LongTerm
    ) {
        return None;
    }
    let amount = latest
        .amount_confirmed
        .unwrap_or_else(|| Money::sum(latest.amounts.iter().map(|a| a.amount)));
    Some((latest.date, amount))
}
