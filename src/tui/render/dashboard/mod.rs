//! 总览: the 口径 on top; on the left the totals with the 整改率, the counts by status and the
//! overdue findings by days late; on the right the tables by lead unit and by project type, the
//! rate drawn as a bar. Every number is a row the cursor walks (Enter lists the findings behind
//! it, `next_view` jumps to the next section). What does not fit is left out, except the section
//! the cursor is in. The figures come from `App::dashboard` (cached per snapshot state).

mod sections;
mod tables;

use super::wrap_lines;
use crate::report::figures::Rate;
use crate::store::Store;
use crate::text::width;
use crate::tui::app::App;
use crate::tui::stats::{Dashboard, Section};
use crate::tui::strings::S;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What every section draws with: the figures and where the cursor is.
struct Ctx<'a> {
    d: &'a Dashboard,
    selected: usize,
    focus: Section,
}

pub fn render<St: Store>(app: &mut App<St>, frame: &mut Frame, area: Rect) {
    let d = app.dashboard();
    let selected = {
        let view = app.nav.current_mut();
        view.selected = view.selected.min(d.rows.len().saturating_sub(1));
        view.selected
    };
    let focus = d
        .rows
        .get(selected)
        .map(|r| r.drill.section())
        .unwrap_or(Section::Totals);
    let ctx = Ctx {
        d: &d,
        selected,
        focus,
    };
    let caliber = caliber_lines(app, &d, area.width as usize);
    let [top, body] =
        Layout::vertical([Constraint::Length(caliber.len() as u16), Constraint::Min(0)])
            .areas(area);
    frame.render_widget(Paragraph::new(caliber), top);
    let left_width = (body.width * 36 / 100).clamp(32, 46);
    let [left, right] =
        Layout::horizontal([Constraint::Length(left_width), Constraint::Min(0)]).areas(body);
    sections::render(app, frame, left, &ctx);
    let page = tables::render(app, frame, right, &ctx);
    app.page_rows = page.max(1);
}

/// 口径：截至 2026-11-28，2021-2023年全部已下发问题，按问题个数，… on one line, or two on a
/// narrow terminal (broken between its parts, never inside one).
fn caliber_lines<St: Store>(app: &App<St>, d: &Dashboard, cells: usize) -> Vec<Line<'static>> {
    let years = match d.years {
        Some((a, b)) if a == b => S::DashYears.t().replace("{}", &a.to_string()),
        Some((a, b)) => S::DashYears.t().replace("{}", &format!("{a}-{b}")),
        None => String::new(),
    };
    let scope = match d.caliber.scope {
        crate::report::Scope::All => S::DashScopeAll.t(),
        crate::report::Scope::Reported => S::DashScopeReported.t(),
    }
    .replace("{years}", &years);
    let sep = S::DashSep.t();
    let brief = d.caliber.brief().in_lang(crate::i18n::lang()).to_string();
    let mut parts = vec![
        format!("{} {}", S::AsOf.t(), d.caliber.cutoff.format("%Y-%m-%d")),
        scope,
    ];
    parts.extend(brief.split(sep).map(str::to_string));
    let head = format!(" {}", S::DashCaliber.t());
    let indent = " ".repeat(width(&head));
    let mut lines: Vec<String> = vec![String::new()];
    for (i, part) in parts.iter().enumerate() {
        let piece = if i + 1 < parts.len() {
            format!("{part}{sep}")
        } else {
            part.clone()
        };
        let used = width(&head) + lines.last().map_or(0, |l| width(l));
        if used + width(piece.trim_end()) > cells && lines.last().is_some_and(|l| !l.is_empty()) {
            lines.push(String::new());
        }
        if let Some(last) = lines.last_mut() {
            last.push_str(&piece);
        }
    }
    let mut out = Vec::new();
    for (i, text) in lines.into_iter().take(2).enumerate() {
        let lead = if i == 0 { head.clone() } else { indent.clone() };
        let line = Line::from(vec![
            Span::styled(lead, app.theme.title()),
            Span::styled(text.trim_end().to_string(), app.theme.dim()),
        ]);
        out.extend(wrap_lines(vec![line], cells as u16).into_iter().take(1));
    }
    out
}

/// A selectable row: the marker and the selection style on the cursor's row.
fn row_line<St: Store>(
    app: &App<St>,
    ctx: &Ctx,
    i: usize,
    spans: Vec<Span<'static>>,
) -> Line<'static> {
    let on = i == ctx.selected;
    let marker = if on {
        format!("{} ", app.theme.marker())
    } else {
        "  ".into()
    };
    let mut all = vec![Span::raw(marker)];
    all.extend(spans);
    let line = Line::from(all);
    if on {
        line.style(app.theme.selected())
    } else {
        line
    }
}

/// `text` right-aligned in `cells` cells.
fn right(text: &str, cells: usize) -> String {
    format!("{}{text}", " ".repeat(cells.saturating_sub(width(text))))
}

/// A horizontal bar of `filled` cells out of `room`, in block characters (ASCII `#`).
fn bar<St: Store>(app: &App<St>, filled: usize, style: Style) -> Span<'static> {
    let full = if app.theme.ascii { "#" } else { "█" };
    Span::styled(full.repeat(filled), style)
}

/// Cells of a bar for `n` of `max` in `room` cells: at least one for anything above zero.
fn scaled(n: usize, max: usize, room: usize) -> usize {
    if max == 0 {
        return 0;
    }
    (n * room).div_ceil(max).min(room)
}

/// `72.6%`, or `-` when there is nothing to divide by.
fn percent(rate: Rate) -> String {
    if rate.denominator <= 0 {
        "-".into()
    } else {
        format!("{}%", rate.percent())
    }
}

/// Good from 80%, a warning from 50%, an alert below.
fn rate_style<St: Store>(app: &App<St>, rate: Rate) -> Style {
    if rate.denominator <= 0 {
        return app.theme.dim();
    }
    let per_mille = i128::from(rate.numerator) * 1000 / i128::from(rate.denominator);
    if per_mille >= 800 {
        app.theme.good()
    } else if per_mille >= 500 {
        app.theme.warn()
    } else {
        app.theme.alert()
    }
}

/// Cells of a rate bar in `room` cells (rounded half up, capped at the room).
fn rate_cells(rate: Rate, room: usize) -> usize {
    if rate.denominator <= 0 || rate.numerator <= 0 {
        return 0;
    }
    let cells = (i128::from(rate.numerator) * room as i128 * 2 + i128::from(rate.denominator))
        / (2 * i128::from(rate.denominator));
    usize::try_from(cells).unwrap_or(room).min(room)
}

/// An amount in 万元 with two decimals, as the tables print it.
fn wan(amount: crate::domain::Money) -> String {
    amount.format_rounded(crate::domain::MoneyUnit::Wan, 2)
}
