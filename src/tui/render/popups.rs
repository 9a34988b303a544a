//! Screens and pop-ups over the panels: too small, welcome, help, confirmations, which-key.

use super::{block, cell};
use crate::store::{EntityKind, Store};
use crate::text::display_safe;
use crate::tui::app::{App, Confirm};
use crate::tui::keymap::Context;
use crate::tui::strings::S;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

pub fn too_small(frame: &mut Frame, area: Rect) {
    let lines = vec![
        Line::raw(S::TooSmall.t()),
        Line::raw(format!("{}×{}", area.width, area.height)),
        Line::raw(S::TooSmallHint.t()),
    ];
    let h = (lines.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    let rect = Rect {
        x: area.x,
        y,
        width: area.width,
        height: h,
    };
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}

pub fn welcome<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect) {
    // With a hub the team's ledger is on its way, and a demo would go to everyone.
    let offer = match app.sync_status() {
        None => vec![Line::styled(S::WelcomeDemo.t(), app.theme.accent())],
        Some(status) => {
            let mut lines = vec![
                Line::styled(
                    S::WelcomeFetching
                        .t()
                        .replace("{}", &display_safe(&status.hub)),
                    app.theme.accent(),
                ),
                Line::raw(S::WelcomeNoDemo.t()),
            ];
            if let Some((_, why)) = status.failed {
                let text = format!("{}{}", S::SyncFailed.t(), why);
                lines.push(Line::styled(display_safe(&text), app.theme.alert()));
            }
            lines
        }
    };
    let mut lines = vec![
        Line::styled(S::Welcome.t(), app.theme.title()),
        Line::raw(""),
        Line::raw(S::WelcomeEmpty.t()),
        Line::raw(""),
    ];
    lines.extend(offer);
    lines.extend([
        Line::raw(S::WelcomeStart.t()),
        Line::raw(""),
        Line::raw(format!(
            "{}{}",
            S::WelcomeWhere.t(),
            display_safe(&app.db.display().to_string())
        )),
    ]);
    let rect = centred(area, 76, lines.len() as u16 + 4);
    let outer = block(app, S::AppTitle.t());
    let lines = super::wrap_lines(lines, outer.inner(rect).width);
    frame.render_widget(Paragraph::new(lines).block(outer), rect);
}

/// Every binding of the live keymap, grouped by context, with what it does.
pub fn help<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect, scroll: u16) {
    let lang = crate::i18n::lang();
    let mut lines = vec![Line::styled(
        format!("{}：{}", S::KeymapName.t(), app.keymap.name()),
        app.theme.dim(),
    )];
    for (context, title) in [
        (Context::Global, S::CtxGlobal.t()),
        (Context::List, S::CtxList.t()),
        (Context::Form, S::CtxForm.t()),
        (Context::Popup, S::CtxPopup.t()),
    ] {
        lines.push(Line::raw(""));
        lines.push(Line::styled(title, app.theme.title()));
        for (keys, action) in app.keymap.bindings(context) {
            lines.push(Line::from(vec![
                Span::styled(cell(&keys, 16), app.theme.key()),
                Span::raw(action.describe(lang)),
            ]));
        }
    }
    let rect = centred(area, 72, area.height.saturating_sub(2));
    super::clear_popup(frame, rect);
    let title = format!("{}  {}", S::Help.t(), S::HelpClose.t());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(app, &title))
            .scroll((scroll, 0)),
        rect,
    );
}

pub fn confirm<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect, confirm: &Confirm) {
    let question = match confirm {
        Confirm::Archive(kind, id) => {
            let what = match kind {
                EntityKind::Finding => app
                    .snap
                    .finding(*id)
                    .map(|r| format!("{} {}", r.finding.number, r.finding.title)),
                EntityKind::Project => app
                    .snap
                    .project(*id)
                    .map(|p| format!("{} {}", p.number, p.name)),
                EntityKind::Unit => app.snap.unit(*id).map(|u| u.name.clone()),
                EntityKind::Check => app
                    .snap
                    .check(*id)
                    .map(|c| format!("{} {} {}", c.date, c.checker, c.note)),
                _ => None,
            };
            format!(
                "{}\n{}",
                S::ConfirmArchive.t(),
                display_safe(&what.unwrap_or_default())
            )
        }
        Confirm::Discard(_) => S::DiscardChanges.t().to_string(),
    };
    let mut lines: Vec<Line<'static>> =
        question.lines().map(|l| Line::raw(l.to_string())).collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(S::YesNo.t(), app.theme.key()));
    let rect = centred(area, 60, 7);
    super::clear_popup(frame, rect);
    let outer = block(app, "?");
    let lines = super::wrap_lines(lines, outer.inner(rect).width);
    frame.render_widget(Paragraph::new(lines).block(outer), rect);
}

/// After a prefix key: what can follow it.
pub fn which_key<St: Store>(app: &App<St>, frame: &mut Frame, area: Rect) {
    let lang = crate::i18n::lang();
    let contexts = app.contexts();
    let pending = app.keymap.pending_text().unwrap_or_default();
    let lines: Vec<Line> = app
        .keymap
        .pending_continuations(&contexts)
        .into_iter()
        .map(|(keys, action)| {
            Line::from(vec![
                Span::styled(cell(&format!("{pending} {keys}"), 14), app.theme.key()),
                Span::raw(action.describe(lang)),
            ])
        })
        .collect();
    let h = (lines.len() as u16 + 2).min(area.height);
    let rect = Rect {
        x: area.x + area.width.saturating_sub(44),
        y: area.y + area.height.saturating_sub(h + 1),
        width: 44.min(area.width),
        height: h,
    };
    super::clear_popup(frame, rect);
    frame.render_widget(
        Paragraph::new(lines).block(block(app, S::Pending.t())),
        rect,
    );
}
