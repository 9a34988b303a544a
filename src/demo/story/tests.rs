//! The demo must hold together: every record valid, every status and mode present.
use super::*;
use crate::domain::Status;
use crate::domain::status::{
    DEFAULT_NEAR_DUE_DAYS, FindingRecords, StatusView, next_check_due, status_at,
};
use crate::domain::{CheckPlan, OutcomeKind, Referral, ReferralStatus};
use std::collections::HashSet;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn grouped(records: &[Record]) -> (Vec<Finding>, HashMap<Id, FindingRecords>) {
    let mut findings = Vec::new();
    let mut map: HashMap<Id, FindingRecords> = HashMap::new();
    for r in records {
        match r {
            Record::Finding(f) => findings.push(f.clone()),
            Record::Check(c) => map.entry(c.finding).or_default().checks.push(c.clone()),
            Record::Progress(p) => map.entry(p.finding).or_default().reports.push(p.clone()),
            Record::Determination(d) => map
                .entry(d.finding)
                .or_default()
                .determinations
                .push(d.clone()),
            Record::Closure(c) => map.entry(c.finding).or_default().closures.push(c.clone()),
            Record::Reopen(o) => map.entry(o.finding).or_default().reopens.push(o.clone()),
            _ => {}
        }
    }
    (findings, map)
}

fn views(records: &[Record], today: NaiveDate) -> Vec<(Finding, StatusView)> {
    let (findings, map) = grouped(records);
    let empty = FindingRecords::default();
    findings
        .into_iter()
        .map(|f| {
            let v = status_at(
                &f,
                map.get(&f.id).unwrap_or(&empty),
                today,
                DEFAULT_NEAR_DUE_DAYS,
            );
            (f, v)
        })
        .collect()
}

#[test]
fn every_row_parses_and_scene_is_known() {
    let units = build_units();
    assert_eq!(units.len(), UNITS.len());
    for row in project_rows(day(2026, 11, 28)) {
        assert!(parse_project(&row, &units).is_some(), "{row}");
    }
    let scenes = [
        "C", "K", "A", "P", "N", "W", "LO", "LF", "G", "E", "R", "F", "D",
    ];
    for row in FINDINGS {
        let s = Spec::parse(row).unwrap_or_else(|| panic!("bad row: {row}"));
        let cells: Vec<&str> = row.split('|').collect();
        assert!(scenes.contains(&s.scene), "{row}");
        assert!(
            s.units.iter().all(|u| find_unit(&units, u).is_some()),
            "{row}"
        );
        assert_eq!(s.amount.is_some(), cells[6] != "-", "{row}");
        assert_eq!(s.during.is_some(), cells[9] != "-", "{row}");
        assert_eq!(s.reason.is_some(), cells[10] != "-", "{row}");
    }
}

