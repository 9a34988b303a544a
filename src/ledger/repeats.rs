//! 屡审屡犯: which earlier findings a new one may repeat (domain.md §2.6, issue 5 item 5).
//!
//! The same kind of problem found again at the same unit, or in the same 主管部门's system, in
//! a later audit. `suggest` is pure: it ranks what it is given and leaves it to the caller to
//! confirm a candidate by adding it to `repeat_of`.
//!
//! **Who qualifies.** An earlier finding is a candidate when all of these hold:
//! * it is not `new` itself, not archived, and not already in `new.repeat_of`;
//! * its project's year is earlier than `new`'s and at most `years` back (a finding of the same
//!   year is the same audit cycle, not a repeat);
//! * it shares a responsible unit with `new` (lead or assisting), or the units are linked by
//!   their 主管部门 (`Unit::parent`): one is the other's parent, or both have the same parent;
//! * its title is similar (`title_similarity` ≥ `TITLE_THRESHOLD`) or it has the same 问题类别.
//!
//! **Score** (higher first): the unit link (`W_SAME_LEAD`, `W_SAME_UNIT` or `W_DEPARTMENT`),
//! plus `W_TITLE` × the title similarity when it reaches the threshold, plus `W_CATEGORY` for
//! the same 问题类别 and `W_STAT_CLASS` more when the 统计定性 is also the same (a 统计定性 has
//! four values, so on its own it says nothing), minus `W_PER_YEAR` for every year beyond the
//! last one. Ties go to the more recent year, then the finding number.

use super::natural_cmp;
use crate::domain::{Finding, Id, Labelled, Unit, UnitRole};
use crate::i18n::Msg;
use crate::search::pinyin::fold_str;
use std::collections::{BTreeSet, HashMap};

/// How many years back to look by default.
pub const DEFAULT_YEARS: i32 = 5;
/// How many candidates to offer by default.
pub const DEFAULT_LIMIT: usize = 8;

/// The same unit leads both findings: the clearest case of 屡审屡犯.
pub const W_SAME_LEAD: f64 = 3.0;
/// The same unit is responsible for both, assisting in at least one.
pub const W_SAME_UNIT: f64 = 2.0;
/// The units belong to the same 主管部门's system.
pub const W_DEPARTMENT: f64 = 1.0;
/// Times the title similarity (0.5–1 once it counts): a near-identical title says the most.
pub const W_TITLE: f64 = 4.0;
/// The same 问题类别.
pub const W_CATEGORY: f64 = 2.0;
/// The same 统计定性, counted only together with the same 问题类别.
pub const W_STAT_CLASS: f64 = 0.5;
/// Taken off per year beyond the last one: last year's repeat is the more telling.
pub const W_PER_YEAR: f64 = 0.1;

/// Titles count as similar from this `title_similarity` up.
pub const TITLE_THRESHOLD: f64 = 0.5;
/// ... and only when they share at least this many words: one common word is chance.
pub const MIN_SHARED_WORDS: usize = 2;

/// Two-character words that nearly every audit title uses; sharing them says nothing about
/// the kind of problem (two findings about different 资金 are not repeats).
const GENERIC_WORDS: &[&str] = &[
    "资金", "管理", "问题", "情况", "相关", "工作", "项目", "不到", "到位", "不够", "不及", "及时",
    "未及", "未按", "按规", "规定", "不规", "规范", "存在", "部分",
];

/// An earlier finding that the new one may repeat.
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatCandidate {
    pub finding: Id,
    pub score: f64,
    /// Why, in both languages, most important first: the unit link, then title, category and
    /// 统计定性 as they apply. Never empty.
    pub reasons: Vec<Msg>,
}

/// Earlier findings that `new` (of a project of `new_year`) may repeat, best first, at most
/// `limit`; see the module documentation for who qualifies and how they are scored.
/// `earlier` gives each finding with its project's year (it may include `new` and findings of
/// any year: they are filtered here); `units` gives names and 主管部门.
pub fn suggest<'a>(
    new: &Finding,
    new_year: i32,
    earlier: impl IntoIterator<Item = (&'a Finding, i32)>,
    units: &[Unit],
    years: i32,
    limit: usize,
) -> Vec<RepeatCandidate> {
    let units: HashMap<Id, &Unit> = units.iter().map(|u| (u.id, u)).collect();
    let new_words = words(&new.title);
    let mut found: Vec<(RepeatCandidate, i32, &Finding)> = earlier
        .into_iter()
        .filter(|(old, year)| {
            old.id != new.id
                && !old.archived
                && !new.repeat_of.contains(&old.id)
                && *year < new_year
                && new_year - *year <= years
        })
        .filter_map(|(old, year)| {
            let link = unit_link(new, old, &units)?;
            let candidate = judge(new, &new_words, old, year, new_year, link, &units)?;
            Some((candidate, year, old))
        })
        .collect();
    found.sort_by(|(a, a_year, a_old), (b, b_year, b_old)| {
        b.score
            .total_cmp(&a.score)
            .then(b_year.cmp(a_year))
            .then_with(|| natural_cmp(&a_old.number, &b_old.number))
    });
    found.truncate(limit);
    found.into_iter().map(|(c, _, _)| c).collect()
}

