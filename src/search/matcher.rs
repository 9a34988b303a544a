//! Matching one query term against one field, and the score that ranks it.
//!
//! A term matches a field in one of three tiers, tried in this order:
//! 1. **exact**: the (folded) term occurs in the field as it is: `财政`, `2022-03`;
//! 2. **pinyin**: a run of consecutive characters spells the term in pinyin, full readings,
//!    initials or a mix (`caizheng`, `czj`, `caizj`), or spells it with separators skipped
//!    (`2022000301`) — see `pinyin::Syllables::find_run`;
//! 3. **fuzzy**: the term's characters occur in order with gaps (`预执` in 预算执行), scored by
//!    the `Matcher` (SkimMatcherV2). Terms made only of digits and ASCII punctuation skip this
//!    tier: a number typed is meant as a number, and `2022` scattered over 2笔…0…2万 is noise.
//!
//! Scores: a tier's base, plus a bonus when the match starts the field and another when it is
//! the whole field, plus a share of `COVERAGE` for the part of the field it covers, minus the
//! start position; exact beats pinyin beats fuzzy whatever the bonuses. Coverage is what makes
//! `czj` mean 区财政局 (3 of its 4 characters) rather than 企业扶持资金拨付不及时, which also
//! spells c-z-j (持资金) but in 3 of 11 characters. A match on a record's unit name (not shown,
//! see `index`) counts `UNIT_PENALTY` less than the same match on its own title: the findings of
//! 区财政局 follow the unit itself for `czj`, while for `财政` a title holding the word exactly
//! still comes before them.

use super::pinyin::{Class, Pattern, Sig, Syllables, fold_str, letter_bit};
use fuzzy_matcher::skim::SkimMatcherV2;

/// The swappable fuzzy matcher (tier 3). Texts and patterns arrive folded (lower case).
pub trait Matcher: Send + Sync {
    /// The score of `pattern` as a subsequence of `text`, or `None`.
    fn score(&self, text: &str, pattern: &str) -> Option<i64>;
    /// The same, with the character indices of the matched characters.
    fn indices(&self, text: &str, pattern: &str) -> Option<(i64, Vec<usize>)>;
}

/// SkimMatcherV2: on Chinese text the faster of the two candidates measured (issue 4).
pub struct Skim(SkimMatcherV2);

impl Default for Skim {
    fn default() -> Self {
        Skim(SkimMatcherV2::default().ignore_case())
    }
}

impl Matcher for Skim {
    fn score(&self, text: &str, pattern: &str) -> Option<i64> {
        self.0.fuzzy(text, pattern, false).map(|(s, _)| s)
    }

    fn indices(&self, text: &str, pattern: &str) -> Option<(i64, Vec<usize>)> {
        self.0.fuzzy(text, pattern, true)
    }
}

pub const EXACT: i64 = 4000;
pub const PINYIN: i64 = 3000;
/// Fuzzy scores are capped below the pinyin tier.
pub const FUZZY_CAP: i64 = 1999;
/// The match begins the field (title starts with the query).
pub const PREFIX_BONUS: i64 = 1000;
/// The match is the whole field (a unit named exactly so).
pub const WHOLE_BONUS: i64 = 500;
/// Shared out by the part of the field a match covers (exact and pinyin tiers).
pub const COVERAGE: i64 = 1200;
/// Taken off a match on a record's unit name rather than its own text.
pub const UNIT_PENALTY: i64 = 400;
/// At most this much is taken off for a match that starts late.
const MAX_START_PENALTY: i64 = 200;

/// One whitespace-separated part of a query, compiled.
pub struct Term {
    /// Folded text.
    pub text: String,
    pub pattern: Pattern,
    /// The term's characters as classes, for the exact tier; `None` when one of them occurs
    /// nowhere in the index.
    classes: Option<Vec<Class>>,
    /// Whether the fuzzy tier applies (anything but digits and ASCII punctuation).
    pub fuzzy: bool,
    /// Letters the readings must supply (every letter or digit of the term).
    letters: u64,
    /// The letter a run must start with, if the term starts with one.
    first: u64,
    /// The term's characters (for the exact and fuzzy tiers, and literal atoms).
    chars: Sig,
    /// Characters of the term that are not ASCII letters or digits (must appear as themselves
    /// for a pinyin run).
    literals: Sig,
}

impl Term {
    pub fn new(raw: &str, table: &Syllables) -> Term {
        let text = fold_str(raw);
        let mut chars = Sig::default();
        let mut literals = Sig::default();
        let mut letters = 0;
        for c in text.chars() {
            chars.add_char(c);
            if c.is_ascii_alphanumeric() {
                letters |= letter_bit(c as u8);
            } else {
                literals.add_char(c);
            }
        }
        let first = text
            .bytes()
            .next()
            .filter(u8::is_ascii_alphanumeric)
            .map_or(0, letter_bit);
        Term {
            pattern: Pattern::new(&text, table),
            classes: text.chars().map(|c| table.get(c)).collect(),
            fuzzy: text
                .chars()
                .any(|c| !(c.is_ascii_digit() || c.is_ascii_punctuation())),
            text,
            letters,
            first,
            chars,
            literals,
        }
    }
}

/// The terms of a query: split on whitespace, all must match.
pub fn terms(query: &str, table: &Syllables) -> Vec<Term> {
    query
        .split_whitespace()
        .map(|t| Term::new(t, table))
        .collect()
}

