//! Text matching for words and `单位:` / `项目:` values: case-insensitive for letters,
//! full-width ASCII equal to half-width (an IME in full-width mode types `ＣＺ`), and plain
//! substring for Chinese.

/// A search text, folded once when the filter is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Needle {
    chars: Vec<char>,
    text: String,
    /// No character that folding could change or produce (Chinese text): `str::contains` on
    /// the raw haystack gives the same answer, much faster.
    plain: bool,
}

impl Needle {
    pub fn new(text: &str) -> Needle {
        let chars: Vec<char> = text.chars().map(fold_char).collect();
        let plain = chars
            .iter()
            .all(|c| !c.is_ascii() && !c.is_lowercase() && !c.is_uppercase());
        Needle {
            text: chars.iter().collect(),
            chars,
            plain,
        }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether `hay` contains the needle.
    pub fn in_text(&self, hay: &str) -> bool {
        if self.plain {
            return hay.contains(&self.text);
        }
        let Some(&first) = self.chars.first() else {
            return true;
        };
        hay.char_indices().any(|(i, c)| {
            fold_char(c) == first
                && hay[i..]
                    .chars()
                    .map(fold_char)
                    .take(self.chars.len())
                    .eq(self.chars.iter().copied())
        })
    }

    /// Whether the needle's characters appear in `hay` in order, gaps allowed
    /// (`预算细化` in `预算编制不够细化`).
    pub fn in_order(&self, hay: &str) -> bool {
        let mut want = self.chars.iter().peekable();
        for c in hay.chars().map(fold_char) {
            if want.peek() == Some(&&c) {
                want.next();
            }
        }
        want.peek().is_none()
    }
}

fn fold_char(c: char) -> char {
    match c {
        _ if c.is_ascii() => c.to_ascii_lowercase(),
        '\u{FF01}'..='\u{FF5E}' => {
            char::from_u32(c as u32 - 0xFEE0).map_or(c, |a| a.to_ascii_lowercase())
        }
        '\u{3000}' => ' ',
        // CJK, kana and hangul have no case: skip the Unicode case tables for the bulk of
        // Chinese text (this runs once per character of every fact searched).
        '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' => c,
        _ => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Needle;

    #[test]
    fn folds_case_and_width() {
        assert!(Needle::new("czj").in_text("区CZJ局"));
        assert!(Needle::new("ＣＺ").in_text("cz"));
        assert!(Needle::new("财政").in_text("区财政局"));
        assert!(!Needle::new("财政局").in_text("区财政"));
        assert!(Needle::new("").in_text("任何"));
        assert!(Needle::new("预算细化").in_order("预算编制不够细化"));
        assert!(!Needle::new("细化预算").in_order("预算编制不够细化"));
    }
}
