//! A multi-line text input (问题描述) as a pure editing model, soft-wrapped by display width when
//! viewed. The app renders the `AreaView` it returns and puts the real terminal cursor at
//! `cursor`, so a Chinese IME's candidate window follows the caret.
//!
//! The caret is (line, grapheme index), so it never lands inside 区, 👍🏽, e+◌́ or 🇨🇳. Lines are
//! kept in NFC and hold no control characters: tabs become spaces (a terminal would expand a tab
//! to a width we cannot predict) and line breaks split lines.

use std::cell::Cell;
use std::ops::Range;

use crate::text;

/// Spaces a typed or pasted tab becomes.
const TAB: &str = "    ";

/// What to draw for an area: the visible screen rows and where the caret is inside the box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaView {
    /// At most `height` rows, each display-safe and never wider than the box.
    pub lines: Vec<String>,
    /// Caret (column, row) inside the box.
    pub cursor: (u16, u16),
}

#[derive(Debug, Clone)]
pub struct TextArea {
    /// Never empty; no line holds '\n'.
    lines: Vec<String>,
    row: usize,
    /// Grapheme index in `lines[row]`.
    col: usize,
    /// Display column that a run of up/down moves aims for, so passing a short line does not
    /// lose the column. Any other edit or move forgets it.
    goal: Option<usize>,
    /// First visible screen row, kept between frames so the view scrolls only as needed.
    scroll: Cell<usize>,
    /// Box width of the last view: up/down move by screen rows of the wrapped text. Before the
    /// first view it is unknown and every line counts as one row.
    wrap_width: Cell<Option<usize>>,
}

impl Default for TextArea {
    fn default() -> TextArea {
        TextArea::new()
    }
}

impl TextArea {
    pub fn new() -> TextArea {
        TextArea {
            lines: vec![String::new()],
            row: 0,
            col: 0,
            goal: None,
            scroll: Cell::new(0),
            wrap_width: Cell::new(None),
        }
    }

    pub fn with_text(text: &str) -> TextArea {
        let mut area = TextArea::new();
        area.set_text(text);
        area
    }

    /// The lines joined by '\n'.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// Replace the text and put the caret at its end.
    pub fn set_text(&mut self, text: &str) {
        self.lines = multi_line(text).split('\n').map(text::nfc).collect();
        self.row = self.lines.len() - 1;
        self.col = self.line_len(self.row);
        self.goal = None;
        self.scroll.set(0);
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.len() == 1 && self.lines[0].is_empty()
    }

    /// The caret as (line, grapheme index).
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    pub fn clear(&mut self) {
        *self = TextArea {
            wrap_width: self.wrap_width.clone(),
            ..TextArea::new()
        };
    }

    pub fn insert_char(&mut self, c: char) {
        self.insert_str(c.encode_utf8(&mut [0; 4]));
    }

    /// Insert typed or pasted text at the caret; see `multi_line` for line breaks and controls.
    pub fn insert_str(&mut self, s: &str) {
        self.goal = None;
        let clean = multi_line(s);
        let mut pieces: Vec<&str> = clean.split('\n').collect();
        let Some(last) = pieces.pop() else { return };
        if pieces.is_empty() {
            let (line, caret) = text::insert_at(&self.lines[self.row], self.col, last);
            self.lines[self.row] = line;
            self.col = caret;
            return;
        }
        let line = &self.lines[self.row];
        let (head, tail) = line.split_at(text::byte_offset(line, self.col));
        let (last_line, caret) = text::insert_at(tail, 0, last);
        let mut new_lines = vec![text::nfc(&format!("{head}{}", pieces[0]))];
        new_lines.extend(pieces[1..].iter().map(|p| text::nfc(p)));
        new_lines.push(last_line);
        let added = new_lines.len() - 1;
        self.lines.splice(self.row..=self.row, new_lines);
        self.row += added;
        self.col = caret;
    }

    /// Split the line at the caret.
    pub fn newline(&mut self) {
        self.insert_str("\n");
    }

    pub fn move_left(&mut self) {
        self.goal = None;
        if self.col > 0 {
            self.col -= 1;
        } else if self.row > 0 {
            self.row -= 1;
            self.col = self.line_len(self.row);
        }
    }

