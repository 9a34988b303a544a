//! Forms for the records that move a finding along: the unit's progress report (a claim), the
//! auditor's determination, 对账销号 and reopening. Each is a new record, never an edit: the
//! history of a finding is the list of these.

use super::field::{Field, Input};
use super::lines::{attach, drafts, parse_amounts, parse_evidence};
use super::specs::{choice, date, finish, line, money};
use super::{Form, Target};
use crate::domain::{
    ClaimedStatus, Closure, Determination, FieldError, Id, Money, ProgressReport, Reopen,
    ReopenReason, ReviewMethod, ReviewVerdict, Status,
};
use crate::store::Record;
use crate::tui::model::Snapshot;
use crate::tui::strings::S;
use crate::tui::widgets::text_area::TextArea;
use chrono::NaiveDate;
use std::path::Path;

fn area(text: &str) -> Input {
    Input::Area(TextArea::with_text(text))
}

/// Who usually reports for the finding: the lead unit's liaison, if it has one.
fn unit_liaison(snap: &Snapshot, finding: Id) -> String {
    use crate::domain::ContactRole;
    let lead = snap.finding(finding).and_then(|r| r.finding.lead_unit());
    let unit = lead.and_then(|u| snap.unit(u));
    let contact = unit.and_then(|u| {
        u.contacts
            .iter()
            .find(|c| c.role == ContactRole::Liaison && c.valid_to.is_none())
    });
    contact.map(|c| c.name.clone()).unwrap_or_default()
}

pub fn progress_form(finding: Id, snap: &Snapshot) -> Form {
    let fields = vec![
        Field::new("narrative", ("整改情况", "What was done"), area("")),
        Field::new(
            "claimed",
            ("报送状态", "Claimed status"),
            choice(ClaimedStatus::Rectified),
        ),
        Field::new("measures", ("整改措施", "Measures"), area("")),
        Field::new(
            "amount_rectified",
            ("整改金额（万元）", "Amount rectified (万元)"),
            money(None),
        ),
        Field::new(
            "amounts",
            ("整改金额（按类别）", "Amounts by kind"),
            area(""),
        )
        .with_hint((
            "每行一项：类别 金额，如 上缴财政 12万元",
            "one per line: kind amount, e.g. 上缴财政 12万元",
        )),
        super::outcomes::evidence_field(),
        Field::new(
            "reason_if_incomplete",
            ("未完成原因", "Why not finished"),
            area(""),
        ),
        Field::new("next_steps", ("下一步措施", "Next steps"), area("")),
        Field::new("date", ("报送日期", "Date"), date(Some(snap.today))).required(),
        Field::new(
            "submitted_by",
            ("报送人", "Submitted by"),
            line(&unit_liaison(snap, finding)),
        )
        .required(),
    ];
    Form::new(S::NewProgress.t(), Target::Progress(finding), fields)
}

/// The verdict a determination most likely gives: what the latest claim asked for.
fn likely_verdict(snap: &Snapshot, finding: Id) -> ReviewVerdict {
    let claim = snap
        .finding(finding)
        .and_then(|r| {
            r.records
                .reports
                .iter()
                .filter(|p| !p.archived)
                .max_by_key(|p| (p.date, p.id))
        })
        .map(|p| p.claimed);
    match claim {
        Some(ClaimedStatus::Partial) => ReviewVerdict::Partial,
        Some(ClaimedStatus::RequestLongTerm) => ReviewVerdict::LongTerm,
        Some(ClaimedStatus::InProgress) => ReviewVerdict::NotRectified,
        _ => ReviewVerdict::Rectified,
    }
}

pub fn determination_form(finding: Id, snap: &Snapshot, user: &str) -> Form {
    let fields = vec![
        // The opinion first: typing starts there; the verdict is prefilled from the claim.
        Field::new("opinion", ("认定意见", "Opinion"), area("")),
        Field::new(
            "verdict",
            ("认定结论", "Verdict"),
            choice(likely_verdict(snap, finding)),
        ),
        Field::new(
            "method",
            ("认定方式", "Method"),
            choice(ReviewMethod::WrittenReview),
        ),
        Field::new("standard", ("认定标准", "Standard applied"), line("")),
        Field::new(
            "amount_confirmed",
            ("认定金额（万元）", "Amount confirmed (万元)"),
            money(None),
        ),
        Field::new("date", ("认定日期", "Date"), date(Some(snap.today))).required(),
        Field::new("reviewer", ("认定人", "Reviewer"), line(user)).required(),
    ];
    Form::new(
        S::NewDetermination.t(),
        Target::Determination(finding),
        fields,
    )
}

