//! Drawing a frame from the app's state: tab bar and breadcrumbs on top, the current view in
//! the middle, hints and messages at the bottom, pop-ups over it. Only visible rows are built,
//! and every piece of stored text goes through `display_safe` first.

mod conflicts;
mod dashboard;
mod detail;
mod finder;
mod form;
mod lists;
mod picker;
mod plans;
mod popups;

use super::app::{App, Mode};
use super::strings::S;
use super::view::{Tab, ViewKind};
use crate::store::Store;
use crate::text::{display_safe, pad, width};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn render<St: Store>(app: &mut App<St>, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        popups::too_small(frame, area);
        return;
    }
    if let Mode::Welcome = app.mode {
        popups::welcome(app, frame, area);
        return;
    }
    let [top, crumbs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    tab_bar(app, frame, top);
    breadcrumbs(app, frame, crumbs);
    match app.nav.current().kind {
        ViewKind::Dashboard => dashboard::render(app, frame, body),
        ViewKind::Finding(id) => detail::finding_page(app, frame, body, id),
        ViewKind::Conflicts => conflicts::render(app, frame, body),
        _ => lists::render(app, frame, body),
    }
    status_bar(app, frame, status);
    match &app.mode {
        Mode::Help { scroll } => popups::help(app, frame, area, *scroll),
        Mode::Confirm(c) => popups::confirm(app, frame, area, c),
        Mode::Form(_) => form::render(app, frame, area),
        Mode::Finder(_) => finder::render(app, frame, area),
        Mode::Views(_) => finder::views(app, frame, area),
        Mode::Repeats(offer) => {
            picker::draw(app, frame, area, S::RepeatsTitle.t(), &offer.picker, 110);
        }
        Mode::AddRecord(menu) => plans::add_menu(app, frame, area, menu),
        Mode::LookBack(offer) => plans::lookback(app, frame, area, offer),
        Mode::Resolve(chooser) => conflicts::chooser(app, frame, area, chooser),
        Mode::Prompt(_) => finder::prompt(app, frame, status),
        Mode::Normal | Mode::Welcome => {}
    }
    if app.keymap.pending_text().is_some() {
        popups::which_key(app, frame, area);
    }
}

fn tab_bar<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect) {
    let current = app.nav.current().tab();
    let mut spans = vec![Span::styled(
        format!(" {} ", S::AppTitle.t()),
        app.theme.title(),
    )];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let text = format!(" {} {} ", i + 1, tab.title());
        let style = if *tab == current {
            app.theme.active_tab()
        } else {
            Style::new()
        };
        spans.push(Span::styled(text, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn breadcrumbs<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect) {
    let sep = if app.theme.ascii { " > " } else { " › " };
    let text = app
        .nav
        .crumbs(&app.snap)
        .iter()
        .map(|c| display_safe(c))
        .collect::<Vec<_>>()
        .join(sep);
    frame.render_widget(
        Paragraph::new(Line::styled(format!(" {text}"), app.theme.dim())),
        area,
    );
}

/// The message of the last action, or the live keys of this screen; the sync mark on the right.
fn status_bar<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect) {
    let mark = conflicts::sync_mark(app);
    let area = if mark.is_empty() {
        area
    } else {
        let w = conflicts::mark_width(&mark).min(area.width / 2);
        let [left, right] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(w)]).areas(area);
        frame.render_widget(Paragraph::new(Line::from(mark)), right);
        left
    };
    if let Some(msg) = &app.status {
        let style = if msg.error {
            app.theme.alert()
        } else {
            app.theme.good()
        };
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {}", display_safe(&msg.text)), style)),
            area,
        );
        return;
    }
    let spans = hints(app, area.width as usize);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Key hints generated from the live keymap, as many as fit.
