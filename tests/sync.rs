//! Two auditors, one hub: set-valued fields merge, a same-field edit is a conflict both see
//! until one resolves it, and a hub log that was tampered with or forged is refused whole.

mod common;

use common::*;
use rectify::domain::{Finding, Id, UnitRole};
use rectify::ledger::Ledger;
use rectify::store::{SledStore, Store};
use rectify::sync::dir_hub::DirHub;
use std::path::PathBuf;

struct Team {
    a: Ledger<SledStore>,
    b: Ledger<SledStore>,
    hub_path: PathBuf,
    hub: DirHub,
    finding: Id,
    units: Vec<Id>,
    _tmp: tempfile::TempDir,
}

fn team() -> Team {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut a = Ledger::new(SledStore::open(&tmp.path().join("a"), "张审计").expect("a"));
    let mut b = Ledger::new(SledStore::open(&tmp.path().join("b"), "李审计").expect("b"));
    let hub_path = tmp.path().join("hub");
    let mut hub = DirHub::open(&hub_path).expect("hub");
    let units: Vec<Id> = ["区财政局", "区教育局", "区水务局"]
        .iter()
        .map(|n| a.create(unit(n)).expect("unit").id)
        .collect();
    let project = a.create(project("2023-01")).expect("project").id;
    let finding = a
        .create(finding(
            project,
            units[0],
            "2023-01-01",
            d(2023, 1, 10),
            d(2023, 6, 30),
        ))
        .expect("finding")
        .id;
    a.sync(&mut hub).expect("a pushes");
    let got = b.sync(&mut hub).expect("b pulls");
    assert_eq!(got.pulled, 5, "b receives every op of a");
    Team {
        a,
        b,
        hub_path,
        hub,
        finding,
        units,
        _tmp: tmp,
    }
}

fn edit(ledger: &mut Ledger<SledStore>, id: Id, change: impl FnOnce(&mut Finding)) {
    let mut f: Finding = ledger.get(id).expect("finding");
    change(&mut f);
    ledger.update(f).expect("edit");
}

#[test]
fn additions_to_the_responsible_units_by_two_auditors_both_survive() {
    let mut t = team();
    let (x, y) = (t.units[1], t.units[2]);
    edit(&mut t.a, t.finding, |f| add_unit(f, x, UnitRole::Assist));
    edit(&mut t.b, t.finding, |f| add_unit(f, y, UnitRole::Assist));
    for _ in 0..2 {
        t.a.sync(&mut t.hub).expect("sync a");
        t.b.sync(&mut t.hub).expect("sync b");
    }
    for ledger in [&t.a, &t.b] {
        let f: Finding = ledger.get(t.finding).expect("finding");
        let units: Vec<Id> = f.units.iter().map(|u| u.unit).collect();
        assert_eq!(units.len(), 3, "{units:?}");
        assert!(units.contains(&x) && units.contains(&y));
        assert_eq!(f.units[0].role, UnitRole::Lead, "the lead stays first");
        assert!(ledger.store().conflicts().expect("conflicts").is_empty());
    }
}

