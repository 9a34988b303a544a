//! Settings from `config.toml` (in the config dir, e.g. `~/.config/rectify/config.toml`).
//!
//! A bad config file must never stop someone from opening their ledger, so `load` does not
//! fail: every problem becomes a warning with its line, and the key falls back to its default.
//! Command-line flags win over the file; `Config::with_overrides` does that merge.

use crate::i18n::{Lang, Msg};
use std::fmt;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// How many days before the deadline a finding counts as 临期 (near due), unless configured.
pub const DEFAULT_NEAR_DUE_DAYS: i64 = 15;
const MAX_NEAR_DUE_DAYS: i64 = 365;
/// How long the app's store process stays after the app last used the store, unless configured:
/// long enough for a burst of work, short enough that an idle app soon wakes nothing at all.
pub const DEFAULT_STORE_IDLE_SECONDS: u64 = 10;
const MAX_STORE_IDLE_SECONDS: u64 = 86_400;
/// Keymaps that ship with the app; any other `keymap` value is a path to a keymap file.
const BUILTIN_KEYMAPS: [&str; 3] = ["default", "vim", "emacs"];
/// Every key, listed in the warning about an unknown one so a typo is easy to fix.
const KEYS: [&str; 11] = [
    "lang",
    "keymap",
    "theme",
    "borders",
    "near_due_days",
    "mouse",
    "db",
    "user",
    "caliber",
    "hub",
    "store_idle_seconds",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub lang: Lang,
    /// "default", "vim", "emacs", or the path of a keymap file (already resolved, see `load`).
    pub keymap: String,
    pub theme: Theme,
    pub borders: Borders,
    pub near_due_days: i64,
    pub mouse: bool,
    pub db: Option<PathBuf>,
    pub user: Option<String>,
    /// The 口径 of the terminal's 总览, in `rectify report --caliber` syntax
    /// (`partial=yes,long-term=no`), applied over the 总览's default. Checked when read.
    pub caliber: Option<String>,
    /// The team's hub: a directory or `ssh://host/path` (`rectify sync`, and the app syncs with
    /// it on every save and every few seconds).
    pub hub: Option<String>,
    /// Seconds the app's store process (`tui::host`) stays after the app last used the store;
    /// then it leaves, and the next key starts it again. Without effect when a hub is set.
    pub store_idle_seconds: u64,
}

/// 16-colour palettes; `Auto` is one that reads on both dark and light terminals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Auto,
    Dark,
    Light,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Borders {
    Unicode,
    Ascii,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            lang: Lang::Zh,
            keymap: "default".to_string(),
            theme: Theme::Auto,
            borders: Borders::Unicode,
            near_due_days: DEFAULT_NEAR_DUE_DAYS,
            mouse: false,
            db: None,
            user: None,
            caliber: None,
            hub: None,
            store_idle_seconds: DEFAULT_STORE_IDLE_SECONDS,
        }
    }
}

/// The command-line side of the merge: `None` where the flag (or its environment variable)
/// was not given, so the file's value stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    pub lang: Option<Lang>,
    pub db: Option<PathBuf>,
    pub user: Option<String>,
}

impl Config {
    /// Flags win over the file.
    pub fn with_overrides(mut self, flags: Overrides) -> Config {
        if let Some(lang) = flags.lang {
            self.lang = lang;
        }
        if flags.db.is_some() {
            self.db = flags.db;
        }
        if flags.user.is_some() {
            self.user = flags.user;
        }
        self
    }
}

/// A problem in the config file. `line` is 1-based; 0 means the whole file (e.g. unreadable).
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigWarning {
    pub file: PathBuf,
    pub line: usize,
    pub msg: Msg,
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.msg)
        } else {
            write!(f, "{}:{}: {}", self.file.display(), self.line, self.msg)
        }
    }
}

/// The default location: config_dir()/config.toml.
pub fn default_path() -> Option<PathBuf> {
    crate::store::paths::config_dir().map(|dir| dir.join("config.toml"))
}

