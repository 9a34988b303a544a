//! What the story's rectifications achieved and the pressure behind them: amounts by kind and
//! evidence on claims and determinations, 整改成效, 追责问责, 督办 and 移送. These records never
//! move a finding's status, so they are dated without taking a slot in the script's timeline.

use super::Script;
use crate::domain::{
    Accountability, AccountabilityMeasure, DecidingBody, EvidenceEntry, EvidenceKind, Id,
    KindAmount, Outcome, OutcomeKind, Referral, ReferralReceiver, ReferralStatus, StatClass,
    Supervision, SupervisionKind,
};
use crate::store::Record;
use chrono::{Datelike, NaiveDate};

impl Script<'_> {
    /// The day itself if the story has reached it (and the finding was issued by then).
    fn side(&self, date: NaiveDate) -> Option<NaiveDate> {
        let issued = self.f.issued_on?;
        (date >= issued && date <= self.today).then_some(date)
    }

    /// Which outcome the money of this kind of finding turns into once rectified.
    pub(super) fn outcome_kind(&self) -> Option<OutcomeKind> {
        match self.f.stat_class {
            StatClass::Violation
                if self.f.title.contains("用途") || self.f.title.contains("专款") =>
            {
                Some(OutcomeKind::ReturnedToChannel)
            }
            StatClass::Violation => Some(OutcomeKind::PaidToTreasury),
            StatClass::Irregular
                if self.f.title.contains("闲置") || self.f.title.contains("滞留") =>
            {
                Some(OutcomeKind::IdleFundsRevived)
            }
            StatClass::Irregular
                if self.f.title.contains("拨付") || self.f.title.contains("发放") =>
            {
                Some(OutcomeKind::FundsDisbursed)
            }
            StatClass::Irregular => Some(OutcomeKind::AccountsAdjusted),
            StatClass::LossWaste => Some(OutcomeKind::Recovered),
            StatClass::NonMonetary => None,
        }
    }

    /// The amount of `pct` percent of the finding's money, by its outcome kind.
    pub(super) fn amounts(&self, pct: i64) -> Vec<KindAmount> {
        match (self.outcome_kind(), self.share(pct)) {
            (Some(kind), Some(amount)) if amount.fen() > 0 => vec![KindAmount { kind, amount }],
            _ => Vec::new(),
        }
    }

    /// The papers a unit sends with a claim of 已整改 (registered on paper, no file kept).
    pub(super) fn claim_evidence(&self, date: NaiveDate) -> Vec<EvidenceEntry> {
        let unit = self.lead.map_or("责任单位", |u| u.short_name.as_str());
        let paper = |name: String, kind, doc_no: String| EvidenceEntry {
            file_name: name,
            kind,
            doc_no,
            sha256: None,
            size: None,
        };
        let mut out = vec![paper(
            format!("{unit}关于“{}”问题的整改报告", self.f.title),
            EvidenceKind::Other,
            String::new(),
        )];
        let year = date.year();
        let seq = self.f.number.rsplit('-').next().unwrap_or("1");
        out.push(match self.f.stat_class {
            StatClass::Violation | StatClass::LossWaste => paper(
                "非税收入一般缴款书（回单联）".into(),
                EvidenceKind::PaymentVoucher,
                format!("缴〔{year}〕{seq}号"),
            ),
            StatClass::Irregular => paper(
                "调账记账凭证及附件".into(),
                EvidenceKind::AdjustmentVoucher,
                format!("记〔{year}〕{seq}号"),
            ),
            StatClass::NonMonetary => paper(
                format!("{unit}党组（党委）会议纪要"),
                EvidenceKind::Minutes,
                format!("纪要〔{year}〕{seq}号"),
            ),
        });
        out
    }

    /// After a determination of 已整改: the outcomes the annual report counts.
    pub(super) fn outcomes(&mut self, date: NaiveDate, pct: i64) {
        let Some(date) = self.side(date) else { return };
        let unit = self.lead.map_or(String::new(), |u| u.short_name.clone());
        for amount in self.amounts(pct) {
            let record = self.outcome(date, amount.kind, Some(amount.amount), Vec::new());
            self.out.push(record);
        }
        if matches!(
            self.f.stat_class,
            StatClass::NonMonetary | StatClass::Irregular
        ) {
            let topic = self.f.category.trim_end_matches("管理");
            let rule = format!("《{unit}{topic}管理办法》");
            let record = self.outcome(date, OutcomeKind::RulesImproved, None, vec![rule]);
            self.out.push(record);
        }
    }

    fn outcome(
        &self,
        date: NaiveDate,
        kind: OutcomeKind,
        amount: Option<crate::domain::Money>,
        documents: Vec<String>,
    ) -> Record {
        Record::Outcome(Outcome {
            id: Id::new(),
            finding: self.f.id,
            date,
            recorded_by: self.reviewer.to_string(),
            kind,
            amount,
            count: None,
            documents,
            note: String::new(),
            evidence: Vec::new(),
            archived: false,
        })
    }

    /// 追责问责 of the unit's principal for a relapse or a fake rectification.
    pub(super) fn accountability(&mut self, date: NaiveDate, measure: AccountabilityMeasure) {
        let Some(date) = self.side(date) else { return };
        let Some(unit) = self.lead else { return };
        self.out.push(Record::Accountability(Accountability {
            id: Id::new(),
            finding: self.f.id,
            date,
            recorded_by: self.reviewer.to_string(),
            person: unit.leader.clone(),
            position: "主要负责人".into(),
            entity: unit.name.clone(),
            measure,
            decided_by: DecidingBody::DisciplineCommission,
            document: format!("区纪委〔{}〕{}号", date.year(), 10 + date.ordinal() % 80),
            note: format!("“{}”问题整改不力", self.f.title),
            archived: false,
        }));
    }

    /// A 督办 step on the lead unit.
    pub(super) fn supervise(&mut self, date: NaiveDate, kind: SupervisionKind, summary: &str) {
        let Some(date) = self.side(date) else { return };
        self.out.push(Record::Supervision(Supervision {
            id: Id::new(),
            finding: self.f.id,
            date,
            by: self.reviewer.to_string(),
            kind,
            target_unit: self.lead.map(|u| u.id),
            summary: summary.to_string(),
            response_due: Some(date + chrono::Duration::days(15)),
            archived: false,
        }));
    }

    /// 移送 to the discipline commission; older referrals have been answered.
    pub(super) fn refer(&mut self, date: NaiveDate) {
        let Some(date) = self.side(date) else { return };
        let answered = date + chrono::Duration::days(120);
        let done = answered <= self.today;
        self.out.push(Record::Referral(Referral {
            id: Id::new(),
            finding: self.f.id,
            date,
            recorded_by: self.reviewer.to_string(),
            receiver: ReferralReceiver::DisciplineCommission,
            doc_no: format!("区审移〔{}〕{}号", date.year(), 1 + date.ordinal() % 9),
            summary: format!("“{}”问题涉及相关人员违规决策", self.f.title),
            persons: 2,
            feedback_due: Some(date + chrono::Duration::days(90)),
            status: if done {
                ReferralStatus::Concluded
            } else {
                ReferralStatus::InHand
            },
            feedback_on: done.then_some(answered),
            feedback: if done {
                "已对2名相关责任人员给予党纪政务处分".into()
            } else {
                String::new()
            },
            archived: false,
        }));
    }
}
