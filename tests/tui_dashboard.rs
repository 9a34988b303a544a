//! The 总览 on the demo ledger: its totals are the annual report's figures under the same 口径,
//! every number opens a list of exactly that many findings, the parts add up, and the figures
//! are computed once per snapshot state.

mod common;

use common::tui_env::{TuiEnv, test_today};
use rectify::report::{self, Basis, Caliber, Scope as ReportScope};
use rectify::tui::action::Action;
use rectify::tui::stats::{Drill, Section};
use rectify::tui::view::{Scope, Selected, ViewKind};
use std::collections::BTreeSet;

/// The 口径 the tests try: the 总览's default and one change of each rule.
const CALIBERS: [&str; 5] = [
    "",
    "partial=yes,long-term=no",
    "basis=amount",
    "scope=reported",
    "部分整改=是，持续整改=否，口径=金额",
];

fn env_with(caliber: &str) -> TuiEnv {
    let mut env = TuiEnv::new("default", true);
    env.app
        .set_caliber(caliber)
        .unwrap_or_else(|e| panic!("{caliber}: {e}"));
    env
}

/// Sum of the annual reports of every year of the ledger, under the 总览's 口径.
struct Summed {
    total: u64,
    rectified: u64,
    denominator: u64,
    numerator: i64,
    rate_denominator: i64,
    amount_involved: i64,
    findings: BTreeSet<rectify::domain::Id>,
}

fn reports(env: &TuiEnv, caliber: Caliber, years: (i32, i32)) -> Summed {
    let mut s = Summed {
        total: 0,
        rectified: 0,
        denominator: 0,
        numerator: 0,
        rate_denominator: 0,
        amount_involved: 0,
        findings: BTreeSet::new(),
    };
    for year in years.0..=years.1 {
        let r = report::annual(&env.app.ledger, year, caliber).expect("report");
        let f = &r.figures;
        s.total += f.total.count;
        s.rectified += f.rectified.count;
        s.denominator += f.denominator.count;
        s.numerator += f.rate.numerator;
        s.rate_denominator += f.rate.denominator;
        s.amount_involved += f.amount_involved.amount.fen();
        s.findings.extend(f.total.findings.iter().copied());
    }
    s
}

#[test]
fn the_totals_are_the_annual_reports_figures_under_the_same_caliber() {
    for text in CALIBERS {
        let env = env_with(text);
        let caliber = env.app.caliber();
        assert_eq!(caliber.cutoff, test_today(), "the 口径 is as of today");
        let d = env.app.dashboard();
        let years = d.years.expect("the demo has findings");
        // Years before and after the counted ones hold nothing the 总览 would count.
        let s = reports(&env, caliber, (years.0 - 1, years.1 + 1));
        let t = &d.totals;
        assert!(s.total > 0, "{text}");
        assert_eq!(t.findings as u64, s.total, "问题总数 under {text:?}");
        assert_eq!(t.rectified as u64, s.rectified, "已整改 under {text:?}");
        assert_eq!(t.denominator as u64, s.denominator, "分母 under {text:?}");
        assert_eq!(t.amount.fen(), s.amount_involved, "涉及金额 under {text:?}");
        let rate = d.rate();
        assert_eq!(
            (rate.numerator, rate.denominator),
            (s.numerator, s.rate_denominator),
            "整改率 under {text:?}"
        );
        // And the findings behind 问题总数 are the reports' findings, one for one.
        let listed: BTreeSet<_> = rectify::tui::stats::members(&env.app.snap, &caliber, Drill::All)
            .into_iter()
            .map(|i| env.app.snap.findings[i].finding.id)
            .collect();
        assert_eq!(listed, s.findings, "{text:?}");
    }
}

#[test]
fn the_default_caliber_is_the_seeds_over_every_issued_finding() {
    let env = TuiEnv::new("default", true);
    let c = env.app.caliber();
    assert_eq!(
        c,
        Caliber {
            scope: ReportScope::All,
            ..Caliber::seed(test_today())
        }
    );
    assert_eq!(c.basis, Basis::Count);
    let screen = TuiEnv::new("default", true).screen(120, 40);
    let line = screen.lines().nth(2).unwrap_or_default();
    assert!(
        line.contains("口径：截至 2026-11-28") && line.contains("全部已下发问题"),
        "the 口径 is stated on the 总览: {line}"
    );
    assert!(line.contains("部分整改不计入已整改") && line.contains("持续整改计入分母"));
}

#[test]
fn a_refused_caliber_changes_nothing() {
    let mut env = TuiEnv::new("default", true);
    let before = env.app.caliber();
    let err = env.app.set_caliber("partial=maybe").err().map(|m| m.zh);
    assert!(err.is_some_and(|e| e.contains("partial")));
    assert_eq!(env.app.caliber(), before);
}

