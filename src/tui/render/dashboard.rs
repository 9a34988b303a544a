//! 总览: counts by status with bars, the 整改率 with its 口径 stated, the overdue list (which
//! the cursor walks; Enter opens a finding) and the 回头看 queue.

use super::{block, cell, scroll_offset};
use crate::domain::{Labelled, Status};
use crate::store::Store;
use crate::tui::app::App;
use crate::tui::strings::S;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render<St: Store>(app: &mut App<St>, frame: &mut Frame, area: Rect) {
    let [left, right] = Layout::horizontal([
        Constraint::Length(44.min(area.width / 2)),
        Constraint::Min(20),
    ])
    .areas(area);
    status_counts(app, frame, left);
    let [overdue, due] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(right);
    overdue_list(app, frame, overdue);
    due_checks(app, frame, due);
}

fn status_counts<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect) {
    let snap = &app.snap;
    let max = Status::ALL
        .iter()
        .map(|s| snap.count(*s))
        .max()
        .unwrap_or(0)
        .max(1);
    let bar_room = (area.width as usize).saturating_sub(24).max(4);
    let full = if app.theme.ascii { "#" } else { "█" };
    let mut lines = Vec::new();
    for status in Status::ALL {
        let n = snap.count(*status);
        let bar = full.repeat((n * bar_room).div_ceil(max).min(bar_room));
        lines.push(Line::from(vec![
            Span::raw(cell(status.label(), 13)),
            Span::raw(format!("{n:>5} ")),
            Span::styled(bar, app.theme.accent()),
        ]));
    }
    lines.push(Line::raw(""));
    let rate = snap
        .rectification_rate()
        .map(|r| format!("{r:.1}%"))
        .unwrap_or_else(|| "-".into());
    lines.push(Line::from(vec![
        Span::styled(format!("{}：", S::RectificationRate.t()), app.theme.title()),
        Span::styled(rate, app.theme.accent()),
    ]));
    lines.push(Line::styled(S::RateCaliber.t(), app.theme.dim()));
    lines.push(Line::raw(format!("{} {}", S::AsOf.t(), snap.today)));
    frame.render_widget(
        Paragraph::new(lines).block(block(app, S::StatusCounts.t())),
        area,
    );
}

fn overdue_list<St: Store>(app: &mut App<St>, frame: &mut Frame, area: Rect) {
    let items = app.snap.overdue();
    let title = format!("{} ({})", S::OverdueList.t(), items.len());
    let outer = block(app, &title);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let height = inner.height as usize;
    app.page_rows = height.max(1);
    let view = app.nav.current_mut();
    view.selected = view.selected.min(items.len().saturating_sub(1));
    view.offset = scroll_offset(view.selected, view.offset, height);
    let (selected, offset) = (view.selected, view.offset);
    let title_width = (inner.width as usize)
        .saturating_sub(12 + 10 + 12 + 6)
        .max(6);
    let mut lines = Vec::new();
    for (i, idx) in items.iter().enumerate().skip(offset).take(height) {
        let r = &app.snap.findings[*idx];
        let lead = r
            .finding
            .lead_unit()
            .map(|u| app.snap.unit_name(u))
            .unwrap_or_default();
        let marker = if i == selected {
            format!("{} ", app.theme.marker())
        } else {
            "  ".into()
        };
        let days = format!("{}{}", r.status.days_overdue, S::Days.t());
        let line = Line::from(vec![
            Span::raw(marker),
            Span::raw(cell(&r.finding.number, 12)),
            Span::styled(cell(&days, 9), app.theme.alert()),
            Span::raw(" "),
            Span::raw(cell(&r.finding.title, title_width)),
            Span::raw(" "),
            Span::raw(cell(&lead, 12)),
        ]);
        lines.push(if i == selected {
            line.style(app.theme.selected())
        } else {
            line
        });
    }
    if items.is_empty() {
        lines.push(Line::styled(S::NoneHere.t(), app.theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn due_checks<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect) {
    let queue = app.snap.check_queue();
    let title = format!("{} ({})", S::DueChecks.t(), queue.len());
    let outer = block(app, &title);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let title_width = (inner.width as usize).saturating_sub(12 + 11 + 2).max(6);
    let mut lines: Vec<Line> = queue
        .iter()
        .take(inner.height as usize)
        .map(|(i, due)| {
            let r = &app.snap.findings[*i];
            Line::raw(format!(
                "  {} {} {}",
                cell(&due.to_string(), 10),
                cell(&r.finding.number, 12),
                cell(&r.finding.title, title_width)
            ))
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(S::NoneHere.t(), app.theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
