//! Terms from tokens: `-` negation, `+tag`, `key:value` / `key>value`, `sort:…`, free words.
//! Every way a term can be wrong ends in a `FilterError` over the offending characters.

use super::error::FilterError;
use super::fold::Needle;
use super::lex::{TChar, Token};
use super::sort::SortKey;
use super::term::{Term, Test};
use super::value::{self, Cond, OP_CHARS, Op};
use super::vocab::{KEYS, Key, SORTS, TAGS, UNSUPPORTED_TAGS, lookup, names_in, suggest};
use crate::domain::{Labelled, Status};
use crate::i18n::Msg;

const MINUS: &[char] = &['-', '－'];
const PLUS: &[char] = &['+', '＋'];
const COMMAS: &[char] = &[',', '，', '、'];

/// What one token is: a condition, or sort columns.
pub(super) enum Item {
    Term(Term),
    Sort(Vec<SortKey>),
}

/// Part of a value: its text and its span in the input.
#[derive(Clone, Copy)]
struct Piece<'t> {
    chars: &'t [TChar],
    start: usize,
    end: usize,
}

impl Piece<'_> {
    fn text(&self) -> String {
        self.chars.iter().map(|t| t.c).collect()
    }
}

pub(super) struct Parser<'a> {
    pub input: &'a [char],
}

type Res<T> = Result<T, FilterError>;

