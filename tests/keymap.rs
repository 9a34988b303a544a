//! Keymaps as the user meets them: the shipped presets, files with mistakes (reported at the
//! right line), user overrides, and key sequences fed one press at a time.

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rectify::tui::action::Action;
use rectify::tui::keymap::{
    Context, Keymap, KeymapError, Lookup, check_file, key_text, parse_key, preset_names,
};

const PRESETS: [&str; 3] = ["default", "vim", "emacs"];

fn preset_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("keymaps/{name}.toml"))
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The errors `keymap check` gives for a file with this text.
fn check_text(text: &str) -> Vec<KeymapError> {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "mine.toml", text);
    check_file(&path).expect_err("the file has a mistake")
}

/// Exactly one error, at this line, mentioning `offending` in both languages.
fn assert_one_error(errors: &[KeymapError], line: usize, offending: &str) {
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(e.line, line, "{e}");
    assert!(e.msg.en.contains(offending), "{}", e.msg.en);
    assert!(e.msg.zh.contains(offending), "{}", e.msg.zh);
    assert!(
        e.to_string().contains(&format!("mine.toml:{line}: ")),
        "{e}"
    );
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn all_bindings(keymap: &Keymap) -> Vec<(Context, String, Action)> {
    Context::ALL
        .into_iter()
        .flat_map(|c| keymap.bindings(c).into_iter().map(move |(k, a)| (c, k, a)))
        .collect()
}

#[test]
fn shipped_presets_load_without_errors() {
    assert_eq!(preset_names(), PRESETS);
    for name in PRESETS {
        let (keymap, errors) = Keymap::load(name, None);
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        assert_eq!(keymap.name(), name);
        assert_eq!(check_file(&preset_path(name)), Ok(()), "{name}");
    }
    let default = Keymap::default_preset();
    assert_eq!(default.name(), "default");
    assert!(!default.bindings(Context::Global).is_empty());
}

#[test]
fn every_action_is_reachable_in_every_preset() {
    for name in PRESETS {
        let keymap = Keymap::load(name, None).0;
        let bound = all_bindings(&keymap);
        for action in Action::ALL {
            assert!(
                bound.iter().any(|(_, _, a)| a == action),
                "{name}: nothing is bound to {}",
                action.name()
            );
        }
    }
}

#[test]
fn forms_leave_printable_characters_to_the_text_field() {
    for name in PRESETS {
        let keymap = Keymap::load(name, None).0;
        for (text, action) in keymap.bindings(Context::Form) {
            let keys = parse_key(&text).unwrap();
            let first = keys[0];
            let printable = matches!(first.code, KeyCode::Char(_))
                && (first.modifiers - KeyModifiers::SHIFT).is_empty();
            assert!(!printable, "{name}: [form] binds \"{text}\" to {action:?}");
        }
        for (action, key) in [
            (Action::Save, "ctrl-s"),
            (Action::NextField, "tab"),
            (Action::PrevField, "backtab"),
            (Action::Cancel, "esc"),
            (Action::Confirm, "enter"),
        ] {
            assert!(
                keymap
                    .keys_for(Context::Form, action)
                    .contains(&key.to_string())
            );
        }
    }
}

#[test]
fn keys_round_trip_through_the_notation() {
    for name in PRESETS {
        let keymap = Keymap::load(name, None).0;
        for (context, text, _) in all_bindings(&keymap) {
            let keys = parse_key(&text).unwrap();
            let back: Vec<String> = keys.iter().map(key_text).collect();
            assert_eq!(back.join(" "), text, "{name} [{}]", context.name());
        }
    }
}

#[test]
fn unknown_action_is_reported_at_its_line() {
    let errors = check_text("[list]\n\"q\" = \"quit\"\n\"x\" = \"explode\"\n");
    assert_one_error(&errors, 3, "explode");
    let typo = check_text("[list]\n\"x\" = \"qiut\"\n");
    assert!(
        typo[0].msg.en.contains("did you mean \"quit\""),
        "{}",
        typo[0]
    );
}

#[test]
fn key_alone_and_as_prefix_is_reported_at_the_later_one() {
    let errors = check_text("[list]\n\"g\" = \"top\"\n\"j\" = \"down\"\n\"g g\" = \"bottom\"\n");
    assert_one_error(&errors, 4, "g g");
    assert!(errors[0].msg.en.contains("line 2"), "{}", errors[0]);
    // In different contexts the same keys are fine.
    let dir = tempfile::tempdir().unwrap();
    let ok = write(
        &dir,
        "ok.toml",
        "[list]\n\"g\" = \"top\"\n[popup]\n\"g g\" = \"bottom\"\n",
    );
    assert_eq!(check_file(&ok), Ok(()));
}

#[test]
fn bad_key_is_reported_at_its_line() {
    let errors = check_text("[global]\n\"ctrl-c\" = \"quit\"\n\n\"ctrl-shiftt-x\" = \"help\"\n");
    assert_one_error(&errors, 4, "ctrl-shiftt-x");
    let run_together = check_text("[list]\n\"gg\" = \"top\"\n");
    assert_one_error(&run_together, 2, "\"g g\"");
}

#[test]
fn unknown_context_is_reported_at_its_line() {
    let errors = check_text("[list]\n\"q\" = \"quit\"\n\n[serach]\n\"x\" = \"up\"\n");
    assert_one_error(&errors, 4, "[serach]");
}

#[test]
fn duplicate_key_is_reported_at_the_second_line() {
    // TOML itself refuses this; the message must still be file:line and plain.
    let errors = check_text("[list]\n\"q\" = \"quit\"\n\"n\" = \"new\"\n\"q\" = \"help\"\n");
    assert_one_error(&errors, 4, "\"q\"");
    assert!(errors[0].msg.en.contains("twice"), "{}", errors[0]);
    // The same key written two ways is caught by the keymap, not by TOML.
    let two_ways = check_text("[list]\n\"G\" = \"bottom\"\n\"shift-g\" = \"top\"\n");
    assert_one_error(&two_ways, 3, "shift-g");
}

#[test]
fn unknown_preset_is_reported_at_its_line() {
    let errors = check_text("# mine\nextends = \"vmi\"\n[list]\n\"x\" = \"up\"\n");
    assert_one_error(&errors, 2, "vmi");
}

#[test]
fn all_errors_of_a_file_are_collected() {
    let errors = check_text("[list]\n\"x\" = \"nope\"\n\"ctrl-\" = \"up\"\n[other]\n");
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 3, 4], "{errors:#?}");
}

