//! The forms of each record: which fields, prefilled from what, and how the saved record is
//! built from them. Field keys are the record's field names, so the domain's validation errors
//! land on the right field.

use super::field::{Field, Input};
use super::values::{index_of, labels, labels_with_none};
use super::{Form, Target};
use crate::domain::{
    CheckKind, CheckMethod, CheckPlan, CheckVerdict, FieldError, Finding, FindingFlags,
    FindingSource, FollowUpCheck, Id, Labelled, Milestone, Mode, Money, MoneyUnit, Project,
    ProjectOrigin, ProjectStage, ProjectType, ResponsibleUnit, Severity, StatClass, Status, Unit,
    UnitKind, UnitRole, UnresolvedReason,
};
use crate::i18n::Msg;
use crate::store::Record;
use crate::tui::model::Snapshot;
use crate::tui::strings::S;
use crate::tui::widgets::text_area::TextArea;
use crate::tui::widgets::text_field::TextField;
use chrono::NaiveDate;

pub(super) fn line(text: &str) -> Input {
    Input::Line(TextField::with_text(text))
}

pub(super) fn date(d: Option<NaiveDate>) -> Input {
    Input::Date(TextField::with_text(
        &d.map(|d| d.to_string()).unwrap_or_default(),
    ))
}

pub(super) fn money(m: Option<Money>) -> Input {
    Input::Money(TextField::with_text(
        &m.map(|m| m.format_exact(MoneyUnit::Wan))
            .unwrap_or_default(),
    ))
}

pub(super) fn choice<T: Labelled + PartialEq>(value: T) -> Input {
    Input::Choice {
        options: labels::<T>(),
        index: index_of(value),
    }
}

pub(super) fn optional_choice<T: Labelled + PartialEq>(value: Option<T>) -> Input {
    Input::Choice {
        options: labels_with_none::<T>(),
        index: value.map_or(0, |v| index_of(v) + 1),
    }
}

fn units(snap: &Snapshot) -> Vec<(Id, String)> {
    snap.units.iter().map(|u| (u.id, u.name.clone())).collect()
}

// ---------------------------------------------------------------- units

pub fn unit_form(existing: Option<&Unit>, snap: &Snapshot) -> Form {
    let u = existing
        .cloned()
        .unwrap_or_else(|| Unit::new("", UnitKind::PartyGovernment));
    let others: Vec<(Id, String)> = units(snap)
        .into_iter()
        .filter(|(id, _)| *id != u.id)
        .collect();
    let contacts = u
        .contacts
        .iter()
        .map(|c| {
            format!("{} {} {} {}", c.name, c.role.label(), c.position, c.phone)
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let fields = vec![
        Field::new("name", ("单位名称", "Name"), line(&u.name)).required(),
        Field::new("short_name", ("简称", "Short name"), line(&u.short_name)),
        Field::new("kind", ("单位类型", "Kind"), choice(u.kind)),
        Field::new(
            "parent",
            ("主管部门", "Competent dept"),
            Input::Entity {
                options: others,
                value: u.parent,
            },
        ),
        Field::new("leader", ("主要负责人", "Leader"), line(&u.leader)),
        Field::new(
            "contacts",
            (
                "联系人（每行：姓名 角色 职务 电话）",
                "Contacts (one per line: name role position phone)",
            ),
            Input::Area(TextArea::with_text(&contacts)),
        ),
    ];
    let (title, target) = match existing {
        Some(u) => (S::EditUnit.t(), Target::Unit(Some(Box::new(u.clone())))),
        None => (S::NewUnit.t(), Target::Unit(None)),
    };
    Form::new(title, target, fields)
}

fn build_unit(form: &Form, base: Option<&Unit>) -> Result<Unit, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut u = base
        .cloned()
        .unwrap_or_else(|| Unit::new("", UnitKind::PartyGovernment));
    u.name = form.text("name");
    u.short_name = form.text("short_name");
    u.kind = form.choice::<UnitKind>("kind");
    u.parent = form.entity("parent");
    u.leader = form.text("leader");
    u.contacts = parse_contacts(&form.text("contacts"), &u.contacts, &mut errors);
    finish(u, errors, Unit::validate)
}

/// Contacts typed one per line: `姓名 角色 职务 电话`; the role by its label (联络员 …).
fn parse_contacts(
    text: &str,
    old: &[crate::domain::Contact],
    errors: &mut Vec<FieldError>,
) -> Vec<crate::domain::Contact> {
    use crate::domain::{Contact, ContactRole};
    let mut out = Vec::new();
    for (n, row) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let parts: Vec<&str> = row.split_whitespace().collect();
        let role = match parts.get(1).map(|r| ContactRole::parse_label(r)) {
            Some(Ok(role)) => role,
            Some(Err(msg)) => {
                errors.push(FieldError {
                    field: "contacts",
                    msg: Msg::new(
                        format!("第{}行：{}", n + 1, msg.zh),
                        format!("line {}: {}", n + 1, msg.en),
                    ),
                });
                continue;
            }
            None => ContactRole::Liaison,
        };
        let name = parts[0].to_string();
        // Keep the period of a contact that was already there.
        let kept = old.iter().find(|c| c.name == name);
        out.push(Contact {
            name,
            role,
            position: parts.get(2).map(|s| s.to_string()).unwrap_or_default(),
            phone: parts.get(3..).map(|s| s.join(" ")).unwrap_or_default(),
            valid_from: kept.and_then(|c| c.valid_from),
            valid_to: kept.and_then(|c| c.valid_to),
        });
    }
    out
}

