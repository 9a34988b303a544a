//! The 冲突 view: how sync stands on top, then the open conflicts and the findings that share a
//! number; the detail pane shows each side of the selected conflict, with its author and time.
//! Also the sync mark of the status bar and the chooser of a side.

use super::{block, lists, picker};
use crate::store::Store;
use crate::text::{display_safe, display_safe_multiline, width};
use crate::tui::app::App;
use crate::tui::app_conflicts::Chooser;
use crate::tui::strings::S;
use crate::tui::view::Selected;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render<St: Store>(app: &mut App<St>, frame: &mut Frame, area: Rect) {
    let outer = block(app, S::SyncHub.t());
    let lines = super::wrap_lines(sync_lines(app), area.width.saturating_sub(2));
    let height = (lines.len() as u16 + 2).min(area.height / 2);
    let [top, rest] =
        Layout::vertical([Constraint::Length(height), Constraint::Min(3)]).areas(area);
    frame.render_widget(Paragraph::new(lines).block(outer), top);
    lists::render(app, frame, rest);
}

/// The hub, the last sync, what waits to go out, and the last failure in full.
fn sync_lines<St: Store>(app: &App<St>) -> Vec<Line<'static>> {
    let Some(status) = app.sync_status() else {
        return vec![Line::styled(S::SyncNone.t(), app.theme.dim())];
    };
    let last = status
        .last_ok
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| S::NotSyncedYet.t().to_string());
    let mut lines = vec![
        Line::raw(format!("{}：{}", S::SyncHub.t(), display_safe(&status.hub))),
        Line::raw(format!(
            "{}：{last}    {}：{}",
            S::SyncLastOk.t(),
            S::SyncPending.t(),
            status.pending
        )),
    ];
    if let Some((at, why)) = &status.failed {
        lines.push(Line::styled(
            format!(
                "{}：{}  {}",
                S::SyncLastError.t(),
                at.format("%Y-%m-%d %H:%M:%S"),
                display_safe(&why.to_string())
            ),
            app.theme.alert(),
        ));
    }
    lines
}

pub fn columns() -> Vec<(S, usize)> {
    vec![(S::ColRecord, 22), (S::ColField, 12), (S::ColSides, 0)]
}

/// A row of the queue: a conflict with its values side by side, or a finding with a shared
/// number.
pub fn row_cells<St: Store>(app: &App<St>, item: &Selected) -> Vec<(S, String)> {
    match item {
        Selected::Conflict(i) => {
            let rows = app.conflict_rows();
            let Some(row) = rows.get(*i) else {
                return Vec::new();
            };
            let sides: Vec<String> = row
                .sides
                .iter()
                .map(|s| format!("{}：{}", s.author, one_line(&s.text)))
                .collect();
            vec![
                (S::ColRecord, row.record.clone()),
                (S::ColField, row.field_label.clone()),
                (S::ColSides, sides.join(" ｜ ")),
            ]
        }
        Selected::Finding(id) => {
            let Some(r) = app.snap.finding(*id) else {
                return Vec::new();
            };
            vec![
                (
                    S::ColRecord,
                    format!("{} {}", S::KindFinding.t(), r.finding.number),
                ),
                (S::ColField, S::DuplicateNumber.t().to_string()),
                (S::ColSides, r.finding.title.to_string()),
            ]
        }
        _ => Vec::new(),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The detail pane of a conflict: each side in full.
pub fn detail_lines<St: Store>(app: &App<St>, i: usize) -> Vec<Line<'static>> {
    let rows = app.conflict_rows();
    let Some(row) = rows.get(i) else {
        return Vec::new();
    };
    let mut lines = vec![
        Line::styled(display_safe(&row.record), app.theme.title()),
        Line::raw(format!(
            "{}：{}",
            S::ColField.t(),
            display_safe(&row.field_label)
        )),
    ];
    for side in &row.sides {
        lines.push(Line::raw(""));
        let shown = if side.shown { S::ShownSide.t() } else { "" };
        let style = if side.shown {
            app.theme.accent()
        } else {
            app.theme.key()
        };
        lines.push(Line::styled(
            format!("{}  {}{shown}", display_safe(&side.author), side.at),
            style,
        ));
        for l in display_safe_multiline(&side.text).lines() {
            lines.push(Line::raw(format!("  {l}")));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(S::ConflictHint.t(), app.theme.dim()));
    lines
}

/// The status bar's mark: when the last sync was (or that it failed), what waits to go out,
/// and how many conflicts are open. Nothing without a hub.
pub fn sync_mark<St: Store>(app: &App<St>) -> Vec<Span<'static>> {
    let Some(status) = app.sync_status() else {
        return Vec::new();
    };
    let mut spans = Vec::new();
    if let Some((at, _)) = &status.failed {
        let text = S::SyncFailedAt
            .t()
            .replace("{}", &at.format("%H:%M").to_string());
        spans.push(Span::styled(format!("! {text}"), app.theme.alert()));
    } else if status.slow {
        spans.push(Span::styled(S::Syncing.t(), app.theme.dim()));
    } else if let Some(at) = status.last_ok {
        let text = S::SyncedAt
            .t()
            .replace("{}", &at.format("%H:%M").to_string());
        spans.push(Span::styled(text, app.theme.good()));
    } else {
        spans.push(Span::styled(S::NotSyncedYet.t(), app.theme.dim()));
    }
    let pending = S::ToSend.t().replace("{}", &status.pending.to_string());
    spans.push(Span::raw(format!(" · {pending}")));
    let open = app.snap.conflicts.len() + app.snap.duplicates.len();
    if open > 0 {
        let text = S::ConflictCount.t().replace("{}", &open.to_string());
        spans.push(Span::raw(" · "));
        spans.push(Span::styled(text, app.theme.warn()));
    }
    spans.push(Span::raw(" "));
    spans
}

pub fn mark_width(spans: &[Span]) -> u16 {
    spans.iter().map(|s| width(&s.content)).sum::<usize>() as u16
}

/// The chooser of a side.
pub fn chooser<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect, chooser: &Chooser) {
    let title = format!(
        "{} · {}  {}",
        chooser.row.record,
        chooser.row.field_label,
        S::ChooseSide.t()
    );
    picker::draw(app, frame, area, &title, &chooser.picker, 110);
}