#[test]
fn records_are_valid_ordered_and_dated_sensibly() {
    for today in [
        day(2026, 11, 28),
        day(2027, 6, 1),
        day(2024, 3, 1),
        day(2022, 1, 15),
    ] {
        let records = demo_records(today);
        let mut seen: HashSet<Id> = HashSet::new();
        let mut rank = 0;
        let issued: HashMap<Id, Option<NaiveDate>> = records
            .iter()
            .filter_map(|r| match r {
                Record::Finding(f) => Some((f.id, f.issued_on)),
                _ => None,
            })
            .collect();
        let mut last_per_finding: HashMap<Id, NaiveDate> = HashMap::new();
        for r in &records {
            assert_eq!(r.validate(), Ok(()), "{today}: {r:?}");
            let this_rank = match r {
                Record::Unit(_) => 0,
                Record::Project(_) => 1,
                Record::Finding(_) => 2,
                _ => 3,
            };
            assert!(this_rank >= rank, "dependency order");
            rank = this_rank;
            match r {
                Record::Unit(u) => assert!(u.parent.is_none_or(|p| seen.contains(&p))),
                Record::Project(p) => assert!(p.audited_units.iter().all(|u| seen.contains(u))),
                Record::Finding(f) => {
                    assert!(seen.contains(&f.project));
                    assert!(f.units.iter().all(|u| seen.contains(&u.unit)));
                    assert!(f.repeat_of.iter().all(|x| seen.contains(x)));
                    assert_eq!(
                        f.units.iter().filter(|u| u.role == UnitRole::Lead).count(),
                        1
                    );
                }
                Record::Plan(p) => {
                    assert!(p.findings.iter().all(|f| seen.contains(f)));
                    assert!(p.project.is_none_or(|x| seen.contains(&x)));
                }
                _ => {
                    let finding = r.finding().unwrap();
                    assert!(seen.contains(&finding));
                    let date = r.date().unwrap();
                    let from = issued[&finding].expect("records only on issued findings");
                    assert!(date >= from && date <= today, "{today}: {r:?}");
                    // The steps that move the status come one per day, in order; outcomes,
                    // accountability, supervision and referrals sit beside them.
                    let moves_status = matches!(
                        r,
                        Record::Check(_)
                            | Record::Progress(_)
                            | Record::Determination(_)
                            | Record::Closure(_)
                            | Record::Reopen(_)
                    );
                    if moves_status {
                        let last = last_per_finding.insert(finding, date);
                        assert!(last.is_none_or(|l| l < date), "date order");
                    }
                }
            }
            seen.insert(r.id());
        }
        // 销号 only after 已整改, reopening only after 销号 (as the ledger's rules require).
        let (findings, map) = grouped(&records);
        for f in &findings {
            let Some(recs) = map.get(&f.id) else { continue };
            for c in &recs.closures {
                let before = status_at(f, recs, plus(c.date, -1), DEFAULT_NEAR_DUE_DAYS);
                assert_eq!(before.status, Status::Rectified, "{}", f.number);
            }
            for o in &recs.reopens {
                let before = status_at(f, recs, plus(o.date, -1), DEFAULT_NEAR_DUE_DAYS);
                assert_eq!(before.status, Status::Closed, "{}", f.number);
            }
        }
    }
}

#[test]
fn the_story_has_its_shape() {
    let records = demo_records(day(2026, 11, 28));
    let count = |k: fn(&Record) -> bool| records.iter().filter(|r| k(r)).count();
    assert_eq!(count(|r| matches!(r, Record::Unit(_))), 13);
    assert_eq!(count(|r| matches!(r, Record::Project(_))), 12);
    let findings: Vec<&Finding> = records
        .iter()
        .filter_map(|r| match r {
            Record::Finding(f) => Some(f),
            _ => None,
        })
        .collect();
    assert!((70..=90).contains(&findings.len()));
    let mut numbers = HashSet::new();
    for f in &findings {
        assert!(
            numbers.insert((f.project, f.number.clone())),
            "duplicate {}",
            f.number
        );
    }
    assert!(findings.iter().filter(|f| !f.repeat_of.is_empty()).count() >= 3);
    assert!(
        findings
            .iter()
            .any(|f| f.units.len() == 4 && f.title.contains("资金缺口"))
    );
    assert!(findings.iter().filter(|f| f.during_audit).count() >= 5);
}

