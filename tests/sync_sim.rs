//! A seeded simulation of a team: three replicas edit the same findings concurrently and sync
//! through one hub in random orders. Afterwards every replica holds the same records and the
//! same conflicts, no acknowledged op is lost, and every pair of concurrent edits of one field
//! is either still an open conflict or was replaced by a later edit made with both in view.
//!
//! `RECTIFY_SYNC_ROUNDS` sets the number of rounds (1,000 by default; the bench runs more) and
//! `RECTIFY_SYNC_SEED` the seed.

mod common;

use common::*;
use rectify::demo::rng::SplitMix64;
use rectify::domain::{Finding, Id, UnitRole};
use rectify::ledger::Ledger;
use rectify::store::journal::{self, JournalPos};
use rectify::store::sled_store::journal_path;
use rectify::store::{Change, Op, Record, SledStore, Store};
use rectify::sync::dir_hub::DirHub;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

struct Replica {
    ledger: Ledger<SledStore>,
    _dir: tempfile::TempDir,
}

/// Every op a replica holds, from all the journals in its store.
fn ops_held(r: &Replica) -> Vec<Op> {
    let store = r.ledger.store();
    let mut out = Vec::new();
    for entry in std::fs::read_dir(store.dir().join("journal")).expect("journal dir") {
        let path = entry.expect("entry").path();
        let read = journal::read_from(&path, JournalPos::START).expect("journal reads");
        assert!(read.damage.is_empty(), "{:?}", read.damage);
        out.extend(read.entries.into_iter().map(|e| e.op));
    }
    out
}

/// The ops this replica has written since `from`.
fn own_ops_since(r: &Replica, from: JournalPos) -> (Vec<Op>, JournalPos) {
    let store = r.ledger.store();
    let path = journal_path(store.dir(), store.replica());
    let read = journal::read_from(&path, from).expect("own journal");
    let end = read.end.unwrap_or(from);
    (read.entries.into_iter().map(|e| e.op).collect(), end)
}

/// Every record as JSON, and every open conflict's sides.
type State = (BTreeMap<Id, String>, BTreeMap<(Id, String), Vec<(u64, Id)>>);

fn state(r: &Replica) -> State {
    let store = r.ledger.store();
    let mut records = BTreeMap::new();
    for kind in rectify::store::EntityKind::ALL {
        for rec in store.scan(kind) {
            let rec = rec.expect("record");
            records.insert(rec.id(), rec.to_json().expect("json").to_string());
        }
    }
    let conflicts = store
        .conflicts()
        .expect("conflicts")
        .into_iter()
        .map(|c| {
            (
                (c.entity, c.field),
                c.sides.iter().map(|s| s.stamp()).collect(),
            )
        })
        .collect();
    (records, conflicts)
}

