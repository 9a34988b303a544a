//! The JSON that scripts rely on. Every record carries `id`, `number`, `title` (or `name`) and
//! `status` (the Chinese label); enum fields carry their Chinese labels, money its 分 and a
//! 万元 text. Keep these names: they are a contract.

use crate::domain::{
    Accountability, EvidenceEntry, Finding, FollowUpCheck, Id, KindAmount, Labelled, MoneyUnit,
    Outcome, Project, Referral, Supervision, Unit,
};
use crate::i18n::Lang;
use crate::ledger::{FindingRow, Ledger, LedgerResult};
use crate::store::{Op, Store};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Names of units and projects, looked up once per command.
pub struct Names {
    pub units: HashMap<Id, Unit>,
    pub projects: HashMap<Id, Project>,
    /// Check plans' titles.
    pub plans: HashMap<Id, String>,
}

impl Names {
    pub fn load<S: Store>(ledger: &Ledger<S>) -> LedgerResult<Names> {
        let mut units = HashMap::new();
        for record in ledger.store().scan(crate::store::EntityKind::Unit) {
            if let crate::store::Record::Unit(u) = record? {
                units.insert(u.id, u);
            }
        }
        let mut projects = HashMap::new();
        for record in ledger.store().scan(crate::store::EntityKind::Project) {
            if let crate::store::Record::Project(p) = record? {
                projects.insert(p.id, p);
            }
        }
        let mut plans = HashMap::new();
        for record in ledger.store().scan(crate::store::EntityKind::Plan) {
            if let crate::store::Record::Plan(p) = record? {
                plans.insert(p.id, p.title);
            }
        }
        Ok(Names {
            units,
            projects,
            plans,
        })
    }

    pub fn unit(&self, id: Id) -> String {
        self.units
            .get(&id)
            .map(|u| u.display_name().to_string())
            .unwrap_or_else(|| id.short())
    }

    pub fn project_number(&self, id: Id) -> String {
        self.projects
            .get(&id)
            .map(|p| p.number.clone())
            .unwrap_or_else(|| id.short())
    }
}

fn zh<T: Labelled>(v: T) -> &'static str {
    v.label_in(Lang::Zh)
}

pub(super) fn money(m: Option<crate::domain::Money>) -> Value {
    match m {
        Some(m) => json!({"fen": m.fen(), "wan": m.format_exact(MoneyUnit::Wan)}),
        None => Value::Null,
    }
}

pub fn finding(row: &FindingRow, names: &Names, as_of: chrono::NaiveDate) -> Value {
    let f: &Finding = &row.finding;
    let s = &row.status;
    json!({
        "id": f.id.to_string(),
        "number": f.number,
        "title": f.title,
        "status": zh(s.status),
        "overdue": s.overdue,
        "days_overdue": s.days_overdue,
        "near_due": s.near_due,
        "reopened": s.reopened,
        "as_of": as_of,
        "project": {"id": f.project.to_string(), "number": names.project_number(f.project)},
        "units": f.units.iter().map(|u| json!({
            "id": u.unit.to_string(), "name": names.unit(u.unit), "role": zh(u.role)
        })).collect::<Vec<_>>(),
        "mode": zh(f.mode),
        "stat_class": zh(f.stat_class),
        "category": f.category,
        "severity": zh(f.severity),
        "amount": money(f.amount),
        "during_audit": f.during_audit,
        "during_audit_amount": money(f.during_audit_amount),
        "issued_on": f.issued_on,
        "deadline": f.deadline,
        "milestones": f.milestones.iter().map(|m| json!({"title": m.title, "due": m.due, "done_on": m.done_on})).collect::<Vec<_>>(),
        "flags": {
            "report_to_congress": f.flags.report_to_congress,
            "leader_instruction": f.flags.leader_instruction,
            "upper_assigned": f.flags.upper_assigned,
            "key_supervision": f.flags.key_supervision,
        },
        "repeat_of": f.repeat_of.iter().map(|id| id.to_string()).collect::<Vec<_>>(),
        "unresolved_reason": f.unresolved_reason.map(zh),
        "justification": f.justification,
        "responsible_person": f.responsible_person,
        "auditor": f.auditor,
        "source": zh(f.source),
        "next_check": row.next_check(as_of),
        "archived": f.archived,
    })
}

