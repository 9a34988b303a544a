//! Keys → actions, per context, from TOML keymap files (design.md §5).
//!
//! A keymap is a chain of files: a preset (`default`, or `vim`/`emacs`, which extend it, or a
//! file of the user's own) and optionally the user's override file on top. Each context is a
//! trie, fed one key at a time; a prefix such as `g` in `g g` is remembered here until the
//! sequence resolves or fails. The help popup and status bar read the live bindings back out,
//! so what they show is always what the keys do.
//!
//! - `key.rs`: the notation (`ctrl-s`, `G`, `g g`) and the canonical form of a key press.
//! - `file.rs`: one file → bindings with line numbers; `build.rs`: presets, `extends`,
//!   layering and the prefix check; `trie.rs`: lookup.

mod build;
mod context;
mod error;
mod file;
mod key;
mod trie;

use std::path::Path;

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

pub use context::Context;
pub use error::KeymapError;
pub use key::{key_text, normalize_fullwidth, parse_key};

use build::Bound;
use key::{Key, keys_text};
use trie::{Match, Trie};

use crate::tui::action::Action;

/// The preset used when nothing is chosen, and whenever the chosen keymap has errors.
pub const DEFAULT_PRESET: &str = "default";

/// The shipped presets, by name: `default`, `vim`, `emacs`.
pub fn preset_names() -> [&'static str; 3] {
    build::preset_names()
}

/// A shipped preset's file text (commented), e.g. to show it or start a user file from it.
pub fn preset_text(name: &str) -> Option<&'static str> {
    build::preset_text(name)
}

/// What a key press meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    Action(Action),
    /// The keys so far start a longer sequence: wait for the next key.
    Pending,
    /// Bound to nothing in these contexts. A printable key may then go to a text field.
    NotFound,
}

#[derive(Debug, Clone)]
struct Binding {
    keys: Vec<Key>,
    text: String,
    action: Action,
}

#[derive(Debug, Clone, Default)]
struct ContextMap {
    /// Preference order: the most specific file first, then the order written.
    bindings: Vec<Binding>,
    trie: Trie,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    name: String,
    maps: [ContextMap; 4],
    pending: Vec<Key>,
}

