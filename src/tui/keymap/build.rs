//! From files to bindings: the built-in presets, the `extends` chain, layering (a later file
//! replaces or unbinds what an earlier one bound), and the check that needs the merged result —
//! a key bound alone and also as the start of a longer sequence in the same context.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::path::Path;

use super::context::Context;
use super::error::KeymapError;
use super::file::{ParsedFile, parse_file};
use super::key::{Key, keys_text};
use crate::i18n::Msg;
use crate::tui::action::Action;

/// The shipped presets, embedded so the binary works from any directory.
const PRESETS: [(&str, &str); 3] = [
    ("default", include_str!("../../../keymaps/default.toml")),
    ("vim", include_str!("../../../keymaps/vim.toml")),
    ("emacs", include_str!("../../../keymaps/emacs.toml")),
];

pub(crate) fn preset_names() -> [&'static str; 3] {
    PRESETS.map(|(name, _)| name)
}

pub(crate) fn preset_text(name: &str) -> Option<&'static str> {
    PRESETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// How errors name a built-in preset: where it lives in the source tree.
fn preset_label(name: &str) -> String {
    format!("keymaps/{name}.toml")
}

/// A binding after layering, with where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Bound {
    pub keys: Vec<Key>,
    pub action: Action,
    /// Index into the layers: higher is more specific (a user override beats its preset).
    pub layer: usize,
    pub line: usize,
}

/// The keymap chosen with `--keymap`: a preset name, else a path. Its layers, base first.
pub(crate) fn choice_layers(choice: &str, errors: &mut Vec<KeymapError>) -> Vec<ParsedFile> {
    if let Some(text) = preset_text(choice) {
        return chain(&preset_label(choice), text, errors);
    }
    match std::fs::read_to_string(choice) {
        Ok(text) => chain(choice, &text, errors),
        Err(e) => {
            let names = preset_names().join("、");
            errors.push(KeymapError::new(
                choice,
                0,
                Msg::new(
                    format!("既不是预设（{names}），也无法读取为文件：{e}"),
                    format!(
                        "neither a preset ({}) nor a readable file: {e}",
                        names.replace('、', ", ")
                    ),
                ),
            ));
            Vec::new()
        }
    }
}

/// A file given by path, with the presets it extends: base first.
pub(crate) fn file_layers(path: &Path, errors: &mut Vec<KeymapError>) -> Vec<ParsedFile> {
    let label = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => chain(&label, &text, errors),
        Err(e) => {
            errors.push(unreadable(&label, &e));
            Vec::new()
        }
    }
}

pub(crate) fn unreadable(label: &str, e: &std::io::Error) -> KeymapError {
    KeymapError::new(
        label,
        0,
        Msg::new(
            format!("无法读取键位文件：{e}"),
            format!("cannot read the keymap file: {e}"),
        ),
    )
}

/// A user override file: it always sits on top of the chosen keymap, so it names no base.
pub(crate) fn override_layer(label: &str, text: &str, errors: &mut Vec<KeymapError>) -> ParsedFile {
    let (file, file_errors) = parse_file(label, text);
    errors.extend(file_errors);
    if let Some((name, line)) = &file.extends {
        errors.push(KeymapError::new(
            label,
            *line,
            Msg::new(
                format!("用户覆盖文件不写 extends（此处为 \"{name}\"）：它总是叠加在 --keymap 选定的键位之上；要换底子请用 --keymap {name}"),
                format!("an override file has no extends (here \"{name}\"): it always sits on the keymap chosen with --keymap; to change that, use --keymap {name}"),
            ),
        ));
    }
    file
}

