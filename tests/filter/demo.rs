//! The language over the demo ledger, loaded into a real store the way `rectify demo` does, and
//! checked against the statuses the ledger derives.

use super::fixture::d;
use chrono::NaiveDate;
use rectify::domain::{Id, Labelled, Project, Status, Unit};
use rectify::ledger::{FindingRow, Ledger};
use rectify::search::filter::{self, FilterContext, repeated_ids, vocabulary};
use rectify::store::SledStore;
use std::collections::{HashMap, HashSet};

/// A condition on a row, computed directly for comparison with the filter.
type RowTest<'a> = dyn Fn(&FindingRow) -> bool + 'a;

struct Demo {
    today: NaiveDate,
    rows: Vec<FindingRow>,
    units: HashMap<Id, Unit>,
    projects: HashMap<Id, Project>,
    repeated: HashSet<Id>,
    _dir: tempfile::TempDir,
}

fn demo() -> Demo {
    let today = d(2024, 6, 1);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SledStore::open(&dir.path().join("ledger"), "tester").expect("open store");
    let mut ledger = Ledger::new(store);
    ledger
        .create_batch(rectify::demo::story::demo_records(today))
        .expect("demo loads");
    let rows = ledger.finding_rows(today).expect("rows");
    let units = ledger.all::<Unit>().expect("units");
    let projects = ledger.all::<Project>().expect("projects");
    Demo {
        today,
        repeated: repeated_ids(&rows),
        rows,
        units: units.into_iter().map(|u| (u.id, u)).collect(),
        projects: projects.into_iter().map(|p| (p.id, p)).collect(),
        _dir: dir,
    }
}

impl Demo {
    fn numbers(&self, expr: &str) -> Vec<String> {
        let filter = filter::parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let units = |id: Id| self.units.get(&id);
        let projects = |id: Id| self.projects.get(&id);
        let ctx = FilterContext::new(self.today, &units, &projects, &self.repeated);
        let mut rows: Vec<&FindingRow> = self
            .rows
            .iter()
            .filter(|r| filter.matches(r, &ctx))
            .collect();
        filter.sort(&mut rows, &ctx);
        rows.iter().map(|r| r.finding.number.to_string()).collect()
    }

    /// The numbers of the rows satisfying `pred`, in the ledger's (number) order.
    fn expected(&self, pred: impl Fn(&FindingRow) -> bool) -> Vec<String> {
        self.rows
            .iter()
            .filter(|r| pred(r))
            .map(|r| r.finding.number.to_string())
            .collect()
    }

    fn unit_names(&self, r: &FindingRow) -> Vec<String> {
        r.finding
            .units
            .iter()
            .filter_map(|u| self.units.get(&u.unit))
            .flat_map(|u| [u.name.clone(), u.short_name.clone()])
            .collect()
    }
}

#[test]
fn tags_count_what_the_ledger_derives() {
    let demo = demo();
    let cases: [(&str, &RowTest); 8] = [
        ("+超期", &|r| r.status.overdue),
        ("+临期", &|r| r.status.near_due),
        ("+待认定", &|r| r.status.status == Status::AwaitingReview),
        ("+重开", &|r| r.status.reopened),
        ("+草稿", &|r| r.status.status == Status::NotStarted),
        ("+批示", &|r| r.finding.flags.leader_instruction),
        ("+边审边改", &|r| r.finding.during_audit),
        ("+屡审屡犯", &|r| {
            !r.finding.repeat_of.is_empty() || demo.repeated.contains(&r.finding.id)
        }),
    ];
    for (expr, pred) in cases {
        let want = demo.expected(pred);
        assert!(!want.is_empty(), "the demo should have {expr} findings");
        assert_eq!(demo.numbers(expr), want, "{expr}");
    }
    // Negation splits the ledger in two.
    let (yes, no) = (demo.numbers("+超期").len(), demo.numbers("-+超期").len());
    assert_eq!(yes + no, demo.rows.len());
}

#[test]
fn status_and_unit_together() {
    let demo = demo();
    let want = demo.expected(|r| {
        r.status.status == Status::NotRectified
            && demo.unit_names(r).iter().any(|n| n.contains("财政"))
    });
    // In the story: 2022-01-05, the 1500万 lent again to 城投集团 (a 屡审屡犯 of 2021-01-03).
    assert_eq!(want, ["2022-01-05"]);
    assert_eq!(demo.numbers("状态:未整改 单位:财政"), want);
    assert_eq!(
        demo.numbers("状态:未整改 单位:财政 +屡审屡犯 +批示 +重点督办"),
        want
    );
    assert_eq!(demo.numbers("status:NotRectified unit:财政"), want);
    // Every status label, Chinese and English, selects exactly that status.
    for status in Status::ALL {
        let want = demo.expected(|r| r.status.status == *status);
        assert_eq!(
            demo.numbers(&format!("状态:{}", status.zh())),
            want,
            "{status:?}"
        );
        assert_eq!(
            demo.numbers(&format!("status:\"{}\"", status.en())),
            want,
            "{status:?}"
        );
    }
}

#[test]
fn urgency_puts_open_findings_first() {
    let demo = demo();
    let ordered = demo.numbers("排序:紧迫度");
    assert_eq!(ordered.len(), demo.rows.len());
    let by_number: HashMap<&str, &FindingRow> =
        demo.rows.iter().map(|r| (&*r.finding.number, r)).collect();
    let units = |id: Id| demo.units.get(&id);
    let projects = |id: Id| demo.projects.get(&id);
    let ctx = FilterContext::new(demo.today, &units, &projects, &demo.repeated);
    let scores: Vec<f64> = ordered
        .iter()
        .map(|n| ctx.urgency(by_number[n.as_str()]))
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let top = by_number[ordered[0].as_str()];
    assert!(
        top.status.overdue,
        "the most urgent demo finding is overdue: {:?}",
        top.status
    );
    // Rectified and draft findings score nothing and come last.
    let done = ordered
        .iter()
        .rev()
        .take_while(|n| {
            let s = by_number[n.as_str()].status.status;
            s.is_rectified() || s == Status::NotStarted
        })
        .count();
    assert_eq!(
        done,
        demo.expected(|r| r.status.status.is_rectified() || r.status.status == Status::NotStarted)
            .len()
    );
}

#[test]
fn every_help_example_runs_over_the_demo() {
    let demo = demo();
    for (shown, _, _) in vocabulary() {
        for form in shown.split(" / ") {
            let _ = demo.numbers(form);
        }
    }
    // A few that must find something in the story.
    for expr in [
        "单位:财政",
        "年度:2022",
        "金额>100万",
        "方式:持续整改",
        "+超期 sort:-amount",
        "预算",
    ] {
        assert!(!demo.numbers(expr).is_empty(), "{expr}");
    }
}
