//! The 总览's right column: the tables by lead unit and by project type. Columns 问题数, 已整改,
//! 整改率, 超期, 涉及金额(万元), then the rate as a bar; worst rate first. Columns are sized by
//! display width (a Chinese character is two cells). On a narrow column the amount, then the
//! overdue count, make way for a readable name, and the bar is drawn only in the room left.

use super::{Ctx, bar, percent, rate_cells, rate_style, right, row_line, wan};
use crate::domain::Labelled;
use crate::store::Store;
use crate::text::{pad, width};
use crate::tui::app::App;
use crate::tui::render::{block, cell};
use crate::tui::stats::{Drill, Row, Section};
use crate::tui::strings::S;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Rows a table needs besides its data rows: two borders and the header.
const CHROME: u16 = 3;
/// The narrowest name column worth showing, and the narrowest bar.
const MIN_NAME: usize = 8;
const MIN_BAR: usize = 6;
/// Room for a short name whole (5 Chinese characters): less, and a column makes way.
const GOOD_NAME: usize = 10;
/// Names longer than this are cut (the longest project-type label is 26 cells).
const MAX_NAME: usize = 26;

/// Draw the tables that fit; returns how many rows the main one shows (a page for the cursor).
pub(super) fn render<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect, ctx: &Ctx) -> usize {
    let d = ctx.d;
    let units = d.section_rows(Section::Units);
    let types = d.section_rows(Section::Types);
    // An empty table keeps a row to say so.
    let want = |n: usize| {
        u16::try_from(n.max(1))
            .unwrap_or(u16::MAX)
            .saturating_add(CHROME)
    };
    let (want_units, want_types) = (want(units.len()), want(types.len()));
    let h = area.height;
    let types_first = ctx.focus == Section::Types;
    let (units_h, types_h) = if want_units.saturating_add(want_types) <= h {
        (want_units, want_types)
    } else {
        // The table the cursor is in (else the units) first; the other keeps a third of a tall
        // column, and whatever is left on a short one if that shows a couple of rows.
        let (want_main, want_other) = if types_first {
            (want_types, want_units)
        } else {
            (want_units, want_types)
        };
        let reserve = if h >= 24 { want_other.min(h / 3) } else { 0 };
        let main = want_main.min(h - reserve);
        let other = h - main;
        let other = if other >= CHROME + 2 { other } else { 0 };
        if types_first {
            (other, main)
        } else {
            (main, other)
        }
    };
    let [top, bottom, _] = Layout::vertical([
        Constraint::Length(units_h),
        Constraint::Length(types_h),
        Constraint::Min(0),
    ])
    .areas(area);
    let shown_units = if units_h > 0 {
        table(app, frame, top, ctx, Section::Units)
    } else {
        0
    };
    let shown_types = if types_h > 0 {
        table(app, frame, bottom, ctx, Section::Types)
    } else {
        0
    };
    if types_first {
        shown_types
    } else {
        shown_units
    }
}

/// The columns after the name, in order, with what they show.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Findings,
    Rectified,
    Rate,
    Overdue,
    Amount,
}

impl Col {
    fn header(self) -> &'static str {
        match self {
            Col::Findings => S::ColFindings.t(),
            Col::Rectified => S::DashColRectified.t(),
            Col::Rate => S::DashColRate.t(),
            Col::Overdue => S::DashColOverdue.t(),
            Col::Amount => S::DashColAmount.t(),
        }
    }
}

fn name<St: Store>(app: &App<St>, row: &Row) -> String {
    match row.drill {
        Drill::Unit(Some(u)) => app.snap.unit_name(u),
        Drill::Unit(None) => S::DashNoLead.t().to_string(),
        Drill::Type(t) => t.label().to_string(),
        _ => String::new(),
    }
}

fn value(d: &crate::tui::stats::Dashboard, row: &Row, col: Col) -> String {
    let Some(t) = &row.tally else {
        return String::new();
    };
    match col {
        Col::Findings => t.findings.to_string(),
        Col::Rectified => t.rectified.to_string(),
        Col::Rate => percent(t.rate(d.caliber.basis)),
        Col::Overdue => t.overdue.to_string(),
        Col::Amount => wan(t.amount),
    }
}

