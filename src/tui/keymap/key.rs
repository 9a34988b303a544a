//! Key notation: `ctrl-s`, `G`, `alt-enter`, `g g`. One canonical form per physical key, so a
//! binding written in a file and the event crossterm reports compare equal, and `key_text` of a
//! parsed key gives back the text it was parsed from.
//!
//! Canonical form: uppercase letters are themselves (`G`, never `shift-g`: terminals report
//! SHIFT+'G' or just 'G' depending on the protocol), shift-tab is `backtab`, and full-width
//! punctuation from a Chinese IME is its ASCII twin.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};

use crate::i18n::Msg;

/// One key press in canonical form: the code and the modifiers that matter, nothing else
/// (kind and keyboard state are dropped, so a key from a file equals a key from the terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

/// Modifiers in the order they are written. `ctrl-alt-x`, never `alt-ctrl-x`, so display is stable.
const MODIFIERS: &[(&str, KeyModifiers)] = &[
    ("ctrl", KeyModifiers::CONTROL),
    ("alt", KeyModifiers::ALT),
    ("shift", KeyModifiers::SHIFT),
    ("super", KeyModifiers::SUPER),
    ("hyper", KeyModifiers::HYPER),
    ("meta", KeyModifiers::META),
];

/// Named keys; the first name of a code is the one displayed, the others are accepted aliases.
const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("ins", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pgup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("pgdn", KeyCode::PageDown),
    ("space", KeyCode::Char(' ')),
];

impl Key {
    /// The canonical form of a key event from the terminal (or from `KeyEvent::new` in a test).
    pub fn from_event(event: &KeyEvent) -> Key {
        let mut mods = event.modifiers;
        let code = match event.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::SHIFT) => {
                // The character already carries the shift: 'G', '?', '<'.
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(shifted(c))
            }
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            code => code,
        };
        Key { code, mods }
    }

    pub fn to_event(self) -> KeyEvent {
        KeyEvent::new_with_kind_and_state(
            self.code,
            self.mods,
            KeyEventKind::Press,
            KeyEventState::NONE,
        )
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        for (name, flag) in MODIFIERS {
            if self.mods.contains(*flag) {
                out.push_str(name);
                out.push('-');
            }
        }
        match self.code {
            KeyCode::F(n) => out.push_str(&format!("f{n}")),
            KeyCode::Char(' ') => out.push_str("space"),
            KeyCode::Char(c) => out.push(c),
            code => match NAMED.iter().find(|(_, named)| *named == code) {
                Some((name, _)) => out.push_str(name),
                // Keys no file can name (media keys, caps lock …): show crossterm's own name.
                None => out.push_str(&format!("{code:?}").to_lowercase()),
            },
        }
        out
    }

    /// Parse one key (no spaces): `q`, `ctrl-s`, `shift-tab`, `f5`.
    pub fn parse(token: &str) -> Result<Key, Msg> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = token;
        // Strip `mod-` prefixes while something follows them: `ctrl--` is ctrl plus the '-' key.
        while let Some((head, tail)) = rest.split_once('-') {
            let Some((_, flag)) = MODIFIERS
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(head))
            else {
                break;
            };
            if tail.is_empty() {
                return Err(Msg::new(
                    format!("按键 \"{token}\" 缺少 {head}- 之后的键"),
                    format!("key \"{token}\" has nothing after {head}-"),
                ));
            }
            mods |= *flag;
            rest = tail;
        }
        let code = parse_code(rest, token)?;
        if mods.contains(KeyModifiers::SHIFT) {
            return shift_key(code, mods, token);
        }
        Ok(Key::from_event(&normalize_fullwidth(KeyEvent::new(
            code, mods,
        ))))
    }
}

/// `shift-` written in a file: fine on named keys and letters, refused on other characters,
/// where it would be a silent no-op (`shift-1` is the '1' key; the user means `!`).
fn shift_key(code: KeyCode, mods: KeyModifiers, token: &str) -> Result<Key, Msg> {
    if let KeyCode::Char(c) = code
        && !has_case(c)
    {
        return Err(Msg::new(
            format!(
                "\"{token}\"：shift 只用于字母和功能键，其他字符请直接写出按下后的字符（如 \"!\" 而非 \"shift-1\"）"
            ),
            format!(
                "\"{token}\": shift- is for letters and named keys; write the shifted character itself (\"!\", not \"shift-1\")"
            ),
        ));
    }
    Ok(Key::from_event(&normalize_fullwidth(KeyEvent::new(
        code, mods,
    ))))
}

fn parse_code(name: &str, token: &str) -> Result<KeyCode, Msg> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.clone().next()) {
        return Ok(KeyCode::Char(c));
    }
    let lower = name.to_ascii_lowercase();
    if let Some((_, code)) = NAMED.iter().find(|(n, _)| *n == lower) {
        return Ok(*code);
    }
    if let Some(n) = lower.strip_prefix('f').and_then(|d| d.parse::<u8>().ok())
        && (1..=24).contains(&n)
    {
        return Ok(KeyCode::F(n));
    }
    if name.is_empty() {
        return Err(Msg::new("按键为空", "empty key"));
    }
    // The displayed name of each named key, without the aliases.
    let mut names: Vec<&str> = Vec::new();
    for (i, (name, code)) in NAMED.iter().enumerate() {
        if !NAMED[..i].iter().any(|(_, earlier)| earlier == code) {
            names.push(name);
        }
    }
    // "gg" is almost always a sequence written without its space.
    let looks_like_sequence =
        (2..=3).contains(&name.chars().count()) && !name.chars().any(|c| c.is_ascii_digit());
    let (hint_zh, hint_en) = if looks_like_sequence {
        let spaced: Vec<String> = name.chars().map(String::from).collect();
        let spaced = spaced.join(" ");
        (
            format!("；按键序列用空格分开，如 \"{spaced}\""),
            format!("; a sequence is written with spaces, e.g. \"{spaced}\""),
        )
    } else {
        (String::new(), String::new())
    };
    Err(Msg::new(
        format!(
            "无法识别的按键 \"{token}\"：可用单个字符、f1..f12 或 {}{hint_zh}",
            names.join(" ")
        ),
        format!(
            "unknown key \"{token}\": use a single character, f1..f12 or {}{hint_en}",
            names.join(" ")
        ),
    ))
}

