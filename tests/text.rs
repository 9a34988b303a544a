//! Terminal text (design.md §4): Chinese and emoji widths, truncation and padding that never
//! split a character, grapheme editing in the single- and multi-line widgets, the views those
//! widgets hand the renderer, and the sanitiser every stored string passes before it is shown.

use rectify::text::{
    display_safe, display_safe_multiline, grapheme_count, graphemes, pad, truncate, width,
};
use rectify::tui::widgets::text_area::TextArea;
use rectify::tui::widgets::text_field::TextField;

const LONG: &str = "区财政局预算编制不够细化部分项目支出未细化到具体单位";
const SAMPLES: &[&str] = &[
    "区财政局预算编制不够细化",
    "2022年预算A",
    "a👍b👍🏽c🇨🇳d👨‍👩‍👧e",
    "cafe\u{301}区x",
    "",
];

/// The leading clusters of `s` that take exactly `n` cells: `None` if `n` falls inside one.
fn prefix_of_width(s: &str, n: usize) -> Option<String> {
    let mut out = String::new();
    for g in graphemes(s) {
        if width(&out) == n {
            break;
        }
        out.push_str(g);
    }
    (width(&out) == n).then_some(out)
}

// ---- width ----

#[test]
fn chinese_is_two_cells_and_mixed_text_adds_up() {
    assert_eq!(width("区财政局"), 8);
    assert_eq!(width("2022年预算A"), 11);
    assert_eq!(width("整改率：85%"), 11);
}

#[test]
fn emoji_clusters_are_one_grapheme_and_two_cells() {
    for e in ["👍", "👍🏽", "🇨🇳", "👨‍👩‍👧"] {
        assert_eq!(width(e), 2, "{e}");
        assert_eq!(grapheme_count(e), 1, "{e}");
    }
    assert_eq!(grapheme_count("e\u{301}"), 1);
    assert_eq!(width("e\u{301}"), 1);
}

// ---- truncate and pad ----

#[test]
fn truncate_never_exceeds_the_width_or_splits_a_cluster() {
    for s in SAMPLES {
        let clusters: Vec<&str> = graphemes(s).collect();
        for max in 0..=30 {
            let cut = truncate(s, max);
            assert!(width(&cut) <= max, "{s:?} at {max}: {cut:?}");
            let kept = cut.strip_suffix("..").unwrap_or(&cut);
            let kept: Vec<&str> = graphemes(kept).collect();
            assert_eq!(kept[..], clusters[..kept.len()], "{s:?} at {max}: {cut:?}");
        }
    }
    assert_eq!(truncate("区财政局预算", 7), "区财..");
    assert_eq!(truncate("👍🏽👍🏽👍🏽", 5), "👍🏽..");
}

#[test]
fn pad_gives_exactly_the_width() {
    for s in SAMPLES {
        for cells in 0..=30 {
            assert_eq!(width(&pad(s, cells)), cells, "{s:?} padded to {cells}");
        }
    }
    assert_eq!(pad("财政", 6), "财政  ");
}

// ---- TextField editing ----

#[test]
fn editing_chinese_by_grapheme() {
    let mut f = TextField::new();
    for c in "区财政局".chars() {
        f.insert_char(c);
    }
    f.move_left();
    f.move_left();
    f.delete_back();
    f.insert_str("政府");
    assert_eq!(f.text(), "区政府政局");
    assert_eq!(f.cursor(), 3);
    assert_eq!(f.view(20).cursor_col, 6);
    f.delete_forward();
    assert_eq!(f.text(), "区政府局");
    f.home();
    f.delete_back();
    assert_eq!(f.text(), "区政府局");
    f.end();
    assert_eq!(f.view(20).cursor_col, 8);
}

#[test]
fn editing_mixed_text_and_word_deletion() {
    let mut f = TextField::with_text("2022年预算A");
    assert_eq!(f.cursor(), 8);
    assert_eq!(f.view(20).cursor_col, 11);
    f.delete_word_back();
    assert_eq!(f.text(), "2022年预算");
    f.delete_word_back();
    assert_eq!(f.text(), "2022");
    f.insert_str(" 区财政局，");
    f.delete_word_back();
    assert_eq!(f.text(), "2022 区财政局");
    f.delete_word_back();
    assert_eq!(f.text(), "2022 ");
    f.delete_word_back();
    assert!(f.is_empty());
}

