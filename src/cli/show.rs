//! `rectify show ID-OR-NUMBER`: one record, what hangs on it, and its history.

use super::args::ShowArgs;
use super::json::{self, Names};
use super::{CliResult, Context, Out};
use crate::domain::{Finding, Labelled, MoneyUnit};
use crate::i18n::tr;
use crate::ledger::{FindingRow, Ledger};
use crate::store::{Change, Op, Record, SledStore, Store};
use crate::text::{display_safe, display_safe_multiline};
use chrono::NaiveDate;

pub fn run(ctx: &Context, args: &ShowArgs, out: &mut Out) -> CliResult {
    let ledger = ctx.open()?;
    let as_of = ctx.date_or_today(args.as_of.as_deref())?;
    let names = Names::load(&ledger)?;
    let record = ledger.resolve(&args.target)?;
    let history = ledger.store().history(record.id())?;
    let view = View {
        names: &names,
        as_of,
        history: &history,
        as_json: args.json,
    };
    match record {
        Record::Finding(f) => show_finding(&ledger, f, &view, out),
        Record::Project(p) => {
            let rows = ledger.findings_of_project(p.id, as_of)?;
            if view.as_json {
                return out.json(&view.with_findings(json::project(&p, rows.len(), &names), &rows));
            }
            field(
                out,
                tr("项目", "Project"),
                &format!("{} {}", p.number, p.name),
            )?;
            field(
                out,
                tr("年度/类型", "Year/type"),
                &format!("{} {}", p.year, p.kind.label()),
            )?;
            field(
                out,
                tr("来源/阶段", "Origin/stage"),
                &format!("{} / {}", p.origin.label(), p.stage.label()),
            )?;
            field(
                out,
                tr("文号", "Document"),
                &format!("{} {}", p.doc_no, opt_date(p.doc_date)),
            )?;
            field(
                out,
                tr("整体整改时限", "Overall deadline"),
                &opt_date(p.deadline),
            )?;
            let team = format!(
                "{} / {} / {}",
                p.team.leader,
                p.team.chief,
                p.team.members.join("、")
            );
            field(out, tr("审计组", "Team"), &team)?;
            let audited: Vec<String> = p.audited_units.iter().map(|u| names.unit(*u)).collect();
            field(out, tr("被审计单位", "Audited units"), &audited.join("、"))?;
            view.findings_and_history(out, tr("问题：", "Findings:"), &rows)
        }
        Record::Unit(u) => {
            let rows = ledger.findings_of_unit(u.id, as_of)?;
            if view.as_json {
                return out.json(&view.with_findings(json::unit(&u, rows.len(), &names), &rows));
            }
            field(
                out,
                tr("单位", "Unit"),
                &format!("{}（{}）", u.name, u.short_name),
            )?;
            field(out, tr("类型", "Kind"), u.kind.label())?;
            field(out, tr("主要负责人", "Leader"), &u.leader)?;
            if let Some(p) = u.parent {
                field(out, tr("主管部门", "Competent dept"), &names.unit(p))?;
            }
            for c in &u.contacts {
                let text = format!("{} {} {} {}", c.name, c.role.label(), c.position, c.phone);
                field(out, tr("联系人", "Contact"), &text)?;
            }
            view.findings_and_history(
                out,
                tr("负责整改的问题：", "Findings it is responsible for:"),
                &rows,
            )
        }
        other => show_child_record(&ledger, other, &view, out),
    }
}

/// What every view of a record shares.
struct View<'a> {
    names: &'a Names,
    as_of: NaiveDate,
    history: &'a [Op],
    as_json: bool,
}

impl View<'_> {
    /// A project's or unit's JSON with its findings and history added.
    fn with_findings(
        &self,
        mut value: serde_json::Value,
        rows: &[FindingRow],
    ) -> serde_json::Value {
        if let Some(o) = value.as_object_mut() {
            let findings = rows
                .iter()
                .map(|r| json::finding(r, self.names, self.as_of))
                .collect();
            o.insert("findings".into(), findings);
            o.insert("history".into(), json::history_json(self.history));
        }
        value
    }

    fn findings_and_history(&self, out: &mut Out, heading: &str, rows: &[FindingRow]) -> CliResult {
        out.line("")?;
        out.line(heading)?;
        for r in rows {
            out.line(&format!(
                "  {}  {}  {}",
                display_safe(&r.finding.number),
                r.status.status.label(),
                display_safe(&r.finding.title)
            ))?;
        }
        print_history(out, self.history)
    }
}

