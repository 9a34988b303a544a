//! The filter language (`search::filter`): any text parses or gives a bilingual error whose span
//! lies inside the input; a parsed filter is applied to the demo ledger's rows and sorts them
//! without panicking (relative dates, amounts, ranges and sort keys included).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rectify::domain::{Project, Unit};
use rectify::search::filter::{self, FilterContext};
use std::collections::HashMap;

fuzz_target!(|data: &[u8]| {
    let Ok(expr) = std::str::from_utf8(data) else {
        return;
    };
    match filter::parse(expr) {
        Ok(parsed) => {
            // The saved text parses to the same filter.
            let again = filter::parse(parsed.text()).expect("a filter's own text parses");
            assert_eq!(format!("{again:?}"), format!("{parsed:?}"));
            rectify_fuzz::with_demo(|demo| {
                let units: HashMap<_, Unit> = demo
                    .ledger
                    .all::<Unit>()
                    .expect("units")
                    .into_iter()
                    .map(|u| (u.id, u))
                    .collect();
                let projects: HashMap<_, Project> = demo
                    .ledger
                    .all::<Project>()
                    .expect("projects")
                    .into_iter()
                    .map(|p| (p.id, p))
                    .collect();
                let repeated = filter::repeated_ids(&demo.rows);
                let unit_of = |id: rectify::domain::Id| units.get(&id);
                let project_of = |id: rectify::domain::Id| projects.get(&id);
                // `--as-of` takes years 1900 to 2999.
                let first = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
                let last = chrono::NaiveDate::from_ymd_opt(2999, 12, 31).unwrap_or_default();
                for today in [rectify_fuzz::today(), first, last] {
                    let ctx = FilterContext::new(today, &unit_of, &project_of, &repeated);
                    let mut kept: Vec<_> = demo
                        .rows
                        .iter()
                        .filter(|r| parsed.matches(r, &ctx))
                        .collect();
                    parsed.sort(&mut kept, &ctx);
                }
            });
        }
        Err(e) => {
            rectify_fuzz::assert_clear(&e.msg);
            let chars = expr.chars().count();
            assert!(
                e.start <= e.end && e.end <= chars,
                "span {}..{} of {chars}",
                e.start,
                e.end
            );
            let _ = e.to_string();
            let _ = e.pointer(expr);
        }
    }
});
