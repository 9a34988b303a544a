//! Pinyin match keys: how a typed `caizheng`, `czj` or `caiz` finds 财政 / 区财政局.
//!
//! Every distinct character of the indexed text gets a small *class* id (`u16`) whose entry
//! holds all of the character's plain readings, taken from the `pinyin` crate's multi-reading
//! (heteronym) table, so 重 is both `zhong` and `chong`, 行 both `xing` and `hang`, 会 both
//! `hui` and `kuai`. A text is stored once as its list of class ids.
//!
//! Why not store key strings (`caizhengju`, `czj`, …)? A title of 30 characters with three
//! polyphonic ones already has 8 full-pinyin variants and 8 initials variants, and mixed forms
//! (`caizj`) multiply further. Instead a query term is matched against the per-character
//! reading sets by a small automaton (`find_run`): a run of consecutive characters matches when
//! each character consumes a non-empty prefix of one of its readings (the whole reading, or just
//! its initial, or — for the character being typed — any prefix), in order, so that the
//! characters together spell the term. The state is a bitset over positions in the term, so the
//! cost is linear in the text and never explodes, whatever the number of readings.
//!
//! ASCII letters and digits read as themselves (lowercased; full-width forms fold to ASCII), a
//! non-ASCII character in the term must equal the text's character, and punctuation or spaces
//! in the text may be skipped inside a run (`2022000301` finds `2022-0003-01`).

use pinyin::ToPinyinMulti;
use std::collections::HashMap;

/// A character's id in a `Syllables` table.
pub type Class = u16;

/// The class of characters the table had no room for: matches nothing but is skipped like a
/// separator. (65,535 distinct characters is far beyond any ledger.)
pub const NO_CLASS: Class = 0;

/// Terms longer than this are left to the exact and fuzzy matchers (the automaton's state is
/// one `u64`).
pub const MAX_ATOMS: usize = 63;

/// The bit of an ASCII letter or digit in a letters mask: `a`–`z` are 0–25, `0`–`9` 26–35.
pub fn letter_bit(b: u8) -> u64 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'0'..=b'9' => 1 << (26 + b - b'0'),
        _ => 0,
    }
}

/// Fold a character for matching without changing the number of characters (so indices into
/// the folded text are indices into the original): ASCII to lower case, full-width ASCII forms
/// (typed with the IME on) to ASCII, the ideographic space to a space.
pub fn fold(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        '\u{FF01}'..='\u{FF5E}' => {
            char::from_u32(c as u32 - 0xFF01 + 0x21).map_or(c, |a| a.to_ascii_lowercase())
        }
        '\u{3000}' => ' ',
        _ => c,
    }
}

pub fn fold_str(text: &str) -> String {
    text.chars().map(fold).collect()
}

