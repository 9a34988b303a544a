//! The rows the TUI loads (`Ledger::finding_rows`): the texts that repeat across a ledger (a
//! finding's category, responsible person and auditor, a check's checker) come back as one
//! shared copy per distinct value, not one heap copy per finding, and unchanged.

mod common;

use common::*;
use rectify::domain::{CheckVerdict, Finding};
use rectify::store::{EntityKind, Record};
use std::sync::Arc;

#[test]
fn findings_loaded_together_share_their_repeated_texts() {
    let (_scratch, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let lead = ledger.create(unit("区财政局")).expect("unit").id;
    let project = ledger.create(project("2023-01")).expect("project").id;
    let (issued, deadline) = (d(2023, 1, 10), d(2023, 6, 30));
    let mut made = Vec::new();
    for (n, category) in ["预算管理", "预算管理", "政府采购", "预算管理"]
        .into_iter()
        .enumerate()
    {
        let mut f = finding(
            project,
            lead,
            &format!("2023-01-0{}", n + 1),
            issued,
            deadline,
        );
        // Each finding gets its own allocation of every text, as a decoded record has.
        f.category = String::from(category).into();
        f.responsible_person = String::from("张科长").into();
        f.auditor = String::from("王审计").into();
        made.push(ledger.create(f).expect("finding"));
    }
    for f in &made {
        ledger
            .create(check(f.id, d(2023, 7, 1), CheckVerdict::Partial))
            .expect("check");
    }
    ledger
        .archive(EntityKind::Finding, made[3].id)
        .expect("archive");

    let (rows, strays) = ledger.finding_rows_and_strays(today()).expect("rows");
    assert_eq!(rows.len(), 3);
    for (row, f) in rows.iter().zip(&made) {
        assert_eq!(&row.finding, f, "the finding reads back unchanged");
        assert_eq!(row.records.checks.len(), 1);
    }
    let [a, b, c] = [&rows[0].finding, &rows[1].finding, &rows[2].finding];
    assert_eq!(&*a.category, "预算管理");
    assert!(Arc::ptr_eq(&a.category, &b.category), "one 预算管理");
    assert_eq!(&*c.category, "政府采购");
    assert!(!Arc::ptr_eq(&a.category, &c.category));
    for f in [b, c] {
        assert!(Arc::ptr_eq(&a.auditor, &f.auditor));
        assert!(Arc::ptr_eq(&a.responsible_person, &f.responsible_person));
    }
    // One pool for the whole load: a check's checker is the auditor's copy of the name, in the
    // rows and in the records of the archived finding alike.
    for row in &rows {
        assert!(Arc::ptr_eq(&row.records.checks[0].checker, &a.auditor));
    }
    let [Record::Check(stray)] = strays.as_slice() else {
        panic!("the archived finding's check is a stray: {strays:#?}");
    };
    assert!(Arc::ptr_eq(&stray.checker, &a.auditor));

    // `finding_rows` is the same load.
    let rows = ledger.finding_rows(today()).expect("rows");
    assert!(Arc::ptr_eq(
        &rows[0].finding.category,
        &rows[1].finding.category
    ));
    let single: Finding = ledger.get(made[0].id).expect("finding");
    assert_eq!(single, rows[0].finding);
}