// ---------------------------------------------------------------- projects

pub fn project_form(existing: Option<&Project>, snap: &Snapshot) -> Form {
    let year = snap.today.format("%Y").to_string().parse().unwrap_or(2024);
    let p = existing
        .cloned()
        .unwrap_or_else(|| Project::new("", "", year, ProjectType::BudgetExecution));
    let fields = vec![
        Field::new("number", ("项目编号", "Number"), line(&p.number)).required(),
        Field::new("name", ("项目名称", "Name"), line(&p.name)).required(),
        Field::new("year", ("年度", "Year"), line(&p.year.to_string())).required(),
        Field::new("kind", ("项目类型", "Type"), choice(p.kind)),
        Field::new("origin", ("项目来源", "Origin"), choice(p.origin)),
        Field::new(
            "audited_units",
            ("被审计单位", "Audited units"),
            Input::Entities {
                options: units(snap),
                values: p.audited_units.clone(),
            },
        ),
        Field::new("leader", ("审计组长", "Team leader"), line(&p.team.leader)),
        Field::new("chief", ("主审", "Chief auditor"), line(&p.team.chief)),
        Field::new(
            "members",
            ("组员（用、分隔）", "Members (separated by 、)"),
            line(&p.team.members.join("、")),
        ),
        Field::new(
            "doc_no",
            ("结果文书文号", "Document number"),
            line(&p.doc_no),
        ),
        Field::new("doc_date", ("文书日期", "Document date"), date(p.doc_date)),
        Field::new(
            "deadline",
            ("整体整改时限", "Overall deadline"),
            date(p.deadline),
        ),
        Field::new("stage", ("项目阶段", "Stage"), choice(p.stage)),
        Field::new(
            "in_work_report",
            ("纳入审计工作报告", "In the audit work report"),
            Input::Flag(p.in_work_report),
        ),
    ];
    let (title, target) = match existing {
        Some(p) => (
            S::EditProject.t(),
            Target::Project(Some(Box::new(p.clone()))),
        ),
        None => (S::NewProject.t(), Target::Project(None)),
    };
    Form::new(title, target, fields)
}

fn build_project(
    form: &Form,
    base: Option<&Project>,
    today: NaiveDate,
) -> Result<Project, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut p = base
        .cloned()
        .unwrap_or_else(|| Project::new("", "", 2000, ProjectType::BudgetExecution));
    p.number = form.text("number");
    p.name = form.text("name");
    match form.text("year").parse::<i32>() {
        Ok(y) => p.year = y,
        Err(_) => errors.push(FieldError {
            field: "year",
            msg: Msg::new(
                "年度应为四位数字，如 2023",
                "the year is four digits, like 2023",
            ),
        }),
    }
    p.kind = form.choice::<ProjectType>("kind");
    p.origin = form.choice::<ProjectOrigin>("origin");
    p.audited_units = form.entities("audited_units");
    p.team.leader = form.text("leader");
    p.team.chief = form.text("chief");
    p.team.members = form
        .text("members")
        .split(['、', ',', '，', ' '])
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    p.doc_no = form.text("doc_no");
    p.doc_date = form.date("doc_date", today, &mut errors);
    p.deadline = form.date("deadline", today, &mut errors);
    p.stage = form.choice::<ProjectStage>("stage");
    p.in_work_report = form.flag("in_work_report");
    finish(p, errors, Project::validate)
}

// ---------------------------------------------------------------- findings