pub fn finding_detail(
    row: &FindingRow,
    names: &Names,
    as_of: chrono::NaiveDate,
    history: &[Op],
) -> Value {
    let mut value = finding(row, names, as_of);
    let f = &row.finding;
    let r = &row.records;
    if let Some(obj) = value.as_object_mut() {
        obj.insert("facts".into(), json!(f.facts));
        obj.insert("legal_basis".into(), json!(f.legal_basis));
        obj.insert("recommendation".into(), json!(f.recommendation));
        obj.insert(
            "checks".into(),
            json!(
                r.checks
                    .iter()
                    .map(|c| check(c, f, names))
                    .collect::<Vec<_>>()
            ),
        );
        obj.insert("progress_reports".into(), json!(r.reports.iter().map(|p| json!({
            "id": p.id.to_string(), "date": p.date, "submitted_by": p.submitted_by, "claimed": zh(p.claimed),
            "narrative": p.narrative, "measures": p.measures, "amount_rectified": money(p.amount_rectified),
            "reason_if_incomplete": p.reason_if_incomplete, "next_steps": p.next_steps,
            "channel": zh(p.channel), "requested_deadline": p.requested_deadline,
            "amounts": amounts(&p.amounts), "evidence": evidence(&p.evidence),
            "archived": p.archived,
        })).collect::<Vec<_>>()));
        obj.insert(
            "determinations".into(),
            json!(r.determinations.iter().map(|d| json!({
            "id": d.id.to_string(), "date": d.date, "reviewer": d.reviewer, "method": zh(d.method),
            "verdict": zh(d.verdict), "standard": d.standard, "opinion": d.opinion,
            "amount_confirmed": money(d.amount_confirmed), "amounts": amounts(&d.amounts),
            "evidence": evidence(&d.evidence), "archived": d.archived,
        })).collect::<Vec<_>>()),
        );
        obj.insert("closures".into(), json!(r.closures.iter().map(|c| json!({
            "id": c.id.to_string(), "date": c.date, "closed_by": c.closed_by, "remark": c.remark, "archived": c.archived,
        })).collect::<Vec<_>>()));
        obj.insert("reopens".into(), json!(r.reopens.iter().map(|c| json!({
            "id": c.id.to_string(), "date": c.date, "by": c.by, "reason": zh(c.reason), "note": c.note, "archived": c.archived,
        })).collect::<Vec<_>>()));
        obj.insert(
            "outcomes".into(),
            json!(r.outcomes.iter().map(outcome).collect::<Vec<_>>()),
        );
        obj.insert(
            "accountability".into(),
            json!(
                r.accountability
                    .iter()
                    .map(accountability)
                    .collect::<Vec<_>>()
            ),
        );
        obj.insert(
            "referrals".into(),
            json!(
                r.referrals
                    .iter()
                    .map(|x| referral(x, as_of))
                    .collect::<Vec<_>>()
            ),
        );
        obj.insert(
            "supervisions".into(),
            json!(
                r.supervisions
                    .iter()
                    .map(|x| supervision(x, names))
                    .collect::<Vec<_>>()
            ),
        );
        obj.insert("history".into(), history_json(history));
    }
    value
}

/// 佐证材料: what each entry names, and the kept file's checksum when one was attached.
pub fn evidence(entries: &[EvidenceEntry]) -> Value {
    json!(
        entries
            .iter()
            .map(|e| json!({
                "file_name": e.file_name, "kind": zh(e.kind), "doc_no": e.doc_no,
                "sha256": e.sha256, "size": e.size,
            }))
            .collect::<Vec<_>>()
    )
}

/// Amounts by kind: the kind's label, the 分, the 万元 text and the everyday text.
pub fn amounts(items: &[KindAmount]) -> Value {
    json!(
        items
            .iter()
            .map(|a| json!({
                "kind": zh(a.kind), "fen": a.amount.fen(),
                "wan": a.amount.format_exact(MoneyUnit::Wan), "text": a.amount.display(),
            }))
            .collect::<Vec<_>>()
    )
}

pub fn outcome(o: &Outcome) -> Value {
    json!({
        "id": o.id.to_string(), "date": o.date, "recorded_by": o.recorded_by, "kind": zh(o.kind),
        "amount": money(o.amount), "count": o.count, "pieces": o.pieces(), "documents": o.documents,
        "note": o.note, "evidence": evidence(&o.evidence), "archived": o.archived,
    })
}