#[test]
fn a_user_file_overrides_one_key_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let user = write(
        &dir,
        "keymap.toml",
        "[list]\n\"x\" = \"archive\"\n\"a\" = \"none\"\n",
    );
    let (keymap, errors) = Keymap::load("vim", Some(&user));
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(keymap.name(), "vim");
    assert_eq!(keymap.action_for(Context::List, "x"), Some(Action::Archive));
    assert_eq!(
        keymap.action_for(Context::List, "a"),
        None,
        "\"none\" unbinds"
    );
    assert_eq!(keymap.action_for(Context::List, "j"), Some(Action::Down));
    assert_eq!(keymap.action_for(Context::List, "down"), Some(Action::Down));
    // The override comes first, so a status-bar hint shows it.
    assert_eq!(keymap.keys_for(Context::List, Action::Archive)[0], "x");
}

#[test]
fn a_missing_user_file_is_no_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let (keymap, errors) = Keymap::load("emacs", Some(&dir.path().join("absent.toml")));
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(keymap.name(), "emacs");
}

#[test]
fn a_bad_user_file_falls_back_to_the_default_with_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    // vim binds "g g" in [list]; a user "g" there clashes with it.
    let user = write(&dir, "keymap.toml", "[list]\n\n\"g\" = \"top\"\n");
    let (keymap, errors) = Keymap::load("vim", Some(&user));
    assert_eq!(keymap.name(), "default");
    assert_eq!(keymap.action_for(Context::List, "j"), None);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].file, user.display().to_string());
    assert_eq!(errors[0].line, 3);
    assert!(
        errors[0].msg.en.contains("keymaps/vim.toml:"),
        "{}",
        errors[0]
    );
    // An override file always extends the chosen keymap; it cannot pick another.
    let named = write(&dir, "named.toml", "extends = \"emacs\"\n");
    let (_, errors) = Keymap::load("vim", Some(&named));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].line, 1);
}

#[test]
fn a_keymap_file_can_be_chosen_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "team.toml",
        "extends = \"vim\"\n[list]\n\"ctrl-q\" = \"quit\"\n",
    );
    let (keymap, errors) = Keymap::load(path.to_str().unwrap(), None);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(keymap.name(), path.to_str().unwrap());
    assert_eq!(
        keymap.action_for(Context::List, "ctrl-q"),
        Some(Action::Quit)
    );
    assert_eq!(keymap.action_for(Context::List, "G"), Some(Action::Bottom));
    let (fallback, errors) = Keymap::load("no-such-preset", None);
    assert_eq!(fallback.name(), "default");
    assert!(
        errors[0].msg.en.contains("neither a preset"),
        "{}",
        errors[0]
    );
}