/// Read a config file. A missing file is not an error (defaults, no warnings). A bad value is
/// reported with its line and the default is used for that key; a file that is not valid TOML
/// yields one warning with the line of the syntax error and all defaults. Never panics.
///
/// Relative paths in `db` and `keymap` are taken relative to the config file's directory (the
/// file is read from anywhere, so the working directory means nothing), and a leading `~/` is
/// the home directory.
pub fn load(path: &Path) -> (Config, Vec<ConfigWarning>) {
    let mut config = Config::default();
    let warn = |line, msg| ConfigWarning {
        file: path.to_path_buf(),
        line,
        msg,
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (config, Vec::new()),
        Err(e) => {
            let msg = Msg::new(
                format!("无法读取配置文件（{e}），全部使用默认值"),
                format!("cannot read the config file ({e}); using the defaults"),
            );
            return (config, vec![warn(0, msg)]);
        }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => {
            let msg = Msg::new(
                "配置文件不是 UTF-8 编码，全部使用默认值",
                "the config file is not UTF-8; using the defaults",
            );
            return (config, vec![warn(line_of(&bytes, e.valid_up_to()), msg)]);
        }
    };
    // The TOML parser skips a UTF-8 BOM itself and keeps spans as offsets into `text`.
    let table = match DeTable::parse(text) {
        Ok(table) => table.into_inner(),
        Err(e) => {
            let line = e.span().map_or(0, |span| line_of(&bytes, span.start));
            let msg = Msg::new(
                format!("不是有效的 TOML（{}），全部使用默认值", e.message()),
                format!("not valid TOML ({}); using the defaults", e.message()),
            );
            return (config, vec![warn(line, msg)]);
        }
    };

    let base = path.parent().unwrap_or(Path::new(""));
    let mut warnings = Vec::new();
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        if let Err(problem) = apply(&mut config, name, value.get_ref(), base) {
            let got = snippet(text.get(value.span()).unwrap_or(""));
            let msg = problem.into_msg(name, &got);
            warnings.push(warn(line_of(&bytes, key.span().start), msg));
        }
    }
    // The parsed table is ordered by key name; the user reads the file top to bottom.
    warnings.sort_by_key(|w| w.line);
    (config, warnings)
}

