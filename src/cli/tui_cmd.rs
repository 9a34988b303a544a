//! `rectify` with no subcommand opens the terminal app; `rectify keymap check FILE`.

use super::args::GlobalOpts;
use super::{CliResult, Context, Out};
use crate::config::Borders;
use crate::i18n::{Msg, tr};
use crate::tui::app::App;
use crate::tui::keymap::{self, Keymap};
use crate::tui::strings::S;
use crate::tui::theme::Theme;
use std::io::IsTerminal;
use std::path::Path;

/// Returns the exit code: 0, or 128 + the signal that stopped the app.
pub fn run(ctx: &Context, flags: &GlobalOpts, out: &mut Out) -> CliResult<i32> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        // Not on a terminal (a pipe, a script): say where things stand instead.
        return super::welcome::run(ctx, out).map(|_| 0);
    }
    let ledger = ctx.open_for_app()?;
    let choice = flags
        .keymap
        .clone()
        .unwrap_or_else(|| ctx.config.keymap.clone());
    // The user's keymap overrides sit beside the config file in use.
    let user_keys = ctx.config_dir.as_ref().map(|d| d.join("keymap.toml"));
    let user_keys = user_keys.filter(|p| p.exists());
    let (keys, errors) = Keymap::load(&choice, user_keys.as_deref());
    let ascii = flags.ascii || ctx.config.borders == Borders::Ascii;
    let theme = Theme::new(ascii, ctx.config.theme);
    // Units and projects now; the findings after the first frame if a cached 总览 can stand
    // in for them (see `tui::app_startup`).
    let mut app = App::new_deferred(
        ledger,
        keys,
        theme,
        ctx.db.clone(),
        ctx.user.clone(),
        ctx.today,
    )?;
    if let Some(first) = errors.first() {
        app.complain(format!("{}{}", S::KeymapWarning.t(), first));
    }
    if let Some(text) = &ctx.config.caliber
        && let Err(e) = app.set_caliber(text)
    {
        app.complain(e.to_string());
    }
    if let Some(hub) = &ctx.config.hub {
        app.set_hub(hub.clone());
    }
    let (views, views_warning) = crate::tui::saved_views::Views::load(ctx.config_dir.as_deref());
    app.views = views;
    if let Some(w) = views_warning {
        app.complain(w.to_string());
    }
    match app.cached_overview() {
        Some(overview) => app.show_cached_overview(overview),
        None => {
            app.finish_loading();
        }
    }
    crate::tui::runner::run(&mut app, ctx.config.mouse)
        .map_err(|e| Msg::new(format!("终端出错：{e}"), format!("terminal error: {e}")))?;
    app.save_overview();
    Ok(app.stopped_by.map_or(0, |signal| 128 + signal))
}

/// Exit code 0 when the file is valid, 1 with every error as `file:line: message`.
pub fn check_keymap(file: &Path, out: &mut Out) -> CliResult<i32> {
    match keymap::check_file(file) {
        Ok(()) => {
            out.line(
                &Msg::new(
                    format!("{}：按键配置正确", file.display()),
                    format!("{}: the keymap is valid", file.display()),
                )
                .to_string(),
            )?;
            Ok(0)
        }
        Err(errors) => {
            for e in &errors {
                // The file's own text is quoted in messages: keep a line a line.
                eprintln!("{}", crate::text::clip_message(&e.to_string(), 400));
            }
            eprintln!(
                "{}",
                tr("按键配置有误（见上）", "the keymap has errors (see above)")
            );
            Ok(1)
        }
    }
}