/// A field as the matcher sees it: its characters as classes, and its summary. (No string:
/// a loaded index then needs no UTF-8 check of its match fields; the fuzzy tier spells the
/// field into a scratch string only when it runs.)
#[derive(Clone, Copy)]
pub struct FieldView<'a> {
    pub classes: &'a [Class],
    pub sig: &'a Sig,
}

/// Where a term matched in a field: a score and, when asked, the field's characters matched.
pub struct FieldMatch {
    pub score: i64,
    pub positions: Vec<usize>,
}

/// Match `term` against `field`. `with_positions` asks for the matched characters (only the
/// shown results need them); `scratch` is reused for the fuzzy tier's text.
pub fn match_field(
    matcher: &dyn Matcher,
    table: &Syllables,
    term: &Term,
    field: FieldView<'_>,
    with_positions: bool,
    scratch: &mut String,
) -> Option<FieldMatch> {
    if field.classes.is_empty() {
        return None;
    }
    let has_chars = term.chars.chars_within(field.sig);
    if has_chars
        && let Some(wanted) = &term.classes
        && let Some(start) = find(field.classes, wanted)
    {
        let len = wanted.len();
        let whole = start == 0 && len == field.classes.len();
        return Some(FieldMatch {
            score: EXACT + placement(start, whole) + coverage(len, field.classes.len()),
            positions: if with_positions {
                (start..start + len).collect()
            } else {
                Vec::new()
            },
        });
    }
    if pinyin_possible(term, field.sig)
        && let Some(run) = table.find_run(field.classes, &term.pattern)
    {
        let whole = run.start == 0 && run.end == field.classes.len();
        // Fewer characters for the same term means fuller readings (政 for `zh` beats 组会).
        let spread = (run.end - run.start) as i64;
        let positions = if with_positions {
            (run.start..run.end)
                .filter(|&i| {
                    let class = field.classes[i];
                    !table.is_sep(class) || term.pattern.has_literal(class)
                })
                .collect()
        } else {
            Vec::new()
        };
        return Some(FieldMatch {
            score: PINYIN + placement(run.start, whole) - 2 * spread
                + coverage(run.end - run.start, field.classes.len()),
            positions,
        });
    }
    if term.fuzzy && has_chars && in_order(term, field.classes) {
        table.spell(field.classes, scratch);
        let (score, positions) = if with_positions {
            matcher.indices(scratch, &term.text)?
        } else {
            (matcher.score(scratch, &term.text)?, Vec::new())
        };
        return Some(FieldMatch {
            score: score.clamp(1, FUZZY_CAP),
            positions,
        });
    }
    None
}

/// Where `wanted` first occurs in `classes`.
fn find(classes: &[Class], wanted: &[Class]) -> Option<usize> {
    let (&first, rest) = wanted.split_first()?;
    let last_start = classes.len().checked_sub(wanted.len())?;
    // An element loop, not a slice comparison: terms are a few characters, and `==` on slices
    // calls `memcmp` for every candidate start.
    (0..=last_start)
        .find(|&s| classes[s] == first && rest.iter().zip(&classes[s + 1..]).all(|(a, b)| a == b))
}

/// Whether the term's characters occur in `classes` in order: what the fuzzy tier needs, tested
/// on the classes before the field is spelled out for the matcher. The summary lets through
/// about one field in six for a term whose characters it does not hold (128 bits for every
/// character there is), and for a one-character query such as `土` the matcher then ran on
/// 40,000 fields to find nothing. (Equal classes are equal folded characters, and the matcher
/// folds nothing beyond ASCII case, which `fold` has already done; a term with a character
/// the index has never seen is left to the matcher.)
fn in_order(term: &Term, classes: &[Class]) -> bool {
    let Some(wanted) = &term.classes else {
        return true;
    };
    let mut rest = classes.iter();
    wanted.iter().all(|w| rest.any(|c| c == w))
}

/// The summary test for the pinyin tier: the readings supply every letter, one of them can
/// start the run, and the literal characters are there.
fn pinyin_possible(term: &Term, field: &Sig) -> bool {
    term.letters & !field.letters == 0
        && (term.first == 0 || term.first & field.initials != 0)
        && term.literals.chars_within(field)
}

/// The share of `COVERAGE` for `matched` characters of a field of `len`.
fn coverage(matched: usize, len: usize) -> i64 {
    COVERAGE * matched as i64 / (len.max(1) as i64)
}

/// Bonus for a match at the start or over the whole field, penalty for a late start.
fn placement(start: usize, whole: bool) -> i64 {
    let mut score = -(start as i64).min(MAX_START_PENALTY);
    if start == 0 {
        score += PREFIX_BONUS;
    }
    if whole {
        score += WHOLE_BONUS;
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The order check before the fuzzy tier only saves work: whatever the matcher finds
        /// in a field, `match_field` finds too (in that tier or a better one).
        #[test]
        fn the_order_check_never_hides_a_fuzzy_match(
            field in "[土地出让预算执行项目mzA2-]{0,12}",
            raw in "[土地出让预算执行项目mzA2-]{1,4}",
        ) {
            let mut table = Syllables::new();
            let mut classes = Vec::new();
            let sig = table.encode(&fold_str(&field), &mut classes);
            let term = Term::new(&raw, &table);
            let skim = Skim::default();
            let view = FieldView { classes: &classes, sig: &sig };
            let found = match_field(&skim, &table, &term, view, false, &mut String::new());
            let mut spelled = String::new();
            table.spell(&classes, &mut spelled);
            if term.fuzzy && skim.score(&spelled, &term.text).is_some() {
                prop_assert!(found.is_some(), "{raw:?} in {field:?}");
            }
        }
    }
}