fn has_case(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase()
}

/// The shifted form of a character: its uppercase if it is a single character, else itself.
fn shifted(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// The ASCII twin of a character a Chinese IME produces for a punctuation key, if any.
fn ascii_twin(c: char) -> Option<char> {
    match c {
        // The full-width forms block mirrors ASCII '!'..'~' one to one.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' => Some(' '),
        '。' => Some('.'),
        '、' => Some('\\'),
        '《' => Some('<'),
        '》' => Some('>'),
        '【' => Some('['),
        '】' => Some(']'),
        '「' => Some('['),
        '」' => Some(']'),
        '￥' => Some('$'),
        '·' => Some('`'),
        '‘' | '’' => Some('\''),
        '“' | '”' => Some('"'),
        _ => None,
    }
}

/// Full-width punctuation typed with a Chinese IME switched on (`？` `：` `／` `，` `。`, the
/// ideographic space …) becomes its ASCII twin, so `?` opens help without switching the IME off.
/// Only for matching keys outside text fields: a text field wants the character as typed.
pub fn normalize_fullwidth(mut key: KeyEvent) -> KeyEvent {
    if let KeyCode::Char(c) = key.code
        && let Some(twin) = ascii_twin(c)
    {
        key.code = KeyCode::Char(twin);
    }
    key
}

/// Parse a key sequence: keys separated by spaces, e.g. `g g` or `ctrl-x ctrl-s`.
pub fn parse_key(text: &str) -> Result<Vec<KeyEvent>, Msg> {
    Ok(parse_keys(text)?.into_iter().map(Key::to_event).collect())
}

pub(crate) fn parse_keys(text: &str) -> Result<Vec<Key>, Msg> {
    let keys = text
        .split_whitespace()
        .map(Key::parse)
        .collect::<Result<Vec<_>, _>>()?;
    if keys.is_empty() {
        return Err(Msg::new("按键为空", "empty key"));
    }
    Ok(keys)
}

/// The display text of one key, in the notation files use: `ctrl-s`, `G`, `enter`.
pub fn key_text(key: &KeyEvent) -> String {
    Key::from_event(key).text()
}

/// The display text of a sequence: `g g`.
pub(crate) fn keys_text(keys: &[Key]) -> String {
    let texts: Vec<String> = keys.iter().map(Key::text).collect();
    texts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Key {
        let keys = parse_keys(text).unwrap();
        assert_eq!(keys.len(), 1, "{text}");
        keys[0]
    }

    #[test]
    fn canonical_text_round_trips() {
        for text in [
            "q",
            "?",
            "G",
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
            "ctrl-s",
            "alt-enter",
            "ctrl-alt-x",
            "alt-<",
            "alt->",
            "ctrl--",
            "-",
            "alt-backspace",
        ] {
            assert_eq!(one(text).text(), text);
        }
    }

    #[test]
    fn aliases_and_case_become_canonical() {
        assert_eq!(one("shift-g").text(), "G");
        assert_eq!(one("shift-tab").text(), "backtab");
        assert_eq!(one("Ctrl-S").text(), "ctrl-S");
        assert_eq!(one("Enter").text(), "enter");
        assert_eq!(one("PgDn").text(), "pagedown");
        assert_eq!(one("？").text(), "?");
    }

    #[test]
    fn terminal_events_match_file_keys() {
        let shifted_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&shifted_g), one("G"));
        let backtab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&backtab), one("backtab"));
        let question = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&question), one("?"));
    }

    #[test]
    fn fullwidth_punctuation_has_ascii_twins() {
        for (wide, narrow) in [
            ('？', '?'),
            ('：', ':'),
            ('／', '/'),
            ('，', ','),
            ('。', '.'),
            ('\u{3000}', ' '),
        ] {
            let event = normalize_fullwidth(KeyEvent::new(KeyCode::Char(wide), KeyModifiers::NONE));
            assert_eq!(event.code, KeyCode::Char(narrow));
        }
        let plain = KeyEvent::new(KeyCode::Char('中'), KeyModifiers::NONE);
        assert_eq!(normalize_fullwidth(plain).code, KeyCode::Char('中'));
    }

    #[test]
    fn bad_keys_say_why() {
        assert!(parse_keys("").is_err());
        assert!(
            parse_keys("ctrl-")
                .unwrap_err()
                .en
                .contains("nothing after ctrl-")
        );
        assert!(parse_keys("gg").unwrap_err().en.contains("\"g g\""));
        assert!(parse_keys("shift-1").unwrap_err().en.contains("shift"));
        assert!(parse_keys("f25").is_err());
        assert_eq!(parse_keys("ctrl-x ctrl-s").unwrap().len(), 2);
    }
}