impl Parser<'_> {
    fn err(&self, msg: Msg, start: usize, end: usize) -> FilterError {
        FilterError::at(msg, start, end, self.input)
    }

    pub fn item(&self, tok: &Token) -> Res<Item> {
        let negated = tok.bare_is(0, MINUS);
        let at = usize::from(negated);
        if negated && tok.chars.len() == 1 {
            return Err(self.err(
                Msg::new(
                    "“-”后面缺少要排除的条件，例如 -+超期、-状态:已销号 或 -财政",
                    "'-' needs something to exclude after it, e.g. -+overdue, -status:closed or -word",
                ),
                tok.start,
                tok.end,
            ));
        }
        if negated && tok.bare_is(1, MINUS) {
            return Err(self.err(
                Msg::new(
                    "一个条件只能有一个“-”；要查找以“-”开头的文字请加引号",
                    "only one '-' per term; quote text that starts with '-'",
                ),
                tok.pos(0),
                tok.pos(2),
            ));
        }
        if tok.bare_is(at, PLUS) {
            let test = self.tag(tok, at)?;
            return Ok(Item::Term(Term { negated, test }));
        }
        // A key is bare text up to the first bare operator character.
        let op_at = (at..tok.chars.len()).find(|&j| tok.bare_is(j, OP_CHARS));
        if let Some(op_at) = op_at
            && tok.chars[at..op_at].iter().all(|t| !t.quoted)
        {
            return self.keyed(tok, negated, at, op_at);
        }
        let needle = Needle::new(&tok.text_from(at));
        let phrase = tok.chars[at..].iter().any(|t| t.quoted);
        let fuzzy = !phrase && !negated && needle.len() >= 3;
        Ok(Item::Term(Term {
            negated,
            test: Test::Word { needle, fuzzy },
        }))
    }

    fn tag(&self, tok: &Token, plus: usize) -> Res<Test> {
        let name = tok.text_from(plus + 1);
        let span = (tok.pos(plus), tok.end);
        if name.is_empty() {
            return Err(self.err(
                Msg::new(
                    format!("“+”后面缺少标记名，可用：{}", names_in(TAGS, 0, "+")),
                    format!("'+' needs a tag name; tags: {}", names_in(TAGS, 1, "+")),
                ),
                span.0,
                span.1,
            ));
        }
        if let Some(tag) = lookup(TAGS, &name) {
            return Ok(Test::Tag(tag));
        }
        let msg = if UNSUPPORTED_TAGS
            .iter()
            .any(|t| t.eq_ignore_ascii_case(&name))
        {
            Msg::new(
                format!("台账尚未记录移送事项，暂不能按“+{name}”筛选"),
                format!("the ledger does not record referrals yet, so +{name} cannot be used"),
            )
        } else {
            let (zh_hint, en_hint) = hint(suggest(TAGS, &name), "+");
            Msg::new(
                format!(
                    "未知的标记“+{name}”。{zh_hint}可用：{}",
                    names_in(TAGS, 0, "+")
                ),
                format!(
                    "unknown tag \"+{name}\"{en_hint}. Tags: {}",
                    names_in(TAGS, 1, "+")
                ),
            )
        };
        Err(self.err(msg, span.0, span.1))
    }

    fn keyed(&self, tok: &Token, negated: bool, at: usize, op_at: usize) -> Res<Item> {
        let name: String = tok.chars[at..op_at].iter().map(|t| t.c).collect();
        let op_end = (op_at..tok.chars.len())
            .find(|&j| !tok.bare_is(j, OP_CHARS))
            .unwrap_or(tok.chars.len());
        let op_text: String = tok.chars[op_at..op_end].iter().map(|t| t.c).collect();
        let op_span = (tok.pos(op_at), tok.pos(op_end));
        if name.is_empty() {
            return Err(self.err(
                Msg::new(
                    format!("“{op_text}”前面缺少键名，例如 状态:未整改、金额>100万"),
                    format!(
                        "a key is missing before '{op_text}', e.g. status:未整改, amount>100万"
                    ),
                ),
                tok.pos(at),
                tok.end,
            ));
        }
        let Some(key) = lookup(KEYS, &name) else {
            let (zh_hint, en_hint) = hint(suggest(KEYS, &name), "");
            return Err(self.err(
                Msg::new(
                    format!(
                        "未知的键“{name}”。{zh_hint}可用的键：{}；要查找含“{op_text}”的文字请加引号",
                        names_in(KEYS, 0, "")
                    ),
                    format!(
                        "unknown key \"{name}\"{en_hint}. Keys: {}; quote text that contains '{op_text}'",
                        names_in(KEYS, 1, "")
                    ),
                ),
                tok.pos(at),
                tok.pos(op_at),
            ));
        };
        let op = Op::parse(&op_text).filter(|op| key.compares() || *op == Op::Eq);
        let Some(op) = op else {
            let (zh_ops, en_ops) = if key.compares() {
                ("“:” “=” “<” “<=” “>” “>=”", ": = < <= > >=")
            } else {
                ("“:”", ":")
            };
            return Err(self.err(
                Msg::new(
                    format!("“{name}”后不能用“{op_text}”，只能用 {zh_ops}"),
                    format!("\"{name}\" takes {en_ops}, not \"{op_text}\""),
                ),
                op_span.0,
                op_span.1,
            ));
        };
        let value = &tok.chars[op_end..];
        if value.is_empty() {
            return Err(self.err(
                Msg::new(
                    format!("“{name}{op_text}”后面缺少值"),
                    format!("\"{name}{op_text}\" needs a value"),
                ),
                tok.pos(at),
                tok.end,
            ));
        }
        let whole = Piece {
            chars: value,
            start: tok.pos(op_end),
            end: tok.end,
        };
        if key == Key::Sort && negated {
            return Err(self.err(
                Msg::new(
                    "排序不能取反；要倒序请在列名前加“-”，如 排序:-金额",
                    "a sort cannot be negated; put '-' before the column instead, e.g. sort:-amount",
                ),
                tok.start,
                tok.end,
            ));
        }
        self.value(key, op, whole, negated)
    }

    /// The test a key and its value make, or the sort columns of `sort:`.
    fn value(&self, key: Key, op: Op, whole: Piece, negated: bool) -> Res<Item> {
        // `:` takes alternatives separated by commas; a comparison has one value, and an
        // amount never splits (its commas are thousands separators: 1,000万).
        let pieces = || {
            if op == Op::Eq {
                self.split(&whole)
            } else {
                Ok(vec![whole])
            }
        };
        let needles = |p: Vec<Piece>| p.iter().map(|p| Needle::new(&p.text())).collect();
        let test = match key {
            Key::Status => Test::Status(self.statuses(&pieces()?)?),
            Key::Mode => Test::Mode(self.labels(&pieces()?)?),
            Key::Class => Test::Class(self.labels(&pieces()?)?),
            Key::Severity => Test::Severity(self.labels(&pieces()?)?),
            Key::Source => Test::Source(self.labels(&pieces()?)?),
            Key::Reason => Test::Reason(self.labels(&pieces()?)?),
            Key::Unit | Key::Lead => Test::Unit {
                lead_only: key == Key::Lead,
                any: needles(pieces()?),
            },
            Key::Project => Test::Project(needles(pieces()?)),
            Key::Category => Test::Category(needles(pieces()?)),
            Key::Number => Test::Number(needles(pieces()?)),
            Key::Year => Test::Year(self.conds(op, &pieces()?, value::year)?),
            Key::Deadline => Test::Deadline(self.conds(op, &pieces()?, value::date)?),
            Key::Overdue => Test::Overdue(self.conds(op, &pieces()?, value::days)?),
            Key::Amount => Test::Amount(self.cond(op, &whole, value::amount)?),
            Key::Urgency => Test::Urgency(self.cond(op, &whole, value::score)?),
            Key::Sort => return self.sort(&whole).map(Item::Sort),
        };
        Ok(Item::Term(Term { negated, test }))
    }

    /// Cut a value at bare commas (`,` `，` `、`). An empty alternative is an error over the
    /// comma next to it.
    fn split<'t>(&self, whole: &Piece<'t>) -> Res<Vec<Piece<'t>>> {
        let mut pieces = Vec::new();
        let mut from = 0;
        let chars = whole.chars;
        for i in 0..=chars.len() {
            let cut = i == chars.len() || (!chars[i].quoted && COMMAS.contains(&chars[i].c));
            if !cut {
                continue;
            }
            if i == from {
                let at = chars
                    .get(i)
                    .or(chars.get(i.wrapping_sub(1)))
                    .map_or(whole.start, |t| t.pos);
                return Err(self.err(
                    Msg::new("逗号前后缺少值", "a value is missing next to the comma"),
                    at,
                    at + 1,
                ));
            }
            pieces.push(Piece {
                chars: &chars[from..i],
                start: chars[from].pos,
                end: chars[i - 1].pos + 1,
            });
            from = i + 1;
        }
        Ok(pieces)
    }

    fn labels<T: Labelled>(&self, pieces: &[Piece]) -> Res<Vec<T>> {
        pieces.iter().map(|p| self.label(p)).collect()
    }

    fn label<T: Labelled>(&self, piece: &Piece) -> Res<T> {
        value::label(&piece.text()).map_err(|m| self.err(m, piece.start, piece.end))
    }

    /// Statuses, with a pointer to the tag when someone writes `状态:超期`.
    fn statuses(&self, pieces: &[Piece]) -> Res<Vec<Status>> {
        pieces
            .iter()
            .map(|p| {
                self.label::<Status>(p).map_err(|mut e| {
                    let text = p.text();
                    if let Some(tag) = TAGS.iter().find(|w| w.names.contains(&text.as_str())) {
                        e.msg
                            .zh
                            .push_str(&format!("；“{text}”是标记，请写 +{}", tag.names[0]));
                        e.msg
                            .en
                            .push_str(&format!("; \"{text}\" is a tag: write +{}", tag.names[1]));
                    }
                    e
                })
            })
            .collect()
    }

    fn conds<T>(
        &self,
        op: Op,
        pieces: &[Piece],
        parse: fn(&str) -> Result<T, Msg>,
    ) -> Res<Vec<Cond<T>>> {
        pieces.iter().map(|p| self.cond(op, p, parse)).collect()
    }

    /// `>v`, `:v`, or with `:` a range `lo..hi` (also `lo~hi`), either end open.
    fn cond<T>(&self, op: Op, piece: &Piece, parse: fn(&str) -> Result<T, Msg>) -> Res<Cond<T>> {
        let one = |p: &Piece| parse(&p.text()).map_err(|m| self.err(m, p.start, p.end));
        let Some((lo, hi)) = (op == Op::Eq).then(|| range(piece)).flatten() else {
            return Ok(Cond::Cmp(op, one(piece)?));
        };
        if lo.chars.is_empty() && hi.chars.is_empty() {
            return Err(self.err(
                Msg::new(
                    "范围至少要给出一端，如 2021..2023、..+30 或 100万..",
                    "a range needs at least one end, e.g. 2021..2023, ..+30 or 100万..",
                ),
                piece.start,
                piece.end,
            ));
        }
        let side = |p: Piece| (!p.chars.is_empty()).then(|| one(&p)).transpose();
        Ok(Cond::Range(side(lo)?, side(hi)?))
    }

    fn sort(&self, whole: &Piece) -> Res<Vec<SortKey>> {
        let mut keys = Vec::new();
        for piece in self.split(whole)? {
            let reversed = piece
                .chars
                .first()
                .is_some_and(|t| !t.quoted && MINUS.contains(&t.c));
            let name: String = piece
                .chars
                .iter()
                .skip(usize::from(reversed))
                .map(|t| t.c)
                .collect();
            let Some(field) = lookup(SORTS, &name) else {
                let (zh_hint, en_hint) = hint(suggest(SORTS, &name), "");
                let shown = if name.is_empty() {
                    "-".to_string()
                } else {
                    name.clone()
                };
                return Err(self.err(
                    Msg::new(
                        format!("未知的排序列“{shown}”。{zh_hint}可用：{}（前加“-”倒序）", names_in(SORTS, 0, "")),
                        format!("unknown sort column \"{shown}\"{en_hint}. Columns: {} ('-' in front reverses)", names_in(SORTS, 1, "")),
                    ),
                    piece.start,
                    piece.end,
                ));
            };
            keys.push(SortKey { field, reversed });
        }
        Ok(keys)
    }
}