    pub fn move_right(&mut self) {
        self.goal = None;
        if self.col < self.line_len(self.row) {
            self.col += 1;
        } else if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = 0;
        }
    }

    /// Up one screen row (of the wrapped text, once viewed), keeping the display column. Returns
    /// false on the first row, so the app may move the focus instead.
    pub fn move_up(&mut self) -> bool {
        self.move_vertical(false)
    }

    /// Down one screen row, keeping the display column. Returns false on the last row.
    pub fn move_down(&mut self) -> bool {
        self.move_vertical(true)
    }

    /// Start of the line (the logical line, not the wrapped screen row).
    pub fn home(&mut self) {
        self.goal = None;
        self.col = 0;
    }

    /// End of the line.
    pub fn end(&mut self) {
        self.goal = None;
        self.col = self.line_len(self.row);
    }

    /// Remove the grapheme before the caret; at the start of a line, join it to the one above.
    pub fn delete_back(&mut self) {
        self.goal = None;
        if self.col > 0 {
            self.remove(self.col - 1, self.col);
        } else if self.row > 0 {
            self.row -= 1;
            self.col = self.line_len(self.row);
            self.join_next();
        }
    }

    /// Remove the grapheme after the caret; at the end of a line, join the next one to it.
    pub fn delete_forward(&mut self) {
        self.goal = None;
        if self.col < self.line_len(self.row) {
            self.remove(self.col, self.col + 1);
        } else {
            self.join_next();
        }
    }

    /// Delete back to the previous word boundary (`text::prev_word_boundary`: a run of CJK
    /// characters, of letters/digits, or of punctuation is one word); at the start of a line,
    /// join it to the one above like `delete_back`.
    pub fn delete_word_back(&mut self) {
        if self.col == 0 {
            self.delete_back();
        } else {
            self.goal = None;
            let start = text::prev_word_boundary(&self.lines[self.row], self.col);
            self.remove(start, self.col);
        }
    }

    /// The visible screen rows for a box `width` × `height`, soft-wrapped by display width and
    /// scrolled so the caret is inside the box.
    pub fn view(&self, width: u16, height: u16) -> AreaView {
        let (box_w, box_h) = (usize::from(width), usize::from(height));
        if box_w == 0 || box_h == 0 {
            return AreaView {
                lines: Vec::new(),
                cursor: (0, 0),
            };
        }
        self.wrap_width.set(Some(box_w));
        let layout: Vec<(Cells, Vec<Range<usize>>)> = self
            .lines
            .iter()
            .map(|line| {
                let cells = cells(line);
                let rows = wrap(&cells, Some(box_w));
                (cells, rows)
            })
            .collect();

        let (cells, rows) = &layout[self.row];
        let in_line = row_of(rows, self.col);
        let caret_row = layout[..self.row].iter().map(|l| l.1.len()).sum::<usize>() + in_line;
        let caret_col = cols(cells, rows[in_line].start..self.col);
        let total: usize = layout.iter().map(|l| l.1.len()).sum();

        // Keep the previous scroll unless the caret left the box; never leave blank rows at
        // the bottom while rows are hidden at the top.
        let mut scroll = self.scroll.get().min(total.saturating_sub(box_h));
        if caret_row < scroll {
            scroll = caret_row;
        } else if caret_row >= scroll + box_h {
            scroll = caret_row + 1 - box_h;
        }
        self.scroll.set(scroll);

        let lines = layout
            .iter()
            .flat_map(|(cells, rows)| rows.iter().map(move |r| render(cells, r.clone(), box_w)))
            .skip(scroll)
            .take(box_h)
            .collect();
        AreaView {
            lines,
            cursor: (
                u16::try_from(caret_col.min(box_w - 1)).unwrap_or(0),
                u16::try_from(caret_row - scroll).unwrap_or(0),
            ),
        }
    }

    fn move_vertical(&mut self, down: bool) -> bool {
        let width = self.wrap_width.get();
        let cells_here = cells(&self.lines[self.row]);
        let rows_here = wrap(&cells_here, width);
        let in_line = row_of(&rows_here, self.col);
        let goal = self
            .goal
            .unwrap_or_else(|| cols(&cells_here, rows_here[in_line].start..self.col));

        let (row, target_in_line) = if down {
            if in_line + 1 < rows_here.len() {
                (self.row, Some(in_line + 1))
            } else if self.row + 1 < self.lines.len() {
                (self.row + 1, Some(0))
            } else {
                return false;
            }
        } else if in_line > 0 {
            (self.row, Some(in_line - 1))
        } else if self.row > 0 {
            (self.row - 1, None) // the last screen row of the line above
        } else {
            return false;
        };
        let cells_there = cells(&self.lines[row]);
        let rows_there = wrap(&cells_there, width);
        let i = target_in_line.unwrap_or(rows_there.len() - 1);
        let last = i + 1 == rows_there.len();
        self.row = row;
        self.col = col_at(&cells_there, rows_there[i].clone(), goal, last);
        self.goal = Some(goal);
        true
    }

    fn line_len(&self, row: usize) -> usize {
        text::grapheme_count(&self.lines[row])
    }

    fn remove(&mut self, from: usize, to: usize) {
        self.lines[self.row] = text::remove_range(&self.lines[self.row], from, to);
        self.col = from.min(self.line_len(self.row));
    }

    /// Append the next line to the caret's line; the caret stays at the join.
    fn join_next(&mut self) {
        if self.row + 1 >= self.lines.len() {
            return;
        }
        let next = self.lines.remove(self.row + 1);
        let joined = text::nfc(&format!("{}{next}", self.lines[self.row]));
        self.lines[self.row] = joined;
        self.col = self.col.min(self.line_len(self.row));
    }
}

/// Each grapheme of a line with the cells it takes on screen.
type Cells<'a> = Vec<(&'a str, usize)>;