/// Every plain reading of a character, deduplicated, lower-case ASCII. `ü` is given both as
/// `v` (what pinyin input methods type) and `u`.
pub fn readings(c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(multi) = c.to_pinyin_multi() else {
        return out;
    };
    for reading in multi {
        let plain = reading.plain();
        let variants = if plain.contains('ü') {
            vec![plain.replace('ü', "v"), plain.replace('ü', "u")]
        } else {
            vec![plain.replace('ê', "e")]
        };
        for v in variants {
            if !v.is_empty() && v.bytes().all(|b| b.is_ascii_lowercase()) && !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// A cheap summary of a text, for rejecting it before any matching: which letters its readings
/// contain, which letters its readings start with, and (hashed) which characters it contains.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sig {
    /// Letters and digits occurring anywhere in any reading.
    pub letters: u64,
    /// Letters and digits that begin a reading.
    pub initials: u64,
    /// The text's characters: ASCII ones by value, others hashed into 128 bits (two words,
    /// not a `u128`: its 16-byte alignment padded every index entry by 24 bytes).
    pub ascii: u64,
    pub other: [u64; 2],
}

impl Sig {
    pub fn add_char(&mut self, c: char) {
        if c.is_ascii() {
            self.ascii |= 1 << (c as u32 % 64);
        } else {
            let bit = (c as u32).wrapping_mul(0x9E37_79B1) >> 25;
            self.other[(bit >> 6) as usize & 1] |= 1 << (bit & 63);
        }
    }

    /// Whether `self` (a term's) can be inside `field`.
    pub fn chars_within(&self, field: &Sig) -> bool {
        self.ascii & !field.ascii == 0
            && self.other[0] & !field.other[0] == 0
            && self.other[1] & !field.other[1] == 0
    }
}

struct ClassInfo {
    ch: char,
    readings: Vec<Box<[u8]>>,
    /// Punctuation, spaces and symbols: no reading, skippable inside a run.
    sep: bool,
    letters: u64,
}

/// The class table: characters to ids, ids to readings. Built while indexing; read-only while
/// searching, so threads share it.
pub struct Syllables {
    /// Direct map of the Basic Multilingual Plane (where every common Chinese character is);
    /// 0 means "not interned yet".
    bmp: Vec<Class>,
    other: HashMap<char, Class>,
    classes: Vec<ClassInfo>,
    /// `initials` mask per class, kept apart so the scan for a run's start touches one word
    /// per character.
    initials: Vec<u64>,
}

impl Default for Syllables {
    fn default() -> Self {
        Syllables::new()
    }
}

impl Syllables {
    pub fn new() -> Syllables {
        Syllables {
            bmp: vec![NO_CLASS; 0x1_0000],
            other: HashMap::new(),
            classes: vec![ClassInfo {
                ch: '\0',
                readings: Vec::new(),
                sep: true,
                letters: 0,
            }],
            initials: vec![0],
        }
    }

    /// Rebuild a table from its characters in class order (what `chars` gave).
    pub fn from_chars(chars: impl IntoIterator<Item = char>) -> Syllables {
        let mut table = Syllables::new();
        for c in chars {
            table.intern(c);
        }
        table
    }

    /// The interned characters in class order.
    pub fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.classes.iter().skip(1).map(|c| c.ch)
    }

    /// The class of an (already folded) character, interning it if new.
    pub fn intern(&mut self, c: char) -> Class {
        if let Some(id) = self.get(c) {
            return id;
        }
        let Ok(id) = Class::try_from(self.classes.len()) else {
            return NO_CLASS;
        };
        let readings: Vec<String> = if c.is_ascii_alphanumeric() {
            vec![c.to_ascii_lowercase().to_string()]
        } else {
            readings(c)
        };
        let letters = readings
            .iter()
            .flat_map(|r| r.bytes())
            .fold(0, |m, b| m | letter_bit(b));
        let initials = readings
            .iter()
            .filter_map(|r| r.bytes().next())
            .fold(0, |m, b| m | letter_bit(b));
        self.classes.push(ClassInfo {
            ch: c,
            sep: readings.is_empty() && !c.is_alphanumeric(),
            readings: readings
                .into_iter()
                .map(|r| r.into_bytes().into_boxed_slice())
                .collect(),
            letters,
        });
        self.initials.push(initials);
        match self.bmp.get_mut(c as usize) {
            Some(slot) => *slot = id,
            None => {
                self.other.insert(c, id);
            }
        }
        id
    }

    /// The class of an (already folded) character, if the table has it.
    pub fn get(&self, c: char) -> Option<Class> {
        match self.bmp.get(c as usize) {
            Some(&id) => (id != NO_CLASS).then_some(id),
            None => self.other.get(&c).copied(),
        }
    }

    /// Write the (folded) text of `classes` into `out`, one character per class, so character
    /// indices into `out` are indices into `classes`.
    pub fn spell(&self, classes: &[Class], out: &mut String) {
        out.clear();
        out.extend(
            classes
                .iter()
                .map(|&id| match self.classes.get(id as usize) {
                    Some(info) if id != NO_CLASS => info.ch,
                    _ => char::REPLACEMENT_CHARACTER,
                }),
        );
    }

    pub fn is_sep(&self, class: Class) -> bool {
        self.classes.get(class as usize).is_none_or(|c| c.sep)
    }

    /// Append the classes of (already folded) `text` to `out` and return its summary.
    pub fn encode(&mut self, text: &str, out: &mut Vec<Class>) -> Sig {
        let mut sig = Sig::default();
        for c in text.chars() {
            let id = self.intern(c);
            out.push(id);
            sig.add_char(c);
            if let Some(info) = self.classes.get(id as usize) {
                sig.letters |= info.letters;
            }
            sig.initials |= self.initials.get(id as usize).copied().unwrap_or(0);
        }
        sig
    }

    /// The summary of stored classes (when loading an index, instead of re-reading text).
    pub fn sig_of(&self, classes: &[Class]) -> Sig {
        let mut sig = Sig::default();
        for &id in classes {
            if let Some(info) = self.classes.get(id as usize) {
                sig.letters |= info.letters;
                if id != NO_CLASS {
                    sig.add_char(info.ch);
                }
            }
            sig.initials |= self.initials.get(id as usize).copied().unwrap_or(0);
        }
        sig
    }

    /// The first run of characters in `classes` that spells `pattern` (see the module notes):
    /// the earliest start, and from it the shortest run.
    pub fn find_run(&self, classes: &[Class], pattern: &Pattern) -> Option<Run> {
        let m = pattern.atoms.len();
        if m == 0 || m > MAX_ATOMS || pattern.impossible {
            return None;
        }
        let accept = 1u64 << m;
        for start in 0..classes.len() {
            if !self.can_start(classes[start], pattern) {
                continue;
            }
            let mut states = 1u64;
            for (j, &class) in classes.iter().enumerate().skip(start) {
                let mut next = 0u64;
                let mut rest = states;
                while rest != 0 {
                    let k = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    next |= self.step(class, pattern, k);
                }
                if j > start && self.is_sep(class) {
                    next |= states;
                }
                if next & accept != 0 {
                    return Some(Run { start, end: j + 1 });
                }
                if next == 0 {
                    break;
                }
                states = next;
            }
        }
        None
    }

    fn can_start(&self, class: Class, pattern: &Pattern) -> bool {
        match pattern.atoms.first() {
            Some(Atom::Letter(b)) => {
                self.initials.get(class as usize).copied().unwrap_or(0) & letter_bit(*b) != 0
            }
            Some(Atom::Lit(c)) => *c == class,
            None => false,
        }
    }

    /// The term positions reachable after character `class` consumes from position `k`.
    fn step(&self, class: Class, pattern: &Pattern, k: usize) -> u64 {
        match pattern.atoms.get(k) {
            Some(Atom::Lit(c)) if *c == class => 1 << (k + 1),
            Some(Atom::Letter(_)) => {
                let rest = pattern.bytes.get(k..).unwrap_or(&[]);
                let Some(info) = self.classes.get(class as usize) else {
                    return 0;
                };
                info.readings.iter().fold(0, |bits, r| {
                    let l = r.iter().zip(rest).take_while(|(a, b)| a == b).count();
                    // bits k+1 ..= k+l: every prefix of the reading that the term spells.
                    bits | (((1u64 << l) - 1) << (k + 1))
                })
            }
            _ => 0,
        }
    }
}

/// One unit of a term: a letter or digit (matched against readings), or a character that must
/// appear as itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Atom {
    Letter(u8),
    Lit(Class),
}

