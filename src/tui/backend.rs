//! A crossterm backend that knows where the cursor is after a Chinese character.
//!
//! ratatui's `CrosstermBackend::draw` assumes every symbol advances the cursor one column, so
//! it sends a cursor move (`ESC[row;colH`, 6-10 bytes) before any cell that is not right after
//! the previous one. After a wide character (汉字, `，`) the next cell is two columns on, so a
//! line of Chinese costs a move per character: about twice the bytes it needs, which users
//! over SSH on slow intranet links pay every frame. This backend draws the same cells with the
//! same styles, but counts two columns for a wide character when it is sure the terminal does
//! too, and so leaves the move out. Everything else is delegated to `CrosstermBackend`.

use ratatui::backend::{Backend, ClearType, CrosstermBackend, IntoCrossterm, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::cursor::MoveTo;
use ratatui::crossterm::queue;
use ratatui::crossterm::style::{
    Attribute, Color as CtColor, Colors, Print, SetAttribute, SetBackgroundColor, SetColors,
    SetForegroundColor, SetUnderlineColor,
};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use std::io::{self, Write};
use std::ops::RangeInclusive;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `CrosstermBackend` with a `draw` that does not move the cursor where it already is.
///
/// Generic over the writer so the tests can draw into a `Vec<u8>`. If ratatui's
/// `scrolling-regions` feature is ever enabled, the two scroll methods must be delegated too
/// (the build says so: they have no default).
pub struct WideCharBackend<W: Write> {
    inner: CrosstermBackend<W>,
}

impl<W: Write> WideCharBackend<W> {
    pub fn new(writer: W) -> Self {
        WideCharBackend {
            inner: CrosstermBackend::new(writer),
        }
    }
}

/// Characters every terminal draws two columns wide: those that have been wide in every
/// Unicode version and every width table, i.e. the wide characters of the blocks Chinese text
/// is written in, as assigned by Unicode 3.2 (2002) at the latest. They are also inside the
/// wide ranges of Markus Kuhn's `wcwidth.c`, the table most terminals' widths descend from.
/// `column_after` also asks unicode-width (current Unicode, which ratatui lays out with) for 2,
/// which leaves out the combining marks in 302A-302F.
///
/// Left out on purpose, so they keep their cursor move (a few bytes, for characters that are
/// rare in a ledger): emoji (their width changed with Unicode 9 and terminals still differ);
/// characters assigned later, which a terminal with an older table may draw one column wide
/// (Unicode 16 made the Yijing hexagrams ䷀ wide; 鿿 arrived in Unicode 14); ambiguous-width
/// characters (①, ※, Greek: one or two columns depending on the locale; unicode-width says one,
/// and they take the narrow path below exactly as ratatui does); and kana, Hangul, the rare
/// ideographs of extension B and beyond, which are stable but seldom in a Chinese ledger.
const SETTLED_WIDE: [RangeInclusive<char>; 6] = [
    '\u{3000}'..='\u{303E}', // CJK symbols and punctuation: 、。《》「」【】〔〕
    '\u{3400}'..='\u{4DB5}', // extension A (Unicode 3.0)
    '\u{4E00}'..='\u{9FA5}', // the unified ideographs of Unicode 1.1: GB 2312, nearly all of GBK
    '\u{F900}'..='\u{FA2D}', // compatibility ideographs (Unicode 1.1)
    '\u{FF01}'..='\u{FF60}', // fullwidth forms: ，：；（）！？
    '\u{FFE0}'..='\u{FFE6}', // fullwidth signs: ￥
];

/// The column the terminal's cursor is at after printing `symbol` at column `x`, when we can
/// be sure of it; `None` makes the next cell move the cursor explicitly.
fn column_after(symbol: &str, x: u16) -> Option<u16> {
    let mut chars = symbol.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.width() == Some(2)
        && SETTLED_WIDE.iter().any(|range| range.contains(&c))
    {
        return x.checked_add(2);
    }
    // Everything else advances one column, as ratatui assumes for every symbol, but only when
    // unicode-width agrees. Not for a wide symbol we do not trust (emoji, a ZWJ sequence), nor
    // for a zero-width one (an empty symbol prints nothing; a lone combining mark joins the
    // cell before): there ratatui's guess is wrong whatever the terminal does.
    (symbol.width() == 1).then(|| x.checked_add(1)).flatten()
}

impl<W: Write> Backend for WideCharBackend<W> {
    type Error = io::Error;

    /// ratatui's draw, but with the cursor's real column tracked (see the module comment).
    /// Styles are sent as ratatui sends them, as differences from the previous cell, and reset
    /// at the end, so the bytes differ from `CrosstermBackend`'s only in cursor moves: none
    /// after a settled wide character, one more after a symbol whose width is in doubt.
    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let w = &mut self.inner;
        let (mut fg, mut bg, mut underline) = (Color::Reset, Color::Reset, Color::Reset);
        let mut modifier = Modifier::empty();
        // Where the cursor is, when we know. Not known at the start: anything may have moved
        // it since the last frame.
        let mut cursor: Option<Position> = None;
        for (x, y, cell) in content {
            if cursor != Some(Position { x, y }) {
                queue!(w, MoveTo(x, y))?;
            }
            if cell.modifier != modifier {
                queue_modifier_diff(w, modifier, cell.modifier)?;
                modifier = cell.modifier;
            }
            if cell.fg != fg || cell.bg != bg {
                let colors = Colors::new(cell.fg.into_crossterm(), cell.bg.into_crossterm());
                queue!(w, SetColors(colors))?;
                (fg, bg) = (cell.fg, cell.bg);
            }
            // ratatui's `underline-color` feature is on in our build (a default feature of both
            // ratatui and ratatui-crossterm), so the original sends underline colours too.
            if cell.underline_color != underline {
                queue!(w, SetUnderlineColor(cell.underline_color.into_crossterm()))?;
                underline = cell.underline_color;
            }
            queue!(w, Print(cell.symbol()))?;
            cursor = column_after(cell.symbol(), x).map(|x| Position { x, y });
        }
        // Leave the terminal's pen as we found it, for whoever writes next (e.g. a panic).
        queue!(
            w,
            SetForegroundColor(CtColor::Reset),
            SetBackgroundColor(CtColor::Reset),
            SetUnderlineColor(CtColor::Reset),
            SetAttribute(Attribute::Reset),
        )
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// `execute!(terminal.backend_mut(), …)` (synchronized output) writes straight through.
impl<W: Write> Write for WideCharBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

/// The SGR attributes that take a cell's modifiers from `from` to `to`, in ratatui's order (so
/// the bytes match `CrosstermBackend`'s). Bold and dim share one "normal intensity" reset, so
/// removing either resets both and re-adds whichever stays. Like ratatui, removing one kind of
/// blink clears both and does not re-add the other; nothing here blinks.
fn queue_modifier_diff(w: &mut impl Write, from: Modifier, to: Modifier) -> io::Result<()> {
    let (removed, added) = (from - to, to - from);
    let reset_intensity = removed.intersects(Modifier::BOLD | Modifier::DIM);
    let steps = [
        (removed.contains(Modifier::REVERSED), Attribute::NoReverse),
        (reset_intensity, Attribute::NormalIntensity),
        (
            reset_intensity && to.contains(Modifier::DIM),
            Attribute::Dim,
        ),
        (
            reset_intensity && to.contains(Modifier::BOLD),
            Attribute::Bold,
        ),
        (removed.contains(Modifier::ITALIC), Attribute::NoItalic),
        (
            removed.contains(Modifier::UNDERLINED),
            Attribute::NoUnderline,
        ),
        (
            removed.contains(Modifier::CROSSED_OUT),
            Attribute::NotCrossedOut,
        ),
        (removed.contains(Modifier::HIDDEN), Attribute::NoHidden),
        (
            removed.intersects(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK),
            Attribute::NoBlink,
        ),
        (added.contains(Modifier::REVERSED), Attribute::Reverse),
        (
            added.contains(Modifier::BOLD) && !reset_intensity,
            Attribute::Bold,
        ),
        (added.contains(Modifier::ITALIC), Attribute::Italic),
        (added.contains(Modifier::UNDERLINED), Attribute::Underlined),
        (
            added.contains(Modifier::DIM) && !reset_intensity,
            Attribute::Dim,
        ),
        (added.contains(Modifier::CROSSED_OUT), Attribute::CrossedOut),
        (added.contains(Modifier::HIDDEN), Attribute::Hidden),
        (added.contains(Modifier::SLOW_BLINK), Attribute::SlowBlink),
        (added.contains(Modifier::RAPID_BLINK), Attribute::RapidBlink),
    ];
    for (on, attribute) in steps {
        if on {
            queue!(w, SetAttribute(attribute))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    /// What this backend sends for `cells`, each `(x, y, symbol)` in the default style.
    fn ours(cells: &[(u16, u16, &str)]) -> Vec<u8> {
        let cells: Vec<(u16, u16, Cell)> = cells
            .iter()
            .map(|&(x, y, s)| (x, y, Cell::new("").set_symbol(s).clone()))
            .collect();
        draw_ours(cells.iter().map(|(x, y, c)| (*x, *y, c)))
    }

    fn draw_ours<'a>(cells: impl Iterator<Item = (u16, u16, &'a Cell)>) -> Vec<u8> {
        let mut out = Vec::new();
        WideCharBackend::new(&mut out).draw(cells).unwrap();
        out
    }

    fn draw_ratatuis<'a>(cells: impl Iterator<Item = (u16, u16, &'a Cell)>) -> Vec<u8> {
        let mut out = Vec::new();
        CrosstermBackend::new(&mut out).draw(cells).unwrap();
        out
    }

    /// Splits terminal output into escape sequences (`ESC [ … final`) and printed chars.
    fn tokens(bytes: &[u8]) -> Vec<String> {
        let text = std::str::from_utf8(bytes).unwrap();
        let mut out = Vec::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            let mut token = c.to_string();
            if c == '\x1b' {
                for c in chars.by_ref() {
                    token.push(c);
                    if token.len() > 2 && ('\x40'..='\x7e').contains(&c) {
                        break;
                    }
                }
            }
            out.push(token);
        }
        out
    }

    /// The cursor moves in terminal output, as 0-based (x, y).
    fn moves(bytes: &[u8]) -> Vec<(u16, u16)> {
        tokens(bytes)
            .iter()
            .filter_map(|t| {
                t.strip_prefix("\x1b[")?
                    .strip_suffix('H')
                    .map(str::to_owned)
            })
            .map(|t| {
                let (row, col) = t.split_once(';').unwrap();
                (
                    col.parse::<u16>().unwrap() - 1,
                    row.parse::<u16>().unwrap() - 1,
                )
            })
            .collect()
    }

    fn without_moves(bytes: &[u8]) -> Vec<String> {
        let mut t = tokens(bytes);
        t.retain(|t| !(t.starts_with("\x1b[") && t.ends_with('H')));
        t
    }

    /// What the output prints, escapes left out.
    fn printed(bytes: &[u8]) -> String {
        tokens(bytes)
            .into_iter()
            .filter(|t| !t.starts_with('\x1b'))
            .collect()
    }

    #[test]
    fn a_chinese_row_moves_the_cursor_once() {
        let row = [(3, 2, "审"), (5, 2, "计"), (7, 2, "整"), (9, 2, "改")];
        let out = ours(&row);
        assert_eq!(moves(&out), [(3, 2)]);
        assert_eq!(printed(&out), "审计整改");
        // What this saves: ratatui moves before every character.
        let cells: Vec<(u16, u16, Cell)> =
            row.iter().map(|&(x, y, s)| (x, y, Cell::new(s))).collect();
        let theirs = draw_ratatuis(cells.iter().map(|(x, y, c)| (*x, *y, c)));
        assert_eq!(moves(&theirs).len(), 4);
        assert_eq!(without_moves(&out), without_moves(&theirs));
    }

    #[test]
    fn fullwidth_punctuation_and_a_narrow_char_after_a_wide_one_need_no_move() {
        let out = ours(&[
            (0, 0, "审"),
            (2, 0, "，"),
            (4, 0, "a"),
            (5, 0, "。"),
            (7, 0, "b"),
        ]);
        assert_eq!(moves(&out), [(0, 0)]);
        assert_eq!(printed(&out), "审，a。b");
    }

    #[test]
    fn a_skipped_cell_still_moves_the_cursor() {
        assert_eq!(
            moves(&ours(&[(0, 0, "审"), (3, 0, "计")])),
            [(0, 0), (3, 0)]
        );
        assert_eq!(moves(&ours(&[(0, 0, "a"), (2, 0, "b")])), [(0, 0), (2, 0)]);
        // Right after a wide character in the column, but on the next row.
        assert_eq!(
            moves(&ours(&[(0, 0, "审"), (2, 1, "计")])),
            [(0, 0), (2, 1)]
        );
        // One column on, where the terminal's cursor is not.
        assert_eq!(moves(&ours(&[(0, 0, "审"), (1, 0, "a")])), [(0, 0), (1, 0)]);
    }

    #[test]
    fn symbols_whose_width_terminals_disagree_on_keep_the_move() {
        // Emoji (narrow before Unicode 9), a VS16 sequence, a skin tone, a ZWJ family,
        // ambiguous ① and ※ (two columns in CJK locales), a combining sequence, halfwidth kana
        // with a sound mark (ratatui counts three columns), the mark alone, an empty symbol.
        let doubtful = [
            "😀",
            "⌚",
            "❤\u{fe0f}",
            "👍🏽",
            "👨\u{200d}👩\u{200d}👧",
            "①",
            "※",
            "e\u{301}",
            "ｶﾞ",
            "\u{ff9e}",
            "",
        ];
        for symbol in doubtful {
            let out = ours(&[(0, 0, symbol), (2, 0, "a")]);
            assert_eq!(moves(&out), [(0, 0), (2, 0)], "{symbol:?}");
        }
        // Wide in unicode-width, but not in every terminal's table: kept out of SETTLED_WIDE.
        for symbol in ["䷀", "鿿", "𠀀", "ぁ", "가"] {
            let out = ours(&[(0, 0, symbol), (2, 0, "a")]);
            assert_eq!(moves(&out), [(0, 0), (2, 0)], "{symbol:?}");
        }
        // Where unicode-width does not say one column, not even the next column is trusted.
        for symbol in ["😀", "❤\u{fe0f}", "👍🏽", "ｶﾞ", ""] {
            let out = ours(&[(0, 0, symbol), (1, 0, "a")]);
            assert_eq!(moves(&out), [(0, 0), (1, 0)], "{symbol:?}");
        }
        // Narrow ones advance one column, as ratatui assumes: box drawing is ambiguous too,
        // and a move before every border character would cost more than it saves.
        assert_eq!(
            moves(&ours(&[(0, 0, "─"), (1, 0, "①"), (2, 0, "a")])),
            [(0, 0)]
        );
    }

    #[test]
    fn styles_and_resets_are_ratatuis_byte_for_byte() {
        let styles = [
            Style::new().red().on_blue().bold(),
            Style::new().red().on_blue().dim().italic(),
            Style::new()
                .yellow()
                .underlined()
                .underline_color(Color::Green),
            Style::new().reversed().crossed_out().hidden().slow_blink(),
            Style::new().rapid_blink().bold().dim(),
            Style::new(),
        ];
        let mut buf = Buffer::empty(Rect::new(0, 0, 40, 2));
        for (i, style) in styles.iter().enumerate() {
            buf.set_string(i as u16 * 3, 0, "a审", *style);
            buf.set_string(i as u16 * 3, 1, "bc", *style);
        }
        let diff = Buffer::empty(buf.area).diff(&buf);
        let (out, theirs) = (
            draw_ours(diff.iter().copied()),
            draw_ratatuis(diff.iter().copied()),
        );
        assert_eq!(without_moves(&out), without_moves(&theirs));
        assert!(moves(&out).len() < moves(&theirs).len());
    }

    const W: u16 = 12;
    const H: u16 = 3;

    /// A screen as a terminal keeps it: a wide character's right half is "".
    fn emulate(screen: &mut [Vec<String>], bytes: &[u8]) {
        let (mut x, mut y) = (0usize, 0usize);
        for t in tokens(bytes) {
            if let Some(pos) = t.strip_prefix("\x1b[").and_then(|t| t.strip_suffix('H')) {
                let (row, col) = pos.split_once(';').unwrap();
                (x, y) = (
                    col.parse::<usize>().unwrap() - 1,
                    row.parse::<usize>().unwrap() - 1,
                );
            } else if !t.starts_with('\x1b') {
                let width = t.width();
                assert!(x + width <= W as usize, "printed past the edge");
                let row = &mut screen[y];
                // Overwriting either half of a wide character erases it.
                for c in x..x + width {
                    if row[c].is_empty() {
                        row[c - 1] = " ".into();
                    }
                    if row[c].width() == 2 {
                        row[c + 1] = " ".into();
                    }
                }
                row[x] = t;
                if width == 2 {
                    row[x + 1] = String::new();
                }
                x += width;
            }
        }
    }

    fn text(screen: &[Vec<String>]) -> Vec<String> {
        screen.iter().map(|row| row.concat()).collect()
    }

    fn buffer_text(buf: &Buffer) -> Vec<String> {
        (0..H)
            .map(|y| {
                let (mut x, mut line) = (0, String::new());
                while x < W {
                    let symbol = buf[(x, y)].symbol();
                    line.push_str(symbol);
                    x += symbol.width().max(1) as u16;
                }
                line
            })
            .collect()
    }

    /// A frame laid out as widgets do: runs of narrow and wide characters in a few styles,
    /// with untouched cells between them.
    fn frame() -> impl Strategy<Value = Buffer> {
        let symbol = prop::sample::select(vec!["a", "7", " ", "─", "│", "审", "计", "，", "。"]);
        let style = prop::sample::select(vec![
            Style::new(),
            Style::new().bold(),
            Style::new().red().on_blue(),
            Style::new().reversed().underlined(),
        ]);
        let run = (0..3u16, prop::collection::vec(symbol, 0..6), style);
        prop::collection::vec(prop::collection::vec(run, 0..4), H as usize).prop_map(|rows| {
            let mut buf = Buffer::empty(Rect::new(0, 0, W, H));
            for (y, runs) in rows.into_iter().enumerate() {
                let mut x = 0;
                for (gap, symbols, style) in runs {
                    x += gap;
                    for s in symbols {
                        if x + s.width() as u16 > W {
                            break;
                        }
                        buf.set_string(x, y as u16, s, style);
                        x += s.width() as u16;
                    }
                }
            }
            buf
        })
    }

    proptest! {
        /// Going from any frame to any other, the bytes are ratatui's without some moves, and
        /// a terminal shown them ends up with the new frame.
        #[test]
        fn only_redundant_moves_are_left_out(prev in frame(), next in frame()) {
            let blank = vec![vec![" ".to_string(); W as usize]; H as usize];
            let first = Buffer::empty(prev.area).diff(&prev);
            let mut screen = blank.clone();
            emulate(&mut screen, &draw_ratatuis(first.iter().copied()));
            prop_assert_eq!(text(&screen), buffer_text(&prev));

            let diff = prev.diff(&next);
            let (out, theirs) = (
                draw_ours(diff.iter().copied()),
                draw_ratatuis(diff.iter().copied()),
            );
            prop_assert_eq!(without_moves(&out), without_moves(&theirs));
            prop_assert!(out.len() <= theirs.len());
            emulate(&mut screen, &out);
            prop_assert_eq!(text(&screen), buffer_text(&next));
        }
    }
}