pub fn accountability(a: &Accountability) -> Value {
    json!({
        "id": a.id.to_string(), "date": a.date, "recorded_by": a.recorded_by, "person": a.person,
        "position": a.position, "entity": a.entity, "measure": zh(a.measure),
        "decided_by": zh(a.decided_by), "document": a.document, "note": a.note,
        "archived": a.archived,
    })
}

/// Whether a referral's feedback is overdue on `date`: due, not yet fed back or concluded.
pub fn feedback_overdue(r: &Referral, date: chrono::NaiveDate) -> bool {
    use crate::domain::ReferralStatus as S;
    let waiting = !matches!(r.status, S::FedBack | S::Concluded);
    waiting && r.feedback_due.is_some_and(|due| due < date)
}

pub fn referral(r: &Referral, as_of: chrono::NaiveDate) -> Value {
    json!({
        "id": r.id.to_string(), "date": r.date, "recorded_by": r.recorded_by,
        "receiver": zh(r.receiver), "doc_no": r.doc_no, "summary": r.summary, "persons": r.persons,
        "feedback_due": r.feedback_due, "status": zh(r.status), "feedback_on": r.feedback_on,
        "feedback": r.feedback, "days_since_sent": (as_of - r.date).num_days(),
        "feedback_overdue": feedback_overdue(r, as_of), "archived": r.archived,
    })
}

pub fn supervision(s: &Supervision, names: &Names) -> Value {
    json!({
        "id": s.id.to_string(), "date": s.date, "by": s.by, "kind": zh(s.kind),
        "target_unit": s.target_unit.map(|u| json!({"id": u.to_string(), "name": names.unit(u)})),
        "summary": s.summary, "response_due": s.response_due, "archived": s.archived,
    })
}

pub fn check(c: &FollowUpCheck, f: &Finding, names: &Names) -> Value {
    json!({
        "id": c.id.to_string(),
        "number": f.number,
        "title": f.title,
        "status": zh(c.verdict),
        "finding": c.finding.to_string(),
        "date": c.date,
        "checker": c.checker,
        "kind": zh(c.kind),
        "method": zh(c.method),
        "verdict": zh(c.verdict),
        "note": c.note,
        "next_check": c.next_check,
        "plan": c.plan.map(|p| json!({
            "id": p.to_string(),
            "title": names.plans.get(&p).cloned().unwrap_or_else(|| p.short()),
        })),
        "project": c.project.map(|p| p.to_string()),
        "evidence": evidence(&c.evidence),
        "archived": c.archived,
    })
}

pub fn project(p: &Project, finding_count: usize, names: &Names) -> Value {
    json!({
        "id": p.id.to_string(),
        "number": p.number,
        "name": p.name,
        "title": p.name,
        "status": if p.archived { "已归档" } else { zh(p.stage) },
        "year": p.year,
        "type": zh(p.kind),
        "origin": zh(p.origin),
        "stage": zh(p.stage),
        "doc_no": p.doc_no,
        "doc_date": p.doc_date,
        "deadline": p.deadline,
        "in_work_report": p.in_work_report,
        "audited_units": p.audited_units.iter().map(|u| json!({"id": u.to_string(), "name": names.unit(*u)})).collect::<Vec<_>>(),
        "team": {"leader": p.team.leader, "chief": p.team.chief, "members": p.team.members},
        "finding_count": finding_count,
        "archived": p.archived,
    })
}

pub fn unit(u: &Unit, finding_count: usize, names: &Names) -> Value {
    json!({
        "id": u.id.to_string(),
        "number": Value::Null,
        "name": u.name,
        "title": u.name,
        "short_name": u.short_name,
        "status": if u.archived { "已归档" } else { "在用" },
        "kind": zh(u.kind),
        "parent": u.parent.map(|p| json!({"id": p.to_string(), "name": names.unit(p)})),
        "leader": u.leader,
        "contacts": u.contacts.iter().map(|c| json!({
            "name": c.name, "position": c.position, "phone": c.phone, "role": zh(c.role),
            "valid_from": c.valid_from, "valid_to": c.valid_to,
        })).collect::<Vec<_>>(),
        "finding_count": finding_count,
        "archived": u.archived,
    })
}

pub fn history_json(ops: &[Op]) -> Value {
    json!(
        ops.iter()
            .map(|op| json!({
                "op": op.id.to_string(),
                "at": op.at,
                "author": op.author,
                "lamport": op.lamport,
                "replica": op.replica.to_string(),
                "change": op.change,
            }))
            .collect::<Vec<_>>()
    )
}
