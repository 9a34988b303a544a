//! Text that reaches a terminal: display width (Chinese characters are two cells), truncation by
//! width, and `display_safe`, which every piece of user or imported text passes before it is
//! printed, so no stored string can move the cursor, change colours or reorder a line.
//!
//! It also owns the small primitives the text widgets edit with: a caret is a grapheme index
//! (never inside 区, 👍🏽, e+◌́ or 🇨🇳), and edited text is kept in Unicode NFC so that the same
//! word typed by two input methods is stored, searched and measured the same way.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::is_nfc;
use unicode_segmentation::UnicodeSegmentation;
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

/// The visible stand-in for a character a terminal would act on instead of showing. Replacing
/// ESC (and the 8-bit CSI/OSC/DCS in C1) disarms every escape sequence at its first byte: what
/// follows (`[2J`, `]52;c;…`, `]8;;url`) is then plain, readable text.
fn placeholder(c: char) -> Option<char> {
    match c {
        '\u{1b}' => Some('␛'),
        '\n' => Some('↵'),
        '\u{0}'..='\u{1f}' | '\u{7f}' => Some('�'),
        '\u{80}'..='\u{9f}' => Some('�'),
        // Bidi embeddings, overrides, isolates and marks can make text read in another order.
        '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{061c}' => Some('�'),
        _ => None,
    }
}

/// What a message quotes of a value the user typed: trimmed, made safe to print, and cut after
/// `EXCERPT_CHARS` characters, so a pasted megabyte is not repeated back whole.
pub fn excerpt(text: &str) -> String {
    let t = text.trim();
    let count = t.chars().count();
    if count <= EXCERPT_CHARS {
        return display_safe(t);
    }
    let kept: String = t.chars().take(EXCERPT_CHARS).collect();
    format!("{}…", display_safe(&kept))
}

/// How much of a typed value a message quotes (see `excerpt`).
pub const EXCERPT_CHARS: usize = 40;

