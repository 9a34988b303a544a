//! One keymap file, read on its own: TOML → `extends` plus, per context, key sequence → action
//! (or `None` for `"none"`, which removes an inherited binding). Every problem becomes a
//! `KeymapError` with the file and line, and reading goes on, so `keymap check` shows them all.
//! What needs more than one file (the `extends` chain, prefix conflicts) is in `build.rs`.

use std::collections::HashMap;

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::context::Context;
use super::error::{KeymapError, Lines};
use super::key::{Key, parse_keys};
use crate::i18n::Msg;
use crate::tui::action::Action;

/// The action name that unbinds a key.
pub(crate) const UNBIND: &str = "none";

pub(crate) struct Entry {
    pub keys: Vec<Key>,
    /// `None`: the file says `"none"`.
    pub action: Option<Action>,
    pub line: usize,
}

pub(crate) struct ParsedFile {
    pub label: String,
    /// The preset named by `extends`, with its line.
    pub extends: Option<(String, usize)>,
    /// In file order; a context appears at most once (TOML forbids a table twice).
    pub sections: Vec<(Context, Vec<Entry>)>,
}

/// Read a keymap file's text. `label` is how errors name the file.
pub(crate) fn parse_file(label: &str, text: &str) -> (ParsedFile, Vec<KeymapError>) {
    let lines = Lines::new(text);
    let mut errors = Vec::new();
    let err = |line: usize, msg: Msg| KeymapError::new(label, line, msg);
    let (doc, toml_errors) = DeTable::parse_recoverable(text);
    for e in &toml_errors {
        let span = e.span().unwrap_or(0..0);
        let line = lines.line(span.start);
        errors.push(err(
            line,
            toml_message(e.message(), text.get(span).unwrap_or("")),
        ));
    }
    let mut file = ParsedFile {
        label: label.to_string(),
        extends: None,
        sections: Vec::new(),
    };
    for (key, value) in in_file_order(doc.get_ref()) {
        let line = lines.line(key.span().start);
        let name: &str = key.get_ref();
        match (name, value.get_ref()) {
            ("extends", DeValue::String(preset)) => file.extends = Some((preset.to_string(), line)),
            ("extends", _) => errors.push(err(
                line,
                Msg::new(
                    "extends 应为预设名，例如 extends = \"default\"",
                    "extends takes a preset name, e.g. extends = \"default\"",
                ),
            )),
            (_, DeValue::Table(table)) => match Context::from_name(name) {
                Some(context) => {
                    let entries = parse_section(context, table, &lines, &err, &mut errors);
                    file.sections.push((context, entries));
                }
                None => errors.push(err(line, unknown_section(name))),
            },
            (_, _) => errors.push(err(line, stray_setting(name))),
        }
    }
    // TOML's own errors come first from the parser; the reader wants them in line order.
    errors.sort_by_key(|e| e.line);
    (file, errors)
}

fn parse_section(
    context: Context,
    table: &DeTable<'_>,
    lines: &Lines,
    err: &dyn Fn(usize, Msg) -> KeymapError,
    errors: &mut Vec<KeymapError>,
) -> Vec<Entry> {
    let mut entries = Vec::new();
    // Different texts can name the same key ("G" and "shift-g"); TOML cannot see that.
    let mut seen: HashMap<Vec<Key>, (String, usize)> = HashMap::new();
    for (key, value) in in_file_order(table) {
        let line = lines.line(key.span().start);
        let text: &str = key.get_ref();
        let action_name = match value.get_ref() {
            DeValue::String(s) => s.as_ref(),
            DeValue::Table(_) => {
                errors.push(err(line, nested_table(context, text)));
                continue;
            }
            _ => {
                errors.push(err(line, not_a_name(text)));
                continue;
            }
        };
        let keys = match parse_keys(text) {
            Ok(keys) => keys,
            Err(msg) => {
                errors.push(err(line, msg));
                continue;
            }
        };
        let action = if action_name == UNBIND {
            None
        } else if let Some(action) = Action::from_name(action_name) {
            Some(action)
        } else {
            errors.push(err(
                lines.line(value.span().start),
                unknown_action(action_name, text),
            ));
            continue;
        };
        if let Some((first_text, first_line)) = seen.get(&keys) {
            errors.push(err(line, same_key(context, text, first_text, *first_line)));
            continue;
        }
        seen.insert(keys.clone(), (text.to_string(), line));
        entries.push(Entry { keys, action, line });
    }
    entries
}

type Pair<'a, 'i> = (&'a Spanned<DeString<'i>>, &'a Spanned<DeValue<'i>>);

