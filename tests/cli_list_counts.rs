//! The counts `list projects` and `list units` print beside each project and unit: a project's
//! 问题数 is the number of findings `list findings --project` shows for it, and a unit's 问题数 and
//! 超期 are what `list findings --unit` (with `--overdue`) shows for it. The two lists count in
//! one pass over the findings while `list findings --project/--unit` goes through the indexes,
//! so these tests hold one to the other on a demo ledger edited where grouping can go wrong: a
//! 配合 unit added to an overdue finding, an archived finding, an archived unit and project.
//!
//! Every run gets the same `--as-of` (today, taken once), so a test running past midnight
//! cannot see two different sets of overdue findings.

use chrono::Local;
use rectify::domain::{Finding, UnitRole};
use rectify::store::EntityKind;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::RwLock;
use tempfile::TempDir;

mod common;

use common::cli_env::{Run, rectify_command};

/// A child forked by one test inherits the open files of the others until it execs, store locks
/// included. Spawning takes this shared; a test that opens a store in process takes it
/// exclusively while the store is open, so no child can hold a copy of its lock.
static SPAWN_GUARD: RwLock<()> = RwLock::new(());

struct Demo {
    _tmp: TempDir,
    db: PathBuf,
    as_of: String,
}

impl Demo {
    fn new() -> Demo {
        let tmp = tempfile::tempdir().expect("temp dir");
        let db = tmp.path().join("ledger");
        let as_of = Local::now().date_naive().to_string();
        let demo = Demo {
            _tmp: tmp,
            db,
            as_of,
        };
        demo.run(&["demo"]).ok();
        demo
    }

    fn run(&self, args: &[&str]) -> Run {
        // Only `list` takes a date (`demo` does not).
        let dated = match args.first() {
            Some(&"list") => vec!["--as-of", self.as_of.as_str()],
            _ => Vec::new(),
        };
        let _shared = SPAWN_GUARD.read().unwrap_or_else(|e| e.into_inner());
        let out = rectify_command()
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .args(dated)
            .output()
            .expect("cannot start the rectify binary");
        Run::from_output(format!("rectify {}", args.join(" ")), out)
    }

    fn json(&self, args: &[&str]) -> Vec<Value> {
        match self.run(args).json() {
            Value::Array(items) => items,
            other => panic!("`{}` did not print a JSON array: {other}", args.join(" ")),
        }
    }

    /// How many findings `list findings` shows with these options.
    fn shown(&self, args: &[&str]) -> usize {
        let mut all = vec!["list", "findings", "--json"];
        all.extend_from_slice(args);
        self.json(&all).len()
    }

    /// `list units --archived` as printed: 问题数 and 超期 of each unit, by name.
    fn unit_table(&self) -> HashMap<String, (usize, usize)> {
        let run = self.run(&["list", "units", "--archived"]);
        let mut out = HashMap::new();
        for line in run.ok().lines().skip(1) {
            let cells: Vec<&str> = line.split_whitespace().collect();
            let count = |i: usize| -> usize {
                let cell = cells.get(i).copied().unwrap_or_default();
                cell.parse()
                    .unwrap_or_else(|_| panic!("no count in column {i} of {line:?}"))
            };
            out.insert(cells[0].to_string(), (count(2), count(3)));
        }
        out
    }

    /// Edit the ledger in this process, as the TUI would.
    fn edit(&self, change: impl FnOnce(&mut rectify::ledger::Ledger<rectify::store::SledStore>)) {
        let _alone = SPAWN_GUARD.write().unwrap_or_else(|e| e.into_inner());
        let store = rectify::store::SledStore::open(&self.db, "测试").expect("open the store");
        let mut ledger = rectify::ledger::Ledger::new(store);
        change(&mut ledger);
    }
}

fn s<'v>(v: &'v Value, key: &str) -> &'v str {
    v[key].as_str().unwrap_or_else(|| panic!("no {key} in {v}"))
}

fn id(v: &Value) -> rectify::domain::Id {
    rectify::domain::Id::parse(s(v, "id")).expect("an id")
}

