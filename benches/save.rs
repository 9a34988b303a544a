//! A durable save: one finding created through the ledger (validation, journal append + fsync,
//! sled transaction + flush), on a store holding the demo ledger or a synthetic one.
//!
//! `cargo bench --bench save` (optionally `-- 10000` for a synthetic ledger of that many
//! findings first). Prints median, p90 and p99 over 300 saves. Figures go to BENCHMARKS.md.

use chrono::NaiveDate;
use rectify::domain::{Finding, Project, ResponsibleUnit, UnitRole};
use rectify::ledger::Ledger;
use rectify::store::SledStore;
use std::time::Instant;

const SAVES: usize = 300;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let size: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(0);
    let dir = tempfile::tempdir()?;
    let mut ledger = Ledger::new(SledStore::open(&dir.path().join("ledger"), "bench")?);
    let today = chrono::Local::now().date_naive();
    let records = if size > 0 {
        rectify::demo::synthetic::synthetic_records(size, 1, today, |_| {})
    } else {
        rectify::demo::story::demo_records(today)
    };
    ledger.create_batch(records)?;
    let project = ledger
        .all::<Project>()?
        .into_iter()
        .next()
        .ok_or("no project")?;
    let unit = *project.audited_units.first().ok_or("no unit")?;
    let deadline = NaiveDate::from_ymd_opt(2030, 6, 30).ok_or("date")?;

    let mut times = Vec::with_capacity(SAVES);
    for i in 0..SAVES {
        let mut f = Finding::new(
            project.id,
            &format!("B-{i}"),
            "预算编制不够细化（基准测试）",
            deadline,
        );
        f.units = Box::new([ResponsibleUnit {
            unit,
            role: UnitRole::Lead,
        }]);
        let start = Instant::now();
        ledger.create(f)?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "durable save (ledger of {}): median {:.2} ms, p90 {:.2} ms, p99 {:.2} ms over {SAVES} saves",
        if size > 0 {
            format!("{size} synthetic findings")
        } else {
            "the demo".into()
        },
        at(0.5),
        at(0.9),
        at(0.99)
    );
    Ok(())
}
