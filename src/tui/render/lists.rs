//! The list panels (projects, findings, units, the 回头看 queue): a table of the visible rows
//! only, with the selected record's details beside it when the terminal is wide enough.

use super::{block, cell, detail, scroll_offset};
use crate::domain::Labelled;
use crate::ledger::FindingRow;
use crate::store::Store;
use crate::tui::app::App;
use crate::tui::model::Snapshot;
use crate::tui::strings::S;
use crate::tui::view::{Selected, ViewKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Below this width the detail pane is left out (Enter opens the detail page instead).
const DETAIL_MIN_WIDTH: u16 = 100;

pub fn render<St: Store>(app: &mut App<St>, frame: &mut Frame, area: Rect) {
    app.wide = area.width >= DETAIL_MIN_WIDTH;
    if !app.wide && app.narrow_detail {
        // Narrow: the detail takes the whole body instead of sitting beside the list.
        let view = *app.nav.current();
        if let Some(item) = app.items().get(view.selected) {
            detail::pane(app, frame, area, *item);
            return;
        }
    }
    let (list_area, detail_area) = if app.show_detail && app.wide {
        let [l, d] = Layout::horizontal([Constraint::Percentage(65), Constraint::Percentage(35)])
            .areas(area);
        (l, Some(d))
    } else {
        (area, None)
    };
    let view = *app.nav.current();
    let items = app.items();
    let title = match (&app.filter, app.filtered()) {
        (Some(active), true) => format!(
            "{} ({})  {}：{}",
            view.crumb(&app.snap),
            items.len(),
            S::Filtered.t(),
            active.filter.text()
        ),
        _ => format!("{} ({})", view.crumb(&app.snap), items.len()),
    };
    let outer = block(app, &title);
    let inner = outer.inner(list_area);
    frame.render_widget(outer, list_area);
    if inner.height < 2 {
        return;
    }
    let rows_height = (inner.height - 1) as usize;
    app.page_rows = rows_height;
    let selected = view.selected.min(items.len().saturating_sub(1));
    let offset = scroll_offset(selected, view.offset, rows_height);
    {
        let v = app.nav.current_mut();
        v.offset = offset;
        v.selected = selected;
    }
    let columns = columns_for(view.kind, inner.width as usize);
    let mut lines = vec![header(&columns, app)];
    for (i, item) in items.iter().enumerate().skip(offset).take(rows_height) {
        let all = row_cells(app, view.kind, item);
        let cells: Vec<String> = columns
            .iter()
            .map(|(col, _)| {
                all.iter()
                    .find(|(c, _)| c == col)
                    .map(|(_, text)| text.clone())
                    .unwrap_or_default()
            })
            .collect();
        lines.push(row_line(
            app,
            &columns,
            cells,
            i == selected,
            status_style(app, item),
        ));
    }
    if items.is_empty() {
        lines.push(Line::styled(
            format!("  {}", S::NoneHere.t()),
            app.theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let (Some(d), Some(item)) = (detail_area, items.get(selected)) {
        detail::pane(app, frame, d, *item);
    }
}

/// Column widths for the view; the column marked 0 takes what is left. When the flexible
/// column (the title or name) would get too narrow to read, the least useful columns go first.
fn columns_for(kind: ViewKind, total: usize) -> Vec<(S, usize)> {
    let mut cols: Vec<(S, usize)> = match kind {
        ViewKind::Conflicts => super::conflicts::columns(),
        ViewKind::Projects => vec![
            (S::ColNumber, 10),
            (S::ColYear, 6),
            (S::ColType, 20),
            (S::ColFindings, 6),
            (S::ColOpen, 6),
            (S::ColName, 0),
        ],
        ViewKind::Units => vec![
            (S::ColName, 0),
            (S::ColType, 10),
            (S::ColFindings, 6),
            (S::ColOpen, 6),
            (S::ColOverdue, 6),
            (S::ColLeader, 10),
        ],
        ViewKind::CheckLog => vec![
            (S::ColDate, 10),
            (S::ColNumber, 12),
            (S::ColVerdict, 10),
            (S::ColMethod, 10),
            (S::ColChecker, 8),
            (S::ColNote, 0),
        ],
        ViewKind::Plans => vec![
            (S::ColPlanKind, 10),
            (S::ColPlanTitle, 0),
            (S::ColProject, 16),
            (S::ColFindings, 6),
            (S::ColChecked, 7),
            (S::ColLastCheck, 10),
        ],
        ViewKind::Plan(_) => vec![
            (S::ColNumber, 12),
            (S::ColStatus, 12),
            (S::ColTitle, 0),
            (S::ColLead, 12),
            (S::ColRoundCheck, 20),
        ],
        ViewKind::CheckQueue => vec![
            (S::ColDue, 10),
            (S::ColNumber, 12),
            (S::ColStatus, 12),
            (S::ColTitle, 0),
            (S::ColLead, 12),
        ],
        _ => vec![
            (S::ColNumber, 12),
            (S::ColStatus, 12),
            (S::ColFlags, 10),
            (S::ColTitle, 0),
            (S::ColLead, 12),
            (S::ColDeadline, 10),
        ],
    };
    let droppable = [
        S::ColDeadline,
        S::ColLastCheck,
        S::ColProject,
        S::ColType,
        S::ColLeader,
        S::ColLead,
        S::ColYear,
        S::ColOpen,
        S::ColFlags,
    ];
    let flexible = |cols: &[(S, usize)]| {
        // 2 cells for the selection marker, 1 after each column.
        let fixed: usize = cols.iter().map(|(_, w)| *w).sum::<usize>() + 2 + cols.len();
        total.saturating_sub(fixed)
    };
    for drop in droppable {
        if flexible(&cols) >= 16 {
            break;
        }
        cols.retain(|(s, _)| *s != drop);
    }
    let room = flexible(&cols).max(8);
    cols.into_iter()
        .map(|(s, w)| (s, if w == 0 { room } else { w }))
        .collect()
}

fn header<St: Store>(columns: &[(S, usize)], app: &App<St>) -> Line<'static> {
    let text: Vec<String> = columns.iter().map(|(s, w)| cell(s.t(), *w)).collect();
    Line::styled(format!("  {}", text.join(" ")), app.theme.title())
}

fn row_line<St: Store>(
    app: &App<St>,
    columns: &[(S, usize)],
    cells: Vec<String>,
    selected: bool,
    status_style: Style,
) -> Line<'static> {
    let marker = if selected {
        format!("{} ", app.theme.marker())
    } else {
        "  ".to_string()
    };
    let mut spans = vec![Span::raw(marker)];
    for ((col, w), text) in columns.iter().zip(cells) {
        let style = if *col == S::ColStatus {
            status_style
        } else {
            Style::new()
        };
        spans.push(Span::styled(cell(&text, *w), style));
        spans.push(Span::raw(" "));
    }
    let line = Line::from(spans);
    if selected {
        line.style(app.theme.selected())
    } else {
        line
    }
}

fn status_style<St: Store>(app: &App<St>, item: &Selected) -> Style {
    let Selected::Finding(id) = item else {
        return Style::new();
    };
    match app.snap.finding(*id) {
        Some(r) if r.status.overdue => app.theme.alert(),
        Some(r) if r.status.near_due => app.theme.warn(),
        Some(r) if r.status.status.is_rectified() => app.theme.good(),
        _ => Style::new(),
    }
}

/// 冲突 / 重号 (first: they wait for someone to settle them), 超期N天 / 临期, 重开.
pub fn flags(snap: &Snapshot, r: &FindingRow) -> String {
    let mut out = Vec::new();
    if snap.in_conflict(r.finding.id) {
        out.push(S::FlagConflict.t().to_string());
    }
    if snap.duplicate_number(r.finding.id) {
        out.push(S::FlagDuplicate.t().to_string());
    }
    if r.status.overdue {
        out.push(format!(
            "{}{}{}",
            S::FlagOverdue.t(),
            r.status.days_overdue,
            S::Days.t()
        ));
    } else if r.status.near_due {
        out.push(S::FlagNearDue.t().to_string());
    }
    if r.status.reopened {
        out.push(S::FlagReopened.t().to_string());
    }
    out.join(",")
}

/// Every cell a row can show, by column; `columns_for` decides which are shown.
fn row_cells<St: Store>(app: &App<St>, kind: ViewKind, item: &Selected) -> Vec<(S, String)> {
    let snap = &app.snap;
    match (kind, item) {
        (ViewKind::Conflicts, _) => super::conflicts::row_cells(app, item),
        (_, Selected::Stat(_) | Selected::Conflict(_)) => Vec::new(),
        (_, Selected::Plan(id)) => super::plans::plan_cells(app, *id),
        (_, Selected::Project(id)) => {
            let Some(p) = snap.project(*id) else {
                return Vec::new();
            };
            let rows = snap.findings_of_project(p.id);
            let open = rows
                .iter()
                .filter(|i| !snap.findings[**i].status.status.is_rectified())
                .count();
            vec![
                (S::ColNumber, p.number.clone()),
                (S::ColYear, p.year.to_string()),
                (S::ColType, p.kind.label().to_string()),
                (S::ColFindings, rows.len().to_string()),
                (S::ColOpen, open.to_string()),
                (S::ColName, p.name.clone()),
            ]
        }
        (_, Selected::Unit(id)) => {
            let Some(u) = snap.unit(*id) else {
                return Vec::new();
            };
            let rows = snap.findings_of_unit(u.id);
            let open = rows
                .iter()
                .filter(|i| !snap.findings[**i].status.status.is_rectified())
                .count();
            let overdue = rows
                .iter()
                .filter(|i| snap.findings[**i].status.overdue)
                .count();
            vec![
                (S::ColName, u.name.clone()),
                (S::ColType, u.kind.label().to_string()),
                (S::ColFindings, rows.len().to_string()),
                (S::ColOpen, open.to_string()),
                (S::ColOverdue, overdue.to_string()),
                (S::ColLeader, u.leader.clone()),
            ]
        }
        (_, Selected::Check(id)) => {
            let Some(c) = snap.check(*id) else {
                return Vec::new();
            };
            let number = snap
                .finding(c.finding)
                .map(|r| r.finding.number.to_string())
                .unwrap_or_default();
            vec![
                (S::ColDate, c.date.to_string()),
                (S::ColNumber, number),
                (S::ColVerdict, c.verdict.label().to_string()),
                (S::ColMethod, c.method.label().to_string()),
                (S::ColChecker, c.checker.to_string()),
                (S::ColNote, c.note.clone()),
            ]
        }
        (_, Selected::Finding(id)) => {
            let Some(r) = snap.finding(*id) else {
                return Vec::new();
            };
            let lead = r
                .finding
                .lead_unit()
                .map(|u| snap.unit_name(u))
                .unwrap_or_default();
            let mut cells = vec![
                (S::ColNumber, r.finding.number.to_string()),
                (S::ColStatus, r.status.status.label().to_string()),
                (S::ColFlags, flags(snap, r)),
                (S::ColTitle, r.finding.title.to_string()),
                (S::ColLead, lead),
                (S::ColDeadline, r.finding.deadline.to_string()),
            ];
            if let ViewKind::Plan(plan) = kind {
                cells.push((S::ColRoundCheck, super::plans::round_cell(app, plan, *id)));
            }
            if kind == ViewKind::CheckQueue {
                cells.push((
                    S::ColDue,
                    r.next_check(snap.today)
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                ));
            }
            cells
        }
    }
}
