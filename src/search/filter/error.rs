//! What a bad filter tells the user: a message in both languages and the span of the bad part.

use crate::i18n::{Lang, Msg, lang};
use crate::text::{display_safe, width};
use std::fmt;

/// A filter that cannot be parsed. `start..end` are char offsets into the input (end
/// exclusive), for highlighting; `excerpt` is the text they cover.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterError {
    pub msg: Msg,
    pub start: usize,
    pub end: usize,
    pub excerpt: String,
}

impl FilterError {
    /// An error over `start..end` of `input`, clamped to the input and never empty when the
    /// input is not (a span of nothing could not be highlighted).
    pub(super) fn at(msg: Msg, start: usize, end: usize, input: &[char]) -> FilterError {
        let start = start.min(input.len());
        let mut end = end.clamp(start, input.len());
        if end == start && end < input.len() {
            end += 1;
        }
        // Messages quote what was typed; a pasted escape sequence must not reach a terminal.
        let msg = Msg::new(display_safe(&msg.zh), display_safe(&msg.en));
        FilterError {
            msg,
            start,
            end,
            excerpt: input[start..end].iter().collect(),
        }
    }

    /// The input on one line and carets under the bad part, for a terminal:
    ///
    /// ```text
    /// 状态:未整改 金额>abc
    ///             ^^^^^^^^
    /// ```
    /// Widths are display cells, so the carets line up under Chinese text.
    pub fn pointer(&self, input: &str) -> String {
        let chars: Vec<char> = input.chars().collect();
        let line = display_safe(input);
        let before: String = chars.iter().take(self.start).collect();
        let bad: String = chars
            .iter()
            .skip(self.start)
            .take(self.end.saturating_sub(self.start))
            .collect();
        let pad = width(&display_safe(&before));
        let marks = width(&display_safe(&bad)).max(1);
        format!("{line}\n{}{}", " ".repeat(pad), "^".repeat(marks))
    }
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let excerpt = display_safe(&self.excerpt);
        match lang() {
            Lang::Zh => write!(f, "{}（`{}`）", self.msg.zh, excerpt),
            Lang::En => write!(f, "{} (at `{}`)", self.msg.en, excerpt),
        }
    }
}

impl std::error::Error for FilterError {}