/// How alike two titles are, from 0 to 1: the two-character words they share (adjacent
/// characters, generic words left out) over the geometric mean of their word counts (the
/// Ochiai, or set cosine, coefficient); 0 when they share fewer than `MIN_SHARED_WORDS`.
/// Unlike a share of the shorter title, this keeps a shared subject with a different problem
/// below the threshold (医疗设备闲置 and 医疗设备购置未执行政府采购: 0.39), and unlike a share
/// of both it still lets a combined title match each of its parts (预算编制不够细化 in
/// 预算编制不够细化、预算绩效管理不到位: 0.77).
pub fn title_similarity(a: &str, b: &str) -> f64 {
    similarity(&words(a), &words(b))
}

fn similarity(a: &BTreeSet<(char, char)>, b: &BTreeSet<(char, char)>) -> f64 {
    let shared = a.intersection(b).count();
    if shared < MIN_SHARED_WORDS {
        return 0.0;
    }
    shared as f64 / ((a.len() * b.len()) as f64).sqrt()
}

/// The two-character words of a title: pairs of adjacent letters (Chinese characters count),
/// never across punctuation, digits or spaces (so neither 化、预 nor the 20 of 2020年 is one),
/// generic words left out.
fn words(title: &str) -> BTreeSet<(char, char)> {
    let folded = fold_str(title);
    let mut out = BTreeSet::new();
    for segment in folded.split(|c: char| !c.is_alphabetic()) {
        let chars: Vec<char> = segment.chars().collect();
        for pair in chars.windows(2) {
            let generic = GENERIC_WORDS
                .iter()
                .any(|w| w.chars().eq(pair.iter().copied()));
            if !generic {
                out.insert((pair[0], pair[1]));
            }
        }
    }
    out
}

/// How the two findings' responsible units are linked: the strongest link over all pairs.
#[derive(Debug, Clone, Copy)]
enum UnitLink {
    /// A 主管部门 both are in (the parent, or the shared parent).
    Department(Id),
    /// A unit responsible for both.
    Same(Id),
    /// A unit leading both.
    SameLead(Id),
}

impl UnitLink {
    fn rank(self) -> u8 {
        match self {
            UnitLink::Department(_) => 0,
            UnitLink::Same(_) => 1,
            UnitLink::SameLead(_) => 2,
        }
    }

    fn weight(self) -> f64 {
        match self {
            UnitLink::Department(_) => W_DEPARTMENT,
            UnitLink::Same(_) => W_SAME_UNIT,
            UnitLink::SameLead(_) => W_SAME_LEAD,
        }
    }

    fn reason(self, units: &HashMap<Id, &Unit>) -> Msg {
        let name = |id: Id| {
            units
                .get(&id)
                .map_or_else(|| id.short(), |u| u.name.clone())
        };
        match self {
            UnitLink::Department(id) => Msg::new(
                format!("同一主管部门（{}）", name(id)),
                format!("same competent department ({})", name(id)),
            ),
            UnitLink::Same(id) => Msg::new(
                format!("同一单位（{}）", name(id)),
                format!("same unit ({})", name(id)),
            ),
            UnitLink::SameLead(id) => Msg::new(
                format!("同一牵头单位（{}）", name(id)),
                format!("same lead unit ({})", name(id)),
            ),
        }
    }
}

fn unit_link(new: &Finding, old: &Finding, units: &HashMap<Id, &Unit>) -> Option<UnitLink> {
    let parent = |id: Id| units.get(&id).and_then(|u| u.parent);
    let mut best: Option<UnitLink> = None;
    for a in &new.units {
        for b in &old.units {
            let link = if a.unit == b.unit {
                if a.role == UnitRole::Lead && b.role == UnitRole::Lead {
                    Some(UnitLink::SameLead(a.unit))
                } else {
                    Some(UnitLink::Same(a.unit))
                }
            } else if parent(a.unit) == Some(b.unit) {
                Some(UnitLink::Department(b.unit))
            } else if parent(b.unit) == Some(a.unit) {
                Some(UnitLink::Department(a.unit))
            } else {
                parent(a.unit)
                    .filter(|p| parent(b.unit) == Some(*p))
                    .map(UnitLink::Department)
            };
            if let Some(link) = link
                && best.is_none_or(|b| link.rank() > b.rank())
            {
                best = Some(link);
            }
        }
    }
    best
}

/// Score `old` against `new` once their units are linked; `None` when neither the title nor
/// the category makes it the same kind of problem.
fn judge(
    new: &Finding,
    new_words: &BTreeSet<(char, char)>,
    old: &Finding,
    year: i32,
    new_year: i32,
    link: UnitLink,
    units: &HashMap<Id, &Unit>,
) -> Option<RepeatCandidate> {
    let title = similarity(new_words, &words(&old.title));
    let similar = title >= TITLE_THRESHOLD;
    let category = fold_str(new.category.trim());
    let same_category = !category.is_empty() && category == fold_str(old.category.trim());
    if !similar && !same_category {
        return None;
    }
    let mut score = link.weight() - W_PER_YEAR * f64::from(new_year - year - 1);
    let mut reasons = vec![link.reason(units)];
    if similar {
        score += W_TITLE * title;
        reasons.push(Msg::new(
            format!("标题相近：{}", old.title),
            format!("similar title: {}", old.title),
        ));
    }
    if same_category {
        score += W_CATEGORY;
        reasons.push(Msg::new(
            format!("同一类别：{}", old.category.trim()),
            format!("same category: {}", old.category.trim()),
        ));
        if new.stat_class == old.stat_class {
            score += W_STAT_CLASS;
            reasons.push(Msg::new(
                format!("同一统计定性：{}", old.stat_class.zh()),
                format!("same statistical class: {}", old.stat_class.en()),
            ));
        }
    }
    Some(RepeatCandidate {
        finding: old.id,
        score,
        reasons,
    })
}