/// The next free number in a project: `<project number>-NN`.
fn next_number(snap: &Snapshot, project: Option<Id>) -> String {
    let Some(p) = project.and_then(|p| snap.project(p)) else {
        return String::new();
    };
    let taken: Vec<&str> = snap
        .findings
        .iter()
        .filter(|r| r.finding.project == p.id)
        .map(|r| &*r.finding.number)
        .collect();
    (1..)
        .map(|n| format!("{}-{:02}", p.number, n))
        .find(|candidate| !taken.contains(&candidate.as_str()))
        .unwrap_or_default()
}

pub fn finding_form(existing: Option<&Finding>, project: Option<Id>, snap: &Snapshot) -> Form {
    let today = snap.today;
    let mut f = existing.cloned().unwrap_or_else(|| {
        let mut f = Finding::new(
            project.unwrap_or_default(),
            &next_number(snap, project),
            "",
            today + chrono::Duration::days(90),
        );
        f.issued_on = Some(today);
        f
    });
    if existing.is_none() && project.is_none() {
        f.project = Id::nil();
    }
    let projects: Vec<(Id, String)> = snap
        .projects
        .iter()
        .map(|p| (p.id, format!("{} {}", p.number, p.name)))
        .collect();
    let lead = f.lead_unit();
    let assist: Vec<Id> = f
        .units
        .iter()
        .filter(|u| u.role == UnitRole::Assist)
        .map(|u| u.unit)
        .collect();
    let milestones = f
        .milestones
        .iter()
        .map(|m| match m.done_on {
            Some(done) => format!("{} {} ✓{}", m.due, m.title, done),
            None => format!("{} {}", m.due, m.title),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let project_value = (!f.project.0.is_nil()).then_some(f.project);
    let fields = vec![
        Field::new(
            "project",
            ("所属项目", "Project"),
            Input::Entity {
                options: projects,
                value: project_value,
            },
        )
        .required(),
        Field::new("number", ("问题编号", "Number"), line(&f.number)).required(),
        Field::new("title", ("问题摘要", "Title"), line(&f.title)).required(),
        Field::new(
            "facts",
            ("问题描述", "Facts"),
            Input::Area(TextArea::with_text(&f.facts)),
        ),
        Field::new(
            "units",
            ("牵头单位", "Lead unit"),
            Input::Entity {
                options: units(snap),
                value: lead,
            },
        )
        .required(),
        Field::new(
            "assist_units",
            ("配合单位", "Assisting units"),
            Input::Entities {
                options: units(snap),
                values: assist,
            },
        ),
        Field::new("mode", ("整改方式", "Mode"), choice(f.mode)),
        Field::new("issued_on", ("下发日期", "Issued on"), date(f.issued_on)),
        Field::new("deadline", ("整改时限", "Deadline"), date(Some(f.deadline))).required(),
        Field::new(
            "amount",
            ("涉及金额（万元）", "Amount (万元)"),
            money(f.amount),
        ),
        Field::new(
            "stat_class",
            ("统计定性", "Statistical class"),
            choice(f.stat_class),
        ),
        Field::new("category", ("问题类别", "Category"), line(&f.category)),
        Field::new("severity", ("严重程度", "Severity"), choice(f.severity)),
        Field::new(
            "legal_basis",
            ("定性依据", "Legal basis"),
            line(&f.legal_basis),
        ),
        Field::new(
            "recommendation",
            ("审计建议", "Recommendation"),
            Input::Area(TextArea::with_text(&f.recommendation)),
        ),
        Field::new(
            "responsible_person",
            ("责任人", "Responsible person"),
            line(&f.responsible_person),
        ),
        Field::new(
            "auditor",
            ("跟踪审计人员", "Auditor in charge"),
            line(&f.auditor),
        ),
        Field::new(
            "milestones",
            (
                "阶段目标（每行：日期 内容 [✓完成日期]）",
                "Milestones (one per line: date text [✓done date])",
            ),
            Input::Area(TextArea::with_text(&milestones)),
        ),
        Field::new(
            "unresolved_reason",
            ("未完成原因", "Reason unfinished"),
            optional_choice(f.unresolved_reason),
        ),
        Field::new(
            "justification",
            ("原因说明", "Justification"),
            Input::Area(TextArea::with_text(&f.justification)),
        ),
        Field::new(
            "during_audit",
            ("边审边改", "Rectified during the audit"),
            Input::Flag(f.during_audit),
        ),
        Field::new(
            "during_audit_amount",
            (
                "边审边改金额（万元）",
                "Amount rectified during the audit (万元)",
            ),
            money(f.during_audit_amount),
        ),
        Field::new(
            "report_to_congress",
            ("报人大", "Reported to the congress"),
            Input::Flag(f.flags.report_to_congress),
        ),
        Field::new(
            "leader_instruction",
            ("领导批示", "Leaders' instruction"),
            Input::Flag(f.flags.leader_instruction),
        ),
        Field::new(
            "upper_assigned",
            ("上级交办", "Assigned by upper office"),
            Input::Flag(f.flags.upper_assigned),
        ),
        Field::new(
            "key_supervision",
            ("重点督办", "Key supervision"),
            Input::Flag(f.flags.key_supervision),
        ),
        Field::new("source", ("问题来源", "Source"), choice(f.source)),
    ];
    let (title, target) = match existing {
        Some(f) => (
            S::EditFinding.t(),
            Target::Finding(Some(Box::new(f.clone()))),
        ),
        None => (S::NewFinding.t(), Target::Finding(None)),
    };
    let mut form = Form::new(title, target, fields);
    // A new finding under a known project starts at its title.
    if existing.is_none() && project.is_some() {
        form.focus_key("title");
    }
    form
}

fn build_finding(
    form: &Form,
    base: Option<&Finding>,
    today: NaiveDate,
) -> Result<Finding, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut f = base
        .cloned()
        .unwrap_or_else(|| Finding::new(Id::nil(), "", "", today));
    f.project = form
        .required_entity("project", &mut errors)
        .unwrap_or_default();
    f.number = form.text("number").into();
    f.title = form.text("title").into();
    f.facts = form.text("facts").into();
    let lead = form.required_entity("units", &mut errors);
    let lead_unit = lead.map(|unit| ResponsibleUnit {
        unit,
        role: UnitRole::Lead,
    });
    let assist_units = form
        .entities("assist_units")
        .into_iter()
        .filter(|unit| Some(*unit) != lead)
        .map(|unit| ResponsibleUnit {
            unit,
            role: UnitRole::Assist,
        });
    f.units = lead_unit.into_iter().chain(assist_units).collect();
    f.mode = form.choice::<Mode>("mode");
    f.issued_on = form.date("issued_on", today, &mut errors);
    if let Some(d) = form.date("deadline", today, &mut errors) {
        f.deadline = d;
    }
    f.amount = form.money("amount", &mut errors);
    f.stat_class = form.choice::<StatClass>("stat_class");
    f.category = form.text("category").into();
    f.severity = form.choice::<Severity>("severity");
    f.legal_basis = form.text("legal_basis").into();
    f.recommendation = form.text("recommendation").into();
    f.responsible_person = form.text("responsible_person").into();
    f.auditor = form.text("auditor").into();
    f.milestones = parse_milestones(&form.text("milestones"), today, &mut errors).into();
    f.unresolved_reason = form.optional_choice::<UnresolvedReason>("unresolved_reason");
    f.justification = form.text("justification").into();
    f.during_audit = form.flag("during_audit");
    f.during_audit_amount = form.money("during_audit_amount", &mut errors);
    f.flags = FindingFlags {
        report_to_congress: form.flag("report_to_congress"),
        leader_instruction: form.flag("leader_instruction"),
        upper_assigned: form.flag("upper_assigned"),
        key_supervision: form.flag("key_supervision"),
    };
    f.source = form.choice::<FindingSource>("source");
    finish(f, errors, Finding::validate)
}

/// Milestones typed one per line: `2024-06-30 完成制度修订`, optionally ending `✓2024-05-20`.
fn parse_milestones(text: &str, today: NaiveDate, errors: &mut Vec<FieldError>) -> Vec<Milestone> {
    let mut out = Vec::new();
    for (n, row) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let row = row.trim();
        let (body, done) = match row.rsplit_once('✓') {
            Some((body, done)) => (body.trim(), Some(done.trim())),
            None => (row, None),
        };
        let (due_text, title) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
        let bad = |msg: Msg| FieldError {
            field: "milestones",
            msg: Msg::new(
                format!("第{}行：{}", n + 1, msg.zh),
                format!("line {}: {}", n + 1, msg.en),
            ),
        };
        let due = match crate::domain::date::parse_date(due_text, today) {
            Ok(d) => d,
            Err(msg) => {
                errors.push(bad(msg));
                continue;
            }
        };
        let done_on = match done.map(|d| crate::domain::date::parse_date(d, today)) {
            Some(Ok(d)) => Some(d),
            Some(Err(msg)) => {
                errors.push(bad(msg));
                None
            }
            None => None,
        };
        out.push(Milestone {
            title: title.trim().to_string(),
            due,
            done_on,
        });
    }
    out
}

