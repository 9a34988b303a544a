//! A single-line text input as a pure editing model: the app feeds it keys and renders the
//! `FieldView` it returns, placing the real terminal cursor at `cursor_col` so a Chinese IME's
//! candidate window follows the caret.
//!
//! The caret is a grapheme index, so it never lands inside 区, 👍🏽, e+◌́ or 🇨🇳, and the text is
//! kept in NFC. A single-line field never holds control characters (see `single_line`).

use std::cell::Cell;

use crate::text;

/// What to draw for a field: the visible slice and where the caret is inside the box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldView {
    /// Already display-safe, never wider than the box.
    pub text: String,
    /// Display column of the caret inside the box, `0..width`.
    pub cursor_col: u16,
}

#[derive(Debug, Clone, Default)]
pub struct TextField {
    text: String,
    /// Grapheme index of the caret, `0..=grapheme count`.
    cursor: usize,
    /// Grapheme index of the first visible grapheme. Kept between frames (hence `Cell`, so
    /// rendering can take `&self`) so the view only scrolls as far as the caret needs.
    scroll: Cell<usize>,
}

impl TextField {
    pub fn new() -> TextField {
        TextField::default()
    }

    pub fn with_text(text: &str) -> TextField {
        let mut field = TextField::new();
        field.set_text(text);
        field
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Replace the text (made single-line and NFC) and put the caret at the end.
    pub fn set_text(&mut self, text: &str) {
        self.text = text::nfc(&single_line(text));
        self.cursor = text::grapheme_count(&self.text);
        self.scroll.set(0);
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The caret as a grapheme index.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
        self.scroll.set(0);
    }

    pub fn insert_char(&mut self, c: char) {
        self.insert_str(c.encode_utf8(&mut [0; 4]));
    }

    /// Insert typed or pasted text at the caret; see `single_line` for what happens to line
    /// breaks and control characters.
    pub fn insert_str(&mut self, s: &str) {
        let piece = single_line(s);
        if piece.is_empty() {
            return;
        }
        let (joined, caret) = text::insert_at(&self.text, self.cursor, &piece);
        self.text = joined;
        self.cursor = caret;
    }

    pub fn move_left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn move_right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.len());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.len();
    }

    /// Remove the grapheme before the caret (all of 👍🏽, not just its skin tone).
    pub fn delete_back(&mut self) {
        if self.cursor > 0 {
            self.remove(self.cursor - 1, self.cursor);
        }
    }

    pub fn delete_forward(&mut self) {
        if self.cursor < self.len() {
            self.remove(self.cursor, self.cursor + 1);
        }
    }

    /// Delete back to the previous word boundary (`text::prev_word_boundary`: a run of CJK
    /// characters, of letters/digits, or of punctuation counts as one word).
    pub fn delete_word_back(&mut self) {
        let start = text::prev_word_boundary(&self.text, self.cursor);
        self.remove(start, self.cursor);
    }

    /// The visible slice for a box `width` cells wide, scrolled so the caret is inside it.
    pub fn view(&self, width: u16) -> FieldView {
        let box_w = usize::from(width);
        if box_w == 0 {
            return FieldView {
                text: String::new(),
                cursor_col: 0,
            };
        }
        let cells: Vec<(&str, usize)> = text::graphemes(&self.text)
            .map(|g| (g, text::grapheme_width(g)))
            .collect();
        let scroll = self.scrolled(&cells, box_w);
        self.scroll.set(scroll);

        let mut out = String::new();
        let mut used = 0;
        let mut cursor_col = 0;
        for (i, &(g, w)) in cells.iter().enumerate().skip(scroll) {
            if i == self.cursor {
                cursor_col = used;
            }
            if used + w > box_w {
                // A wide character that would straddle the edge: leave its cells blank.
                out.push_str(&" ".repeat(box_w - used));
                break;
            }
            out.push_str(&text::display_safe(g));
            used += w;
        }
        if self.cursor >= cells.len() {
            cursor_col = used;
        }
        FieldView {
            text: out,
            // `scrolled` guarantees the caret column is below `width`, so this never clamps.
            cursor_col: u16::try_from(cursor_col.min(box_w - 1)).unwrap_or(0),
        }
    }

    /// The first visible grapheme for this frame: the previous scroll, moved only as far as
    /// needed to keep the caret's cell inside the box, and pulled back when text after the
    /// caret was deleted so the box does not show blank space while text is hidden on the left.
    fn scrolled(&self, cells: &[(&str, usize)], box_w: usize) -> usize {
        let cursor = self.cursor.min(cells.len());
        let mut scroll = self.scroll.get().min(cursor);
        // Running sums, not a sum per step: a pasted megabyte would make this quadratic.
        let mut before: usize = cells[scroll..cursor].iter().map(|c| c.1).sum();
        // The caret sits on the cell after the graphemes before it, which must be < box_w.
        while scroll < cursor && before >= box_w {
            before -= cells[scroll].1;
            scroll += 1;
        }
        // Text from `scroll` to the end, plus the caret's cell when it is at the end.
        let mut tail: usize =
            cells[scroll..].iter().map(|c| c.1).sum::<usize>() + usize::from(cursor == cells.len());
        while scroll > 0 {
            let w = cells[scroll - 1].1;
            if tail + w > box_w || before + w >= box_w {
                break;
            }
            scroll -= 1;
            tail += w;
            before += w;
        }
        scroll
    }

    fn len(&self) -> usize {
        text::grapheme_count(&self.text)
    }

    fn remove(&mut self, from: usize, to: usize) {
        self.text = text::remove_range(&self.text, from, to);
        self.cursor = from.min(self.len());
    }
}