fn cells(line: &str) -> Cells<'_> {
    text::graphemes(line)
        .map(|g| (g, text::grapheme_width(g)))
        .collect()
}

/// Cells taken by the graphemes in `range`.
fn cols(cells: &[(&str, usize)], range: Range<usize>) -> usize {
    cells[range].iter().map(|c| c.1).sum()
}

/// Split a line into screen rows (grapheme ranges) no wider than `width`, breaking between
/// graphemes so a wide character is never split. A row that is full ends before the next
/// grapheme, even a zero-width one, so a caret on any row has a cell inside the box; for the
/// same reason a line whose last row is full gets an empty row for the caret at its end.
/// `None` (width not known yet) keeps each line one row.
fn wrap(cells: &[(&str, usize)], width: Option<usize>) -> Vec<Range<usize>> {
    let Some(width) = width else {
        // One row holding the whole line.
        return std::iter::once(0..cells.len()).collect();
    };
    let mut rows = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, &(_, w)) in cells.iter().enumerate() {
        // An empty row takes even a grapheme wider than the box, or wrapping would never end.
        if i > start && (used >= width || used + w > width) {
            rows.push(start..i);
            (start, used) = (i, 0);
        }
        used += w;
    }
    rows.push(start..cells.len());
    if used >= width && start < cells.len() {
        rows.push(cells.len()..cells.len());
    }
    rows
}

/// The screen row of a line that shows the caret at grapheme `col`: a caret at a row's end is
/// drawn at the start of the next row, except at the end of the line.
fn row_of(rows: &[Range<usize>], col: usize) -> usize {
    rows.iter()
        .position(|r| r.contains(&col))
        .unwrap_or(rows.len() - 1)
}

/// The caret position in `row` nearest display column `goal`: a column inside a wide character
/// snaps to its start. Past the end of a wrapped (not last) row, the caret stops on the row's
/// last grapheme, since the row's end is drawn on the next row.
fn col_at(cells: &[(&str, usize)], row: Range<usize>, goal: usize, last: bool) -> usize {
    let mut used = 0;
    for i in row.clone() {
        let w = cells[i].1;
        if used + w > goal {
            return i;
        }
        used += w;
    }
    if last {
        row.end
    } else {
        row.end.saturating_sub(1).max(row.start)
    }
}

/// One screen row as text. Lines hold neither '\n' nor tab, so `display_safe` is the
/// `display_safe_multiline` of a line, and it keeps the widths `cells` measured.
fn render(cells: &[(&str, usize)], row: Range<usize>, width: usize) -> String {
    let mut out = String::new();
    for &(g, w) in &cells[row] {
        if w > width {
            // Only alone on a row narrower than the character: show blank cells, not half of it.
            out.push_str(&" ".repeat(width));
        } else {
            out.push_str(&text::display_safe(g));
        }
    }
    out
}

/// What multi-line input keeps of typed or pasted text: CRLF and a lone CR become '\n'
/// (terminals send pasted line breaks as CR), a tab becomes four spaces, and every other control
/// character is dropped.
fn multi_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' => out.push('\n'),
            '\t' => out.push_str(TAB),
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
    fn paste_keeps_line_breaks_and_drops_controls() {
        assert_eq!(multi_line("a\r\nb\rc\td\u{1b}[1m\u{7}"), "a\nb\nc    d[1m");
        let mut area = TextArea::with_text("区局");
        area.move_left();
        area.insert_str("财\r\n政");
        assert_eq!(area.text(), "区财\n政局");
        assert_eq!(area.cursor(), (1, 1));
    }

    #[test]
    fn a_full_last_row_gets_a_row_for_the_caret() {
        let area = TextArea::with_text("区财政局预");
        let v = area.view(10, 3);
        assert_eq!(v.lines, vec!["区财政局预".to_string(), String::new()]);
        assert_eq!(v.cursor, (0, 1));
    }

    #[test]
    fn up_and_down_move_by_screen_rows_once_viewed() {
        let mut area = TextArea::with_text("区财政局预算编制不够细化");
        let _ = area.view(9, 5);
        area.home();
        area.move_right();
        assert!(area.move_down());
        assert_eq!(area.cursor(), (0, 5));
        let v = area.view(9, 5);
        assert_eq!(v.cursor, (2, 1));
        assert!(area.move_down());
        assert!(!area.move_down());
        assert!(area.move_up());
        assert!(area.move_up());
        assert_eq!(area.cursor(), (0, 1));
        assert!(!area.move_up());
    }

    #[test]
    fn the_view_scrolls_to_the_caret_and_back() {
        let mut area = TextArea::with_text("1\n2\n3\n4\n5");
        assert_eq!(area.view(4, 2).lines, vec!["4", "5"]);
        for _ in 0..4 {
            area.move_up();
        }
        let v = area.view(4, 2);
        assert_eq!(
            (v.lines, v.cursor),
            (vec!["1".to_string(), "2".to_string()], (1, 0))
        );
    }
}
