//! Searching: the scan over items, split across cores, narrowed incrementally, and the ranking.
//!
//! Incremental narrowing rests on one property of every tier in `matcher`: if `abc` matches a
//! field, so does `ab` (a prefix of an exact substring is one, a prefix of a pinyin run is
//! spelled by a prefix of the run, a prefix of a subsequence is one). So when a query extends an
//! earlier one, only the earlier hits need rescanning. The one exception is a digits-only term
//! growing a letter (`2022` → `2022a`): it gains the fuzzy tier, so that extension rescans
//! everything. Every query of the session is kept with its hits (a stack of prefixes), so
//! Backspace returns an earlier result without scanning at all.

use super::super::matcher::{self, Term};
use super::{Entry, HIDDEN, NONE, SearchHit, SearchIndex};
use std::collections::BinaryHeap;

/// Below this many candidates one thread is faster than starting another.
const PARALLEL_MIN: usize = 4096;
const MAX_THREADS: usize = 8;
/// Queries kept for Backspace; the oldest (broadest) is kept, the middle ones dropped.
const MAX_STEPS: usize = 64;
/// No match (in the per-unit score tables).
const NO_SCORE: i64 = i64::MIN;

/// One query of the typing session and everything it matched.
pub(super) struct Step {
    query: String,
    /// Per term: whether the fuzzy tier applied (see the module notes).
    fuzzy: Vec<bool>,
    /// (item, score), in item order. The score is kept in 32 bits (clamped, far beyond any real
    /// one): a one-letter query keeps most of 130,000 items, 8 bytes each instead of 16.
    hits: Vec<(u32, i32)>,
}

impl Step {
    /// Whether `query` (with these terms) only narrows what this step matched.
    fn narrows_to(&self, query: &str, terms: &[Term]) -> bool {
        query.starts_with(&self.query)
            && self.fuzzy.len() <= terms.len()
            && self.fuzzy.iter().zip(terms).all(|(f, t)| *f == t.fuzzy)
    }
}

/// Which items to scan.
#[derive(Clone, Copy)]
enum Candidates<'a> {
    All(usize),
    Hits(&'a [(u32, i32)]),
}

impl Candidates<'_> {
    fn len(&self) -> usize {
        match self {
            Candidates::All(n) => *n,
            Candidates::Hits(h) => h.len(),
        }
    }

    fn item(&self, i: usize) -> u32 {
        match self {
            Candidates::All(_) => u32::try_from(i).unwrap_or(u32::MAX),
            Candidates::Hits(h) => h.get(i).map_or(u32::MAX, |(item, _)| *item),
        }
    }
}

impl SearchIndex {
    /// Results for `query`, best first, at most `limit`. Incremental: when the new query extends
    /// the previous one, only the previous hits are rescanned.
    ///
    /// An empty (or blank) query returns nothing: the finder shows its hint instead of 100,000
    /// rows, and there is no meaningful order to show them in.
    pub fn search(&mut self, query: &str, limit: usize) -> Vec<SearchHit> {
        let mut hits = self.search_unmarked(query, limit);
        let terms = matcher::terms(query, &self.table);
        for hit in &mut hits {
            hit.positions = self
                .entries
                .get(hit.item)
                .map(|e| self.highlight(e, &terms))
                .unwrap_or_default();
        }
        hits
    }

    /// `search` without the matched positions: for a list that shows a screenful of many
    /// hits, marking them row by row with `positions`. Marking a fuzzy match costs tens of
    /// microseconds; for the finder's 200 results of a one-letter query at 100,000 findings
    /// that was 10 ms of every keystroke, for the twenty rows on screen.
    pub fn search_unmarked(&mut self, query: &str, limit: usize) -> Vec<SearchHit> {
        let terms = matcher::terms(query, &self.table);
        if terms.is_empty() {
            self.steps.clear();
            return Vec::new();
        }
        // The deepest earlier query this one narrows.
        let base = self.steps.iter().rposition(|s| s.narrows_to(query, &terms));
        match base {
            Some(i) if self.steps[i].query == query => self.steps.truncate(i + 1),
            _ => {
                let hits = {
                    let candidates = match base {
                        Some(i) => Candidates::Hits(&self.steps[i].hits),
                        None => Candidates::All(self.entries.len()),
                    };
                    self.scan(&terms, candidates)
                };
                self.steps.truncate(base.map_or(0, |i| i + 1));
                if self.steps.len() >= MAX_STEPS {
                    self.steps.remove(1);
                }
                self.steps.push(Step {
                    query: query.to_string(),
                    fuzzy: terms.iter().map(|t| t.fuzzy).collect(),
                    hits,
                });
            }
        }
        let hits = self.steps.last().map_or(&[][..], |s| &s.hits[..]);
        let top = self.top(hits, limit);
        top.into_iter()
            .map(|(item, score)| SearchHit {
                item: item as usize,
                score,
                positions: Vec::new(),
            })
            .collect()
    }

    /// The characters of `item`'s text that `query` matched, by character index.
    pub fn positions(&self, query: &str, item: usize) -> Vec<usize> {
        let terms = matcher::terms(query, &self.table);
        self.entries
            .get(item)
            .map(|e| self.highlight(e, &terms))
            .unwrap_or_default()
    }

