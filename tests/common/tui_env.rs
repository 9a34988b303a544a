//! The terminal app without a terminal: an `App` on a temp store, keys fed through the real
//! event handling, frames drawn on ratatui's `TestBackend`.

use super::store_env::Scratch;
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rectify::ledger::Ledger;
use rectify::store::SledStore;
use rectify::tui::app::{App, AppEvent};
use rectify::tui::keymap::{Keymap, parse_key};
use rectify::tui::theme::Theme;
use std::path::PathBuf;

/// The day the tests live on, so statuses and snapshots do not move with the calendar.
pub fn test_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).expect("valid date")
}

pub struct TuiEnv {
    pub app: App<SledStore>,
    _dir: Scratch,
}

impl TuiEnv {
    /// An app on a fresh store, with the demo ledger loaded (`demo`) or empty.
    pub fn new(preset: &str, demo: bool) -> TuiEnv {
        rectify::i18n::set_lang(rectify::i18n::Lang::Zh);
        let (dir, path) = super::store_env::new_store_dir();
        let mut ledger = Ledger::new(SledStore::open(&path, "审计员甲").expect("open store"));
        if demo {
            ledger
                .create_batch(rectify::demo::story::demo_records(test_today()))
                .expect("demo loads");
        }
        TuiEnv {
            app: app_on(ledger, path, preset),
            _dir: dir,
        }
    }

    /// The same ledger in the next session: this app is closed (the caller does what the app
    /// does at exit first), `between` runs on the ledger as another command would, and a new
    /// app opens on it.
    pub fn next_session(self, between: impl FnOnce(&mut Ledger<SledStore>)) -> TuiEnv {
        let TuiEnv { app, _dir } = self;
        let path = app.db.clone();
        drop(app);
        let mut ledger = Ledger::new(SledStore::open(&path, "审计员甲").expect("reopen store"));
        between(&mut ledger);
        TuiEnv {
            app: app_on(ledger, path, "default"),
            _dir,
        }
    }

    /// Feed a script of keys: `<key>` in the keymap notation (`<ctrl-s>`, `<down>`, `<g g>` is
    /// two keys), anything outside brackets typed as characters (Chinese included).
    pub fn keys(&mut self, script: &str) -> &mut Self {
        for key in script_keys(script) {
            self.app.handle_event(AppEvent::Key(key));
        }
        self
    }

    /// Draw one frame and return it as text, one line per row (trailing blanks cut). Panics if
    /// a wide character was overwritten by something drawn into its second cell, which is
    /// what a Chinese character split in half looks like.
    pub fn screen(&mut self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        terminal
            .draw(|frame| rectify::tui::render::render(&mut self.app, frame))
            .expect("draw");
        buffer_text(terminal.backend().buffer())
    }

    /// Where the real terminal cursor is after a frame (the caret of the focused field).
    pub fn cursor_after_frame(&mut self, width: u16, height: u16) -> Option<(u16, u16)> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        terminal
            .draw(|frame| rectify::tui::render::render(&mut self.app, frame))
            .expect("draw");
        let backend = terminal.backend();
        backend
            .cursor_visible()
            .then(|| (backend.cursor_position().x, backend.cursor_position().y))
    }
}

/// The app as the tests' user opens it: this preset, no colours, on `test_today()`.
fn app_on(ledger: Ledger<SledStore>, path: PathBuf, preset: &str) -> App<SledStore> {
    let (keymap, errors) = Keymap::load(preset, None);
    assert!(errors.is_empty(), "preset {preset}: {errors:?}");
    let theme = Theme::new(false, rectify::config::Theme::Auto);
    App::new(ledger, keymap, theme, path, "审计员甲".into(), test_today()).expect("app")
}

pub fn script_keys(script: &str) -> Vec<KeyEvent> {
    let mut keys = Vec::new();
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && end > 1
        {
            let inner = &rest[1..end];
            keys.extend(parse_key(inner).unwrap_or_else(|e| panic!("bad key <{inner}>: {e}")));
            rest = &rest[end + 1..];
            continue;
        }
        let modifiers = if c.is_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        keys.push(KeyEvent::new(KeyCode::Char(c), modifiers));
        rest = &rest[c.len_utf8()..];
    }
    keys
}

pub fn buffer_text(buffer: &ratatui::buffer::Buffer) -> String {
    let area = buffer.area;
    let mut out = Vec::new();
    for y in 0..area.height {
        let mut line = String::new();
        let mut skip = 0usize;
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            if skip > 0 {
                skip -= 1;
                assert!(
                    cell.symbol().trim().is_empty(),
                    "row {y}, column {x}: {:?} drawn over the second half of a wide character in {line:?}",
                    cell.symbol()
                );
                continue;
            }
            line.push_str(cell.symbol());
            skip = rectify::text::width(cell.symbol()).saturating_sub(1);
        }
        out.push(line.trim_end().to_string());
    }
    out.join("\n")
}
