//! Ordering rows by the columns of `sort:`. Each column has a natural direction (urgency and
//! days overdue: most pressing first; the rest ascending); `-` reverses it. Rows without a
//! value (no amount, no deadline left) go last either way, and ties fall back to the finding
//! number, so the order is total and stable from one keystroke to the next.
//!
//! The filter line re-sorts on every keystroke, over up to 100,000 rows: each row's values are
//! computed once into flat buffers (text cut into natural-order segments, nothing allocated
//! per row), and a list already in number order is left as it is.

use super::FilterContext;
use super::vocab::SortField;
use crate::domain::{Labelled, Mode, Severity, Status};
use crate::ledger::{FindingRow, Segment, number_order, segments};
use chrono::Datelike;
use std::cmp::Ordering;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SortKey {
    pub field: SortField,
    /// Written with a leading `-`.
    pub reversed: bool,
}

/// One row's value in one column; text is a range of the shared segment buffer.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Missing,
    Int(i64),
    Float(f64),
    Text(Range<usize>),
}

fn index_of<T: Labelled + PartialEq>(v: T) -> i64 {
    T::ALL
        .iter()
        .position(|x| *x == v)
        .map_or(i64::MAX, |i| i as i64)
}

/// The sort values of all rows, row-major, and the text segments they point into.
struct Table<'v> {
    vals: Vec<Val>,
    segs: Vec<Segment<'v>>,
}

impl<'v> Table<'v> {
    fn text(&mut self, s: &'v str) -> Val {
        let start = self.segs.len();
        self.segs.extend(segments(s));
        Val::Text(start..self.segs.len())
    }

    fn push<'c: 'v>(&mut self, field: SortField, row: &'v FindingRow, ctx: &'v FilterContext<'c>) {
        let f = &row.finding;
        let project = || (ctx.projects)(f.project);
        let val = match field {
            SortField::Number => self.text(&f.number),
            SortField::Status => Val::Int(index_of::<Status>(row.status.status)),
            SortField::Urgency => Val::Float(ctx.urgency(row)),
            SortField::Deadline => f
                .effective_deadline(ctx.today)
                .map_or(Val::Missing, |d| Val::Int(i64::from(d.num_days_from_ce()))),
            SortField::Amount => f.amount.map_or(Val::Missing, |m| Val::Int(m.fen())),
            SortField::Overdue => Val::Int(row.status.days_overdue),
            SortField::Unit => match f.lead_unit().and_then(|id| (ctx.units)(id)) {
                Some(u) => self.text(u.display_name()),
                None => Val::Missing,
            },
            SortField::Project => match project() {
                Some(p) => self.text(&p.number),
                None => Val::Missing,
            },
            SortField::Title => self.text(&f.title),
            SortField::Year => project().map_or(Val::Missing, |p| Val::Int(i64::from(p.year))),
            SortField::Mode => Val::Int(index_of::<Mode>(f.mode)),
            SortField::Severity => Val::Int(index_of::<Severity>(f.severity)),
        };
        self.vals.push(val);
    }

    fn compare(&self, a: &Val, b: &Val, descending: bool) -> Ordering {
        let order = match (a, b) {
            (Val::Missing, Val::Missing) => return Ordering::Equal,
            (Val::Missing, _) => return Ordering::Greater,
            (_, Val::Missing) => return Ordering::Less,
            (Val::Int(x), Val::Int(y)) => x.cmp(y),
            (Val::Float(x), Val::Float(y)) => x.total_cmp(y),
            (Val::Text(x), Val::Text(y)) => {
                let seg = |r: &Range<usize>| self.segs.get(r.clone()).unwrap_or(&[]);
                seg(x).cmp(seg(y))
            }
            // One column always gives one kind of value; equal keeps the sort total regardless.
            _ => Ordering::Equal,
        };
        if descending { order.reverse() } else { order }
    }
}

pub(super) fn sort(keys: &[SortKey], rows: &mut [&FindingRow], ctx: &FilterContext) {
    if keys.is_empty() && rows.windows(2).all(|w| number_order(w[0], w[1]).is_le()) {
        return; // the common case: the ledger's rows come in number order already
    }
    // The finding number is always the last column: it breaks every tie.
    let columns: Vec<(SortField, bool)> = keys
        .iter()
        .map(|k| (k.field, k.field.descending_by_default() != k.reversed))
        .chain([(SortField::Number, false)])
        .collect();
    let width = columns.len();
    let original: Vec<&FindingRow> = rows.to_vec();
    let mut table = Table {
        vals: Vec::with_capacity(rows.len() * width),
        segs: Vec::with_capacity(rows.len() * 6),
    };
    for row in &original {
        for (field, _) in &columns {
            table.push(*field, row, ctx);
        }
    }
    let mut order: Vec<usize> = (0..original.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let (va, vb) = (&table.vals[a * width..], &table.vals[b * width..]);
        columns
            .iter()
            .zip(va.iter().zip(vb))
            .map(|((_, desc), (x, y))| table.compare(x, y, *desc))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| original[a].finding.id.cmp(&original[b].finding.id))
    });
    for (slot, i) in rows.iter_mut().zip(order) {
        *slot = original[i];
    }
}

#[cfg(test)]
mod tests {
    use crate::ledger::{natural_cmp, natural_key};

    #[test]
    fn natural_order_matches_the_ledger() {
        let mut words = vec![
            "2022-03-10",
            "2022-03-02",
            "2022-3-2",
            "2022-03-02a",
            "a",
            "",
            "10",
            "9",
            "99999999999999999999999",
            "区财政局",
            "财政局",
            "2021-01",
            "x2",
            "x10",
        ];
        let mut by_key = words.clone();
        by_key.sort_by_key(|w| natural_key(w));
        words.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(words, by_key);
    }
}