/// What single-line input keeps of typed or pasted text: line breaks and tabs become one space
/// each (CRLF counts once) so pasted words stay apart, a trailing line break is dropped (copying
/// a spreadsheet cell adds one), and every other control character is dropped.
fn single_line(s: &str) -> String {
    let s = s.trim_end_matches(['\r', '\n']);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push(' ');
                }
            }
            '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paste_is_flattened_to_one_line() {
        assert_eq!(single_line("a\r\nb\tc\rd\u{1b}[2J\n"), "a b c d[2J");
        let mut f = TextField::new();
        f.insert_str("区财政局\n");
        assert_eq!(f.text(), "区财政局");
        assert_eq!(f.cursor(), 4);
    }

    #[test]
    fn scroll_does_not_jump_while_typing() {
        let mut f = TextField::new();
        for c in "区财政局预算编制".chars() {
            f.insert_char(c);
            let v = f.view(7);
            assert!(text::width(&v.text) <= 7);
            assert!(v.cursor_col < 7);
        }
        // Three characters and the caret's cell fit in 7 cells.
        assert_eq!(f.view(7).text, "算编制");
        assert_eq!(f.view(7).cursor_col, 6);
        f.move_left();
        f.move_left();
        f.move_left();
        // Moving left inside the visible part keeps the same slice.
        let v = f.view(7);
        assert_eq!(v.text, "算编制");
        assert_eq!(v.cursor_col, 0);
    }

    #[test]
    fn a_zero_width_character_cannot_push_the_caret_out() {
        let mut f = TextField::with_text("abcdefg\u{200b}");
        let _ = f.view(4);
        f.move_left();
        f.delete_back();
        f.delete_back();
        f.delete_back();
        // "abcd" + zero-width space, caret before the latter: it needs a fifth cell.
        let v = f.view(4);
        assert_eq!((v.text.as_str(), v.cursor_col), ("bcd\u{200b}", 3));
    }

    #[test]
    fn deleting_at_the_end_pulls_hidden_text_back_into_view() {
        let mut f = TextField::with_text("abcdefghij");
        let _ = f.view(5);
        for _ in 0..5 {
            f.delete_back();
        }
        assert_eq!(f.view(5).text, "bcde");
        assert_eq!(f.view(5).cursor_col, 4);
    }
}