#[test]
fn three_replicas_converge_and_keep_every_concurrent_edit() {
    let rounds = env_u64("RECTIFY_SYNC_ROUNDS", 1_000);
    let seed = env_u64("RECTIFY_SYNC_SEED", 7);
    let mut rng = SplitMix64(seed);
    let hub_dir = tempfile::tempdir().expect("hub dir");
    let mut hub = DirHub::open(&hub_dir.path().join("hub")).expect("hub");
    let mut replicas: Vec<Replica> = (0..3)
        .map(|i| {
            let dir = tempfile::tempdir().expect("replica dir");
            let store =
                SledStore::open(&dir.path().join("ledger"), &format!("审计员{i}")).expect("store");
            Replica {
                ledger: Ledger::new(store),
                _dir: dir,
            }
        })
        .collect();

    // Replica 0 sets up units, a project and findings; everyone starts from it.
    let units: Vec<Id> = ["区财政局", "区教育局", "区水务局"]
        .iter()
        .map(|n| replicas[0].ledger.create(unit(n)).expect("unit").id)
        .collect();
    let project = replicas[0]
        .ledger
        .create(project("2023-01"))
        .expect("project")
        .id;
    let findings: Vec<Id> = (1..=4)
        .map(|n| {
            replicas[0]
                .ledger
                .create(finding(
                    project,
                    units[0],
                    &format!("2023-01-0{n}"),
                    d(2023, 1, 10),
                    d(2023, 6, 30),
                ))
                .expect("finding")
                .id
        })
        .collect();
    for r in replicas.iter_mut() {
        r.ledger.sync(&mut hub).expect("initial sync");
    }
    for r in replicas.iter_mut() {
        r.ledger.sync(&mut hub).expect("initial sync");
    }

    // What each op's maker had seen when it made it, and every acknowledged op.
    let mut positions: Vec<JournalPos> = replicas
        .iter()
        .map(|r| own_ops_since(r, JournalPos::START).1)
        .collect();
    let mut seen_at: HashMap<Id, HashSet<Id>> = HashMap::new();
    let mut acknowledged: HashSet<Id> = replicas.iter().flat_map(ops_held).map(|o| o.id).collect();
    let titles = [
        "预算编制不够细化",
        "非税收入未及时缴库",
        "政府采购未执行",
        "往来款长期挂账",
    ];
    let mut conflicts_seen = 0usize;
    for round in 0..rounds {
        let i = rng.below(3) as usize;
        if rng.chance(35) {
            replicas[i]
                .ledger
                .sync(&mut hub)
                .unwrap_or_else(|e| panic!("round {round}: sync of replica {i} failed: {e}"));
            conflicts_seen =
                conflicts_seen.max(replicas[i].ledger.store().conflicts().expect("c").len());
            continue;
        }
        let held: HashSet<Id> = ops_held(&replicas[i]).into_iter().map(|o| o.id).collect();
        let f = *rng.pick(&findings);
        let mut edited: Finding = replicas[i].ledger.get(f).expect("finding");
        match rng.below(4) {
            0 => edited.title = format!("{}（{}改{}）", rng.pick(&titles), i, round).into(),
            1 => edited.deadline = d(2023, 7, 1 + rng.below(28) as u32),
            2 => {
                let u = *rng.pick(&units);
                if !edited.units.iter().any(|x| x.unit == u) {
                    add_unit(&mut edited, u, UnitRole::Assist);
                }
            }
            _ => edited.recommendation = format!("建议{i}-{round}").into(),
        }
        replicas[i]
            .ledger
            .update_record(Record::Finding(edited))
            .unwrap_or_else(|e| panic!("round {round}: edit on replica {i} failed: {e}"));
        let (new_ops, end) = own_ops_since(&replicas[i], positions[i]);
        positions[i] = end;
        for op in new_ops {
            acknowledged.insert(op.id);
            seen_at.insert(op.id, held.clone());
        }
    }
    // Everyone syncs until nothing moves.
    for _ in 0..2 {
        for r in replicas.iter_mut() {
            r.ledger.sync(&mut hub).expect("final sync");
        }
    }

    let first = state(&replicas[0]);
    for (i, r) in replicas.iter().enumerate().skip(1) {
        let other = state(r);
        assert_eq!(other.0, first.0, "replica {i} holds different records");
        assert_eq!(other.1, first.1, "replica {i} holds different conflicts");
    }
    for r in &replicas {
        let held: HashSet<Id> = ops_held(r).into_iter().map(|o| o.id).collect();
        let lost: Vec<&Id> = acknowledged
            .iter()
            .filter(|id| !held.contains(id))
            .collect();
        assert!(lost.is_empty(), "acknowledged ops lost: {lost:?}");
    }
    // Every concurrent pair of edits of one field is an open conflict, or both were replaced
    // by a later edit whose maker had seen both.
    let all_ops = ops_held(&replicas[0]);
    let mut by_field: HashMap<(Id, String), Vec<&Op>> = HashMap::new();
    for op in &all_ops {
        if let Change::Set { field, .. } = &op.change
            && field != "units"
            && seen_at.contains_key(&op.id)
        {
            by_field
                .entry((op.entity, field.clone()))
                .or_default()
                .push(op);
        }
    }
    let open: HashMap<(Id, String), BTreeSet<(u64, Id)>> = first
        .1
        .iter()
        .map(|(k, v)| (k.clone(), v.iter().copied().collect()))
        .collect();
    let mut concurrent_pairs = 0usize;
    for (key, ops) in &by_field {
        for (a, x) in ops.iter().enumerate() {
            for y in &ops[a + 1..] {
                let concurrent = !seen_at[&y.id].contains(&x.id) && !seen_at[&x.id].contains(&y.id);
                if !concurrent || x.replica == y.replica {
                    continue;
                }
                concurrent_pairs += 1;
                // The conflict may have moved on to later edits of each side (made without
                // seeing the other side): it is still open as long as both lines are.
                let descends =
                    |z: &Op, from: &Op| z.id == from.id || seen_at[&z.id].contains(&from.id);
                let heads: Vec<&&Op> = open
                    .get(key)
                    .map(|sides| {
                        ops.iter()
                            .filter(|z| sides.contains(&z.order_key()))
                            .collect()
                    })
                    .unwrap_or_default();
                let both_open = heads.iter().any(|z1| {
                    descends(z1, x) && heads.iter().any(|z2| z2.id != z1.id && descends(z2, y))
                });
                let replaced = ops
                    .iter()
                    .any(|z| seen_at[&z.id].contains(&x.id) && seen_at[&z.id].contains(&y.id));
                assert!(
                    both_open || replaced,
                    "concurrent edits {} and {} of {:?} were neither kept as a conflict nor resolved",
                    x.id,
                    y.id,
                    key
                );
            }
        }
    }
    assert!(
        concurrent_pairs > 0,
        "the simulation made no concurrent edits"
    );
    assert!(
        conflicts_seen > 0 || !open.is_empty(),
        "no conflict ever showed"
    );
    // Each replica's view agrees with its journals, conflicts included.
    let f: Finding = replicas[1].ledger.get(findings[0]).expect("finding");
    assert!(f.units.iter().any(|u| u.role == UnitRole::Lead));
    for r in replicas {
        let Replica { ledger, _dir } = r;
        let dir = ledger.store().dir().to_path_buf();
        drop(ledger);
        let report = rectify::store::check::run(&dir, "checker", false).expect("check runs");
        assert!(
            report.is_clean(),
            "{:?} {:?}",
            report.damage,
            report.mismatches
        );
    }
}
