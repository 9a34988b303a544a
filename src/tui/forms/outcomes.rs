//! Forms for what a finding led to and the pressure put behind it: 整改成效 (outcomes),
//! 追责问责 (one person per record), 移送 (referrals) and 督办 (supervision steps). Each is a
//! new record on the finding, opened from the add-record menu.

use super::field::{Field, Input};
use super::lines::{attach, both, drafts, parse_evidence};
use super::specs::{choice, date, finish, line, money};
use super::{Form, Target};
use crate::domain::{
    Accountability, AccountabilityMeasure, DecidingBody, FieldError, Id, Outcome, OutcomeKind,
    Referral, ReferralReceiver, ReferralStatus, Supervision, SupervisionKind,
};
use crate::store::Record;
use crate::tui::model::Snapshot;
use crate::tui::strings::S;
use crate::tui::widgets::text_area::TextArea;
use chrono::NaiveDate;
use std::path::Path;

/// The kinds of record the add-record menu offers, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddKind {
    Outcome,
    Accountability,
    Referral,
    Supervision,
}

impl AddKind {
    pub const ALL: [AddKind; 4] = [
        AddKind::Outcome,
        AddKind::Accountability,
        AddKind::Referral,
        AddKind::Supervision,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AddKind::Outcome => S::MenuOutcome.t(),
            AddKind::Accountability => S::MenuAccountability.t(),
            AddKind::Referral => S::MenuReferral.t(),
            AddKind::Supervision => S::MenuSupervision.t(),
        }
    }

    /// The form that records this kind on `finding`.
    pub fn form(self, finding: Id, snap: &Snapshot, user: &str) -> Form {
        match self {
            AddKind::Outcome => outcome_form(finding, snap, user),
            AddKind::Accountability => accountability_form(finding, snap, user),
            AddKind::Referral => referral_form(finding, snap, user),
            AddKind::Supervision => supervision_form(finding, snap, user),
        }
    }
}

fn area(text: &str) -> Input {
    Input::Area(TextArea::with_text(text))
}

/// The 佐证材料 field: one item per line, a file path to attach or a paper document's name.
pub(super) fn evidence_field() -> Field {
    Field::new("evidence", ("佐证材料", "Evidence"), area("")).with_hint((
        "每行一项：[类别] 文件路径或材料名称，如 缴款退款凭证 ~/凭证.pdf",
        "one per line: [kind] file path or paper name, e.g. 缴款退款凭证 ~/a.pdf",
    ))
}

fn lead_unit(snap: &Snapshot, finding: Id) -> Option<Id> {
    snap.finding(finding).and_then(|r| r.finding.lead_unit())
}

pub fn outcome_form(finding: Id, snap: &Snapshot, user: &str) -> Form {
    let fields = vec![
        Field::new(
            "kind",
            ("成效类别", "Kind"),
            choice(OutcomeKind::IncreaseRevenue),
        ),
        Field::new("amount", ("金额（万元）", "Amount (万元)"), money(None)),
        Field::new("count", ("项数", "Count"), line("")),
        Field::new("documents", ("制度名称", "Rules made"), area("")).with_hint((
            "完善制度时填写，每行一项",
            "for rules improved: one rule per line",
        )),
        Field::new("date", ("日期", "Date"), date(Some(snap.today))).required(),
        Field::new("note", ("说明", "Note"), area("")),
        evidence_field(),
        Field::new("recorded_by", ("登记人", "Recorded by"), line(user)).required(),
    ];
    Form::new(S::NewOutcome.t(), Target::Outcome(finding), fields)
}

pub fn accountability_form(finding: Id, snap: &Snapshot, user: &str) -> Form {
    let entity = lead_unit(snap, finding)
        .and_then(|u| snap.unit(u))
        .map(|u| u.name.clone())
        .unwrap_or_default();
    let fields = vec![
        Field::new("person", ("被问责人", "Person"), line("")).required(),
        Field::new("position", ("职务", "Position"), line("")),
        Field::new("entity", ("所在单位", "Unit"), line(&entity)),
        Field::new(
            "measure",
            ("问责方式", "Measure"),
            choice(AccountabilityMeasure::ReminderTalk),
        ),
        Field::new(
            "decided_by",
            ("决定机关", "Decided by"),
            choice(DecidingBody::DisciplineCommission),
        ),
        Field::new("document", ("决定文号", "Decision number"), line("")),
        Field::new("date", ("决定日期", "Date"), date(Some(snap.today))).required(),
        Field::new("note", ("说明", "Note"), area("")),
        Field::new("recorded_by", ("登记人", "Recorded by"), line(user)).required(),
    ];
    Form::new(
        S::NewAccountability.t(),
        Target::Accountability(finding),
        fields,
    )
}

