//! Text that reaches a terminal: display width (Chinese characters are two cells), truncation by
//! width, and `display_safe`, which every piece of user or imported text passes before it is
//! printed, so no stored string can move the cursor, change colours or reorder a line.

use unicode_width::UnicodeWidthChar;
use unicode_width::UnicodeWidthStr;

/// Cells the text takes in a terminal.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Make one line of stored text safe to print: control characters (C0, C1, DEL, ESC), line
/// breaks and bidi overrides become visible placeholders.
pub fn display_safe(text: &str) -> String {
    text.chars().map(|c| placeholder(c).unwrap_or(c)).collect()
}

/// Like `display_safe`, but keeps line breaks and tabs (for multi-line fields such as 问题描述).
pub fn display_safe_multiline(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c == '\n' || c == '\t' {
                c
            } else {
                placeholder(c).unwrap_or(c)
            }
        })
        .collect()
}

fn placeholder(c: char) -> Option<char> {
    match c {
        '\u{1b}' => Some('␛'),
        '\n' => Some('↵'),
        '\u{0}'..='\u{1f}' | '\u{7f}' => Some('�'),
        '\u{80}'..='\u{9f}' => Some('�'),
        // Bidi embeddings, overrides and isolates can make text read in another order.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' => Some('�'),
        _ => None,
    }
}

/// Cut `text` to at most `max` cells, never inside a character, marking the cut with `..`.
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let budget = max.saturating_sub(2);
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    if max >= 2 {
        out.push_str("..");
    }
    out
}

/// Pad with spaces on the right to exactly `cells` cells (truncating if longer).
pub fn pad(text: &str, cells: usize) -> String {
    let cut = truncate(text, cells);
    let w = width(&cut);
    format!("{cut}{}", " ".repeat(cells.saturating_sub(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_two_cells_and_never_split() {
        assert_eq!(width("区财政局"), 8);
        assert_eq!(truncate("区财政局预算编制不够细化", 9), "区财政..");
        assert_eq!(truncate("区财政局预算编制不够细化", 8), "区财政..");
        assert_eq!(truncate("区财政局预算编制不够细化", 7), "区财..");
        assert!(width(&truncate("区财政局预算编制不够细化", 9)) <= 9);
        assert_eq!(pad("财政", 6), "财政  ");
    }

    #[test]
    fn controls_and_bidi_are_made_visible() {
        assert_eq!(display_safe("a\u{1b}[31mb"), "a␛[31mb");
        assert_eq!(display_safe("x\u{202e}y"), "x�y");
        assert_eq!(display_safe("1\n2"), "1↵2");
        assert_eq!(display_safe_multiline("1\n2\u{7}"), "1\n2�");
    }
}
