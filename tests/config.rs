//! `config.toml` as a user writes it: good files apply, and every mistake becomes a warning on
//! the right line while the rest of the file still takes effect.

use rectify::config::{self, Borders, Config, ConfigWarning, Overrides, Theme};
use rectify::i18n::{Lang, Msg};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// Write `content` to `<tempdir>/config.toml` and load it.
fn load_str(content: &str) -> (Config, Vec<ConfigWarning>, TempDir) {
    load_bytes(content.as_bytes())
}

fn load_bytes(content: &[u8]) -> (Config, Vec<ConfigWarning>, TempDir) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, content).unwrap();
    let (config, warnings) = config::load(&path);
    (config, warnings, dir)
}

/// The single warning, failing the test with all of them shown otherwise.
fn only(warnings: &[ConfigWarning]) -> &ConfigWarning {
    assert_eq!(warnings.len(), 1, "expected one warning, got {warnings:#?}");
    &warnings[0]
}

#[test]
fn a_missing_file_gives_the_defaults_and_no_warnings() {
    let dir = TempDir::new().unwrap();
    let (config, warnings) = config::load(&dir.path().join("nope.toml"));
    assert_eq!(config, Config::default());
    assert!(warnings.is_empty());
}

#[test]
fn the_defaults_are_the_documented_ones() {
    let d = Config::default();
    assert_eq!(d.lang, Lang::Zh);
    assert_eq!(d.keymap, "default");
    assert_eq!(d.theme, Theme::Auto);
    assert_eq!(d.borders, Borders::Unicode);
    assert_eq!(d.near_due_days, 15);
    assert!(!d.mouse);
    assert_eq!(d.db, None);
    assert_eq!(d.user, None);
    assert_eq!(d.store_idle_seconds, 10);
}

#[test]
fn an_empty_file_gives_the_defaults() {
    let (config, warnings, _dir) = load_str("# nothing set yet\n");
    assert_eq!(config, Config::default());
    assert!(warnings.is_empty());
}

#[test]
fn a_full_valid_file_sets_every_field() {
    let (config, warnings, _dir) = load_str(
        r#"
lang = "en"
keymap = "vim"
theme = "light"
borders = "ascii"
near_due_days = 30
mouse = true
db = "/srv/audit/ledger"
user = "张三"
caliber = "partial=yes, long-term=no"
hub = "ssh://intranet/srv/rectify/hub"
store_idle_seconds = 120
"#,
    );
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(
        config,
        Config {
            lang: Lang::En,
            keymap: "vim".to_string(),
            theme: Theme::Light,
            borders: Borders::Ascii,
            near_due_days: 30,
            mouse: true,
            db: Some(PathBuf::from("/srv/audit/ledger")),
            user: Some("张三".to_string()),
            caliber: Some("partial=yes, long-term=no".to_string()),
            hub: Some("ssh://intranet/srv/rectify/hub".to_string()),
            store_idle_seconds: 120,
        }
    );
}

#[test]
fn the_range_ends_of_near_due_days_are_accepted() {
    for days in [0, 365] {
        let (config, warnings, _dir) = load_str(&format!("near_due_days = {days}\n"));
        assert!(warnings.is_empty(), "{warnings:#?}");
        assert_eq!(config.near_due_days, days);
    }
}

#[test]
fn the_range_ends_of_store_idle_seconds_are_accepted() {
    for seconds in [1, 86_400] {
        let (config, warnings, _dir) = load_str(&format!("store_idle_seconds = {seconds}\n"));
        assert!(warnings.is_empty(), "{warnings:#?}");
        assert_eq!(config.store_idle_seconds, seconds);
    }
}

#[test]
fn relative_paths_are_next_to_the_config_file() {
    let (config, warnings, dir) = load_str("db = \"ledger\"\nkeymap = \"keys/mine.toml\"\n");
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(config.db, Some(dir.path().join("ledger")));
    assert_eq!(
        Path::new(&config.keymap),
        dir.path().join("keys/mine.toml").as_path()
    );
}

#[test]
fn absolute_keymap_paths_are_kept() {
    let (config, warnings, _dir) = load_str("keymap = \"/etc/rectify/keys.toml\"\n");
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(config.keymap, "/etc/rectify/keys.toml");
}