// ---------------------------------------------------------------- 回头看

/// The quick check form: the note first, everything else prefilled (today, the current user, the
/// last method used, the verdict matching the current status), so note + Enter saves. During a
/// check plan's round (`plan`, running today) the kind is the plan's and the check joins it; the
/// plan is named in a last row, so the keys to save stay the same.
pub fn check_form(
    finding: Id,
    snap: &Snapshot,
    user: &str,
    last_method: Option<CheckMethod>,
    plan: Option<&CheckPlan>,
) -> Form {
    let status = snap
        .finding(finding)
        .map(|r| r.status.status)
        .unwrap_or(Status::InProgress);
    let verdict = match status {
        Status::Rectified | Status::Closed => CheckVerdict::Rectified,
        Status::Partial => CheckVerdict::Partial,
        Status::LongTerm => CheckVerdict::LongTerm,
        _ => CheckVerdict::NotRectified,
    };
    let fields = vec![
        Field::new("note", ("检查情况", "Note"), line("")),
        Field::new("verdict", ("核查结论", "Verdict"), choice(verdict)),
        Field::new(
            "method",
            ("核查方式", "Method"),
            choice(last_method.unwrap_or(CheckMethod::DocumentReview)),
        ),
        Field::new("date", ("检查日期", "Date"), date(Some(snap.today))).required(),
        Field::new("checker", ("检查人", "Checker"), line(user)).required(),
        Field::new("next_check", ("下次检查", "Next check"), date(None)),
        Field::new(
            "kind",
            ("检查类型", "Kind"),
            choice(plan.map_or(CheckKind::LookBack, |p| p.kind)),
        ),
    ];
    let mut fields = fields;
    if let Some(p) = plan {
        fields.push(Field::new(
            "plan",
            ("检查计划", "Check plan"),
            Input::Entity {
                options: vec![(p.id, p.title.clone())],
                value: Some(p.id),
            },
        ));
    }
    let target = Target::Check(finding, plan.map(|p| Box::new(p.clone())));
    let mut form = Form::new(S::NewCheck.t(), target, fields);
    form.enter_saves = true;
    form
}