#[test]
fn vim_g_g_waits_for_the_second_g() {
    let mut keymap = Keymap::load("vim", None).0;
    let contexts = [Context::List, Context::Global];
    assert_eq!(keymap.feed(&contexts, ch('g')), Lookup::Pending);
    assert_eq!(keymap.pending_text().as_deref(), Some("g"));
    assert_eq!(
        keymap.pending_continuations(&contexts),
        vec![("g".to_string(), Action::Top)]
    );
    assert_eq!(keymap.feed(&contexts, ch('g')), Lookup::Action(Action::Top));
    assert_eq!(keymap.pending_text(), None);
    // Shift+'G' as a terminal reports it is plain G.
    let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(
        keymap.feed(&contexts, shifted),
        Lookup::Action(Action::Bottom)
    );
    // A prefix can be abandoned.
    assert_eq!(keymap.feed(&contexts, ch('g')), Lookup::Pending);
    keymap.reset_pending();
    assert_eq!(
        keymap.feed(&contexts, ch('j')),
        Lookup::Action(Action::Down)
    );
}

#[test]
fn emacs_ctrl_x_sequences() {
    let mut keymap = Keymap::load("emacs", None).0;
    let form = [Context::Form, Context::Global];
    assert_eq!(keymap.feed(&form, ctrl('x')), Lookup::Pending);
    assert_eq!(keymap.pending_text().as_deref(), Some("ctrl-x"));
    assert_eq!(keymap.feed(&form, ctrl('s')), Lookup::Action(Action::Save));
    // In a list only the global ctrl-x ctrl-c is there.
    let list = [Context::List, Context::Global];
    assert_eq!(keymap.feed(&list, ctrl('x')), Lookup::Pending);
    assert_eq!(
        keymap.pending_continuations(&list),
        vec![("ctrl-c".to_string(), Action::Quit)]
    );
    assert_eq!(keymap.feed(&list, ctrl('s')), Lookup::NotFound);
    assert_eq!(keymap.feed(&list, ctrl('c')), Lookup::Action(Action::Quit));
    assert_eq!(keymap.feed(&list, ctrl('n')), Lookup::Action(Action::Down));
    let alt_lt = KeyEvent::new(KeyCode::Char('<'), KeyModifiers::ALT | KeyModifiers::SHIFT);
    assert_eq!(keymap.feed(&list, alt_lt), Lookup::Action(Action::Top));
}

#[test]
fn fullwidth_question_mark_opens_help() {
    let mut keymap = Keymap::default_preset();
    let contexts = [Context::List, Context::Global];
    assert_eq!(
        keymap.feed(&contexts, ch('？')),
        Lookup::Action(Action::Help)
    );
    assert_eq!(
        keymap.feed(&contexts, ch('?')),
        Lookup::Action(Action::Help)
    );
    assert_eq!(
        keymap.feed(&contexts, ch('１')),
        Lookup::Action(Action::TabDashboard)
    );
}

#[test]
fn the_default_preset_answers_the_basic_keys() {
    let mut keymap = Keymap::default_preset();
    assert!(
        keymap
            .keys_for(Context::Form, Action::Save)
            .contains(&"ctrl-s".to_string())
    );
    let list = [Context::List, Context::Global];
    let form = [Context::Form, Context::Global];
    let popup = [Context::Popup, Context::Global];
    assert_eq!(keymap.feed(&list, ctrl('c')), Lookup::Action(Action::Quit));
    assert_eq!(
        keymap.feed(&list, key(KeyCode::F(1))),
        Lookup::Action(Action::Help)
    );
    assert_eq!(
        keymap.feed(&list, key(KeyCode::Enter)),
        Lookup::Action(Action::Open)
    );
    assert_eq!(
        keymap.feed(&list, key(KeyCode::Backspace)),
        Lookup::Action(Action::Back)
    );
    assert_eq!(
        keymap.feed(&form, key(KeyCode::Backspace)),
        Lookup::Action(Action::DeleteBack)
    );
    assert_eq!(
        keymap.feed(&form, key(KeyCode::Esc)),
        Lookup::Action(Action::Cancel)
    );
    assert_eq!(
        keymap.feed(&form, ch('q')),
        Lookup::NotFound,
        "typed into the field"
    );
    let shift_tab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(
        keymap.feed(&form, shift_tab),
        Lookup::Action(Action::PrevField)
    );
    let alt_enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT);
    assert_eq!(
        keymap.feed(&form, alt_enter),
        Lookup::Action(Action::Newline)
    );
    assert_eq!(
        keymap.feed(&popup, key(KeyCode::Enter)),
        Lookup::Action(Action::Confirm)
    );
    assert_eq!(keymap.feed(&popup, ctrl('z')), Lookup::Action(Action::Undo));
}

#[test]
fn help_lists_bindings_grouped_by_action() {
    let keymap = Keymap::default_preset();
    let list = keymap.bindings(Context::List);
    let actions: Vec<Action> = list.iter().map(|(_, a)| *a).collect();
    let mut sorted = actions.clone();
    sorted.sort();
    assert_eq!(actions, sorted);
    // Within an action, the order written in the file.
    let new: Vec<&str> = list
        .iter()
        .filter(|(_, a)| *a == Action::New)
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(new, ["n", "ctrl-n", "f7"]);
}