#[test]
fn emoji_and_combining_marks_are_deleted_whole() {
    let mut f = TextField::with_text("赞👍🏽🇨🇳👨‍👩‍👧e\u{301}");
    assert_eq!(f.cursor(), 5);
    f.delete_back();
    assert_eq!(f.text(), "赞👍🏽🇨🇳👨‍👩‍👧");
    f.move_left();
    f.delete_back();
    assert_eq!(f.text(), "赞👍🏽👨‍👩‍👧");
    f.home();
    f.move_right();
    f.delete_forward();
    assert_eq!(f.text(), "赞👨‍👩‍👧");
    assert_eq!(f.view(10).cursor_col, 2);
}

#[test]
fn text_is_kept_in_nfc() {
    let mut f = TextField::new();
    f.insert_char('e');
    f.insert_char('\u{301}');
    assert_eq!(f.text(), "\u{e9}");
    assert_eq!(f.cursor(), 1);
    assert_eq!(TextField::with_text("cafe\u{301}").text(), "caf\u{e9}");
}

#[test]
fn a_single_line_field_never_holds_controls() {
    let mut f = TextField::new();
    f.insert_str("区财政局\r\n预算\t编制\u{1b}[2J\u{7}\n");
    assert_eq!(f.text(), "区财政局 预算 编制[2J");
    f.clear();
    assert!(f.is_empty());
    assert_eq!(f.cursor(), 0);
}

// ---- TextField view ----

#[test]
fn field_view_fits_every_width_with_the_caret_inside() {
    for text in [LONG, "ab区cd财政e局f预算", "👍🏽a🇨🇳b👨‍👩‍👧"] {
        let n = grapheme_count(text);
        for w in 1..=12u16 {
            let mut f = TextField::with_text(text);
            // Walk the caret left to the start and back right to the end.
            let moves = (0..n).map(|_| false).chain((0..n).map(|_| true));
            for right in moves.chain([true]) {
                let v = f.view(w);
                let cells = usize::from(w);
                assert!(width(&v.text) <= cells, "{text:?} w={w}: {:?}", v.text);
                assert!(v.cursor_col < w, "{text:?} w={w}: caret {}", v.cursor_col);
                // What lies left of the caret in the box is the end of the text before it.
                let caret = f.cursor();
                let before: String = graphemes(text).take(caret).collect();
                let shown = prefix_of_width(&v.text, usize::from(v.cursor_col));
                let shown = shown.unwrap_or_else(|| panic!("caret inside a character: {v:?}"));
                assert!(before.ends_with(&shown), "{text:?} w={w}: {v:?}");
                if right {
                    f.move_right();
                } else {
                    f.move_left();
                }
            }
        }
    }
}

#[test]
fn a_wide_character_at_the_edge_leaves_a_blank_cell() {
    let mut f = TextField::with_text("abc区");
    f.home();
    let v = f.view(4);
    assert_eq!(v.text, "abc ");
    assert_eq!(v.cursor_col, 0);
}

#[test]
fn field_view_is_display_safe() {
    let mut f = TextField::with_text("abc\u{202e}def");
    f.home();
    let v = f.view(20);
    assert_eq!(v.text, "abc�def");
    assert_eq!(width(&v.text), 7);
}

// ---- TextArea ----

#[test]
fn up_and_down_keep_the_display_column_across_lines() {
    let mut a = TextArea::with_text("区财政局\nab\n预算编制不够");
    assert_eq!(a.line_count(), 3);
    a.move_up();
    a.move_up();
    a.home();
    for _ in 0..3 {
        a.move_right();
    }
    assert_eq!(a.cursor(), (0, 3));
    a.move_down();
    assert_eq!(a.cursor(), (1, 2), "a short line puts the caret at its end");
    a.move_down();
    assert_eq!(a.cursor(), (2, 3), "the column 6 of the first line is kept");
    assert_eq!(a.view(20, 5).cursor, (6, 2));
    a.move_up();
    a.move_up();
    assert_eq!(a.cursor(), (0, 3));
}

#[test]
fn a_column_inside_a_wide_character_snaps_to_its_start() {
    let mut a = TextArea::with_text("区财\nabc");
    a.home();
    a.move_right();
    a.move_up();
    assert_eq!(a.cursor(), (0, 0));
    a.move_down();
    a.end();
    a.move_up();
    assert_eq!(a.cursor(), (0, 1), "column 3 is inside 财");
}