#[test]
fn every_number_lists_exactly_its_findings_and_esc_comes_back_to_it() {
    for text in CALIBERS {
        let mut env = env_with(text);
        let d = env.app.dashboard();
        assert_eq!(env.app.items().len(), d.rows.len());
        for (i, row) in d.rows.iter().enumerate() {
            env.app.nav.current_mut().selected = i;
            assert_eq!(env.app.selected(), Some(Selected::Stat(i)));
            env.app.act(Action::Open);
            let kind = env.app.nav.current().kind;
            assert_eq!(
                kind,
                ViewKind::Findings(Scope::Stat(env.app.caliber(), row.drill)),
                "{text:?} row {i}"
            );
            assert_eq!(
                env.app.items().len(),
                row.count,
                "{text:?}: {:?} shows {} but lists {}",
                row.drill,
                row.count,
                env.app.items().len()
            );
            env.app.act(Action::Back);
            assert_eq!(env.app.nav.current().kind, ViewKind::Dashboard);
            assert_eq!(env.app.nav.current().selected, i, "back on the same row");
        }
    }
}

#[test]
fn the_parts_add_up_to_the_whole() {
    for text in CALIBERS {
        let env = env_with(text);
        let d = env.app.dashboard();
        let sum = |section: Section| -> usize {
            d.section_rows(section)
                .map(|i| &d.rows[i])
                .filter(|r| r.drill != Drill::NotIssued)
                .map(|r| r.count)
                .sum()
        };
        let total = d.totals.findings;
        assert_eq!(sum(Section::Status), total, "{text:?}");
        assert_eq!(sum(Section::Units), total, "{text:?}");
        assert_eq!(sum(Section::Types), total, "{text:?}");
        assert_eq!(sum(Section::Aging), d.totals.overdue, "{text:?}");
        let at = |drill: Drill| d.row_of(drill).map(|i| d.rows[i].count);
        assert_eq!(at(Drill::All), Some(total));
        assert_eq!(
            at(Drill::Rectified).unwrap_or(0) + at(Drill::Unfinished).unwrap_or(0),
            total
        );
        // Worst rate first in both tables.
        for section in [Section::Units, Section::Types] {
            let rates: Vec<f64> = d
                .section_rows(section)
                .filter_map(|i| d.rows[i].tally.as_ref())
                .map(|t| t.rate(d.caliber.basis))
                .filter(|r| r.denominator > 0)
                .map(|r| r.numerator as f64 / r.denominator as f64)
                .collect();
            assert!(
                rates.windows(2).all(|w| w[0] <= w[1]),
                "{text:?}: {rates:?}"
            );
        }
    }
}

#[test]
fn the_figures_are_computed_once_per_snapshot_state() {
    let mut env = TuiEnv::new("default", true);
    let first = env.app.dashboard();
    env.screen(120, 40);
    env.keys("<down><down>v");
    env.screen(80, 24);
    assert!(
        std::rc::Rc::ptr_eq(&first, &env.app.dashboard()),
        "frames and keys reuse the figures"
    );
    // A change makes a new snapshot state, and new figures: archive a counted finding.
    let caliber = env.app.caliber();
    let counted = rectify::tui::stats::members(&env.app.snap, &caliber, Drill::All);
    let id = env.app.snap.findings[counted[0]].finding.id;
    env.keys("3");
    let at = env
        .app
        .items()
        .iter()
        .position(|s| *s == Selected::Finding(id));
    env.app.nav.current_mut().selected = at.expect("listed");
    env.keys("ay1");
    let now = env.app.dashboard();
    assert!(!std::rc::Rc::ptr_eq(&first, &now));
    assert_eq!(now.totals.findings + 1, first.totals.findings);
}

#[test]
fn next_view_walks_the_sections_and_wraps() {
    let mut env = TuiEnv::new("default", true);
    let d = env.app.dashboard();
    let mut seen = Vec::new();
    for _ in 0..Section::ALL.len() + 1 {
        let i = env.app.nav.current().selected;
        seen.push(d.rows[i].drill.section());
        env.keys("v");
    }
    let mut expected = Section::ALL.to_vec();
    expected.push(Section::Totals);
    assert_eq!(seen, expected);
}