fn build_check(
    form: &Form,
    finding: Id,
    plan: Option<&CheckPlan>,
    today: NaiveDate,
) -> Result<FollowUpCheck, Vec<FieldError>> {
    let mut errors = Vec::new();
    let date = form.date("date", today, &mut errors).unwrap_or(today);
    // A check dated outside the plan's round does not belong to it.
    let plan = plan.filter(|p| form.entity("plan") == Some(p.id) && p.is_running_on(date));
    let check = FollowUpCheck {
        id: Id::new(),
        finding,
        date,
        checker: form.text("checker").into(),
        kind: form.choice::<CheckKind>("kind"),
        method: form.choice::<CheckMethod>("method"),
        verdict: form.choice::<CheckVerdict>("verdict"),
        note: form.text("note"),
        next_check: form.date("next_check", today, &mut errors),
        project: plan.and_then(|p| p.project),
        archived: false,
        plan: plan.map(|p| p.id),
        evidence: Vec::new(),
    };
    finish(check, errors, FollowUpCheck::validate)
}

// ---------------------------------------------------------------- building

/// Parse errors first; then the record's own validation.
pub(super) fn finish<T>(
    record: T,
    mut errors: Vec<FieldError>,
    validate: fn(&T) -> Result<(), Vec<FieldError>>,
) -> Result<T, Vec<FieldError>> {
    if let Err(more) = validate(&record) {
        errors.extend(more);
    }
    if errors.is_empty() {
        Ok(record)
    } else {
        Err(errors)
    }
}

/// Build the record the form describes (new, or the edited one). Files named as evidence are
/// copied into `store_dir` once the record is otherwise valid.
pub fn build(
    form: &Form,
    today: NaiveDate,
    store_dir: &std::path::Path,
) -> Result<Record, Vec<FieldError>> {
    match &form.target {
        Target::Unit(base) => build_unit(form, base.as_deref()).map(Record::Unit),
        Target::Project(base) => build_project(form, base.as_deref(), today).map(Record::Project),
        Target::Finding(base) => build_finding(form, base.as_deref(), today).map(Record::Finding),
        Target::Check(finding, plan) => {
            build_check(form, *finding, plan.as_deref(), today).map(Record::Check)
        }
        Target::Progress(_) | Target::Determination(_) | Target::Closure(_) | Target::Reopen(_) => {
            super::records::build(form, today, store_dir)
        }
        Target::Outcome(_)
        | Target::Accountability(_)
        | Target::Referral(_)
        | Target::Supervision(_) => super::outcomes::build(form, today, store_dir),
    }
}
