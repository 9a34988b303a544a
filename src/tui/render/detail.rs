//! Details of the selected record: a pane beside a list, or a whole page for one finding with
//! its records (claims, determinations, checks, closures) and its history.

use super::block;
use crate::domain::{Id, Labelled, MoneyUnit};
use crate::ledger::FindingRow;
use crate::store::{Change, Store};
use crate::text::{display_safe, display_safe_multiline};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::strings::S;
use crate::tui::view::Selected;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn pane<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect, item: Selected) {
    let lines = match item {
        Selected::Finding(id) => app
            .snap
            .finding(id)
            .map(|r| finding_lines(app, r, false))
            .unwrap_or_default(),
        Selected::Project(id) => project_lines(app, id),
        Selected::Unit(id) => unit_lines(app, id),
        Selected::Plan(id) => super::plans::plan_lines(app, id),
        Selected::Check(id) => {
            let finding = app.snap.check(id).map(|c| c.finding);
            finding
                .and_then(|f| app.snap.finding(f))
                .map(|r| finding_lines(app, r, false))
                .unwrap_or_default()
        }
        Selected::Stat(_) => Vec::new(),
        Selected::Conflict(i) => super::conflicts::detail_lines(app, i),
    };
    let title = match item {
        Selected::Finding(_) => S::TabFindings.t(),
        Selected::Project(_) => S::TabProjects.t(),
        Selected::Unit(_) => S::TabUnits.t(),
        Selected::Check(_) => S::TabChecks.t(),
        Selected::Plan(_) => S::CheckPlans.t(),
        Selected::Stat(_) => S::TabDashboard.t(),
        Selected::Conflict(_) => S::ConflictsTitle.t(),
    };
    let outer = block(app, title);
    let lines = super::wrap_lines(lines, outer.inner(area).width);
    frame.render_widget(Paragraph::new(lines).block(outer), area);
}

/// A finding's history, read from the store once per finding and snapshot generation (any
/// change, here or synced, makes a new generation): a page is drawn again on every key and
/// resize, and each read is a call to the store's helper, which may have left meanwhile.
fn page_history<St: Store>(app: &mut App<St>, id: Id) -> Vec<crate::store::Op> {
    let generation = app.snap.generation;
    match &app.history_cache {
        Some((cached, at, ops)) if *cached == id && *at == generation => ops.clone(),
        _ => {
            let ops = app.ledger.store().history(id).unwrap_or_default();
            app.history_cache = Some((id, generation, ops.clone()));
            ops
        }
    }
}

pub fn finding_page<St: Store>(app: &mut App<St>, frame: &mut Frame, area: Rect, id: Id) {
    let history = match app.snap.finding(id) {
        Some(_) => page_history(app, id),
        None => Vec::new(),
    };
    let Some(row) = app.snap.finding(id) else {
        frame.render_widget(
            Paragraph::new(S::NoneHere.t()).block(block(app, S::TabFindings.t())),
            area,
        );
        return;
    };
    let mut lines = finding_lines(app, row, true);
    lines.push(Line::raw(""));
    lines.push(Line::styled(S::History.t(), app.theme.title()));
    for op in history {
        let what = match &op.change {
            Change::Create { .. } => S::Created.t().to_string(),
            Change::Set {
                field,
                value,
                before,
                ..
            } => {
                format!("{field}: {} → {}", shown(before), shown(value))
            }
        };
        let when = op.at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M");
        lines.push(Line::raw(format!(
            "  {when}  {}  {}",
            display_safe(&op.author),
            display_safe(&what)
        )));
    }
    let title = format!("{} {}", row.finding.number, row.finding.title);
    let outer = block(app, &title);
    let lines = super::wrap_lines(lines, outer.inner(area).width);
    frame.render_widget(Paragraph::new(lines).block(outer), area);
}

/// A changed value as a person reads it: text without quotes, nothing as a dash, cut short.
fn shown(value: &serde_json::Value) -> String {
    let text = match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "-".to_string(),
        other => other.to_string(),
    };
    crate::text::truncate(&text, 30)
}

fn field<'a>(label: &str, value: String) -> Line<'a> {
    Line::from(vec![
        Span::raw(format!("{label}：")),
        Span::raw(display_safe(&value)),
    ])
}

