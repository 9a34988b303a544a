//! The finder pop-up (results with the matched characters highlighted), the saved-views list,
//! and the one-line prompt for a filter or a view's name.

use super::popups::centred;
use super::{block, cell, clear_popup, scroll_offset};
use crate::search::index::ItemKind;
use crate::store::Store;
use crate::text::{display_safe, width};
use crate::tui::app::{App, Mode};
use crate::tui::app_search::PromptPurpose;
use crate::tui::strings::S;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn kind_label(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Finding => S::KindFinding.t(),
        ItemKind::Project => S::KindProject.t(),
        ItemKind::Unit => S::KindUnit.t(),
        ItemKind::Check => S::KindCheck.t(),
    }
}

pub fn render<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect) {
    let (Mode::Finder(finder), Some(index)) = (&app.mode, app.search_index.as_ref()) else {
        return;
    };
    let rect = centred(area, 100, area.height.saturating_sub(4));
    clear_popup(frame, rect);
    let title = format!("{} ({})", S::Finder.t(), finder.hits.len());
    let outer = block(app, &title);
    let inner = outer.inner(rect);
    frame.render_widget(outer, rect);
    if inner.height < 2 {
        return;
    }
    let caret = super::picker::query_line(app, frame, inner, &finder.query);
    let rows = inner.height.saturating_sub(1) as usize;
    let offset = scroll_offset(finder.selected, 0, rows);
    let text_cells = (inner.width as usize).saturating_sub(8 + 2).max(10);
    let mut lines = Vec::new();
    for (pos, hit) in finder.hits.iter().enumerate().skip(offset).take(rows) {
        // Read in place: materializing every item (`items()`) cost the first search 15 ms
        // and 30 MB at 100,000 findings, for the twenty rows on screen.
        let Some(item) = index.item(hit.item) else {
            continue;
        };
        let selected = pos == finder.selected;
        let marker = if selected { app.theme.marker() } else { " " };
        let mut spans = vec![
            Span::raw(format!("{marker} ")),
            Span::styled(cell(kind_label(item.kind), 6), app.theme.dim()),
        ];
        spans.extend(highlighted(
            &item.text,
            &index.positions(finder.query.text(), hit.item),
            text_cells.saturating_sub(20),
            app.theme.key(),
        ));
        let context = format!("  {}", display_safe(&item.context));
        spans.push(Span::styled(context, app.theme.dim()));
        let line = Line::from(spans);
        lines.push(if selected {
            line.style(app.theme.selected())
        } else {
            line
        });
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            y: inner.y + 1,
            height: inner.height - 1,
            ..inner
        },
    );
    frame.set_cursor_position(caret);
}

/// The text cut to `max` cells, the matched characters (by character index) in `style`.
fn highlighted(text: &str, positions: &[usize], max: usize, style: Style) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut used = 0;
    for (i, c) in text.chars().enumerate() {
        let shown = display_safe(&c.to_string());
        let w = width(&shown);
        if used + w > max {
            spans.push(Span::raw(".."));
            break;
        }
        used += w;
        spans.push(if positions.contains(&i) {
            Span::styled(shown, style)
        } else {
            Span::raw(shown)
        });
    }
    spans
}

pub fn views<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect) {
    let Mode::Views(picker) = &app.mode else {
        return;
    };
    let caret = super::picker::draw(app, frame, area, S::SavedViews.t(), picker, 80);
    frame.set_cursor_position(caret);
}

/// The prompt on the status line; a problem shows above it, with the bad part marked.
pub fn prompt<St: Store>(app: &App<St>, frame: &mut Frame, status: Rect) {
    let Mode::Prompt(prompt) = &app.mode else {
        return;
    };
    let label = match prompt.purpose {
        PromptPurpose::Filter => S::FilterPrompt.t(),
        PromptPurpose::ViewName => S::ViewNamePrompt.t(),
    };
    frame.render_widget(ratatui::widgets::Clear, status);
    let head = format!(" {label}：");
    let room = status.width.saturating_sub(width(&head) as u16 + 1);
    let view = prompt.field.view(room);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(head.clone(), app.theme.key()),
            Span::raw(view.text),
        ])),
        status,
    );
    if let Some((msg, start, end)) = &prompt.error
        && status.y > 0
    {
        // Point at the bad part: the characters start..end of what was typed.
        let typed: Vec<char> = prompt.field.text().chars().collect();
        let before: String = typed.iter().take(*start).collect();
        let bad: String = typed
            .iter()
            .skip(*start)
            .take(end.saturating_sub(*start).max(1))
            .collect();
        let line = Line::from(vec![
            Span::raw(format!(
                "{}{}",
                " ".repeat(width(&head)),
                " ".repeat(width(&display_safe(&before)))
            )),
            Span::styled(
                "^".repeat(width(&display_safe(&bad)).max(1)),
                app.theme.alert(),
            ),
            Span::styled(format!(" {}", display_safe(msg)), app.theme.alert()),
        ]);
        let above = Rect {
            y: status.y - 1,
            height: 1,
            ..status
        };
        frame.render_widget(ratatui::widgets::Clear, above);
        frame.render_widget(Paragraph::new(line), above);
    }
    frame.set_cursor_position(Position {
        x: status.x + width(&head) as u16 + view.cursor_col,
        y: status.y,
    });
}