/// A record hanging on a finding (a check, a claim …): shown with its finding.
fn show_child_record(
    ledger: &Ledger<SledStore>,
    record: Record,
    view: &View,
    out: &mut Out,
) -> CliResult {
    let finding = record
        .finding()
        .and_then(|id| ledger.get::<Finding>(id).ok());
    if view.as_json {
        let mut v = serde_json::json!({
            "id": record.id().to_string(),
            "kind": format!("{:?}", record.kind()).to_lowercase(),
            "record": record.to_json()?,
            "history": json::history_json(view.history),
        });
        if let (Some(f), Some(o)) = (&finding, v.as_object_mut()) {
            o.insert("number".into(), f.number.to_string().into());
            o.insert("title".into(), f.title.to_string().into());
        }
        return out.json(&v);
    }
    field(
        out,
        tr("记录", "Record"),
        &format!("{} {}", record.kind().label(), record.id()),
    )?;
    if let Some(f) = finding {
        field(
            out,
            tr("问题", "Finding"),
            &format!("{} {}", f.number, f.title),
        )?;
    }
    let pretty = serde_json::to_string_pretty(&record.to_json()?).unwrap_or_default();
    out.line(&display_safe_multiline(&pretty))?;
    print_history(out, view.history)
}

fn show_finding(ledger: &Ledger<SledStore>, f: Finding, view: &View, out: &mut Out) -> CliResult {
    let (names, as_of, history) = (view.names, view.as_of, view.history);
    let records = ledger.records_of(f.id)?;
    let status = ledger.status_of(&f, as_of)?;
    let row = FindingRow {
        finding: f,
        status,
        records,
    };
    if view.as_json {
        return out.json(&json::finding_detail(&row, names, as_of, history));
    }
    let f = &row.finding;
    let s = &row.status;
    let mut status_text = format!("{}（{} {}）", s.status.label(), tr("截至", "as of"), as_of);
    if s.overdue {
        status_text.push_str(&format!(
            " {}{}{}",
            tr("超期", "overdue "),
            s.days_overdue,
            tr("天", " days")
        ));
    } else if s.near_due {
        status_text.push_str(tr(" 临期", " due soon"));
    }
    if s.reopened {
        status_text.push_str(tr(" 曾重新打开", " reopened"));
    }
    field(
        out,
        tr("问题", "Finding"),
        &format!("{} {}", f.number, f.title),
    )?;
    field(out, tr("状态", "Status"), &status_text)?;
    field(
        out,
        tr("项目", "Project"),
        &names
            .projects
            .get(&f.project)
            .map(|p| format!("{} {}", p.number, p.name))
            .unwrap_or_default(),
    )?;
    let units: Vec<String> = f
        .units
        .iter()
        .map(|u| format!("{}（{}）", names.unit(u.unit), u.role.label()))
        .collect();
    field(out, tr("责任单位", "Responsible"), &units.join("、"))?;
    field(out, tr("整改方式", "Mode"), f.mode.label())?;
    field(
        out,
        tr("定性/类别", "Class/category"),
        &format!(
            "{} / {} / {}",
            f.stat_class.label(),
            f.category,
            f.severity.label()
        ),
    )?;
    if let Some(a) = f.amount {
        field(
            out,
            tr("涉及金额", "Amount"),
            &a.format_exact(MoneyUnit::Wan),
        )?;
    }
    field(
        out,
        tr("下发/时限", "Issued/deadline"),
        &format!("{} → {}", opt_date(f.issued_on), f.deadline),
    )?;
    for m in &f.milestones {
        field(
            out,
            tr("阶段目标", "Milestone"),
            &format!(
                "{} {} {}",
                m.due,
                m.title,
                m.done_on.map(|d| format!("✓{d}")).unwrap_or_default()
            ),
        )?;
    }
    if let Some(reason) = f.unresolved_reason {
        field(
            out,
            tr("未完成原因", "Reason"),
            &format!("{} — {}", reason.label(), f.justification),
        )?;
    }
    if !f.facts.is_empty() {
        out.line(&format!(
            "{}\n{}",
            tr("问题描述：", "Facts:"),
            display_safe_multiline(&f.facts)
        ))?;
    }
    if !f.recommendation.is_empty() {
        out.line(&format!(
            "{}\n{}",
            tr("审计建议：", "Recommendation:"),
            display_safe_multiline(&f.recommendation)
        ))?;
    }
    out.line("")?;
    out.line(tr("整改记录：", "Rectification records:"))?;
    let r = &row.records;
    for line in crate::ledger::describe::timeline(r) {
        out.line(&format!("  {}  {}", line.date, display_safe(&line.text)))?;
    }
    print_history(out, history)
}

fn field(out: &mut Out, label: &str, value: &str) -> CliResult {
    out.line(&format!("{}：{}", label, display_safe(value)))
}

fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

fn print_history(out: &mut Out, history: &[Op]) -> CliResult {
    out.line("")?;
    out.line(tr("修改历史：", "History:"))?;
    for op in history {
        let what = match &op.change {
            Change::Create { .. } => tr("创建", "created").to_string(),
            Change::Set { field, value, .. } => format!(
                "{} {} = {}",
                tr("修改", "set"),
                field,
                crate::text::truncate(&value.to_string(), 60)
            ),
        };
        out.line(&format!(
            "  {}  {}  {}",
            op.at
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S"),
            display_safe(&op.author),
            display_safe(&what)
        ))?;
    }
    Ok(())
}