/// Each bad value: one warning naming the key on its line; the keys around it still apply.
#[test]
fn each_bad_value_warns_on_its_line_and_the_rest_applies() {
    let cases = [
        ("lang", "\"fr\""),
        ("lang", "1"),
        ("keymap", "\"\""),
        ("keymap", "true"),
        ("theme", "\"solarized\""),
        ("theme", "\"Dark\""),
        ("borders", "\"double\""),
        ("near_due_days", "\"15\""),
        ("near_due_days", "\"abc\""),
        ("near_due_days", "-1"),
        ("near_due_days", "366"),
        ("near_due_days", "15.0"),
        ("near_due_days", "99999999999999999999"),
        ("store_idle_seconds", "0"),
        ("store_idle_seconds", "86401"),
        ("store_idle_seconds", "-5"),
        ("store_idle_seconds", "\"10\""),
        ("store_idle_seconds", "1.5"),
        ("mouse", "\"yes\""),
        ("mouse", "1"),
        ("db", "42"),
        ("db", "\"  \""),
        ("user", "\"\""),
        ("user", "[\"a\", \"b\"]"),
        ("user", "\"a\\nb\""),
        ("caliber", "\"partial=maybe\""),
        ("caliber", "\"colour=red\""),
        ("caliber", "\"partial\""),
        ("caliber", "true"),
    ];
    for (key, bad) in cases {
        // The bad key on line 3, then good keys (other than it) that must still apply.
        let mut content = format!("# rectify\n\n{key} = {bad}\n");
        let mut expected = Config::default();
        if key != "lang" {
            content.push_str("lang = \"en\"\n");
            expected.lang = Lang::En;
        }
        if key != "mouse" {
            content.push_str("mouse = true\n");
            expected.mouse = true;
        }
        if key != "near_due_days" {
            content.push_str("near_due_days = 7\n");
            expected.near_due_days = 7;
        }
        let (config, warnings, _dir) = load_str(&content);
        let w = only(&warnings);
        assert_eq!(w.line, 3, "{key} = {bad}: {w}");
        assert!(w.msg.zh.starts_with(key), "{}", w.msg.zh);
        assert!(w.msg.en.starts_with(key), "{}", w.msg.en);
        assert_eq!(config, expected, "{key} = {bad}");
    }
}

#[test]
fn a_bad_caliber_warns_on_its_line_with_the_reason_and_the_default_is_used() {
    let (config, warnings, _dir) =
        load_str("lang = \"zh\"\n\ncaliber = \"partial=yes,long-term=maybe\"\n");
    let w = only(&warnings);
    assert_eq!(w.line, 3);
    assert_eq!(config.caliber, None, "the 总览 keeps its default 口径");
    assert!(w.msg.zh.starts_with("caliber"), "{}", w.msg.zh);
    assert!(
        w.msg.zh.contains("long-term") && w.msg.zh.contains("yes|no"),
        "says which part and what is valid: {}",
        w.msg.zh
    );
    assert!(w.msg.zh.contains("已使用默认口径"), "{}", w.msg.zh);
    assert!(w.msg.en.contains("using the default"), "{}", w.msg.en);
    // The same syntax as `rectify report --caliber`, Chinese keys and commas included.
    let (config, warnings, _dir) = load_str("caliber = \"部分整改=是，持续整改=否\"\n");
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(config.caliber.as_deref(), Some("部分整改=是，持续整改=否"));
}

#[test]
fn a_bad_number_message_says_what_was_expected_got_and_used() {
    let (config, warnings, _dir) = load_str("lang = \"zh\"\n\nnear_due_days = \"abc\"\n");
    let w = only(&warnings);
    assert_eq!(w.line, 3);
    assert_eq!(config.near_due_days, 15);
    assert_eq!(
        w.msg,
        Msg::new(
            "near_due_days 应为 0 到 365 之间的整数，收到 \"abc\"，已使用默认值 15",
            "near_due_days must be a whole number from 0 to 365, got \"abc\"; using the default 15",
        )
    );
    let file = w.file.display();
    let shown = w.to_string();
    assert!(shown.starts_with(&format!("{file}:3: ")), "{shown}");
}

