//! A pick list over the screen: the type-ahead line, then the matching choices (ticks for a
//! multi-choice list), the cursor row marked and reversed. Used by form choices and saved views;
//! the finder shares its type-ahead line.

use super::popups::centred;
use super::{block, cell, clear_popup, scroll_offset};
use crate::store::Store;
use crate::text::display_safe;
use crate::tui::app::App;
use crate::tui::forms::picker::Picker;
use crate::tui::widgets::text_field::TextField;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draw `picker` `wide` cells wide, titled `title`; returns where the caret of its query is.
pub fn draw<St: Store>(
    app: &App<St>,
    frame: &mut Frame,
    area: Rect,
    title: &str,
    picker: &Picker,
    wide: u16,
) -> Position {
    let visible = picker.visible();
    let height = (visible.len() as u16 + 4).clamp(6, area.height.saturating_sub(4));
    let rect = centred(area, wide, height);
    clear_popup(frame, rect);
    let outer = block(app, title);
    let inner = outer.inner(rect);
    frame.render_widget(outer, rect);
    let caret = query_line(app, frame, inner, &picker.query);
    let rows = inner.height.saturating_sub(1) as usize;
    let offset = scroll_offset(picker.selected, 0, rows);
    let mut lines = Vec::new();
    for (pos, i) in visible.iter().enumerate().skip(offset).take(rows) {
        let tick = match &picker.ticked {
            Some(t) if t.get(*i).copied().unwrap_or(false) => "[x] ",
            Some(_) => "[ ] ",
            None => "",
        };
        let label = picker
            .labels
            .get(*i)
            .map(|s| display_safe(s))
            .unwrap_or_default();
        let selected = pos == picker.selected;
        let marker = if selected { app.theme.marker() } else { " " };
        let line = Line::raw(cell(
            &format!("{marker}{tick}{label}"),
            inner.width as usize,
        ));
        lines.push(if selected {
            line.style(app.theme.selected())
        } else {
            line
        });
    }
    let list = Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), list);
    caret
}

/// The type-ahead line at the top of `inner` (`> query`); returns where its caret is.
pub fn query_line<St: Store>(
    app: &App<St>,
    frame: &mut Frame,
    inner: Rect,
    query: &TextField,
) -> Position {
    let view = query.view(inner.width.saturating_sub(2));
    let line = Line::from(vec![
        Span::styled("> ", app.theme.key()),
        Span::raw(view.text),
    ]);
    frame.render_widget(Paragraph::new(line), Rect { height: 1, ..inner });
    Position {
        x: inner.x + 2 + view.cursor_col,
        y: inner.y,
    }
}
