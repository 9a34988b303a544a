//! Every record in one line, in the words a ledger page uses: the finding page, `rectify show`
//! and `rectify history` all describe records through here, so a new kind of record is taught
//! once.

use crate::domain::{EvidenceEntry, FindingRecords, Id, KindAmount, Labelled, Money, Outcome};
use crate::i18n::tr;
use crate::store::{EntityKind, Record};
use chrono::NaiveDate;

/// One dated record of a finding, described.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordLine {
    pub date: NaiveDate,
    pub id: Id,
    pub kind: EntityKind,
    pub text: String,
}

/// A record in words: what kind of step, who, and what it says. Blank parts are left out.
pub fn describe(record: &Record) -> String {
    let parts: Vec<String> = match record {
        Record::Unit(u) => vec![u.name.clone(), u.kind.label().into()],
        Record::Project(p) => vec![p.number.clone(), p.name.clone()],
        Record::Finding(f) => vec![f.number.to_string(), f.title.to_string()],
        Record::Check(c) => vec![
            c.kind.label().into(),
            c.checker.to_string(),
            c.method.label().into(),
            c.verdict.label().into(),
            c.note.clone(),
            evidence(&c.evidence),
        ],
        Record::Progress(p) => vec![
            tr("报送", "claim").into(),
            p.submitted_by.clone(),
            p.claimed.label().into(),
            p.narrative.clone(),
            amounts(&p.amounts, p.amount_rectified),
            evidence(&p.evidence),
        ],
        Record::Determination(d) => vec![
            tr("认定", "review").into(),
            d.reviewer.clone(),
            d.method.label().into(),
            d.verdict.label().into(),
            d.opinion.clone(),
            amounts(&d.amounts, d.amount_confirmed),
            evidence(&d.evidence),
        ],
        Record::Closure(c) => vec![
            tr("销号", "closed").into(),
            c.closed_by.clone(),
            c.remark.clone(),
        ],
        Record::Reopen(r) => vec![
            tr("重新打开", "reopened").into(),
            r.by.clone(),
            r.reason.label().into(),
            r.note.clone(),
        ],
        Record::Outcome(o) => vec![
            tr("成效", "outcome").into(),
            o.kind.label().into(),
            outcome_size(o),
            o.documents.join(tr("、", ", ")),
            o.note.clone(),
            evidence(&o.evidence),
        ],
        Record::Accountability(a) => vec![
            tr("问责", "accountability").into(),
            if a.position.is_empty() {
                a.person.clone()
            } else {
                format!("{}（{}）", a.person, a.position)
            },
            a.measure.label().into(),
            a.decided_by.label().into(),
            a.document.clone(),
        ],
        Record::Referral(r) => vec![
            tr("移送", "referral").into(),
            r.receiver.label().into(),
            r.doc_no.clone(),
            r.status.label().into(),
            r.summary.clone(),
            r.feedback.clone(),
        ],
        Record::Supervision(s) => vec![
            tr("督办", "supervision").into(),
            s.kind.label().into(),
            s.by.clone(),
            s.summary.clone(),
        ],
        Record::Plan(p) => vec![
            p.kind.label().into(),
            p.title.clone(),
            format!("{} {}", p.findings.len(), tr("个问题", "findings")),
        ],
    };
    let parts: Vec<String> = parts.into_iter().filter(|p| !p.trim().is_empty()).collect();
    parts.join(" ")
}

/// A finding's records, archived ones left out, oldest first (same day: creation order).
pub fn timeline(records: &FindingRecords) -> Vec<RecordLine> {
    let all = records
        .checks
        .iter()
        .cloned()
        .map(Record::Check)
        .chain(records.reports.iter().cloned().map(Record::Progress))
        .chain(
            records
                .determinations
                .iter()
                .cloned()
                .map(Record::Determination),
        )
        .chain(records.closures.iter().cloned().map(Record::Closure))
        .chain(records.reopens.iter().cloned().map(Record::Reopen))
        .chain(records.outcomes.iter().cloned().map(Record::Outcome))
        .chain(
            records
                .accountability
                .iter()
                .cloned()
                .map(Record::Accountability),
        )
        .chain(records.referrals.iter().cloned().map(Record::Referral))
        .chain(
            records
                .supervisions
                .iter()
                .cloned()
                .map(Record::Supervision),
        );
    let mut lines: Vec<RecordLine> = all
        .filter(|r| !r.archived())
        .filter_map(|r| {
            Some(RecordLine {
                date: r.date()?,
                id: r.id(),
                kind: r.kind(),
                text: describe(&r),
            })
        })
        .collect();
    lines.sort_by_key(|l| (l.date, l.id));
    lines
}

fn money(amount: Money) -> String {
    amount.display()
}

fn amounts(by_kind: &[KindAmount], total: Option<Money>) -> String {
    let mut parts: Vec<String> = by_kind
        .iter()
        .map(|a| format!("{}{}", a.kind.label(), money(a.amount)))
        .collect();
    if parts.is_empty()
        && let Some(total) = total
    {
        parts.push(format!("{}{}", tr("整改金额", "amount "), money(total)));
    }
    parts.join(tr("，", ", "))
}

fn outcome_size(o: &Outcome) -> String {
    match o.amount {
        Some(amount) => money(amount),
        None => format!("{}{}", o.pieces(), tr("项", " items")),
    }
}

fn evidence(entries: &[EvidenceEntry]) -> String {
    if entries.is_empty() {
        return String::new();
    }
    format!("[{} {}]", tr("佐证", "evidence"), entries.len())
}
