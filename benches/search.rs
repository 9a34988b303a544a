//! Finder latency at scale: build the search index over a synthetic ledger of N findings, then
//! type realistic queries one character at a time and time every keystroke.
//!
//! ```text
//! cargo bench --bench search                  # 100,000 findings
//! cargo bench --bench search -- 10000         # another size
//! cargo bench --bench search -- 100000 5      # and 5 typing rounds per query (default 7)
//! ```
//!
//! Prints the index build time, the persisted size and load time, then for each query the
//! median, p99 and worst keystroke, the first (full-scan) keystroke, and a fresh full scan for
//! the whole query. Timings are wall-clock on whatever machine runs it; no assertions.

use chrono::NaiveDate;
use rectify::domain::{FindingRecords, FollowUpCheck, Project, Unit, status_at};
use rectify::ledger::FindingRow;
use rectify::search::index::SearchIndex;
use rectify::store::Record;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The queries `benches/keys.py` types into the app's finder, so the two sets of figures say
/// the same thing with and without the terminal.
const QUERIES: &[&str] = &[
    "预算",
    "czj",
    "专项债",
    "2022 zx",
    "y",
    "gz",
    "政府采购",
    "fsr",
    "2019-0001",
    "医保",
    "jsgc",
    "土地出让",
    "b",
    "往来款",
    "zfcg",
    "教育局",
    "kz",
    "2021",
    "住建",
    "hs",
    "涉粮",
    "m",
    "扶贫",
    "dx",
    "公务",
];
/// As the finder asks: its 200 results, of which it marks the rows it draws.
const LIMIT: usize = rectify::tui::finder::FINDER_LIMIT;
const ROWS_DRAWN: usize = 20;

fn main() {
    // `cargo bench` passes `--bench`; the numbers are the arguments that are numbers.
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = numbers.first().copied().unwrap_or(100_000);
    let rounds = numbers.get(1).copied().unwrap_or(7).max(1);
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();

    let started = Instant::now();
    let (units, projects, rows, checks) = ledger(n, today);
    println!(
        "synthetic ledger: {} findings, {} projects, {} units, {} checks ({} ms)",
        rows.len(),
        projects.len(),
        units.len(),
        checks.len(),
        started.elapsed().as_millis()
    );

    let mut builds = Vec::new();
    let checks: Vec<_> = checks.iter().collect();
    let mut index = SearchIndex::build(&units, &projects, &rows, &checks);
    for _ in 0..3 {
        let t = Instant::now();
        index = SearchIndex::build(&units, &projects, &rows, &checks);
        builds.push(t.elapsed());
    }
    builds.sort();
    println!(
        "index build: {} items, median {:.1} ms",
        index.len(),
        ms(builds[builds.len() / 2])
    );
    let bytes = index.to_bytes("bench");
    let t = Instant::now();
    let loaded = SearchIndex::from_bytes(&bytes, "bench");
    println!(
        "persisted: {:.1} MB, decoded in {:.1} ms ({})",
        bytes.len() as f64 / 1e6,
        ms(t.elapsed()),
        if loaded.is_some() { "ok" } else { "FAILED" }
    );
    drop(loaded);
    reopen_from_file(&bytes);

    println!(
        "\n{:<12} {:>5} {:>9} {:>9} {:>9} {:>10} {:>11} {:>8}",
        "query", "keys", "median", "p99", "max", "1st key", "full scan", "hits"
    );
    let mut all = Vec::new();
    for query in QUERIES {
        let (keys, first) = type_query(&mut index, query, rounds);
        let fresh = fresh_scan(&mut index, query, rounds);
        let hits = index.search(query, usize::MAX).len();
        all.extend(keys.iter().copied());
        let mut sorted = keys.clone();
        sorted.sort();
        println!(
            "{:<12} {:>5} {:>7.2}ms {:>7.2}ms {:>7.2}ms {:>8.2}ms {:>9.2}ms {:>8}",
            query,
            query.chars().count(),
            ms(percentile(&sorted, 50)),
            ms(percentile(&sorted, 99)),
            ms(sorted.last().copied().unwrap_or_default()),
            ms(first),
            ms(fresh),
            hits
        );
    }
    all.sort();
    println!(
        "\nall keystrokes ({}): median {:.2} ms, p99 {:.2} ms, max {:.2} ms (limit {LIMIT}, {} rounds)",
        all.len(),
        ms(percentile(&all, 50)),
        ms(percentile(&all, 99)),
        ms(all.last().copied().unwrap_or_default()),
        rounds
    );
}