/// A message for a terminal: each line made safe (`display_safe`) and cut after `max`
/// characters, with how many more there were. An error that quotes back what was typed (a
/// pasted megabyte, an escape sequence) stays a short, inert line.
pub fn clip_message(text: &str, max: usize) -> String {
    text.split('\n')
        .map(|line| {
            let count = line.chars().count();
            let safe = display_safe(line.strip_suffix('\r').unwrap_or(line));
            if count <= max {
                return safe;
            }
            let kept: String = safe.chars().take(max).collect();
            format!("{kept}…(+{})", count - max)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Cut `text` to at most `max` cells, never inside a character or grapheme cluster, marking the
/// cut with `..` (two ASCII dots: `…` is two cells in many Chinese terminals).
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let budget = max.saturating_sub(2);
    let mut out = String::new();
    let mut used = 0;
    for g in graphemes(text) {
        let w = width(g);
        if used + w > budget {
            break;
        }
        used += w;
        out.push_str(g);
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

/// The user-perceived characters of `text` (extended grapheme clusters).
pub fn graphemes(text: &str) -> impl DoubleEndedIterator<Item = &str> {
    UnicodeSegmentation::graphemes(text, true)
}

/// How many grapheme clusters `text` holds: the range of a caret is `0..=grapheme_count`.
pub fn grapheme_count(text: &str) -> usize {
    graphemes(text).count()
}

/// Cells one grapheme cluster takes once shown, that is after `display_safe`: a bidi mark is
/// zero-width as stored but shows as a one-cell placeholder, and a caret must account for that.
pub fn grapheme_width(g: &str) -> usize {
    if g.chars().any(|c| placeholder(c).is_some()) {
        width(&display_safe(g))
    } else {
        width(g)
    }
}

/// `text` in Unicode normalisation form C (é as one code point rather than e + U+0301).
pub fn nfc(text: &str) -> String {
    if is_nfc(text) {
        text.to_string()
    } else {
        text.nfc().collect()
    }
}

/// Byte offset of the grapheme at index `at` (or the end of `text` if `at` is past it).
pub fn byte_offset(text: &str, at: usize) -> usize {
    text.grapheme_indices(true)
        .nth(at)
        .map_or(text.len(), |(i, _)| i)
}

/// Insert `piece` at grapheme index `at`; returns the new text (NFC) and the caret just after
/// the piece. The caret is counted on the normalised head, so a combining mark typed after `e`
/// yields `é` with the caret after it, and the caret always lands on a cluster boundary.
pub fn insert_at(text: &str, at: usize, piece: &str) -> (String, usize) {
    let split = byte_offset(text, at);
    let head = nfc(&format!("{}{piece}", &text[..split]));
    let caret = grapheme_count(&head);
    let joined = nfc(&format!("{head}{}", &text[split..]));
    // Joining can merge the piece's last cluster with the tail's first (a ZWJ, a lone flag
    // half); the clamp keeps the caret on a boundary in that case.
    let caret = caret.min(grapheme_count(&joined));
    (joined, caret)
}

/// Remove the grapheme clusters `from..to` (indices, clamped) and return the NFC result.
pub fn remove_range(text: &str, from: usize, to: usize) -> String {
    let (from, to) = (from.min(to), to.max(from));
    let start = byte_offset(text, from);
    let end = byte_offset(text, to);
    nfc(&format!("{}{}", &text[..start], &text[end..]))
}

/// What a grapheme counts as when deleting a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordClass {
    Space,
    Cjk,
    Word,
    Other,
}

fn word_class(g: &str) -> WordClass {
    match g.chars().next() {
        None => WordClass::Other,
        Some(c) if c.is_whitespace() => WordClass::Space,
        Some(c) if is_cjk(c) => WordClass::Cjk,
        Some(c) if c.is_alphanumeric() || c == '_' => WordClass::Word,
        Some(_) => WordClass::Other,
    }
}

/// Han ideographs, kana, Hangul and bopomofo, which are written without spaces between words.
/// Full-width punctuation (，。：) is deliberately not included: it separates words.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11ff}'     // Hangul Jamo
        | '\u{3005}' | '\u{3007}'   // 々 〇
        | '\u{3040}'..='\u{30ff}'   // Hiragana, Katakana
        | '\u{3100}'..='\u{312f}'   // Bopomofo
        | '\u{3130}'..='\u{318f}'   // Hangul Compatibility Jamo
        | '\u{31a0}'..='\u{31bf}'   // Bopomofo Extended
        | '\u{3400}'..='\u{4dbf}'   // CJK Extension A
        | '\u{4e00}'..='\u{9fff}'   // CJK Unified Ideographs
        | '\u{ac00}'..='\u{d7af}'   // Hangul Syllables
        | '\u{f900}'..='\u{faff}'   // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{3134f}' // CJK Extensions B-G
    )
}

/// Where "delete word back" from grapheme index `at` stops. The rule: skip whitespace before
/// the caret, then take the run of graphemes of the same class as the one before it, where the
/// classes are CJK characters, word characters (letters, digits, `_`, any script) and other
/// symbols/punctuation. So `2022年预算A` loses `A`, then `年预算`, then `2022`; `财政局，` loses
/// the `，` first. Chinese has no spaces, so a run of Han characters is the nearest thing to a
/// word that needs no dictionary.
pub fn prev_word_boundary(text: &str, at: usize) -> usize {
    let classes: Vec<WordClass> = graphemes(text).take(at).map(word_class).collect();
    let mut i = classes.len();
    while i > 0 && classes[i - 1] == WordClass::Space {
        i -= 1;
    }
    if let Some(&class) = i.checked_sub(1).and_then(|j| classes.get(j)) {
        while i > 0 && classes[i - 1] == class {
            i -= 1;
        }
    }
    i
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
    fn excerpts_are_short_and_safe() {
        assert_eq!(excerpt("  2023-02-30 "), "2023-02-30");
        assert_eq!(excerpt("\u{1b}[31m"), "␛[31m");
        let long = excerpt(&"预".repeat(1 << 20));
        assert_eq!(long.chars().count(), EXCERPT_CHARS + 1);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn messages_are_clipped_and_made_safe_line_by_line() {
        let long = format!("找不到“{}”", "预算".repeat(1000));
        let clipped = clip_message(&format!("{long}\n\u{1b}[31m红\u{7}"), 10);
        let lines: Vec<&str> = clipped.split('\n').collect();
        assert_eq!(lines[0], "找不到“预算预算预算…(+1995)");
        assert_eq!(lines[1], "␛[31m红�");
        assert_eq!(clip_message("短\n", 10), "短\n");
    }

    #[test]
    fn controls_and_bidi_are_made_visible() {
        assert_eq!(display_safe("a\u{1b}[31mb"), "a␛[31mb");
        assert_eq!(display_safe("x\u{202e}y"), "x�y");
        assert_eq!(display_safe("x\u{061c}y"), "x�y");
        assert_eq!(display_safe("1\n2"), "1↵2");
        assert_eq!(display_safe_multiline("1\n2\u{7}"), "1\n2�");
    }

    #[test]
    fn truncate_keeps_clusters_whole() {
        // A flag is two one-cell code points; cutting between them would leave half a flag.
        assert_eq!(truncate("🇨🇳🇨🇳🇨🇳", 5), "🇨🇳..");
        assert_eq!(truncate("e\u{301}e\u{301}e\u{301}x", 3), "e\u{301}..");
    }

    #[test]
    fn bidi_marks_are_measured_as_their_placeholder() {
        assert_eq!(width("\u{202e}"), 0);
        assert_eq!(grapheme_width("\u{202e}"), 1);
        assert_eq!(grapheme_width("区"), 2);
    }

    #[test]
    fn insertion_normalises_and_keeps_the_caret_on_a_boundary() {
        let (text, caret) = insert_at("cafe", 4, "\u{301}");
        assert_eq!(text, "caf\u{e9}");
        assert_eq!(caret, 4);
        let (text, caret) = insert_at("区局", 1, "财政");
        assert_eq!((text.as_str(), caret), ("区财政局", 3));
        assert_eq!(remove_range("区财政局", 1, 3), "区局");
    }

    #[test]
    fn word_boundaries_follow_script_runs() {
        let t = "2022年预算A";
        assert_eq!(prev_word_boundary(t, 8), 7);
        assert_eq!(prev_word_boundary(t, 7), 4);
        assert_eq!(prev_word_boundary(t, 4), 0);
        assert_eq!(prev_word_boundary("财政局，  ", 6), 3);
        assert_eq!(prev_word_boundary("hello world", 11), 6);
        assert_eq!(prev_word_boundary("", 0), 0);
    }
}
