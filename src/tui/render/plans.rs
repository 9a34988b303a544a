//! Check plans on screen: a plan's row in the 检查计划 view and its details, the round column of
//! a plan's page, and the two pop-ups about records (the add-record menu, 回头看 planning).

use super::picker;
use crate::domain::{Id, Labelled};
use crate::store::Store;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::app_plans::LookBackOffer;
use crate::tui::app_records::AddMenu;
use crate::tui::keymap::Context;
use crate::tui::strings::S;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// The cells of a plan's row in the 检查计划 view.
pub fn plan_cells<St: Store>(app: &App<St>, id: Id) -> Vec<(S, String)> {
    let Some(p) = app.snap.plan(id) else {
        return Vec::new();
    };
    let summaries = app.plan_summaries();
    let (checked, last) = summaries
        .get(&id)
        .map_or((0, None), |s| (s.checked, s.last));
    vec![
        (S::ColPlanKind, p.kind.label().to_string()),
        (S::ColPlanTitle, p.title.clone()),
        (
            S::ColProject,
            p.project
                .map(|id| app.snap.project_number(id))
                .unwrap_or_default(),
        ),
        (S::ColFindings, p.findings.len().to_string()),
        (S::ColChecked, checked.to_string()),
        (
            S::ColLastCheck,
            last.map(|d| d.to_string()).unwrap_or_default(),
        ),
    ]
}

/// A finding's latest check in the plan's round: `2026-11-28 已整改`, or 未检查.
pub fn round_cell<St: Store>(app: &App<St>, plan: Id, finding: Id) -> String {
    let summaries = app.plan_summaries();
    let check = summaries
        .get(&plan)
        .and_then(|s| s.latest.get(&finding))
        .and_then(Option::as_ref);
    match check {
        Some(c) => format!("{} {}", c.date, c.verdict.label()),
        None => S::NotChecked.t().to_string(),
    }
}

/// The detail pane of a plan.
pub fn plan_lines<St: Store>(app: &App<St>, id: Id) -> Vec<Line<'static>> {
    let Some(p) = app.snap.plan(id) else {
        return Vec::new();
    };
    let snap = &app.snap;
    let checked = app.plan_summaries().get(&id).map_or(0, |s| s.checked);
    let field = |label: &str, value: String| {
        Line::raw(crate::text::display_safe(&format!("{label}：{value}")))
    };
    let mut lines = vec![
        Line::styled(crate::text::display_safe(&p.title), app.theme.title()),
        field(S::ColPlanKind.t(), p.kind.label().to_string()),
    ];
    if let Some(project) = p.project.and_then(|id| snap.project(id)) {
        lines.push(field(
            S::Project.t(),
            format!("{} {}", project.number, project.name),
        ));
    }
    if let Some(unit) = p.unit {
        lines.push(field(S::PlanUnit.t(), snap.unit_name(unit)));
    }
    let period = match p.end {
        Some(end) => format!("{} {} {end}", p.start, S::To.t()),
        None => format!("{} {}", p.start, S::Onwards.t()),
    };
    lines.push(field(S::PlanPeriod.t(), period));
    if !p.team.is_empty() {
        lines.push(field(S::Team.t(), p.team.clone()));
    }
    lines.push(field(S::CreatedBy.t(), p.created_by.clone()));
    lines.push(field(
        S::ColChecked.t(),
        format!("{checked} / {}", p.findings.len()),
    ));
    for f in p.findings.iter().take(12) {
        let Some(r) = snap.finding(*f) else { continue };
        lines.push(Line::raw(crate::text::display_safe(&format!(
            "  {} {} {}",
            r.finding.number,
            round_cell(app, id, *f),
            r.finding.title
        ))));
    }
    lines
}

/// "Enter 选择  Esc 取消" from the live popup keys.
fn popup_keys<St: Store>(app: &App<St>, pairs: &[(Action, &str)]) -> String {
    pairs
        .iter()
        .filter_map(|(action, label)| {
            let keys = app.keymap.keys_for(Context::Popup, *action);
            keys.first().map(|k| format!("{k} {label}"))
        })
        .collect::<Vec<_>>()
        .join("  ")
}

pub fn add_menu<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect, menu: &AddMenu) {
    let lang = crate::i18n::lang();
    let keys = popup_keys(
        app,
        &[
            (Action::Confirm, Action::Confirm.hint(lang)),
            (Action::Cancel, Action::Cancel.hint(lang)),
        ],
    );
    let title = format!("{}  {keys}", S::AddRecordTitle.t());
    let position = picker::draw(app, frame, area, &title, &menu.picker, 44);
    frame.set_cursor_position(position);
}

pub fn lookback<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect, offer: &LookBackOffer) {
    let keys = popup_keys(
        app,
        &[
            (Action::Confirm, S::LookBackConfirm.t()),
            (Action::Cancel, S::LookBackSkip.t()),
        ],
    );
    let title = format!("{}  {}  {keys}", S::LookBackTitle.t(), S::LookBackKeys.t());
    picker::draw(app, frame, area, &title, &offer.picker, 110);
}