/// Every unit's 问题数 and 超期, in the table and the JSON, against `list findings --unit`;
/// every project's 问题数 against `list findings --project`.
fn assert_counts_match_findings(demo: &Demo) {
    let table = demo.unit_table();
    let units = demo.json(&["list", "units", "--archived", "--json"]);
    assert_eq!(table.len(), units.len(), "one table row per unit");
    for unit in &units {
        let uid = s(unit, "id");
        let findings = demo.shown(&["--unit", uid]);
        let overdue = demo.shown(&["--unit", uid, "--overdue"]);
        let name = s(unit, "name");
        assert_eq!(
            unit["finding_count"], findings,
            "{name}: JSON finding_count"
        );
        assert_eq!(
            table.get(name),
            Some(&(findings, overdue)),
            "{name}: 问题数, 超期"
        );
    }
    let projects = demo.json(&["list", "projects", "--archived", "--json"]);
    let mut total = 0;
    for project in &projects {
        let findings = demo.shown(&["--project", s(project, "id")]);
        let number = s(project, "number");
        assert_eq!(
            project["finding_count"], findings,
            "{number}: finding_count"
        );
        total += findings;
    }
    assert_eq!(
        total,
        demo.shown(&[]),
        "each live finding is in one project"
    );
}

#[test]
fn unit_and_project_counts_are_the_findings_listed_for_them() {
    let demo = Demo::new();
    assert_counts_match_findings(&demo);

    let findings = demo.json(&["list", "findings", "--json"]);
    let units = demo.json(&["list", "units", "--json"]);
    let before = demo.unit_table();
    // An overdue finding gets a unit it lacks as 配合: that unit counts one more finding, and
    // one more overdue, though it does not lead it.
    let late = findings
        .iter()
        .find(|f| f["overdue"] == true)
        .expect("the demo has an overdue finding");
    let on = |f: &Value, u: &Value| {
        f["units"]
            .as_array()
            .is_some_and(|l| l.iter().any(|r| r["id"] == u["id"]))
    };
    let helper = units
        .iter()
        .find(|u| !on(late, u))
        .expect("a unit not on the finding");
    // Another finding is archived: its unit counts one fewer.
    let gone = findings
        .iter()
        .find(|f| f["id"] != late["id"] && f["units"].as_array().is_some_and(|l| l.len() == 1))
        .expect("a finding with one unit");
    let gone_unit = units
        .iter()
        .find(|u| on(gone, u))
        .expect("the archived finding's unit");
    // A unit and a project are archived: `--archived` still lists them, with their findings.
    let archived_unit = units
        .iter()
        .rev()
        .find(|u| u["id"] != helper["id"] && u["id"] != gone_unit["id"])
        .expect("a third unit");
    let projects = demo.json(&["list", "projects", "--json"]);
    let archived_project = projects.last().expect("projects");
    demo.edit(|ledger| {
        let mut f: Finding = ledger.get(id(late)).expect("the overdue finding");
        common::add_unit(&mut f, id(helper), UnitRole::Assist);
        ledger.update(f).expect("a 配合 unit can be added");
        ledger
            .archive(EntityKind::Finding, id(gone))
            .expect("archive a finding");
        ledger
            .archive(EntityKind::Unit, id(archived_unit))
            .expect("archive a unit");
        ledger
            .archive(EntityKind::Project, id(archived_project))
            .expect("archive a project");
    });

    let after = demo.unit_table();
    let helper_name = s(helper, "name");
    let (count, overdue) = before[helper_name];
    assert_eq!(
        after[helper_name],
        (count + 1, overdue + 1),
        "{helper_name} as 配合"
    );
    let gone_name = s(gone_unit, "name");
    assert_eq!(after[gone_name].0, before[gone_name].0 - 1, "{gone_name}");
    let shown = demo.run(&["list", "units"]);
    let first_column: Vec<&str> = shown
        .ok()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        !first_column.contains(&s(archived_unit, "name")),
        "an archived unit is left out without --archived:\n{}",
        shown.context()
    );
    assert_counts_match_findings(&demo);
}
