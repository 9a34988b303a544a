//! The app's store runs in a helper process (`rectify store-host`, see `tui::host`) that leaves
//! when the app is idle, so an idle app wakes nobody. What a user must never notice: a save
//! after the helper left lands as any other, no other process can take the ledger in between,
//! a helper that dies is replaced without losing the save, and on a large ledger the helper
//! makes way for the load and for the finder's index without anything left behind.

mod common;

use common::scratch_app::Scratch;
use common::tmux::{EXITED, Tmux, poll};
use std::path::Path;
use std::process::Command;

/// What these tests ask of their ledger besides the shared basics.
impl Scratch {
    /// The app at 120×40, its 总览 drawn.
    fn open_app(&self) -> Tmux {
        let tmux = self.start_idle(10);
        tmux.wait_for("整改率");
        tmux
    }

    /// The app at 120×40 with `store_idle_seconds` set in its config file.
    fn start_idle(&self, seconds: u64) -> Tmux {
        let config = self.file("config.toml");
        std::fs::write(&config, format!("store_idle_seconds = {seconds}\n")).expect("config");
        let config = format!("RECTIFY_CONFIG={}", config.display());
        self.start(&[config.as_str()], &[])
    }

    /// The pids of the live store helpers serving this ledger.
    fn helpers(&self) -> Vec<u32> {
        let db = self.db();
        let mut out = Vec::new();
        for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
            let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
            let serves_us =
                args.contains(&b"store-host".as_slice()) && args.contains(&db.as_bytes());
            if serves_us && !is_zombie(&entry.path()) {
                out.push(pid);
            }
        }
        out
    }

    /// The pid of the app itself (not a helper) running on this ledger.
    fn app_pid(&self) -> Option<u32> {
        let db = self.db();
        std::fs::read_dir("/proc")
            .ok()?
            .flatten()
            .find_map(|entry| {
                let pid = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
                let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
                let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
                let is_app = args.first() == Some(&common::scratch_app::BIN.as_bytes())
                    && args.contains(&db.as_bytes())
                    && !args.contains(&b"store-host".as_slice());
                is_app.then_some(pid)
            })
    }

    fn wait_until_no_helper(&self) {
        poll("the store helper to leave while the app is idle", || {
            let live = self.helpers();
            if live.is_empty() {
                Ok(())
            } else {
                Err(format!("helpers still running: {live:?}"))
            }
        });
    }

    /// The check entries of the first finding, as `rectify show --json` lists them.
    fn checks_of_first(&self) -> usize {
        let out = self.cli(&["show", "2021-01-01", "--json"]);
        assert!(out.status.success(), "show: {out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("show --json");
        v["checks"].as_array().map_or(0, Vec::len)
    }
}

fn is_zombie(proc_dir: &Path) -> bool {
    let stat = std::fs::read_to_string(proc_dir.join("stat")).unwrap_or_default();
    // The state follows the command name in parentheses, which may hold spaces.
    stat.rsplit_once(')')
        .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
}

/// On the 问题 panel, record a 回头看 on the selected (first) finding with the form's defaults.
fn record_a_check(tmux: &Tmux) {
    tmux.send(&["3"]);
    tmux.wait_for("问题 (");
    tmux.send(&["c"]);
    tmux.wait_for("登记回头看");
    tmux.send(&["C-s"]);
    tmux.wait_for("已保存");
}

fn quit(tmux: &Tmux) {
    tmux.send(&["q"]);
    tmux.wait_for(EXITED);
}

#[test]
fn a_save_after_the_idle_helper_left_lands_and_the_ledger_stays_locked_meanwhile() {
    let ledger = Scratch::with_demo();
    let before = ledger.checks_of_first();
    let tmux = ledger.start_idle(1);
    tmux.wait_for("整改率");
    assert!(
        !ledger.helpers().is_empty(),
        "the app starts a store helper"
    );
    ledger.wait_until_no_helper();
    // Nor is it left behind as a zombie (`<defunct>` in ps) while the app sits idle.
    let app = ledger.app_pid().expect("the app's process");
    wait_until_no_zombie(app, "the app to have reaped its idle helper");

    // The helper is gone but the app still holds the ledger: no other process slips in.
    let other = ledger.cli(&["list", "findings"]);
    assert!(!other.status.success(), "another rectify got in: {other:?}");
    let said = String::from_utf8_lossy(&other.stderr);
    assert!(said.contains("正被另一个进程使用"), "{said}");

    record_a_check(&tmux);
    quit(&tmux);
    assert_eq!(ledger.checks_of_first(), before + 1, "the save landed");
    assert!(ledger.helpers().is_empty(), "no helper outlives the app");
    let check = ledger.cli(&["check"]);
    assert!(check.status.success(), "rectify check: {check:?}");
}