/// One table: header, then the rows that fit, scrolled to keep the cursor in view.
fn table<St: Store>(
    app: &App<St>,
    frame: &mut Frame,
    area: Rect,
    ctx: &Ctx,
    section: Section,
) -> usize {
    let d = ctx.d;
    let rows = d.section_rows(section);
    let title = match section {
        Section::Types => S::DashByType.t(),
        _ => S::DashByUnit.t(),
    };
    let outer = block(app, &format!("{title} ({})", rows.len()));
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let visible = (inner.height as usize).saturating_sub(1);
    let all: Vec<(usize, &Row)> = rows
        .clone()
        .filter_map(|i| d.rows.get(i).map(|r| (i, r)))
        .collect();
    let names: Vec<String> = all.iter().map(|(_, r)| name(app, r)).collect();
    let mut cols = vec![
        Col::Findings,
        Col::Rectified,
        Col::Rate,
        Col::Overdue,
        Col::Amount,
    ];
    let col_width = |c: Col| {
        all.iter()
            .map(|(_, r)| width(&value(d, r, c)))
            .chain([width(c.header())])
            .max()
            .unwrap_or(0)
    };
    let total = inner.width as usize;
    // 2 cells for the marker, one after the name and after each column.
    let rest = |cols: &[Col]| {
        total.saturating_sub(2 + 1 + cols.iter().map(|c| col_width(*c) + 1).sum::<usize>())
    };
    let longest = names.iter().map(|n| width(n)).max().unwrap_or(0);
    let header_name = name_header(section);
    let want_name = longest.max(width(header_name)).clamp(MIN_NAME, MAX_NAME);
    // Names are what the rows are about: a column goes before a short name is cut.
    let enough = want_name.min(GOOD_NAME);
    for drop in [Col::Amount, Col::Overdue, Col::Rectified] {
        if rest(&cols) >= enough {
            break;
        }
        cols.retain(|c| *c != drop);
    }
    let room = rest(&cols);
    // The whole name first (the rate is in its column anyway), the bar if room is left.
    let (name_w, bar_w) = if room >= want_name + MIN_BAR {
        (want_name, room - want_name)
    } else {
        (room, 0)
    };
    let widths: Vec<usize> = cols.iter().map(|c| col_width(*c)).collect();
    let mut header = vec![Span::raw(format!("  {} ", pad(header_name, name_w)))];
    for (c, w) in cols.iter().zip(&widths) {
        header.push(Span::raw(format!("{} ", right(c.header(), *w))));
    }
    let mut lines = vec![Line::from(header).style(app.theme.title())];
    let selected = ctx.selected;
    let offset = if rows.contains(&selected) {
        (selected - rows.start + 1).saturating_sub(visible)
    } else {
        0
    };
    for ((i, row), label) in all.iter().zip(&names).skip(offset).take(visible) {
        let rate = row.tally.as_ref().map(|t| t.rate(d.caliber.basis));
        let mut spans = vec![Span::raw(format!("{} ", cell(label, name_w)))];
        for (c, w) in cols.iter().zip(&widths) {
            let text = right(&value(d, row, *c), *w);
            let style = match (c, rate) {
                (Col::Rate, Some(r)) => rate_style(app, r),
                (Col::Overdue, _) if row.tally.as_ref().is_some_and(|t| t.overdue > 0) => {
                    app.theme.alert()
                }
                _ => ratatui::style::Style::new(),
            };
            spans.push(Span::styled(text, style));
            spans.push(Span::raw(" "));
        }
        if let (Some(r), true) = (rate, bar_w > 0) {
            spans.push(bar(
                app,
                rate_cells(r, bar_w.saturating_sub(1)),
                rate_style(app, r),
            ));
        }
        lines.push(row_line(app, ctx, *i, spans));
    }
    if all.is_empty() {
        lines.push(Line::styled(
            format!("  {}", S::NoneHere.t()),
            app.theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    visible
}

/// The name column's header: 牵头单位 or 类型.
fn name_header(section: Section) -> &'static str {
    match section {
        Section::Types => S::ColType.t(),
        _ => S::ColLead.t(),
    }
}