pub fn closure_form(finding: Id, snap: &Snapshot, user: &str) -> Form {
    let fields = vec![
        Field::new("remark", ("备注", "Remark"), line("")),
        Field::new("date", ("销号日期", "Date"), date(Some(snap.today))).required(),
        Field::new("closed_by", ("销号人", "Closed by"), line(user)).required(),
    ];
    let mut form = Form::new(S::NewClosure.t(), Target::Closure(finding), fields);
    form.enter_saves = true;
    form
}

pub fn reopen_form(finding: Id, snap: &Snapshot, user: &str) -> Form {
    let fields = vec![
        Field::new(
            "reason",
            ("重新打开原因", "Reason"),
            choice(ReopenReason::Relapse),
        ),
        Field::new("note", ("说明", "Note"), line("")),
        Field::new("date", ("日期", "Date"), date(Some(snap.today))).required(),
        Field::new("by", ("经办人", "By"), line(user)).required(),
    ];
    Form::new(S::NewReopen.t(), Target::Reopen(finding), fields)
}

/// Which record-forms make sense for a finding in its current status, so the key for one that
/// does not is answered with a reason instead of a form that cannot be saved.
pub fn refusal(status: Status, target: &Target) -> Option<S> {
    match (target, status) {
        (_, Status::NotStarted) => Some(S::NotIssuedYet),
        (Target::Closure(_), s) if s != Status::Rectified => Some(S::CloseNeedsRectified),
        (Target::Reopen(_), s) if s != Status::Closed => Some(S::ReopenNeedsClosed),
        _ => None,
    }
}

pub fn build(form: &Form, today: NaiveDate, store_dir: &Path) -> Result<Record, Vec<FieldError>> {
    let mut errors = Vec::new();
    let date = form.date("date", today, &mut errors).unwrap_or(today);
    match &form.target {
        Target::Progress(finding) => {
            let amounts = parse_amounts(&form.text("amounts"), "amounts", &mut errors);
            let evidence = parse_evidence(&form.text("evidence"), "evidence", &mut errors);
            // The total, when only the amounts by kind are given, is their sum.
            let total = form.money("amount_rectified", &mut errors).or_else(|| {
                (!amounts.is_empty()).then(|| Money::sum(amounts.iter().map(|a| a.amount)))
            });
            let report = ProgressReport {
                id: Id::new(),
                finding: *finding,
                date,
                submitted_by: form.text("submitted_by"),
                narrative: form.text("narrative"),
                measures: form.text("measures"),
                reason_if_incomplete: form.text("reason_if_incomplete"),
                next_steps: form.text("next_steps"),
                claimed: form.choice::<ClaimedStatus>("claimed"),
                amount_rectified: total,
                archived: false,
                channel: crate::domain::Channel::Typed,
                requested_deadline: None,
                amounts,
                evidence: drafts(&evidence),
            };
            let mut report = finish(report, errors, ProgressReport::validate)?;
            report.evidence = attach(&evidence, store_dir, "evidence")?;
            Ok(Record::Progress(report))
        }
        Target::Determination(finding) => {
            let determination = Determination {
                id: Id::new(),
                finding: *finding,
                date,
                reviewer: form.text("reviewer"),
                method: form.choice::<ReviewMethod>("method"),
                verdict: form.choice::<ReviewVerdict>("verdict"),
                standard: form.text("standard"),
                opinion: form.text("opinion"),
                amount_confirmed: form.money("amount_confirmed", &mut errors),
                archived: false,
                amounts: Vec::new(),
                evidence: Vec::new(),
            };
            finish(determination, errors, Determination::validate).map(Record::Determination)
        }
        Target::Closure(finding) => {
            let closure = Closure {
                id: Id::new(),
                finding: *finding,
                date,
                closed_by: form.text("closed_by"),
                remark: form.text("remark"),
                archived: false,
            };
            finish(closure, errors, Closure::validate).map(Record::Closure)
        }
        Target::Reopen(finding) => {
            let reopen = Reopen {
                id: Id::new(),
                finding: *finding,
                date,
                by: form.text("by"),
                reason: form.choice::<ReopenReason>("reason"),
                note: form.text("note"),
                archived: false,
            };
            finish(reopen, errors, Reopen::validate).map(Record::Reopen)
        }
        _ => Err(Vec::new()),
    }
}