/// Why a key was not applied.
enum Problem {
    Unknown,
    /// The expected value, in Chinese and English, and the default used instead (TOML text),
    /// or `None` for keys whose absence simply leaves them unset.
    Bad(&'static str, &'static str, Option<&'static str>),
    /// A 口径 that `Caliber::apply` refused, with its reason.
    Caliber(Msg),
}

impl Problem {
    fn into_msg(self, key: &str, got: &str) -> Msg {
        match self {
            Problem::Unknown => Msg::new(
                format!("未知的设置项 {key}，已忽略（可用：{}）", KEYS.join("、")),
                format!(
                    "unknown setting {key}, ignoring it (known: {})",
                    KEYS.join(", ")
                ),
            ),
            Problem::Bad(zh, en, Some(default)) => Msg::new(
                format!("{key} 应为 {zh}，收到 {got}，已使用默认值 {default}"),
                format!("{key} must be {en}, got {got}; using the default {default}"),
            ),
            Problem::Bad(zh, en, None) => Msg::new(
                format!("{key} 应为 {zh}，收到 {got}，已忽略此项"),
                format!("{key} must be {en}, got {got}; ignoring it"),
            ),
            Problem::Caliber(why) => Msg::new(
                format!("{key} 无法识别（{}），收到 {got}，已使用默认口径", why.zh),
                format!(
                    "{key} is not a valid caliber ({}), got {got}; using the default",
                    why.en
                ),
            ),
        }
    }
}

/// Set one key, leaving the default in place when the value is wrong.
fn apply(config: &mut Config, key: &str, value: &DeValue<'_>, base: &Path) -> Result<(), Problem> {
    // Strict types on purpose: "15" (a string) for a number is far more often a mistake than a
    // convenience, and accepting it silently would hide the mistake.
    let text = match value {
        DeValue::String(s) => Some(s.as_ref()),
        _ => None,
    };
    match key {
        "lang" => {
            config.lang = match text {
                Some("zh") => Lang::Zh,
                Some("en") => Lang::En,
                _ => {
                    return Err(Problem::Bad(
                        "\"zh\" 或 \"en\"",
                        "\"zh\" or \"en\"",
                        Some("\"zh\""),
                    ));
                }
            }
        }
        "keymap" => match text {
            Some(name) if BUILTIN_KEYMAPS.contains(&name) => config.keymap = name.to_string(),
            Some(file) if !file.trim().is_empty() => {
                // A path that is not UTF-8 after joining cannot be a `String`; keep it as written.
                config.keymap = resolve(file, base)
                    .into_os_string()
                    .into_string()
                    .unwrap_or_else(|_| file.to_string());
            }
            _ => {
                return Err(Problem::Bad(
                    "\"default\"、\"vim\"、\"emacs\" 或键位文件的路径",
                    "\"default\", \"vim\", \"emacs\" or the path of a keymap file",
                    Some("\"default\""),
                ));
            }
        },
        "theme" => {
            config.theme = match text {
                Some("auto") => Theme::Auto,
                Some("dark") => Theme::Dark,
                Some("light") => Theme::Light,
                _ => {
                    return Err(Problem::Bad(
                        "\"auto\"、\"dark\" 或 \"light\"",
                        "\"auto\", \"dark\" or \"light\"",
                        Some("\"auto\""),
                    ));
                }
            }
        }
        "borders" => {
            config.borders = match text {
                Some("unicode") => Borders::Unicode,
                Some("ascii") => Borders::Ascii,
                _ => {
                    return Err(Problem::Bad(
                        "\"unicode\" 或 \"ascii\"",
                        "\"unicode\" or \"ascii\"",
                        Some("\"unicode\""),
                    ));
                }
            }
        }
        "near_due_days" => {
            let days = match value {
                DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
                _ => None,
            };
            config.near_due_days =
                days.filter(|d| (0..=MAX_NEAR_DUE_DAYS).contains(d))
                    .ok_or(Problem::Bad(
                        "0 到 365 之间的整数",
                        "a whole number from 0 to 365",
                        Some("15"),
                    ))?;
        }
        "store_idle_seconds" => {
            let seconds = match value {
                DeValue::Integer(i) => u64::from_str_radix(i.as_str(), i.radix()).ok(),
                _ => None,
            };
            config.store_idle_seconds = seconds
                .filter(|s| (1..=MAX_STORE_IDLE_SECONDS).contains(s))
                .ok_or(Problem::Bad(
                    "1 到 86400 之间的整数（秒）",
                    "a whole number of seconds from 1 to 86400",
                    Some("10"),
                ))?;
        }
        "mouse" => match value {
            DeValue::Boolean(on) => config.mouse = *on,
            _ => {
                return Err(Problem::Bad(
                    "true 或 false",
                    "true or false",
                    Some("false"),
                ));
            }
        },
        "db" => match text {
            Some(dir) if !dir.trim().is_empty() => config.db = Some(resolve(dir, base)),
            _ => {
                return Err(Problem::Bad(
                    "台账目录的路径（字符串）",
                    "the path of the ledger directory (a string)",
                    None,
                ));
            }
        },
        // The name is recorded with every change and shown in one-line lists, so no newlines.
        "user" => match text.map(str::trim) {
            Some(name) if !name.is_empty() && !name.contains(char::is_control) => {
                config.user = Some(name.to_string());
            }
            _ => {
                return Err(Problem::Bad(
                    "非空的单行文本",
                    "a non-empty single-line string",
                    None,
                ));
            }
        },
        // The cutoff is the day the app runs; any date checks the syntax.
        "caliber" => {
            let Some(rules) = text else {
                return Err(Problem::Caliber(Msg::new(
                    "应为字符串，如 \"partial=yes,long-term=no\"",
                    "write it as a string, like \"partial=yes,long-term=no\"",
                )));
            };
            crate::report::Caliber::seed(chrono::NaiveDate::MIN)
                .apply(rules)
                .map_err(Problem::Caliber)?;
            config.caliber = Some(rules.trim().to_string());
        }
        "hub" => match text.map(str::trim) {
            Some(url) if url.starts_with("ssh://") => config.hub = Some(url.to_string()),
            Some(dir) if !dir.is_empty() => {
                config.hub = Some(resolve(dir, base).to_string_lossy().into_owned());
            }
            _ => {
                return Err(Problem::Bad(
                    "同步目录的路径或 ssh://主机/路径",
                    "a hub directory or ssh://host/path",
                    None,
                ));
            }
        },
        _ => return Err(Problem::Unknown),
    }
    Ok(())
}

/// `~/x` → home/x; a relative path → next to the config file; an absolute path as is.
fn resolve(path: &str, base: &Path) -> PathBuf {
    let home = || directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    if path == "~" {
        if let Some(home) = home() {
            return home;
        }
    } else if let Some(rest) = path.strip_prefix("~/") {
        if let Some(home) = home() {
            return home.join(rest);
        }
    }
    base.join(path)
}

/// The 1-based line holding byte `offset`. Counting `\n` alone also handles CRLF files.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    let end = offset.min(bytes.len());
    bytes[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The value as written, shortened to one line so a warning stays readable.
fn snippet(raw: &str) -> String {
    const MAX_CHARS: usize = 40;
    let first_line = raw.lines().next().unwrap_or("").trim_end();
    let mut out: String = first_line.chars().take(MAX_CHARS).collect();
    if out.len() < raw.trim_end().len() {
        out.push('…');
    }
    out
}