pub fn referral_form(finding: Id, snap: &Snapshot, user: &str) -> Form {
    let fields = vec![
        Field::new(
            "receiver",
            ("移送对象", "Referred to"),
            choice(ReferralReceiver::DisciplineCommission),
        ),
        Field::new("doc_no", ("移送文号", "Document number"), line("")).required(),
        Field::new("summary", ("移送事项", "Summary"), area("")),
        Field::new("persons", ("涉及人数", "Persons involved"), line("")),
        Field::new("feedback_due", ("反馈期限", "Feedback due"), date(None)),
        Field::new("date", ("移送日期", "Date sent"), date(Some(snap.today))).required(),
        Field::new("recorded_by", ("登记人", "Recorded by"), line(user)).required(),
    ];
    Form::new(S::NewReferral.t(), Target::Referral(finding), fields)
}

pub fn supervision_form(finding: Id, snap: &Snapshot, user: &str) -> Form {
    let units = snap.units.iter().map(|u| (u.id, u.name.clone())).collect();
    let fields = vec![
        Field::new(
            "kind",
            ("督办方式", "Kind"),
            choice(SupervisionKind::PhoneReminder),
        ),
        Field::new("summary", ("督办内容", "Summary"), area("")),
        Field::new(
            "target_unit",
            ("督办对象", "Unit pressed"),
            Input::Entity {
                options: units,
                value: lead_unit(snap, finding),
            },
        ),
        Field::new("response_due", ("回复期限", "Response due"), date(None)),
        Field::new("date", ("督办日期", "Date"), date(Some(snap.today))).required(),
        Field::new("by", ("经办人", "By"), line(user)).required(),
    ];
    Form::new(S::NewSupervision.t(), Target::Supervision(finding), fields)
}

/// An optional whole number (项数, 人数); `bad` is the complaint when it is not one.
fn number(form: &Form, key: &'static str, bad: S, errors: &mut Vec<FieldError>) -> Option<u32> {
    let text = form.text(key);
    if text.is_empty() {
        return None;
    }
    match text.parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(FieldError {
                field: key,
                msg: both(bad),
            });
            None
        }
    }
}

/// The lines of a multi-line field, trimmed, blanks left out.
fn list(form: &Form, key: &str) -> Vec<String> {
    form.text(key)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn build(form: &Form, today: NaiveDate, store_dir: &Path) -> Result<Record, Vec<FieldError>> {
    let mut errors = Vec::new();
    let date = form.date("date", today, &mut errors).unwrap_or(today);
    match &form.target {
        Target::Outcome(finding) => {
            let evidence = parse_evidence(&form.text("evidence"), "evidence", &mut errors);
            let outcome = Outcome {
                id: Id::new(),
                finding: *finding,
                date,
                recorded_by: form.text("recorded_by"),
                kind: form.choice::<OutcomeKind>("kind"),
                amount: form.money("amount", &mut errors),
                count: number(form, "count", S::NotACount, &mut errors),
                documents: list(form, "documents"),
                note: form.text("note"),
                evidence: drafts(&evidence),
                archived: false,
            };
            let mut outcome = finish(outcome, errors, Outcome::validate)?;
            outcome.evidence = attach(&evidence, store_dir, "evidence")?;
            Ok(Record::Outcome(outcome))
        }
        Target::Accountability(finding) => {
            let record = Accountability {
                id: Id::new(),
                finding: *finding,
                date,
                recorded_by: form.text("recorded_by"),
                person: form.text("person"),
                position: form.text("position"),
                entity: form.text("entity"),
                measure: form.choice::<AccountabilityMeasure>("measure"),
                decided_by: form.choice::<DecidingBody>("decided_by"),
                document: form.text("document"),
                note: form.text("note"),
                archived: false,
            };
            finish(record, errors, Accountability::validate).map(Record::Accountability)
        }
        Target::Referral(finding) => {
            let record = Referral {
                id: Id::new(),
                finding: *finding,
                date,
                recorded_by: form.text("recorded_by"),
                receiver: form.choice::<ReferralReceiver>("receiver"),
                doc_no: form.text("doc_no"),
                summary: form.text("summary"),
                persons: number(form, "persons", S::NoPersons, &mut errors).unwrap_or(0),
                feedback_due: form.date("feedback_due", today, &mut errors),
                status: ReferralStatus::Sent,
                feedback_on: None,
                feedback: String::new(),
                archived: false,
            };
            finish(record, errors, Referral::validate).map(Record::Referral)
        }
        Target::Supervision(finding) => {
            let record = Supervision {
                id: Id::new(),
                finding: *finding,
                date,
                by: form.text("by"),
                kind: form.choice::<SupervisionKind>("kind"),
                target_unit: form.entity("target_unit"),
                summary: form.text("summary"),
                response_due: form.date("response_due", today, &mut errors),
                archived: false,
            };
            finish(record, errors, Supervision::validate).map(Record::Supervision)
        }
        _ => Err(Vec::new()),
    }
}