/// A term compiled against a table.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub atoms: Vec<Atom>,
    /// The letters of `atoms`, with 0 where an atom is a literal (so a reading never runs on
    /// into one).
    bytes: Vec<u8>,
    /// A literal character the table does not know: nothing can match.
    impossible: bool,
}

impl Pattern {
    /// Compile a folded term.
    pub fn new(term: &str, table: &Syllables) -> Pattern {
        let mut atoms = Vec::new();
        let mut bytes = Vec::new();
        let mut impossible = false;
        for c in term.chars() {
            if c.is_ascii_alphanumeric() {
                let b = c.to_ascii_lowercase() as u8;
                atoms.push(Atom::Letter(b));
                bytes.push(b);
            } else {
                let class = table.get(c).unwrap_or_else(|| {
                    impossible = true;
                    NO_CLASS
                });
                atoms.push(Atom::Lit(class));
                bytes.push(0);
            }
        }
        Pattern {
            atoms,
            bytes,
            impossible,
        }
    }

    /// Whether a separator character of this class was typed in the term (then it is part of
    /// the match, not a skipped gap).
    pub fn has_literal(&self, class: Class) -> bool {
        self.atoms.contains(&Atom::Lit(class))
    }
}

/// Characters `start..end` of a text spell a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub start: usize,
    pub end: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, term: &str) -> Option<(usize, usize)> {
        let mut table = Syllables::new();
        let mut classes = Vec::new();
        table.encode(&fold_str(text), &mut classes);
        let pattern = Pattern::new(&fold_str(term), &table);
        table.find_run(&classes, &pattern).map(|r| (r.start, r.end))
    }

    #[test]
    fn full_initials_and_mixed() {
        assert_eq!(run("区财政局", "caizheng"), Some((1, 3)));
        assert_eq!(run("区财政局", "czj"), Some((1, 4)));
        assert_eq!(run("区财政局", "qczj"), Some((0, 4)));
        assert_eq!(run("区财政局", "caizj"), Some((1, 4)));
        assert_eq!(run("区财政局", "caizh"), Some((1, 3)));
        assert_eq!(run("区财政局", "财zheng"), Some((1, 3)));
        assert_eq!(run("区财政局", "cj"), None);
    }

    #[test]
    fn polyphonic_characters_match_any_reading() {
        assert_eq!(run("重庆", "chongqing"), Some((0, 2)));
        assert_eq!(run("重大事项", "zhongda"), Some((0, 2)));
        assert_eq!(run("中国银行", "yinhang"), Some((2, 4)));
        assert_eq!(run("会计核算", "kuaiji"), Some((0, 2)));
        assert_eq!(run("绿色", "lvse"), Some((0, 2)));
    }

    #[test]
    fn digits_letters_and_separators() {
        assert_eq!(run("2022-0003-01", "2022000301"), Some((0, 12)));
        assert_eq!(run("2022-0003-01", "0003-01"), Some((5, 12)));
        assert_eq!(run("ABC公司", "abcgs"), Some((0, 5)));
        assert_eq!(run("ＡＢ１", "ab1"), Some((0, 3)));
    }

    #[test]
    fn readings_are_deduplicated_ascii() {
        assert_eq!(readings('政'), vec!["zheng".to_string()]);
        assert!(readings('女').contains(&"nv".to_string()));
        assert!(readings('①').is_empty());
    }
}