#[test]
fn a_same_field_edit_is_a_conflict_on_both_sides_until_resolved() {
    let mut t = team();
    edit(&mut t.a, t.finding, |f| {
        f.title = "甲：非税收入滞留专户".into()
    });
    edit(&mut t.b, t.finding, |f| {
        f.title = "乙：非税收入未及时缴库".into()
    });
    t.a.sync(&mut t.hub).expect("sync a");
    t.b.sync(&mut t.hub).expect("sync b");
    t.a.sync(&mut t.hub).expect("sync a again");
    let title_a: Finding = t.a.get(t.finding).expect("f");
    let title_b: Finding = t.b.get(t.finding).expect("f");
    assert_eq!(
        title_a.title, title_b.title,
        "the shown value is the same on both"
    );
    for ledger in [&t.a, &t.b] {
        let conflicts = ledger.store().conflicts().expect("conflicts");
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        assert_eq!(conflicts[0].field, "title");
        let values: Vec<String> = conflicts[0]
            .sides
            .iter()
            .map(|s| s.value.to_string())
            .collect();
        assert!(values.iter().any(|v| v.contains("甲")) && values.iter().any(|v| v.contains("乙")));
        // Who wrote each side comes from the history.
        let history = ledger.store().history(t.finding).expect("history");
        let authors: Vec<&str> = conflicts[0]
            .sides
            .iter()
            .filter_map(|s| history.iter().find(|op| op.order_key() == s.stamp()))
            .map(|op| op.author.as_str())
            .collect();
        assert_eq!(authors.len(), 2);
        assert!(authors.contains(&"张审计") && authors.contains(&"李审计"));
    }
    // B settles it: an edit made with both values in view resolves the conflict everywhere.
    edit(&mut t.b, t.finding, |f| {
        f.title = "非税收入未及时缴库（合并）".into()
    });
    assert!(t.b.store().conflicts().expect("c").is_empty());
    t.b.sync(&mut t.hub).expect("sync b");
    t.a.sync(&mut t.hub).expect("sync a");
    assert!(t.a.store().conflicts().expect("c").is_empty());
    let f: Finding = t.a.get(t.finding).expect("f");
    assert_eq!(&*f.title, "非税收入未及时缴库（合并）");
}

fn hub_log_of(t: &Team, ledger: &Ledger<SledStore>) -> PathBuf {
    t.hub_path
        .join("logs")
        .join(format!("{}.jsonl", ledger.store().replica()))
}

#[test]
fn an_edited_or_shortened_hub_log_is_refused_and_nothing_is_taken() {
    let mut t = team();
    edit(&mut t.a, t.finding, |f| f.title = "改过的标题".into());
    t.a.sync(&mut t.hub).expect("sync a");
    let log = hub_log_of(&t, &t.a);
    let original = std::fs::read_to_string(&log).expect("log");
    // Someone edits the last line on the hub (the new op b has not taken yet).
    let tampered = original.replacen("改过的标题", "被篡改的标题", 1);
    std::fs::write(&log, &tampered).expect("tamper");
    let err = t.b.sync(&mut t.hub).expect_err("refused").zh;
    assert!(
        err.contains("未通过校验") && err.contains("校验和不符"),
        "{err}"
    );
    let f: Finding = t.b.get(t.finding).expect("f");
    assert_ne!(&*f.title, "被篡改的标题");
    assert_ne!(
        &*f.title, "改过的标题",
        "nothing from the bad log was taken"
    );
    // A removed line is caught too: the log is now shorter than what b already holds.
    std::fs::write(&log, &original).expect("restore");
    t.b.sync(&mut t.hub).expect("the genuine log syncs");
    let lines: Vec<&str> = original.lines().collect();
    std::fs::write(&log, lines[..lines.len() - 1].join("\n") + "\n").expect("shorten");
    let err = t.b.sync(&mut t.hub).expect_err("refused").zh;
    assert!(err.contains("有行被删除"), "{err}");
    // And `verify_hub` reports the damaged log from its first line.
    let problems = rectify::sync::verify_hub(&mut t.hub).expect("verify");
    assert!(
        problems.is_empty(),
        "a shortened but intact log still verifies: {problems:?}"
    );
    std::fs::write(&log, tampered).expect("tamper again");
    let problems = rectify::sync::verify_hub(&mut t.hub).expect("verify");
    assert_eq!(problems.len(), 1, "{problems:?}");
}

#[test]
fn a_log_whose_ops_claim_another_account_than_its_owner_is_refused() {
    // Needs root to give the file away; CI runs as root, elsewhere this is skipped.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root to change a file's owner");
        return;
    }
    let mut t = team();
    edit(&mut t.a, t.finding, |f| f.title = "张审计改的".into());
    t.a.sync(&mut t.hub).expect("sync a");
    let log = hub_log_of(&t, &t.a);
    std::os::unix::fs::chown(&log, Some(65534), None).expect("chown to nobody");
    let err = t.b.sync(&mut t.hub).expect_err("refused").zh;
    assert!(
        err.contains("声称由账户") && err.contains("该日志文件属于"),
        "{err}"
    );
}