/// Type `query` a character at a time, `rounds` times, from an empty finder each time. Returns
/// every keystroke's time and the median time of the first keystroke.
fn type_query(index: &mut SearchIndex, query: &str, rounds: usize) -> (Vec<Duration>, Duration) {
    let mut keys = Vec::new();
    let mut firsts = Vec::new();
    for _ in 0..rounds {
        index.search("", LIMIT);
        let mut typed = String::new();
        for (i, c) in query.chars().enumerate() {
            typed.push(c);
            let t = Instant::now();
            std::hint::black_box(as_the_finder_does(index, &typed));
            let took = t.elapsed();
            keys.push(took);
            if i == 0 {
                firsts.push(took);
            }
        }
    }
    firsts.sort();
    (keys, percentile(&firsts, 50))
}

/// One keystroke's search as the finder makes it: the results, then the marks of those drawn.
fn as_the_finder_does(index: &mut SearchIndex, query: &str) -> Vec<Vec<usize>> {
    let hits = index.search_unmarked(query, LIMIT);
    hits.iter()
        .take(ROWS_DRAWN)
        .map(|h| index.positions(query, h.item))
        .collect()
}

/// The whole query searched from scratch (pasted, not typed): one full scan.
fn fresh_scan(index: &mut SearchIndex, query: &str, rounds: usize) -> Duration {
    let mut times = Vec::new();
    for _ in 0..rounds {
        index.search("", LIMIT);
        let t = Instant::now();
        std::hint::black_box(as_the_finder_does(index, query));
        times.push(t.elapsed());
    }
    times.sort();
    percentile(&times, 50)
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) * p).div_ceil(100);
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The synthetic ledger as the TUI holds it: records grouped into finding rows with their
/// status on `today`, as `Ledger::finding_rows` makes them (without a store).
fn ledger(
    n: usize,
    today: NaiveDate,
) -> (Vec<Unit>, Vec<Project>, Vec<FindingRow>, Vec<FollowUpCheck>) {
    let records = rectify::demo::synthetic::synthetic_records(n, 1, today, |_| {});
    let mut units = Vec::new();
    let mut projects = Vec::new();
    let mut findings = Vec::new();
    let mut checks = Vec::new();
    let mut by_finding: HashMap<rectify::domain::Id, FindingRecords> = HashMap::new();
    for record in records {
        match record {
            Record::Unit(u) => units.push(u),
            Record::Project(p) => projects.push(p),
            Record::Finding(f) => findings.push(f),
            Record::Check(c) => {
                by_finding
                    .entry(c.finding)
                    .or_default()
                    .checks
                    .push(c.clone());
                checks.push(c);
            }
            other => {
                if let Some(finding) = other.finding() {
                    rectify::ledger::file_record(by_finding.entry(finding).or_default(), other);
                }
            }
        }
    }
    let near_due = rectify::domain::status::DEFAULT_NEAR_DUE_DAYS;
    let mut rows: Vec<FindingRow> = findings
        .into_iter()
        .map(|finding| {
            let records = by_finding.remove(&finding.id).unwrap_or_default();
            let status = status_at(&finding, &records, today, near_due);
            FindingRow {
                finding,
                status,
                records,
            }
        })
        .collect();
    rows.sort_by_cached_key(|r| rectify::ledger::natural_key(&r.finding.number));
    (units, projects, rows, checks)
}

/// What reopening the app's finder costs: it lets its index go when it closes and reads the
/// kept file again (from the page cache, as right after the file was written).
fn reopen_from_file(bytes: &[u8]) {
    let path = std::env::temp_dir().join(format!("rectify-bench-{}.idx", std::process::id()));
    if std::fs::write(&path, bytes).is_err() {
        println!("reopened from a file: could not write {}", path.display());
        return;
    }
    let mut times = Vec::new();
    let mut ok = true;
    for _ in 0..9 {
        let t = Instant::now();
        let index = SearchIndex::open(&path, "bench");
        times.push(t.elapsed());
        ok &= index.is_some();
        drop(index);
        // As the app does when its finder closes: the memory goes back to the system, so each
        // opening pays its page faults again.
        // SAFETY: malloc_trim only walks glibc's own free lists; it takes no pointers of ours.
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        unsafe {
            libc::malloc_trim(0);
        }
    }
    let _ = std::fs::remove_file(&path);
    times.sort();
    println!(
        "reopened from a file: median {:.1} ms, max {:.1} ms ({})",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        if ok { "ok" } else { "FAILED" }
    );
}