#[test]
fn a_long_chinese_line_wraps_without_splitting_characters() {
    let line: String = LONG
        .chars()
        .chain("审计整改台账".chars())
        .take(30)
        .collect();
    assert_eq!(line.chars().count(), 30);
    let a = TextArea::with_text(&line);
    let v = a.view(11, 10);
    assert_eq!(v.lines.len(), 6);
    for row in &v.lines {
        assert!(width(row) <= 11, "{row:?}");
        assert_eq!(row.chars().count(), 5, "{row:?}");
    }
    assert_eq!(v.lines.concat(), line);
    assert_eq!(v.cursor, (10, 5));
    let small = a.view(11, 3);
    assert_eq!(small.lines.len(), 3);
    assert_eq!(small.cursor, (10, 2));
}

#[test]
fn wrapped_views_fit_any_box() {
    let a = TextArea::with_text("2022年预算A👍🏽🇨🇳\n\n区财政局预算编制不够细化e\u{301}x");
    for w in 1..=14u16 {
        for h in 1..=6u16 {
            let v = a.view(w, h);
            assert!(v.lines.len() <= usize::from(h));
            assert!(
                v.lines.iter().all(|l| width(l) <= usize::from(w)),
                "{w}x{h}: {v:?}"
            );
            assert!(v.cursor.0 < w && v.cursor.1 < h, "{w}x{h}: {v:?}");
        }
    }
}

#[test]
fn delete_back_at_column_zero_joins_lines() {
    let mut a = TextArea::with_text("区财\n政局");
    a.home();
    a.delete_back();
    assert_eq!(a.text(), "区财政局");
    assert_eq!(a.cursor(), (0, 2));
    assert_eq!(a.line_count(), 1);
    a.newline();
    assert_eq!(a.text(), "区财\n政局");
    a.move_up();
    a.end();
    a.delete_forward();
    assert_eq!(a.text(), "区财政局");
    a.delete_word_back();
    assert_eq!(a.text(), "政局");
}

#[test]
fn area_paste_keeps_lines_and_drops_controls() {
    let mut a = TextArea::new();
    a.insert_str("问题：\r\n\t预算\u{1b}[31m未细化\r1\u{7}");
    assert_eq!(a.text(), "问题：\n    预算[31m未细化\n1");
    assert_eq!(a.cursor(), (2, 1));
    a.clear();
    assert_eq!(a.text(), "");
    assert_eq!(a.line_count(), 1);
}

// ---- the sanitiser ----

const PAYLOADS: &[(&str, &str)] = &[
    ("\x1b[2J", "[2J"),
    ("\x1b]52;c;aGVsbG8=\x07", "52;c;aGVsbG8="),
    ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),
    ("\x1bPq#0;2;0;0;0\x1b\\", "q#0;2"),
    ("\u{9b}31m", "31m"),
    ("\u{9d}0;title\u{9c}", "0;title"),
    ("abc\u{202e}def", "def"),
    ("\u{2066}x\u{2069}\u{200e}\u{200f}\u{61c}y", "y"),
    ("\u{7}\u{8}\r\u{7f}ok", "ok"),
];

fn assert_harmless(shown: &str, readable: &str) {
    let bad = |c: char| {
        matches!(c,
            '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
            | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            | '\u{200e}' | '\u{200f}' | '\u{61c}')
    };
    assert!(!shown.chars().any(bad), "{shown:?}");
    assert!(shown.contains(readable), "{shown:?} lost {readable:?}");
}

#[test]
fn escape_sequences_become_readable_text() {
    for (payload, readable) in PAYLOADS {
        let shown = display_safe(payload);
        assert_harmless(&shown, readable);
        assert!(!shown.contains('\n') && !shown.contains('\t'));
        assert_harmless(&display_safe_multiline(payload), readable);
    }
    assert_eq!(display_safe("\x1b[2J"), "␛[2J");
    assert_eq!(display_safe("a\nb"), "a↵b");
}

#[test]
fn widgets_show_payloads_harmlessly() {
    for (payload, readable) in PAYLOADS {
        let mut f = TextField::with_text(payload);
        f.home();
        assert_harmless(&f.view(60).text, readable);
        let a = TextArea::with_text(payload);
        assert_harmless(&a.view(60, 4).lines.concat(), readable);
    }
}