/// Parse a file and, before it, the preset it extends (and so on): base first.
fn chain(label: &str, text: &str, errors: &mut Vec<KeymapError>) -> Vec<ParsedFile> {
    let mut layers = Vec::new();
    let (mut file, file_errors) = parse_file(label, text);
    errors.extend(file_errors);
    // Walk down the `extends` links; presets are few and fixed, but a loop must still end.
    let mut seen = vec![label.to_string()];
    while let Some((name, line)) = file.extends.clone() {
        let base_label = preset_label(&name);
        let Some(base_text) = preset_text(&name) else {
            errors.push(KeymapError::new(&file.label, line, unknown_preset(&name)));
            break;
        };
        if seen.contains(&base_label) {
            errors.push(KeymapError::new(
                &file.label,
                line,
                Msg::new(
                    format!("extends = \"{name}\" 形成循环"),
                    format!("extends = \"{name}\" makes a loop"),
                ),
            ));
            break;
        }
        seen.push(base_label.clone());
        layers.push(file);
        let (base, base_errors) = parse_file(&base_label, base_text);
        errors.extend(base_errors);
        file = base;
    }
    layers.push(file);
    layers.reverse();
    layers
}

fn unknown_preset(name: &str) -> Msg {
    let names = preset_names();
    Msg::new(
        format!("未知的预设 \"{name}\"：可用 {}", names.join("、")),
        format!("unknown preset \"{name}\": use {}", names.join(", ")),
    )
}

/// Layer the files (later wins, `"none"` unbinds) and check the result. Per context, the
/// bindings come back in preference order: the most specific file first, then line order.
pub(crate) fn resolve(layers: &[ParsedFile]) -> Result<[Vec<Bound>; 4], Vec<KeymapError>> {
    let mut merged: [HashMap<Vec<Key>, Bound>; 4] = Default::default();
    for (layer, file) in layers.iter().enumerate() {
        for (context, entries) in &file.sections {
            let map = &mut merged[context.index()];
            for entry in entries {
                match entry.action {
                    None => {
                        map.remove(&entry.keys);
                    }
                    Some(action) => {
                        let bound = Bound {
                            keys: entry.keys.clone(),
                            action,
                            layer,
                            line: entry.line,
                        };
                        map.insert(entry.keys.clone(), bound);
                    }
                }
            }
        }
    }
    let mut errors = Vec::new();
    let contexts = merged.map(|map| {
        let mut bounds: Vec<Bound> = map.into_values().collect();
        bounds.sort_by_key(|b| (Reverse(b.layer), b.line));
        bounds
    });
    for context in Context::ALL {
        check_prefixes(context, &contexts[context.index()], layers, &mut errors);
    }
    if errors.is_empty() {
        Ok(contexts)
    } else {
        Err(errors)
    }
}

/// `g` and `g g` in one context: after `g` there is no telling which is meant. Reported at
/// whichever was written later (the override that introduced the clash).
fn check_prefixes(
    context: Context,
    bounds: &[Bound],
    layers: &[ParsedFile],
    errors: &mut Vec<KeymapError>,
) {
    for short in bounds {
        for long in bounds {
            if long.keys.len() <= short.keys.len() || !long.keys.starts_with(&short.keys) {
                continue;
            }
            let (later, earlier) = if (long.layer, long.line) > (short.layer, short.line) {
                (long, short)
            } else {
                (short, long)
            };
            let file = |b: &Bound| layers.get(b.layer).map_or("", |f| f.label.as_str());
            let (where_zh, where_en) = if later.layer == earlier.layer {
                (
                    format!("第 {} 行", earlier.line),
                    format!("line {}", earlier.line),
                )
            } else {
                let place = format!("{}:{}", file(earlier), earlier.line);
                (format!(" {place}"), place)
            };
            let (s, l, c) = (
                keys_text(&short.keys),
                keys_text(&long.keys),
                context.name(),
            );
            errors.push(KeymapError::new(
                file(later),
                later.line,
                Msg::new(
                    format!("[{c}] 中 \"{s}\" 单独绑定了动作，又是 \"{l}\" 的开头（另见{where_zh}）：按下 {s} 之后无法判断是哪一个。请删掉其中一个；继承来的可写 = \"none\" 解除"),
                    format!("in [{c}], \"{s}\" is bound on its own and also starts \"{l}\" (see {where_en}): after {s} there is no telling which is meant. Remove one; an inherited one can be unbound with = \"none\""),
                ),
            ));
        }
    }
}
