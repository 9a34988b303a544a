//! The store is private to its user: a store directory, journal or view file made readable by
//! others (chmod 755 / 644, a copy made under another umask) is repaired to 0700 / 0600 when the
//! store is opened, and the user is told so, on stderr for the CLI.

mod common;

use common::cli_env::{Run, rectify_command};
use common::{new_store_dir, open, seed};
use rectify::store::Store;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

fn mode_of(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .expect("stat")
        .permissions()
        .mode()
        & 0o777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn journal_of(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir.join("journal"))
        .expect("journal dir")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .expect("a journal file")
}

/// Every file and directory under `dir`, with its mode.
fn modes(dir: &Path) -> Vec<(PathBuf, u32)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            let meta = std::fs::symlink_metadata(&p).expect("stat");
            if meta.is_dir() {
                pending.push(p.clone());
            }
            out.push((p, meta.permissions().mode() & 0o777));
        }
    }
    out
}

fn warnings(store: &impl Store) -> String {
    store
        .warnings()
        .iter()
        .map(|w| w.zh.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_world_readable_journal_and_view_are_made_private_on_open() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    seed(&mut ledger);
    drop(ledger);
    let journal = journal_of(&dir);
    chmod(&dir, 0o755);
    chmod(&dir.join("journal"), 0o755);
    chmod(&journal, 0o644);
    chmod(&dir.join("replica"), 0o644);
    for (path, _) in modes(&dir.join("view")) {
        let dir_like = path.is_dir();
        chmod(&path, if dir_like { 0o755 } else { 0o644 });
    }
    assert_eq!(mode_of(&journal), 0o644);

    let ledger = open(&dir);
    assert_eq!(mode_of(&dir), 0o700);
    assert_eq!(mode_of(&journal), 0o600, "the journal is private again");
    for (path, mode) in modes(&dir) {
        assert_eq!(mode & 0o077, 0, "{} is still {mode:o}", path.display());
    }
    let w = warnings(ledger.store());
    assert!(w.contains("755"), "the directory's repair is told: {w}");
    assert!(
        w.contains("他人可读") && w.contains("600"),
        "the files' repair is told: {w}"
    );
    drop(ledger);

    // Once repaired, opening again warns of nothing.
    let ledger = open(&dir);
    assert!(
        ledger.store().warnings().is_empty(),
        "{}",
        warnings(ledger.store())
    );
}

#[test]
fn only_the_journal_readable_is_repaired_too() {
    let (_tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    seed(&mut ledger);
    drop(ledger);
    let journal = journal_of(&dir);
    chmod(&journal, 0o644);
    let ledger = open(&dir);
    assert_eq!(mode_of(&journal), 0o600);
    let w = warnings(ledger.store());
    assert!(
        w.contains("journal") && w.contains("644"),
        "the warning names the file and its old mode: {w}"
    );
}

#[test]
fn symlinks_in_the_store_are_not_followed() {
    let (tmp, dir) = new_store_dir();
    let mut ledger = open(&dir);
    seed(&mut ledger);
    drop(ledger);
    // A file outside the store, linked from inside it, keeps its own mode.
    let outside = tmp._tmp.path().join("outside.txt");
    std::fs::write(&outside, "not the ledger's").expect("write");
    chmod(&outside, 0o644);
    std::os::unix::fs::symlink(&outside, dir.join("link")).expect("symlink");
    let _ledger = open(&dir);
    assert_eq!(
        mode_of(&outside),
        0o644,
        "a linked file outside is left alone"
    );
}

fn run(db: &Path, args: &[&str]) -> Run {
    let out = rectify_command()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("cannot start the rectify binary");
    Run::from_output(format!("rectify {}", args.join(" ")), out)
}

#[test]
fn the_cli_repairs_a_world_readable_journal_and_says_so_on_stderr() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let db = tmp.path().join("ledger");
    run(&db, &["demo"]).ok();
    let journal = journal_of(&db);
    chmod(&db, 0o755);
    chmod(&journal, 0o644);
    let listed = run(&db, &["list", "findings"]);
    listed.ok();
    assert_eq!(mode_of(&db), 0o700);
    assert_eq!(mode_of(&journal), 0o600);
    assert!(
        listed.stderr.contains("他人可读") && listed.stderr.contains("644"),
        "the repair is told on stderr:\n{}",
        listed.context()
    );
    assert!(!listed.stdout.contains("他人可读"), "{}", listed.context());
    let again = run(&db, &["list", "findings"]);
    again.ok();
    assert!(!again.stderr.contains("他人可读"), "{}", again.context());
}
