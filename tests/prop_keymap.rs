//! The keymap parser under arbitrary input, the CI twin of `fuzz/fuzz_targets/keymap_parse.rs`:
//! any text as a keymap file or an override never panics, every error names a line and says
//! what is wrong in Chinese, the app always gets a keymap; key notation round-trips.

use proptest::prelude::*;
use rectify::tui::action::Action;
use rectify::tui::keymap::{Context, Keymap, check_file, key_text, parse_key, preset_names};

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

const KEYS: &[&str] = &[
    "q",
    "G",
    "?",
    "enter",
    "esc",
    "tab",
    "backtab",
    "backspace",
    "delete",
    "up",
    "down",
    "left",
    "right",
    "home",
    "end",
    "pageup",
    "pagedown",
    "space",
    "f1",
    "f12",
    "f13",
    "ctrl-s",
    "alt-enter",
    "shift-tab",
    "ctrl-",
    "ctrl-ctrl-x",
    "g g",
    "g",
    "中",
    "ｇ",
    "",
    " ",
    "\u{1b}[A",
    "ctrl-\u{0}",
];

const CONTEXTS: &[&str] = &["global", "list", "form", "popup", "nope", "", "列表"];

fn action_name() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..Action::ALL.len()).prop_map(|i| Action::ALL[i].name().to_string()),
        Just("none".to_string()),
        "\\PC{0,12}",
    ]
}

fn key_name() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..KEYS.len()).prop_map(|i| KEYS[i].to_string()),
        "\\PC{0,8}",
        "[a-z]{1,3}( [a-z]{1,3}){0,3}",
    ]
}

/// Keymap-shaped TOML: tables of "key" = "action", an `extends`, and noise lines.
fn keymap_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        (key_name(), action_name()).prop_map(|(k, a)| format!("{k:?} = {a:?}")),
        (0..CONTEXTS.len()).prop_map(|i| format!("[{}]", CONTEXTS[i])),
        prop_oneof![
            Just("extends = \"vim\"".to_string()),
            Just("extends = \"./self.toml\"".to_string()),
            Just("extends = [\"vim\"]".to_string()),
        ],
        "\\PC{0,30}",
        any::<String>(),
    ];
    proptest::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

fn write(dir: &tempfile::TempDir, text: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join("self.toml");
    std::fs::write(&path, text).expect("write keymap");
    path
}

fn check_everything(bytes: &[u8]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(&dir, bytes);
    if let Err(errors) = check_file(&path) {
        assert!(!errors.is_empty());
        let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
        for e in &errors {
            assert!(has_cjk(&e.msg.zh), "{e:?}");
            assert!(!e.msg.en.trim().is_empty(), "{e:?}");
            assert!(
                e.line <= lines.max(1) || e.file != path.display().to_string(),
                "{e:?}"
            );
        }
    }
    let (map, errors) = Keymap::load(&path.display().to_string(), None);
    assert!(errors.iter().all(|e| has_cjk(&e.msg.zh)), "{errors:?}");
    if !errors.is_empty() {
        // A broken keymap falls back to the default, which always works.
        assert_eq!(map.name(), "default");
        assert!(!map.keys_for(Context::Global, Action::Quit).is_empty());
    }
    for preset in preset_names() {
        let (map, errors) = Keymap::load(preset, Some(&path));
        assert!(errors.iter().all(|e| has_cjk(&e.msg.zh)), "{errors:?}");
        assert!(!map.keys_for(Context::Global, Action::Quit).is_empty() || errors.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn keymap_shaped_files_never_panic(text in keymap_text()) {
        check_everything(text.as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check_everything(&bytes);
    }

    #[test]
    fn key_notation_parses_or_explains_and_round_trips(text in prop_oneof![key_name(), any::<String>()]) {
        match parse_key(&text) {
            Ok(keys) => {
                let shown: Vec<String> = keys.iter().map(key_text).collect();
                let again = parse_key(&shown.join(" ")).expect("a key's own text parses");
                prop_assert_eq!(again, keys);
            }
            Err(msg) => prop_assert!(has_cjk(&msg.zh), "{msg:?}"),
        }
    }
}

#[test]
fn a_huge_keymap_file_is_refused_or_read_without_panic() {
    let mut text = String::from("[global]\n");
    text.push_str(&format!("\"{}\" = \"quit\"\n", "x".repeat(1 << 20)));
    text.push_str(&format!("q = \"{}\"\n", "\u{1b}[31m".repeat(1000)));
    check_everything(text.as_bytes());
}