#[test]
fn a_killed_helper_is_replaced_and_the_save_still_lands() {
    let ledger = Scratch::with_demo();
    let before = ledger.checks_of_first();
    let tmux = ledger.open_app();
    let helpers = ledger.helpers();
    assert_eq!(helpers.len(), 1, "one helper: {helpers:?}");
    let killed = Command::new("kill")
        .args(["-9", &helpers[0].to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());
    poll("the killed helper to be gone", || {
        if ledger.helpers().is_empty() {
            Ok(())
        } else {
            Err("still there".to_string())
        }
    });

    record_a_check(&tmux);
    let screen = tmux.capture();
    assert!(
        !screen.contains("意外退出"),
        "no error for a helper that died idle:\n{screen}"
    );
    quit(&tmux);
    assert_eq!(ledger.checks_of_first(), before + 1, "the save landed");
}

/// The pids of the zombie children of the process `pid` (helpers it ended and never waited for).
/// Wait until no child of `app` is left as a zombie (`<defunct>` in ps).
fn wait_until_no_zombie(app: u32, what: &str) {
    poll(what, || {
        let zombies = zombie_children(app);
        if zombies.is_empty() {
            Ok(())
        } else {
            Err(format!("zombies: {zombies:?}"))
        }
    });
}

fn zombie_children(pid: u32) -> Vec<u32> {
    let children =
        std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
    children
        .split_whitespace()
        .filter_map(|c| c.parse::<u32>().ok())
        .filter(|c| is_zombie(Path::new(&format!("/proc/{c}"))))
        .collect()
}

#[test]
fn on_a_large_ledger_the_helper_makes_way_for_the_load_and_for_the_finder() {
    // sled keeps what a scan of the whole ledger decoded for as long as it is open (31 MB at
    // 100,000 findings): from 20,000 findings on, the helper that served the load is let go.
    // And the finder's index is as big as a helper: while the finder is open, none runs.
    let ledger = Scratch::new();
    let made = ledger.cli(&["demo", "--synthetic", "20000", "--seed", "1"]);
    assert!(made.status.success(), "demo --synthetic: {made:?}");
    // It could also leave idle: not within the hour set here.
    let tmux = ledger.start_idle(3600);
    let loader = poll("the app's first store helper", || {
        ledger
            .helpers()
            .first()
            .copied()
            .ok_or("none yet".to_string())
    });

    poll("the helper that loaded to leave", || {
        let live = ledger.helpers();
        if live.contains(&loader) {
            Err(format!("still there: {live:?}"))
        } else {
            Ok(())
        }
    });
    // The next key starts a fresh one behind its frame.
    tmux.send(&["Down"]);
    let fresh = poll(
        "a fresh helper in place of the one that loaded",
        || match ledger.helpers().as_slice() {
            [one] if *one != loader => Ok(*one),
            other => Err(format!("loader {loader}, now {other:?}")),
        },
    );
    let app = std::fs::read_to_string(format!("/proc/{fresh}/stat"))
        .ok()
        .and_then(|stat| {
            let rest = stat.rsplit_once(')')?.1.to_string();
            rest.split_whitespace().nth(1)?.parse::<u32>().ok()
        })
        .expect("the helper's parent");
    wait_until_no_zombie(app, "the helper let go to be waited for");

    // Opening the finder lets the helper go, and typing into it starts none.
    tmux.send(&["/"]);
    tmux.wait_for("查找（汉字");
    ledger.wait_until_no_helper();
    tmux.send(&["y", "s"]);
    tmux.wait_for("> ys");
    assert!(
        ledger.helpers().is_empty(),
        "no helper while the finder is open: {:?}",
        ledger.helpers()
    );
    // Leaving it brings one back behind its frame.
    tmux.send(&["Escape"]);
    poll("a helper once the finder has closed", || {
        match ledger.helpers().as_slice() {
            [one] if *one != fresh => Ok(()),
            other => Err(format!("before the finder {fresh}, now {other:?}")),
        }
    });

    // That helper serves the next save.
    record_a_check(&tmux);
    quit(&tmux);
    assert!(ledger.helpers().is_empty(), "no helper outlives the app");
    let check = ledger.cli(&["check"]);
    assert!(check.status.success(), "rectify check: {check:?}");
}
