//! The 总览's left column: the totals with the 整改率, the counts by status, and the overdue
//! findings by days late, each count a row with a bar.

use super::{Ctx, bar, percent, rate_style, right, row_line, scaled, wan};
use crate::domain::Labelled;
use crate::report::Basis;
use crate::store::Store;
use crate::text::{pad, width};
use crate::tui::app::App;
use crate::tui::render::block;
use crate::tui::stats::{Drill, Section};
use crate::tui::strings::S;
use crate::tui::view::aging_label;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The left column's sections in display order, with their heights (borders included).
const LEFT: [(Section, u16); 3] = [
    (Section::Totals, 8),
    (Section::Status, 10),
    (Section::Aging, 6),
];
/// Which to keep when not all fit: the totals, then the overdue findings, then the statuses.
const PRIORITY: [Section; 3] = [Section::Totals, Section::Aging, Section::Status];
/// Cells for a count.
const COUNT: usize = 6;

pub(super) fn render<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let shown = pick(area.height, ctx.focus);
    let mut constraints: Vec<Constraint> =
        shown.iter().map(|(_, h)| Constraint::Length(*h)).collect();
    constraints.push(Constraint::Min(0));
    let areas = Layout::vertical(constraints).split(area);
    for ((section, _), rect) in shown.iter().zip(areas.iter()) {
        match section {
            Section::Totals => totals(app, frame, *rect, ctx),
            Section::Status => counts(app, frame, *rect, ctx, Section::Status),
            _ => counts(app, frame, *rect, ctx, Section::Aging),
        }
    }
}

/// The sections that fit in `height` rows: the focused one always, then by priority.
fn pick(height: u16, focus: Section) -> Vec<(Section, u16)> {
    let height_of = |s: Section| LEFT.iter().find(|(x, _)| *x == s).map_or(0, |(_, h)| *h);
    let mut chosen: Vec<Section> = Vec::new();
    let mut used = 0;
    if LEFT.iter().any(|(s, _)| *s == focus) {
        chosen.push(focus);
        used += height_of(focus);
    }
    for s in PRIORITY {
        if !chosen.contains(&s) && used + height_of(s) <= height {
            chosen.push(s);
            used += height_of(s);
        }
    }
    if chosen.is_empty() {
        // Not even the totals fit whole: show what of them fits.
        return vec![(Section::Totals, height)];
    }
    LEFT.iter()
        .filter(|(s, _)| chosen.contains(s))
        .copied()
        .collect()
}

/// 问题总数, 已整改到位, 未整改到位 (rows), then the 整改率 and the amounts, labels aligned.
fn totals<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let d = ctx.d;
    let outer = block(app, S::DashTotals.t());
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let rows = d.section_rows(Section::Totals);
    let row_label = |drill: Drill| match drill {
        Drill::Rectified => S::DashRectified.t(),
        Drill::Unfinished => S::DashUnfinished.t(),
        _ => S::DashFindings.t(),
    };
    let others = [
        S::RectificationRate.t(),
        S::DashAmount.t(),
        S::DashAmountRectified.t(),
    ];
    let label_width = rows
        .clone()
        .filter_map(|i| d.rows.get(i))
        .map(|r| width(row_label(r.drill)))
        .chain(others.iter().map(|l| width(l)))
        .max()
        .unwrap_or(0)
        + 2;
    let mut lines = Vec::new();
    for i in rows {
        let Some(row) = d.rows.get(i) else { continue };
        lines.push(row_line(
            app,
            ctx,
            i,
            vec![
                Span::raw(pad(row_label(row.drill), label_width)),
                Span::styled(row.count.to_string(), app.theme.accent()),
            ],
        ));
    }
    let rate = d.rate();
    // The count rate's numerator and denominator, which the rows above need not show (持续整改
    // left out of the denominator, say).
    let detail = match d.caliber.basis {
        Basis::Count if rate.denominator > 0 => S::DashParen
            .t()
            .replace("{}", &format!("{}/{}", rate.numerator, rate.denominator)),
        _ => String::new(),
    };
    let fits = 2 + label_width + width(&percent(rate)) + width(&detail) <= inner.width as usize;
    let detail = if fits { detail } else { String::new() };
    lines.push(Line::from(vec![
        Span::styled(
            format!("  {}", pad(S::RectificationRate.t(), label_width)),
            app.theme.title(),
        ),
        Span::styled(percent(rate), rate_style(app, rate)),
        Span::raw(detail),
    ]));
    let money = |label: &str, amount| {
        Line::raw(format!(
            "  {}{}",
            pad(label, label_width),
            S::DashWan.t().replace("{}", &wan(amount))
        ))
    };
    lines.push(money(S::DashAmount.t(), d.totals.amount));
    lines.push(money(S::DashAmountRectified.t(), d.totals.amount_rectified));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The counts by status (`Section::Status`) or by days overdue (`Section::Aging`), with bars.
fn counts<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect, ctx: &Ctx, section: Section) {
    let d = ctx.d;
    let rows = d.section_rows(section);
    let label = |drill: Drill| match drill {
        Drill::Status(s) => s.label(),
        Drill::NotIssued => S::DashNotIssuedShort.t(),
        Drill::Aging(a) => aging_label(a),
        _ => "",
    };
    let title = if section == Section::Aging {
        let overdue: usize = rows
            .clone()
            .filter_map(|i| d.rows.get(i))
            .map(|r| r.count)
            .sum();
        format!(
            "{} ({overdue}) {}",
            S::OverdueList.t(),
            S::DashByDaysLate.t()
        )
    } else {
        S::StatusCounts.t().to_string()
    };
    let outer = block(app, &title);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let label_width = rows
        .clone()
        .filter_map(|i| d.rows.get(i))
        .map(|r| width(label(r.drill)))
        .max()
        .unwrap_or(0);
    let room = (inner.width as usize).saturating_sub(2 + label_width + COUNT + 1);
    let max = rows
        .clone()
        .filter_map(|i| d.rows.get(i))
        .filter(|r| r.drill != Drill::NotIssued)
        .map(|r| r.count)
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    for i in rows {
        let Some(row) = d.rows.get(i) else { continue };
        let (count_style, bar_style) = match row.drill {
            Drill::NotIssued => (app.theme.dim(), Style::new()),
            Drill::Aging(_) => (app.theme.alert(), app.theme.alert()),
            Drill::Status(s) if s.is_rectified() => (Style::new(), app.theme.good()),
            _ => (Style::new(), app.theme.accent()),
        };
        let filled = if row.drill == Drill::NotIssued {
            0
        } else {
            scaled(row.count, max, room)
        };
        lines.push(row_line(
            app,
            ctx,
            i,
            vec![
                Span::raw(pad(label(row.drill), label_width)),
                Span::styled(right(&row.count.to_string(), COUNT), count_style),
                Span::raw(" "),
                bar(app, filled, bar_style),
            ],
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
