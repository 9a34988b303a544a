//! Splitting a filter expression into terms.
//!
//! Terms are separated by whitespace (including the ideographic space U+3000 an IME types).
//! Quotes group: `"预算 编制"`, `“预算 编制”` and `「预算 编制」` are one term, and the quoted
//! characters are marked so that the parser never reads a key, `+`, `-` or an operator out of
//! them. Positions are char offsets into the input, for error spans the TUI can highlight.

use crate::i18n::Msg;

/// One character of a term, with where it came from.
#[derive(Debug, Clone, Copy)]
pub(super) struct TChar {
    pub c: char,
    pub pos: usize,
    pub quoted: bool,
}

/// A whitespace-separated term; `start..end` spans it in the input, quotes included.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub chars: Vec<TChar>,
    pub start: usize,
    pub end: usize,
}

/// A lexing error: the message and its char span.
pub(super) type LexError = (Msg, usize, usize);

fn closing(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '“' => Some('”'),
        '「' => Some('」'),
        '＂' => Some('＂'),
        _ => None,
    }
}

pub(super) fn lex(input: &[char]) -> Result<Vec<Token>, LexError> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < input.len() {
        if input[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut chars = Vec::new();
        while i < input.len() && !input[i].is_whitespace() {
            let c = input[i];
            let Some(close) = closing(c) else {
                chars.push(TChar {
                    c,
                    pos: i,
                    quoted: false,
                });
                i += 1;
                continue;
            };
            let open = i;
            let Some(len) = input[open + 1..].iter().position(|x| *x == close) else {
                return Err((
                    Msg::new(
                        format!("引号未闭合：缺少结尾的 {close}"),
                        format!("unclosed quote: the closing {close} is missing"),
                    ),
                    open,
                    input.len(),
                ));
            };
            let end = open + 1 + len;
            chars.extend((open + 1..end).map(|pos| TChar {
                c: input[pos],
                pos,
                quoted: true,
            }));
            i = end + 1;
        }
        if chars.is_empty() {
            return Err((Msg::new("引号内没有内容", "the quotes are empty"), start, i));
        }
        tokens.push(Token {
            chars,
            start,
            end: i,
        });
    }
    Ok(tokens)
}

impl Token {
    /// The characters from index `from` on, as text.
    pub fn text_from(&self, from: usize) -> String {
        self.chars.iter().skip(from).map(|t| t.c).collect()
    }

    /// The char offset in the input where the token's character `index` sits (the token's end
    /// when `index` is past its last character).
    pub fn pos(&self, index: usize) -> usize {
        self.chars.get(index).map_or(self.end, |t| t.pos)
    }

    /// Whether the character at `index` is a bare (unquoted) `c`.
    pub fn bare_is(&self, index: usize, accept: &[char]) -> bool {
        self.chars
            .get(index)
            .is_some_and(|t| !t.quoted && accept.contains(&t.c))
    }
}
