//! A record as it stood at the end of the cutoff day, so a report does not change when someone
//! edits the ledger later. Records are dated by what they tell (a check of 3 May counts for a
//! cutoff of 30 June whenever it was typed in); edits of fields are dated by when they were made:
//! an edit made after the cutoff is left out. A record first entered after the cutoff keeps the
//! values it was entered with (it is how the ledger learnt of it).
//!
//! Days are counted in China Standard Time (UTC+8), the bureau's own, so a report is the same
//! on every machine whatever its time zone.

use crate::store::apply::{self, MemoryView};
use crate::store::{Change, Record, Store, StoreResult};
use chrono::{FixedOffset, NaiveDate};

fn china() -> FixedOffset {
    // 8 hours east is always a valid offset; UTC is only the type's fallback.
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| chrono::Utc.fix())
}

use chrono::{Offset, TimeZone};

/// The day an op was made, in China Standard Time.
pub fn op_day(at: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    china().from_utc_datetime(&at.naive_utc()).date_naive()
}

/// `current` as it stood at the end of `cutoff`.
pub fn as_of(store: &impl Store, current: Record, cutoff: NaiveDate) -> StoreResult<Record> {
    let history = store.history(current.id())?;
    let edited_later = history
        .iter()
        .any(|op| matches!(op.change, Change::Set { .. }) && op_day(op.at) > cutoff);
    if !edited_later {
        return Ok(current);
    }
    let mut view = MemoryView::default();
    for op in &history {
        let counts = match op.change {
            Change::Create { .. } => true,
            Change::Set { .. } => op_day(op.at) <= cutoff,
        };
        if counts {
            apply::apply(&mut view, op)?;
        }
    }
    Ok(view.records.remove(&current.id()).unwrap_or(current))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_counted_in_china_standard_time() {
        let late_evening_utc = chrono::Utc
            .with_ymd_and_hms(2023, 6, 30, 17, 30, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(
            op_day(late_evening_utc),
            NaiveDate::from_ymd_opt(2023, 7, 1).unwrap_or_default()
        );
        let afternoon_utc = chrono::Utc
            .with_ymd_and_hms(2023, 6, 30, 15, 59, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(
            op_day(afternoon_utc),
            NaiveDate::from_ymd_opt(2023, 6, 30).unwrap_or_default()
        );
    }
}