/// The parser's map is sorted by key; messages and "which binding came later" want file order.
fn in_file_order<'a, 'i>(table: &'a DeTable<'i>) -> Vec<Pair<'a, 'i>> {
    let mut pairs: Vec<Pair<'a, 'i>> = table.iter().collect();
    pairs.sort_by_key(|(key, _)| key.span().start);
    pairs
}

fn toml_message(message: &str, offending: &str) -> Msg {
    if message == "duplicate key" {
        Msg::new(
            format!("{offending} 写了两次：同一分区里每个按键只能绑定一次，每个分区也只能出现一次"),
            format!(
                "{offending} appears twice: bind each key once per section, and write each section once"
            ),
        )
    } else {
        Msg::new(
            format!("TOML 语法错误：{message}"),
            format!("TOML syntax error: {message}"),
        )
    }
}

fn unknown_section(name: &str) -> Msg {
    Msg::new(
        format!("未知的分区 [{name}]：可用 [global] [list] [form] [popup]"),
        format!("unknown section [{name}]: use [global], [list], [form] or [popup]"),
    )
}

fn stray_setting(name: &str) -> Msg {
    Msg::new(
        format!(
            "\"{name}\" 不在任何分区里：按键须写在 [global] [list] [form] [popup] 之下，顶层只能写 extends"
        ),
        format!(
            "\"{name}\" is outside any section: bindings go under [global], [list], [form] or [popup]; only extends goes at the top"
        ),
    )
}

fn nested_table(context: Context, name: &str) -> Msg {
    let c = context.name();
    Msg::new(
        format!("[{c}.{name}]：分区不能嵌套"),
        format!("[{c}.{name}]: sections do not nest"),
    )
}

fn not_a_name(key: &str) -> Msg {
    Msg::new(
        format!("按键 \"{key}\" 的值应为带引号的动作名，例如 \"quit\"，或 \"none\" 解除绑定"),
        format!(
            "key \"{key}\" takes an action name in quotes, e.g. \"quit\", or \"none\" to unbind"
        ),
    )
}

fn unknown_action(name: &str, key: &str) -> Msg {
    let (zh, en) = match suggest(name) {
        Some(near) => (
            format!("；是不是 \"{near}\"？"),
            format!("; did you mean \"{near}\"?"),
        ),
        None => (String::new(), String::new()),
    };
    Msg::new(
        format!("未知的动作 \"{name}\"（按键 \"{key}\"）{zh}"),
        format!("unknown action \"{name}\" (key \"{key}\"){en}"),
    )
}

fn same_key(context: Context, text: &str, first_text: &str, first_line: usize) -> Msg {
    let c = context.name();
    Msg::new(
        format!(
            "按键 \"{text}\" 与第 {first_line} 行的 \"{first_text}\" 是同一个键，在 [{c}] 中绑定了两次"
        ),
        format!(
            "key \"{text}\" is the same key as \"{first_text}\" on line {first_line}: bound twice in [{c}]"
        ),
    )
}

/// The closest action name, for a typo.
fn suggest(name: &str) -> Option<&'static str> {
    let (distance, near) = Action::ALL
        .iter()
        .map(|a| (edit_distance(name, a.name()), a.name()))
        .min()?;
    (distance <= 2.max(name.chars().count() / 3)).then_some(near)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_in_file_order() {
        let (file, errors) = parse_file(
            "k.toml",
            "extends = \"default\"\n[list]\n\"z\" = \"quit\"\n\"a\" = \"none\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(file.extends, Some(("default".to_string(), 1)));
        let (context, entries) = &file.sections[0];
        assert_eq!(*context, Context::List);
        assert_eq!(entries[0].line, 3);
        assert_eq!(entries[0].action, Some(Action::Quit));
        assert_eq!(entries[1].action, None);
    }

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(suggest("qiut"), Some("quit"));
        assert_eq!(suggest("pagedown"), Some("page_down"));
        assert_eq!(suggest("completely_unrelated_words"), None);
    }

    #[test]
    fn same_key_written_two_ways_is_caught() {
        let (_, errors) = parse_file(
            "k.toml",
            "[list]\n\"G\" = \"bottom\"\n\"shift-g\" = \"top\"\n",
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].msg.en.contains("shift-g"));
    }

    #[test]
    fn stray_and_nested_tables_are_errors() {
        let (_, errors) = parse_file("k.toml", "\"q\" = \"quit\"\n[list.more]\n\"x\" = \"up\"\n");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 2]);
    }
}
