//! A form over the panels: one row per field (label, value, and the reason it is invalid), the
//! real terminal cursor at the caret of the focused text field so an input method's candidate
//! window follows it, and a picker pop-up when a choice is open.

use super::popups::centred;
use super::{block, cell};
use crate::store::Store;
use crate::text::display_safe;
use crate::tui::app::{App, Mode};
use crate::tui::forms::Form;
use crate::tui::forms::field::Input;
use crate::tui::strings::S;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const LABEL_CELLS: usize = 20;

pub fn render<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect) {
    let Mode::Form(form) = &app.mode else { return };
    // As tall as the fields need (plus borders, errors and the message row), at most the screen.
    let wanted: u16 = form
        .fields
        .iter()
        .map(|f| f.height() + u16::from(f.error.is_some()))
        .sum::<u16>()
        + 3;
    let rect = centred(area, 96, wanted.min(area.height.saturating_sub(2)));
    super::clear_popup(frame, rect);
    let outer = block(app, form.title);
    let inner = outer.inner(rect);
    frame.render_widget(outer, rect);
    if inner.height < 3 || inner.width < 30 {
        return;
    }
    let value_cells = inner.width.saturating_sub(LABEL_CELLS as u16 + 1);
    // Rows each field takes: its input, plus one for an error.
    let heights: Vec<u16> = form
        .fields
        .iter()
        .map(|f| f.height() + u16::from(f.error.is_some()))
        .collect();
    let body_height = inner.height.saturating_sub(1); // the last row is the form's message
    let first = first_visible(&heights, form.focus, body_height);
    let mut y = inner.y;
    let mut cursor = None;
    for (i, field) in form.fields.iter().enumerate().skip(first) {
        if y + field.height() > inner.y + body_height {
            break;
        }
        let focused = i == form.focus;
        // A marker as well as reverse video: the focus must show without colour too.
        let marker = if focused { app.theme.marker() } else { " " };
        let required = if field.required { "*" } else { " " };
        let label = format!("{marker}{required}{}", field.label());
        let label_style = if focused {
            app.theme.selected()
        } else {
            app.theme.title()
        };
        frame.render_widget(
            Paragraph::new(Line::styled(cell(&label, LABEL_CELLS), label_style)),
            Rect {
                x: inner.x,
                y,
                width: LABEL_CELLS as u16,
                height: 1,
            },
        );
        let value_rect = Rect {
            x: inner.x + LABEL_CELLS as u16 + 1,
            y,
            width: value_cells,
            height: field.height(),
        };
        if let Some(pos) = render_value(app, frame, value_rect, &field.input, focused) {
            cursor = Some(pos);
        }
        if let Some(hint) = field.shown_hint() {
            // After the caret's cell, so an input method's window does not cover it.
            let at = Rect {
                x: value_rect.x + 1,
                width: value_rect.width.saturating_sub(1),
                height: 1,
                ..value_rect
            };
            frame.render_widget(Paragraph::new(Line::styled(hint, app.theme.dim())), at);
        }
        y += field.height();
        if let Some(err) = &field.error {
            let text = format!("  ! {}", display_safe(err));
            frame.render_widget(
                Paragraph::new(Line::styled(text, app.theme.alert())),
                Rect {
                    x: inner.x + LABEL_CELLS as u16 + 1,
                    y,
                    width: value_cells,
                    height: 1,
                },
            );
            y += 1;
        }
    }
    if let Some(msg) = &form.message {
        let rect = Rect {
            x: inner.x,
            y: inner.y + inner.height - 1,
            width: inner.width,
            height: 1,
        };
        frame.render_widget(
            Paragraph::new(Line::styled(display_safe(msg), app.theme.alert())),
            rect,
        );
    }
    if let Some(picker_cursor) = render_picker(app, frame, area, form) {
        cursor = Some(picker_cursor);
    }
    if let Some(pos) = cursor {
        frame.set_cursor_position(pos);
    }
}

/// The first field to draw so that the focused one is on screen.
fn first_visible(heights: &[u16], focus: usize, room: u16) -> usize {
    let last = focus.min(heights.len().saturating_sub(1));
    let mut first = 0;
    // Drop fields from the top until the focused one fits (or is the first shown).
    while first < last && heights[first..=last].iter().sum::<u16>() > room {
        first += 1;
    }
    first
}

/// Draw a field's value; returns where the caret is if the field is focused and typed into.
fn render_value<St: Store>(
    app: &App<St>,
    frame: &mut Frame,
    rect: Rect,
    input: &Input,
    focused: bool,
) -> Option<Position> {
    let style = if focused {
        app.theme.accent()
    } else {
        ratatui::style::Style::new()
    };
    match input {
        Input::Line(t) | Input::Date(t) | Input::Money(t) => {
            let view = t.view(rect.width);
            frame.render_widget(Paragraph::new(Line::styled(view.text, style)), rect);
            focused.then_some(Position {
                x: rect.x + view.cursor_col,
                y: rect.y,
            })
        }
        Input::Area(a) => {
            let view = a.view(rect.width, rect.height);
            let lines: Vec<Line> = view
                .lines
                .into_iter()
                .map(|l| Line::styled(l, style))
                .collect();
            frame.render_widget(Paragraph::new(lines), rect);
            focused.then_some(Position {
                x: rect.x + view.cursor.0,
                y: rect.y + view.cursor.1,
            })
        }
        Input::Flag(on) => {
            // Ballot boxes are ambiguous-width in Chinese terminals; brackets are not.
            let mark = if *on { "[x]" } else { "[ ]" };
            frame.render_widget(Paragraph::new(Line::styled(mark, style)), rect);
            None
        }
        Input::Choice { .. } | Input::Entity { .. } | Input::Entities { .. } => {
            let text = input.summary();
            let hint = if focused {
                format!("  ({})", S::EnterToChoose.t())
            } else {
                String::new()
            };
            let line = Line::from(vec![
                Span::styled(
                    cell(&text, rect.width as usize).trim_end().to_string(),
                    style,
                ),
                Span::styled(hint, app.theme.dim()),
            ]);
            frame.render_widget(Paragraph::new(line), rect);
            None
        }
    }
}

fn render_picker<St: Store>(
    app: &App<St>,
    frame: &mut Frame,
    area: Rect,
    form: &Form,
) -> Option<Position> {
    let picker = form.picker.as_ref()?;
    let label = form
        .fields
        .get(form.focus)
        .map(|f| f.label())
        .unwrap_or_default();
    Some(super::picker::draw(app, frame, area, label, picker, 60))
}