#[test]
fn an_unknown_key_warns_with_its_line_and_is_ignored() {
    let (config, warnings, _dir) = load_str("theme = \"dark\"\ntick_sync_seconds = 5\n");
    let w = only(&warnings);
    assert_eq!(w.line, 2);
    assert!(w.msg.en.contains("tick_sync_seconds"), "{}", w.msg.en);
    assert!(w.msg.zh.contains("tick_sync_seconds"), "{}", w.msg.zh);
    assert!(
        w.msg.en.contains("near_due_days"),
        "lists the known keys: {}",
        w.msg.en
    );
    assert_eq!(config.theme, Theme::Dark);
}

#[test]
fn an_unknown_table_warns_on_its_header_line() {
    let (_config, warnings, _dir) = load_str("mouse = true\n\n[colors]\nfg = \"red\"\n");
    let w = only(&warnings);
    assert_eq!(w.line, 3);
    assert!(w.msg.en.contains("colors"), "{}", w.msg.en);
}

#[test]
fn several_warnings_come_in_file_order() {
    // Keys sort differently from their lines here, so the order is really by line.
    let (_config, warnings, _dir) = load_str("zzz = 1\nborders = 3\naaa = 2\n");
    let lines: Vec<usize> = warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [1, 2, 3]);
}

#[test]
fn broken_toml_gives_one_warning_with_its_line_and_all_defaults() {
    let (config, warnings, _dir) = load_str("lang = \"en\"\nmouse = true\n\ntheme = \"dark\n");
    let w = only(&warnings);
    assert_eq!(w.line, 4, "{w}");
    assert!(w.msg.en.contains("TOML"), "{}", w.msg.en);
    assert_eq!(config, Config::default());
}

#[test]
fn a_duplicate_key_is_a_toml_error() {
    let (config, warnings, _dir) = load_str("mouse = true\nlang = \"en\"\nmouse = false\n");
    assert_eq!(only(&warnings).line, 3);
    assert_eq!(config, Config::default());
}

#[test]
fn crlf_line_endings_and_a_bom_still_parse() {
    let content = "\u{feff}# 设置\r\nlang = \"en\"\r\nmouse = true\r\nborders = \"ascii\"\r\n";
    let (config, warnings, _dir) = load_str(content);
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(config.lang, Lang::En);
    assert!(config.mouse);
    assert_eq!(config.borders, Borders::Ascii);
}

#[test]
fn line_numbers_are_right_with_crlf_and_a_bom() {
    let content = "\u{feff}lang = \"en\"\r\n\r\ntheme = \"neon\"\r\n";
    let (config, warnings, _dir) = load_str(content);
    assert_eq!(only(&warnings).line, 3);
    assert_eq!(config.lang, Lang::En);
}

#[test]
fn a_file_that_is_not_utf8_warns_with_the_line() {
    let (config, warnings, _dir) = load_bytes(b"lang = \"en\"\nuser = \"\xff\"\n");
    assert_eq!(only(&warnings).line, 2);
    assert_eq!(config, Config::default());
}

#[test]
fn an_unreadable_path_warns_about_the_whole_file() {
    // A directory where the file should be: not "missing", so the user must hear of it.
    let dir = TempDir::new().unwrap();
    let (config, warnings) = config::load(dir.path());
    let w = only(&warnings);
    assert_eq!(w.line, 0);
    assert_eq!(config, Config::default());
    let shown = w.to_string();
    assert!(
        shown.starts_with(&format!("{}: ", dir.path().display())),
        "{shown}"
    );
}

#[test]
fn flags_win_over_the_file_and_absent_flags_leave_it() {
    let file = Config {
        lang: Lang::En,
        db: Some(PathBuf::from("/from/file")),
        user: Some("file-user".to_string()),
        mouse: true,
        ..Config::default()
    };
    assert_eq!(file.clone().with_overrides(Overrides::default()), file);

    let merged = file.clone().with_overrides(Overrides {
        lang: Some(Lang::Zh),
        db: Some(PathBuf::from("/from/flag")),
        user: Some("flag-user".to_string()),
    });
    assert_eq!(merged.lang, Lang::Zh);
    assert_eq!(merged.db, Some(PathBuf::from("/from/flag")));
    assert_eq!(merged.user.as_deref(), Some("flag-user"));
    assert!(merged.mouse, "keys without a flag keep the file's value");
}

#[test]
fn the_default_path_is_config_toml_in_the_config_dir() {
    if let Some(path) = config::default_path() {
        assert_eq!(path.file_name().unwrap(), "config.toml");
        assert_eq!(
            path.parent(),
            rectify::store::paths::config_dir().as_deref()
        );
    }
}