impl Keymap {
    /// The preset (name or path) plus the optional user override file. On any error the app
    /// continues on the built-in default and the errors are returned for a visible warning.
    /// A user file that does not exist is no overrides, not an error: it is optional.
    /// A name that is both a preset and a file in the working directory means the preset
    /// (write `./vim` for the file).
    pub fn load(choice: &str, user_file: Option<&Path>) -> (Keymap, Vec<KeymapError>) {
        let mut errors = Vec::new();
        let mut layers = build::choice_layers(choice, &mut errors);
        if let Some(path) = user_file {
            let label = path.display().to_string();
            match std::fs::read_to_string(path) {
                Ok(text) => layers.push(build::override_layer(&label, &text, &mut errors)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => errors.push(build::unreadable(&label, &e)),
            }
        }
        match build::resolve(&layers) {
            Ok(bounds) if errors.is_empty() => (Keymap::from_bounds(choice, bounds), errors),
            Ok(_) => (Keymap::default_preset(), errors),
            Err(more) => {
                errors.extend(more);
                (Keymap::default_preset(), errors)
            }
        }
    }

    /// The built-in default. Cannot fail: the embedded file is checked by the tests, and were
    /// it ever broken the result would be an empty keymap, not a crash.
    pub fn default_preset() -> Keymap {
        let mut errors = Vec::new();
        let layers = build::choice_layers(DEFAULT_PRESET, &mut errors);
        match build::resolve(&layers) {
            Ok(bounds) if errors.is_empty() => Keymap::from_bounds(DEFAULT_PRESET, bounds),
            _ => {
                debug_assert!(false, "the built-in default keymap has errors: {errors:?}");
                Keymap::from_bounds(DEFAULT_PRESET, Default::default())
            }
        }
    }

    fn from_bounds(name: &str, bounds: [Vec<Bound>; 4]) -> Keymap {
        let maps = bounds.map(|bounds| {
            let mut map = ContextMap::default();
            for b in bounds {
                map.trie.insert(&b.keys, b.action);
                map.bindings.push(Binding {
                    text: keys_text(&b.keys),
                    keys: b.keys,
                    action: b.action,
                });
            }
            map
        });
        Keymap {
            name: name.to_string(),
            maps,
            pending: Vec::new(),
        }
    }

    fn map(&self, context: Context) -> &ContextMap {
        &self.maps[context.index()]
    }

    /// Feed one key press. `contexts` are tried in order (e.g. [Form, Global]); a pending
    /// prefix is remembered inside the Keymap until it resolves or fails.
    ///
    /// The first context in which the whole sequence so far is bound, or starts a binding,
    /// decides. A key that completes nothing ends the sequence (NotFound; the key is not
    /// retried alone, as in vim and helix). Full-width punctuation counts as its ASCII twin.
    /// Only presses count: a release or repeat is NotFound and leaves a pending prefix alone.
    pub fn feed(&mut self, contexts: &[Context], key: KeyEvent) -> Lookup {
        if key.kind != KeyEventKind::Press {
            return Lookup::NotFound;
        }
        let mut keys = std::mem::take(&mut self.pending);
        keys.push(Key::from_event(&normalize_fullwidth(key)));
        for context in contexts {
            match self.map(*context).trie.lookup(&keys) {
                Match::Action(action) => return Lookup::Action(action),
                Match::Prefix => {
                    self.pending = keys;
                    return Lookup::Pending;
                }
                Match::None => {}
            }
        }
        Lookup::NotFound
    }

    pub fn reset_pending(&mut self) {
        self.pending.clear();
    }

    /// While a prefix is pending: the continuations in these contexts, as (remaining keys
    /// text, action), for the which-key popup. A continuation an earlier context already
    /// offers hides the same keys in a later one, as `feed` would.
    pub fn pending_continuations(&self, contexts: &[Context]) -> Vec<(String, Action)> {
        if self.pending.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<(String, Action)> = Vec::new();
        for context in contexts {
            for (rest, action) in self.map(*context).trie.continuations(&self.pending) {
                let text = keys_text(&rest);
                if !out.iter().any(|(t, _)| *t == text) {
                    out.push((text, action));
                }
            }
        }
        out.sort();
        out
    }

    /// The keys pressed so far of an unfinished sequence, e.g. "g".
    pub fn pending_text(&self) -> Option<String> {
        (!self.pending.is_empty()).then(|| keys_text(&self.pending))
    }

    /// Every key (as display text, e.g. "ctrl-s", "g g") bound to `action` in `context`,
    /// preferred first: a user override before its preset, then in the order written, so the
    /// first is the one to show in a status-bar hint.
    pub fn keys_for(&self, context: Context, action: Action) -> Vec<String> {
        self.map(context)
            .bindings
            .iter()
            .filter(|b| b.action == action)
            .map(|b| b.text.clone())
            .collect()
    }

    /// All bindings of a context, for the help popup: sorted by action (in `Action::ALL`
    /// order, which groups related actions), each action's keys preferred first.
    pub fn bindings(&self, context: Context) -> Vec<(String, Action)> {
        let mut all: Vec<(usize, &Binding)> =
            self.map(context).bindings.iter().enumerate().collect();
        all.sort_by_key(|(preference, b)| (b.action, *preference));
        all.into_iter()
            .map(|(_, b)| (b.text.clone(), b.action))
            .collect()
    }

    /// The preset name or file path this keymap came from ("default" after a fallback).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The action bound to the key sequence written `text` (e.g. "g g") in `context`.
    pub fn action_for(&self, context: Context, text: &str) -> Option<Action> {
        let keys = key::parse_keys(text).ok()?;
        let map = self.map(context);
        map.bindings
            .iter()
            .find(|b| b.keys == keys)
            .map(|b| b.action)
    }
}

/// `rectify keymap check FILE`: the same validation, all errors collected. The file is checked
/// with the presets it `extends`; an override file (no `extends`) is checked on its own.
pub fn check_file(path: &Path) -> Result<(), Vec<KeymapError>> {
    let mut errors = Vec::new();
    let layers = build::file_layers(path, &mut errors);
    if let Err(more) = build::resolve(&layers) {
        errors.extend(more);
    }
    // Errors are found in passes (TOML, bindings, extends, prefixes); show them by line.
    errors.sort_by_key(|e| e.line);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    use super::*;

    fn press(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn earlier_context_wins() {
        let mut keymap = Keymap::default_preset();
        let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(
            keymap.feed(&[Context::Form, Context::Global], esc),
            Lookup::Action(Action::Cancel)
        );
        assert_eq!(
            keymap.feed(&[Context::Global], esc),
            Lookup::Action(Action::Back)
        );
    }

    #[test]
    fn releases_do_not_count() {
        let mut keymap = Keymap::load("vim", None).0;
        let mut release = press('g');
        assert_eq!(keymap.feed(&[Context::List], release), Lookup::Pending);
        release.kind = KeyEventKind::Release;
        assert_eq!(keymap.feed(&[Context::List], release), Lookup::NotFound);
        assert_eq!(keymap.pending_text().as_deref(), Some("g"));
        assert_eq!(
            keymap.feed(&[Context::List], press('g')),
            Lookup::Action(Action::Top)
        );
    }

    #[test]
    fn a_broken_sequence_clears_the_prefix() {
        let mut keymap = Keymap::load("vim", None).0;
        assert_eq!(keymap.feed(&[Context::List], press('g')), Lookup::Pending);
        assert_eq!(keymap.feed(&[Context::List], press('x')), Lookup::NotFound);
        assert_eq!(keymap.pending_text(), None);
        assert!(keymap.pending_continuations(&[Context::List]).is_empty());
    }

    #[test]
    fn sequences_continue_in_a_later_context() {
        // emacs: [form] has ctrl-x ctrl-s, [global] has ctrl-x ctrl-c.
        let mut keymap = Keymap::load("emacs", None).0;
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        let contexts = [Context::Form, Context::Global];
        assert_eq!(keymap.feed(&contexts, ctrl('x')), Lookup::Pending);
        let rest = keymap.pending_continuations(&contexts);
        assert!(
            rest.contains(&("ctrl-s".to_string(), Action::Save)),
            "{rest:?}"
        );
        assert!(
            rest.contains(&("ctrl-c".to_string(), Action::Quit)),
            "{rest:?}"
        );
        assert_eq!(
            keymap.feed(&contexts, ctrl('c')),
            Lookup::Action(Action::Quit)
        );
    }

    #[test]
    fn load_of_a_missing_choice_falls_back_with_an_error() {
        let (keymap, errors) = Keymap::load("/no/such/keymap.toml", None);
        assert_eq!(keymap.name(), DEFAULT_PRESET);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 0);
    }
}