/// Split a piece at its first bare `..` (or `~` / `～`).
fn range<'t>(piece: &Piece<'t>) -> Option<(Piece<'t>, Piece<'t>)> {
    let chars = piece.chars;
    let bare = |i: usize, c: char| chars.get(i).is_some_and(|t| !t.quoted && t.c == c);
    let (at, len) = (0..chars.len()).find_map(|i| {
        if bare(i, '.') && bare(i + 1, '.') {
            Some((i, 2))
        } else if bare(i, '~') || bare(i, '～') {
            Some((i, 1))
        } else {
            None
        }
    })?;
    let lo = &chars[..at];
    let hi = &chars[at + len..];
    let start_of = |s: &[TChar], default: usize| s.first().map_or(default, |t| t.pos);
    let end_of = |s: &[TChar], default: usize| s.last().map_or(default, |t| t.pos + 1);
    Some((
        Piece {
            chars: lo,
            start: start_of(lo, piece.start),
            end: end_of(lo, piece.start),
        },
        Piece {
            chars: hi,
            start: start_of(hi, piece.end),
            end: end_of(hi, piece.end),
        },
    ))
}

/// "did you mean" in both languages.
fn hint(near: Option<&str>, prefix: &str) -> (String, String) {
    match near {
        Some(n) => (
            format!("是否想写“{prefix}{n}”？"),
            format!(" (did you mean \"{prefix}{n}\"?)"),
        ),
        None => (String::new(), String::new()),
    }
}