#[test]
fn every_status_and_mode_appears() {
    for today in [day(2026, 11, 28), day(2027, 6, 1)] {
        let records = demo_records(today);
        let v = views(&records, today);
        let statuses: HashSet<Status> = v.iter().map(|(_, s)| s.status).collect();
        assert_eq!(statuses.len(), Status::ALL.len(), "{today}: {statuses:?}");
        let modes: HashSet<Mode> = v.iter().map(|(f, _)| f.mode).collect();
        assert_eq!(modes.len(), 3);
        assert!(v.iter().any(|(_, s)| s.overdue));
        assert!(v.iter().filter(|(_, s)| s.near_due).count() >= 2);
        assert!(v.iter().filter(|(_, s)| s.reopened).count() >= 2);
        // 持续整改 items: some overdue against their milestone, some on track.
        let long: Vec<_> = v
            .iter()
            .filter(|(_, s)| s.status == Status::LongTerm)
            .collect();
        assert!(long.iter().any(|(_, s)| s.overdue) && long.iter().any(|(_, s)| !s.overdue));
        // 回头看: some findings are due for a check now, others only later.
        let (findings, map) = grouped(&records);
        let due: Vec<NaiveDate> = findings
            .iter()
            .filter_map(|f| {
                let records = map.get(&f.id).cloned().unwrap_or_default();
                let status = status_at(f, &records, today, DEFAULT_NEAR_DUE_DAYS).status;
                next_check_due(f, &records, status, today)
            })
            .collect();
        assert!(due.iter().any(|d| *d <= today) && due.iter().any(|d| *d > today));
        for status in Status::ALL {
            let n = v.iter().filter(|(_, s)| s.status == *status).count();
            println!("{today} {:<8} {n}", status.zh());
        }
    }
}

/// The ledger takes the demo, and its workflow rules hold for every record added one by
/// one (so 销号 and 重新打开 are checked against the status in the store).
#[test]
fn the_ledger_accepts_the_demo() {
    use crate::ledger::Ledger;
    use crate::store::SledStore;
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::new(SledStore::open(dir.path(), "demo").unwrap());
    let mut records = demo_records(day(2026, 11, 28));
    let split = records.iter().position(|r| r.finding().is_some()).unwrap();
    let tail = records.split_off(split);
    ledger.create_batch(records).unwrap();
    for r in tail {
        let shown = format!("{r:?}");
        ledger
            .create_batch(vec![r])
            .unwrap_or_else(|e| panic!("{e:?}: {shown}"));
    }
}

#[test]
fn the_story_shows_what_rectification_achieved_and_the_pressure_behind_it() {
    let today = day(2026, 11, 28);
    let records = demo_records(today);
    let count = |pred: &dyn Fn(&Record) -> bool| records.iter().filter(|r| pred(r)).count();
    let money_outcomes = count(&|r| matches!(r, Record::Outcome(o) if o.amount.is_some()));
    let rules = count(
        &|r| matches!(r, Record::Outcome(o) if o.kind == OutcomeKind::RulesImproved && !o.documents.is_empty()),
    );
    let people = count(&|r| matches!(r, Record::Accountability(_)));
    let supervision = count(&|r| matches!(r, Record::Supervision(_)));
    let referrals: Vec<&Referral> = records
        .iter()
        .filter_map(|r| match r {
            Record::Referral(x) => Some(x),
            _ => None,
        })
        .collect();
    assert!(money_outcomes >= 20, "{money_outcomes} money outcomes");
    assert!(rules >= 10, "{rules} rules improved");
    assert!(people >= 2, "{people} people held accountable");
    assert!(supervision >= 5, "{supervision} supervision steps");
    assert!(
        referrals
            .iter()
            .any(|r| r.status == ReferralStatus::Concluded && !r.feedback.is_empty()),
        "an answered referral"
    );
    let claims_with_papers = count(
        &|r| matches!(r, Record::Progress(p) if !p.evidence.is_empty() && !p.amounts.is_empty()),
    );
    assert!(claims_with_papers >= 10, "{claims_with_papers}");

    // The newest project's 回头看 plan is running: some findings checked in its round, some not.
    let plans: Vec<&CheckPlan> = records
        .iter()
        .filter_map(|r| match r {
            Record::Plan(p) => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(plans.len(), 1);
    let plan = plans[0];
    assert!(plan.is_running_on(today));
    let checked: HashSet<Id> = records
        .iter()
        .filter_map(|r| match r {
            Record::Check(c) if c.plan == Some(plan.id) => Some(c.finding),
            _ => None,
        })
        .collect();
    assert!(!checked.is_empty() && checked.len() < plan.findings.len());
    assert!(checked.iter().all(|f| plan.findings.contains(f)));
}
