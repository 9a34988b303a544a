//! Taking over the terminal and always giving it back: on a normal exit, on a panic, and when
//! the app is stopped by SIGTERM or SIGHUP (a dropped SSH session).

use super::backend::WideCharBackend;
use ratatui::Terminal;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::crossterm::{cursor, execute};
use std::io::{Stdout, stdout};
use std::sync::atomic::{AtomicBool, Ordering};

static ACTIVE: AtomicBool = AtomicBool::new(false);
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Draws through `WideCharBackend`: Chinese text without a cursor move per character.
pub type Term = Terminal<WideCharBackend<Stdout>>;

/// Raw mode, the alternate screen and bracketed paste (so a pasted 问题描述 arrives as text,
/// not as keys), with a panic hook that restores the terminal before the message prints.
pub fn enter(mouse: bool) -> std::io::Result<Term> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    terminal::enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = stdout();
    if let Err(e) = execute!(out, EnterAlternateScreen, EnableBracketedPaste) {
        restore();
        return Err(e);
    }
    // Mouse capture is opt-in: it takes text selection away from the terminal.
    if mouse {
        MOUSE.store(true, Ordering::SeqCst);
        let _ = execute!(out, EnableMouseCapture);
    }
    Terminal::new(WideCharBackend::new(stdout())).inspect_err(|_| restore())
}

/// Give the terminal back. Safe to call more than once, and after the terminal is gone (a
/// hung-up SSH session): errors are ignored, there is no one left to tell.
pub fn restore() {
    if MOUSE.swap(false, Ordering::SeqCst) {
        let _ = execute!(stdout(), DisableMouseCapture);
    }
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = execute!(
            stdout(),
            DisableBracketedPaste,
            LeaveAlternateScreen,
            cursor::Show
        );
        let _ = terminal::disable_raw_mode();
    }
}