fn finding_lines<St: Store>(app: &App<St>, r: &FindingRow, full: bool) -> Vec<Line<'static>> {
    let f = &r.finding;
    let snap = &app.snap;
    // Fields in conflict are marked where they show, and all of them listed on top.
    let conflicted = snap.conflicted_fields(f.id);
    let mark = |fields: &[&str]| {
        if fields.iter().any(|f| conflicted.contains(f)) {
            S::ConflictMark.t()
        } else {
            ""
        }
    };
    let mut status = f.number.to_string() + mark(&["number"]) + "  " + r.status.status.label();
    let flags = super::lists::flags(snap, r);
    if !flags.is_empty() {
        status = format!("{status}  {flags}");
    }
    let style = if r.status.overdue {
        app.theme.alert()
    } else {
        app.theme.accent()
    };
    let mut lines = vec![
        Line::styled(display_safe(&status), style),
        Line::styled(
            display_safe(&format!("{}{}", f.title, mark(&["title"]))),
            app.theme.title(),
        ),
    ];
    if !conflicted.is_empty() {
        let labels: Vec<String> = conflicted
            .iter()
            .map(|f| crate::tui::app_conflicts::field_label(f))
            .collect();
        let key = app
            .keymap
            .keys_for(Context::List, Action::Conflicts)
            .into_iter()
            .next()
            .unwrap_or_default();
        let text = S::ConflictFields
            .t()
            .replacen("{}", &labels.join("、"), 1)
            .replacen("{}", &key, 1);
        lines.push(Line::styled(text, app.theme.alert()));
    }
    let project = snap
        .project(f.project)
        .map(|p| format!("{} {}", p.number, p.name))
        .unwrap_or_default();
    lines.push(field(S::Project.t(), project + mark(&["project"])));
    let units: Vec<String> = f
        .units
        .iter()
        .map(|u| format!("{}({})", snap.unit_name(u.unit), u.role.label()))
        .collect();
    lines.push(field(S::Units.t(), units.join("、")));
    lines.push(field(
        S::Mode.t(),
        format!(
            "{}  {} {}{}",
            f.mode.label(),
            f.stat_class.label(),
            f.severity.label(),
            mark(&["mode", "stat_class", "severity"])
        ),
    ));
    if let Some(a) = f.amount {
        lines.push(field(
            S::Amount.t(),
            a.format_exact(MoneyUnit::Wan) + mark(&["amount"]),
        ));
    }
    let issued = f
        .issued_on
        .map(|d| d.to_string())
        .unwrap_or_else(|| "-".into());
    lines.push(field(
        S::Deadline.t(),
        format!(
            "{issued} {} {}{}",
            S::To.t(),
            f.deadline,
            mark(&["issued_on", "deadline"])
        ),
    ));
    for m in &f.milestones {
        let done = m
            .done_on
            .map(|d| format!(" ({} {d})", S::DoneOn.t()))
            .unwrap_or_default();
        lines.push(Line::raw(format!(
            "  {} {}{}",
            m.due,
            display_safe(&m.title),
            done
        )));
    }
    if let Some(reason) = f.unresolved_reason {
        lines.push(field(
            S::Reason.t(),
            format!(
                "{} {}{}",
                reason.label(),
                f.justification,
                mark(&["unresolved_reason", "justification"])
            ),
        ));
    }
    if full && !f.facts.is_empty() {
        lines.push(Line::styled(
            format!("{}{}", S::Facts.t(), mark(&["facts"])),
            app.theme.title(),
        ));
        for l in display_safe_multiline(&f.facts).lines() {
            lines.push(Line::raw(format!("  {l}")));
        }
    }
    lines.push(Line::styled(S::Records.t(), app.theme.title()));
    let mut events: Vec<(NaiveDate, String)> = crate::ledger::describe::timeline(&r.records)
        .into_iter()
        .map(|l| (l.date, l.text))
        .collect();
    events.reverse();
    if events.is_empty() {
        lines.push(Line::styled(
            format!("  {}", S::NoneHere.t()),
            app.theme.dim(),
        ));
    }
    let shown = if full { events.len() } else { 6 };
    for (d, text) in events.into_iter().take(shown) {
        lines.push(Line::raw(format!("  {d} {}", display_safe(&text))));
    }
    lines
}

fn project_lines<St: Store>(app: &App<St>, id: Id) -> Vec<Line<'static>> {
    let Some(p) = app.snap.project(id) else {
        return Vec::new();
    };
    let units: Vec<String> = p
        .audited_units
        .iter()
        .map(|u| app.snap.unit_name(*u))
        .collect();
    vec![
        Line::styled(
            display_safe(&format!("{} {}", p.number, p.name)),
            app.theme.title(),
        ),
        field(S::ColType.t(), format!("{} {}", p.year, p.kind.label())),
        field(
            S::Document.t(),
            format!(
                "{} {}",
                p.doc_no,
                p.doc_date.map(|d| d.to_string()).unwrap_or_default()
            ),
        ),
        field(
            S::Deadline.t(),
            p.deadline.map(|d| d.to_string()).unwrap_or_default(),
        ),
        field(
            S::Team.t(),
            format!(
                "{} / {} / {}",
                p.team.leader,
                p.team.chief,
                p.team.members.join("、")
            ),
        ),
        field(S::Units.t(), units.join("、")),
        field(
            S::ColFindings.t(),
            app.snap.findings_of_project(id).len().to_string(),
        ),
    ]
}

fn unit_lines<St: Store>(app: &App<St>, id: Id) -> Vec<Line<'static>> {
    let Some(u) = app.snap.unit(id) else {
        return Vec::new();
    };
    let mut lines = vec![
        Line::styled(display_safe(&u.name), app.theme.title()),
        field(S::ColType.t(), u.kind.label().to_string()),
        field(S::Leader.t(), u.leader.clone()),
    ];
    if let Some(parent) = u.parent {
        lines.push(field(S::Parent.t(), app.snap.unit_name(parent)));
    }
    for c in &u.contacts {
        lines.push(field(
            S::Contacts.t(),
            format!("{} {} {}", c.name, c.role.label(), c.phone),
        ));
    }
    let rows = app.snap.findings_of_unit(id);
    lines.push(field(S::ColFindings.t(), rows.len().to_string()));
    // 屡审屡犯: the unit's findings in a repeat chain come first, marked.
    let repeated = crate::search::filter::repeated_ids(&app.snap.findings);
    let in_chain = |i: &usize| {
        let f = &app.snap.findings[*i].finding;
        !f.repeat_of.is_empty() || repeated.contains(&f.id)
    };
    let (chained, others): (Vec<usize>, Vec<usize>) = rows.iter().partition(|i| in_chain(i));
    if !chained.is_empty() {
        lines.push(field(S::Repeats.t(), chained.len().to_string()));
    }
    for i in chained.iter().chain(others.iter()).take(12) {
        let r = &app.snap.findings[*i];
        let mark = if in_chain(i) {
            format!(" [{}]", S::Repeats.t())
        } else {
            String::new()
        };
        lines.push(Line::raw(format!(
            "  {} {} {}{}",
            display_safe(&r.finding.number),
            r.status.status.label(),
            display_safe(&r.finding.title),
            mark
        )));
    }
    lines
}