#[test]
fn both_sizes_show_what_fits_and_no_row_is_cut_mid_character() {
    let mut env = TuiEnv::new("default", true);
    // `screen` panics on a wide character drawn over; every row ends on a border.
    let big = env.screen(120, 40);
    for part in [
        "整改情况",
        "整改状态",
        "超期问题",
        "按牵头单位",
        "按项目类型",
        "整改率",
    ] {
        assert!(big.contains(part), "120×40 shows {part}:\n{big}");
    }
    let small = env.screen(80, 24);
    for part in ["整改情况", "超期问题", "按牵头单位", "整改率"] {
        assert!(small.contains(part), "80×24 shows {part}:\n{small}");
    }
    for screen in [&big, &small] {
        let rows: Vec<&str> = screen.lines().collect();
        for row in &rows[4..rows.len() - 1] {
            let last = row.chars().last().unwrap_or(' ');
            assert!(
                matches!(last, '│' | '┐' | '┘') || row.trim().is_empty(),
                "{row:?}\n{screen}"
            );
        }
    }
    // The section the cursor is in is shown even when it would not fit otherwise.
    env.keys("v");
    assert!(env.screen(80, 24).contains("整改状态"));
    env.keys("vvv");
    assert!(env.screen(80, 24).contains("按项目类型"));
    // Under the minimum size the app says so.
    assert!(env.screen(59, 24).contains("窗口太小"));
}

#[test]
fn ascii_bars_and_borders_with_ascii() {
    let mut env = TuiEnv::new("default", true);
    env.app.theme = rectify::tui::theme::Theme::new(true, rectify::config::Theme::Auto);
    let screen = env.screen(120, 40);
    assert!(screen.contains("##"), "{screen}");
    let bad: String = screen
        .chars()
        .filter(|c| matches!(c, '\u{2500}'..='\u{259f}' | '▶' | '›'))
        .collect();
    assert!(bad.is_empty(), "non-ASCII drawing {bad:?}:\n{screen}");
}

/// The 总览 on a synthetic ledger (100,000 findings unless `RECTIFY_DASH_N` says otherwise):
/// the figures once, then frames and keys that reuse them. Prints the timings; run with
/// `cargo test --release --test tui_dashboard -- --ignored --nocapture`.
#[test]
#[ignore = "slow: writes a synthetic ledger; run by hand for BENCHMARKS.md"]
fn at_scale_the_figures_are_computed_once_and_frames_stay_fast() {
    use std::time::Instant;
    let n: usize = std::env::var("RECTIFY_DASH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let mut env = TuiEnv::new("default", false);
    let records = rectify::demo::synthetic::synthetic_records(n, 1, test_today(), |_| {});
    env.app
        .ledger
        .create_batch(records)
        .expect("synthetic ledger");
    let started = Instant::now();
    let snap = rectify::tui::model::Snapshot::load(&env.app.ledger, test_today()).expect("load");
    let load = started.elapsed();
    env.app.snap = snap;
    env.app.mode = rectify::tui::app::Mode::Normal;
    let started = Instant::now();
    let d = env.app.dashboard();
    let compute = started.elapsed();
    let mut frames = Vec::new();
    for key in [
        "<down>", "<down>", "v", "v", "v", "<down>", "v", "<up>", "v", "v",
    ] {
        let started = Instant::now();
        env.keys(key);
        env.screen(120, 40);
        frames.push(started.elapsed());
    }
    frames.sort();
    assert!(
        std::rc::Rc::ptr_eq(&d, &env.app.dashboard()),
        "computed once"
    );
    // The largest unit's drill-down: its list agrees with its count.
    let units = d.section_rows(Section::Units);
    let biggest = units.max_by_key(|i| d.rows[*i].count).expect("units");
    env.keys("1");
    env.app.nav.current_mut().selected = biggest;
    let started = Instant::now();
    env.app.act(Action::Open);
    let listed = env.app.items().len();
    env.screen(120, 40);
    let drill = started.elapsed();
    assert_eq!(listed, d.rows[biggest].count);
    println!(
        "{n} findings ({} counted): snapshot load {load:?}, figures {compute:?}, \
         key + frame median {:?} max {:?}, drill-down of {listed} + frame {drill:?}",
        d.totals.findings,
        frames[frames.len() / 2],
        frames[frames.len() - 1],
    );
}

#[test]
fn an_empty_ledger_shows_zeros_and_no_rate() {
    let mut env = TuiEnv::new("default", false);
    env.keys("<enter>");
    for (w, h) in [(120, 40), (80, 24), (60, 16)] {
        let screen = env.screen(w, h);
        assert!(screen.contains("问题总数"), "{screen}");
        assert!(
            screen.contains("（无）"),
            "the tables say they are empty:\n{screen}"
        );
    }
    let d = env.app.dashboard();
    assert_eq!(d.totals.findings, 0);
    assert_eq!(d.years, None);
    assert_eq!(d.rate().denominator, 0);
    // Enter on a zero lists nothing; Esc comes back.
    env.keys("<enter>");
    assert!(env.app.items().is_empty());
    env.keys("<esc>");
    assert_eq!(env.app.nav.current().kind, ViewKind::Dashboard);
}