    /// Score every candidate, on all cores when there are many.
    fn scan(&self, terms: &[Term], candidates: Candidates<'_>) -> Vec<(u32, i32)> {
        let units = self.unit_scores(terms);
        let n = candidates.len();
        let threads = if n < PARALLEL_MIN {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(1, |p| p.get())
                .clamp(1, MAX_THREADS)
        };
        let chunk = n.div_ceil(threads);
        let part = |t: usize| {
            let range = (t * chunk).min(n)..((t + 1) * chunk).min(n);
            self.scan_part(terms, &units, candidates, range)
        };
        if threads == 1 {
            return part(0);
        }
        std::thread::scope(|s| {
            let handles: Vec<_> = (1..threads).map(|t| s.spawn(move || part(t))).collect();
            let mut out = part(0);
            for h in handles {
                match h.join() {
                    Ok(hits) => out.extend(hits),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            out
        })
    }

    fn scan_part(
        &self,
        terms: &[Term],
        units: &[Vec<i64>],
        candidates: Candidates<'_>,
        range: std::ops::Range<usize>,
    ) -> Vec<(u32, i32)> {
        let mut out = Vec::new();
        let mut scratch = String::new();
        for i in range {
            let item = candidates.item(i);
            if let Some(e) = self.entries.get(item as usize)
                && let Some(score) = self.score_entry(e, terms, units, &mut scratch)
            {
                let clamped = score.clamp(i64::from(i32::MIN), i64::from(i32::MAX));
                out.push((item, clamped as i32));
            }
        }
        out
    }

    /// Each term's score against each distinct unit name (`NO_SCORE` when it does not match).
    fn unit_scores(&self, terms: &[Term]) -> Vec<Vec<i64>> {
        let mut scratch = String::new();
        terms
            .iter()
            .map(|term| {
                self.units
                    .iter()
                    .map(|f| {
                        matcher::match_field(
                            &*self.matcher,
                            &self.table,
                            term,
                            self.view(f),
                            false,
                            &mut scratch,
                        )
                        .map_or(NO_SCORE, |m| m.score)
                    })
                    .collect()
            })
            .collect()
    }

    /// The sum over terms of each term's best field; `None` when a term matches no field.
    /// A match on the (hidden) unit name counts `UNIT_PENALTY` less: it says where the record
    /// belongs, not what it is.
    fn score_entry(
        &self,
        e: &Entry,
        terms: &[Term],
        units: &[Vec<i64>],
        scratch: &mut String,
    ) -> Option<i64> {
        let mut total = 0i64;
        for (t, term) in terms.iter().enumerate() {
            let mut best = self.unit_score(e, t, units);
            for f in &e.fields {
                if let Some(m) = matcher::match_field(
                    &*self.matcher,
                    &self.table,
                    term,
                    self.view(f),
                    false,
                    scratch,
                ) {
                    best = Some(best.map_or(m.score, |b| b.max(m.score)));
                }
            }
            total += best?;
        }
        Some(total)
    }

    fn unit_score(&self, e: &Entry, term: usize, units: &[Vec<i64>]) -> Option<i64> {
        if e.unit == NONE {
            return None;
        }
        units
            .get(term)
            .and_then(|u| u.get(e.unit as usize))
            .copied()
            .filter(|s| *s != NO_SCORE)
            .map(|s| s - matcher::UNIT_PENALTY)
    }

    /// The best `limit` hits, best first: higher score, then findings before projects, units
    /// and checks, then the index order (numbers in natural order). One pass with a bounded
    /// heap: no copy or sort of 100,000 hits for the 50 shown.
    fn top(&self, hits: &[(u32, i32)], limit: usize) -> Vec<(u32, i64)> {
        // Smaller is better; the heap's top is the worst of the best so far.
        let key = |&(item, score): &(u32, i32)| {
            let rank = self
                .entries
                .get(item as usize)
                .map_or(u8::MAX, |e| e.kind.rank());
            (std::cmp::Reverse(score), rank, item)
        };
        let mut best: BinaryHeap<(std::cmp::Reverse<i32>, u8, u32)> =
            BinaryHeap::with_capacity(limit.min(hits.len()) + 1);
        for hit in hits {
            let k = key(hit);
            if best.len() < limit {
                best.push(k);
            } else if best.peek().is_some_and(|worst| k < *worst) {
                best.pop();
                best.push(k);
            }
        }
        best.into_sorted_vec()
            .into_iter()
            .map(|(std::cmp::Reverse(score), _, item)| (item, i64::from(score)))
            .collect()
    }

    /// The characters of the item's text that the terms matched: for each term, its best
    /// field's match (nothing when the best was the hidden unit name or a hidden field).
    fn highlight(&self, e: &Entry, terms: &[Term]) -> Vec<usize> {
        let mut positions = Vec::new();
        let mut scratch = String::new();
        for term in terms {
            let mut best: Option<(i64, Vec<usize>)> = None;
            for f in &e.fields {
                let Some(m) = matcher::match_field(
                    &*self.matcher,
                    &self.table,
                    term,
                    self.view(f),
                    true,
                    &mut scratch,
                ) else {
                    continue;
                };
                if best.as_ref().is_none_or(|(s, _)| m.score > *s) {
                    let shown = if f.offset == HIDDEN {
                        Vec::new()
                    } else {
                        let offset = usize::from(f.offset);
                        m.positions.iter().map(|p| p + offset).collect()
                    };
                    best = Some((m.score, shown));
                }
            }
            let unit = self
                .units
                .get(e.unit as usize)
                .and_then(|f| {
                    matcher::match_field(
                        &*self.matcher,
                        &self.table,
                        term,
                        self.view(f),
                        false,
                        &mut scratch,
                    )
                })
                .map(|m| m.score - matcher::UNIT_PENALTY);
            if let Some((score, shown)) = best
                && unit.is_none_or(|u| score >= u)
            {
                positions.extend(shown);
            }
        }
        positions.sort_unstable();
        positions.dedup();
        positions
    }
}
