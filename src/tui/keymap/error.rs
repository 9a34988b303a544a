//! A keymap problem the user can fix: which file, which line, what is wrong (in both languages).

use std::fmt;

use crate::i18n::Msg;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    /// The file as the user named it, or `keymaps/NAME.toml` for a built-in preset.
    pub file: String,
    /// 1-based; 0 when the problem is the whole file (missing, unreadable, unknown preset name).
    pub line: usize,
    pub msg: Msg,
}

impl KeymapError {
    pub fn new(file: &str, line: usize, msg: Msg) -> Self {
        KeymapError {
            file: file.to_string(),
            line,
            msg,
        }
    }
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.msg)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.msg)
        }
    }
}

impl std::error::Error for KeymapError {}

/// Byte offsets to 1-based line numbers, for TOML spans.
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { starts }
    }

    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based() {
        let lines = Lines::new("a\nbc\n\nd");
        assert_eq!(lines.line(0), 1);
        assert_eq!(lines.line(1), 1);
        assert_eq!(lines.line(2), 2);
        assert_eq!(lines.line(5), 3);
        assert_eq!(lines.line(6), 4);
    }

    #[test]
    fn display_is_file_colon_line() {
        let err = KeymapError::new("k.toml", 3, Msg::new("坏", "bad"));
        assert!(err.to_string().starts_with("k.toml:3: "));
        let whole = KeymapError::new("k.toml", 0, Msg::new("坏", "bad"));
        assert!(whole.to_string().starts_with("k.toml: "));
    }
}