fn hints<St: Store>(app: &App<St>, max: usize) -> Vec<Span<'static>> {
    use super::action::Action::*;
    use super::keymap::Context;
    let (context, actions): (Context, &[super::action::Action]) = match &app.mode {
        Mode::Form(f) if f.picker.is_some() => (Context::Popup, &[Confirm, Cancel]),
        Mode::Form(_) => (Context::Form, &[Save, NextField, Pick, Cancel]),
        // The 总览: its rows open the findings behind them; `next_view` jumps a section.
        _ if app.nav.current().kind == ViewKind::Dashboard => (
            Context::List,
            &[Open, NextView, Find, Filter, Help, Undo, Quit],
        ),
        // A finding's page: the records that can be added to it.
        _ if app.nav.current().kind == ViewKind::Conflicts => {
            (Context::List, &[Open, Edit, Back, Help, Undo, Quit])
        }
        _ if matches!(app.nav.current().kind, ViewKind::Finding(_)) => (
            Context::List,
            &[
                Back,
                RecordCheck,
                RecordProgress,
                AddRecord,
                Edit,
                Help,
                Undo,
                Quit,
            ],
        ),
        _ => (
            Context::List,
            &[
                Open,
                New,
                Edit,
                RecordCheck,
                Help,
                Archive,
                Undo,
                Back,
                Quit,
            ],
        ),
    };
    let lang = crate::i18n::lang();
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for action in actions {
        let keys = app.keymap.keys_for(context, *action);
        let keys = if keys.is_empty() {
            app.keymap.keys_for(Context::Global, *action)
        } else {
            keys
        };
        let Some(key) = keys.first() else { continue };
        let label = action.hint(lang);
        let cost = width(key) + width(label) + 3;
        if used + cost > max {
            break;
        }
        used += cost;
        spans.push(Span::styled(key.clone(), app.theme.key()));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    spans
}

/// A bordered block in the theme's border set.
pub fn block<St: Store>(app: &App<St>, title: &str) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(app.theme.border_set())
        .title(Span::styled(
            format!(" {} ", display_safe(title)),
            app.theme.title(),
        ))
}

/// A cell: stored text made safe and fitted to `cells` display columns.
pub fn cell(text: &str, cells: usize) -> String {
    pad(&display_safe(text), cells)
}

/// Keep the selected row in view: the first row to show for a list of `height` rows.
pub fn scroll_offset(selected: usize, offset: usize, height: usize) -> usize {
    if height == 0 {
        return selected;
    }
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

/// Clear the area of a pop-up. A wide character of what lies beneath that starts just left of
/// the pop-up would cover its left border: ratatui's diff skips the cell after a wide
/// character, so the border would never reach the terminal. Blank such characters first.
pub fn clear_popup(frame: &mut Frame, rect: Rect) {
    frame.render_widget(ratatui::widgets::Clear, rect);
    if rect.x == 0 {
        return;
    }
    let buffer = frame.buffer_mut();
    for y in rect.y..rect.y + rect.height {
        let left = &mut buffer[(rect.x - 1, y)];
        if width(left.symbol()) > 1 {
            left.set_symbol(" ");
        }
    }
}

/// Wrap lines to `cells` display columns, breaking between graphemes. ratatui's word wrap
/// misjudges some lines of Chinese and lets a wide character run over the pane's border, so
/// panes that wrap use this and render without ratatui's wrapping.
pub fn wrap_lines(lines: Vec<Line<'static>>, cells: u16) -> Vec<Line<'static>> {
    use unicode_segmentation::UnicodeSegmentation;
    let max = usize::from(cells).max(2);
    let mut out = Vec::new();
    for line in lines {
        let style = line.style;
        let mut current: Vec<Span<'static>> = Vec::new();
        let mut used = 0;
        for span in line.spans {
            let mut piece = String::new();
            for g in span.content.graphemes(true) {
                let w = width(g);
                if used + w > max {
                    if !piece.is_empty() {
                        current.push(Span::styled(std::mem::take(&mut piece), span.style));
                    }
                    out.push(Line::from(std::mem::take(&mut current)).style(style));
                    used = 0;
                }
                piece.push_str(g);
                used += w;
            }
            if !piece.is_empty() {
                current.push(Span::styled(piece, span.style));
            }
        }
        out.push(Line::from(current).style(style));
    }
    out
}
