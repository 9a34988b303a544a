//! Live sync end to end: the real binary in tmux with `hub` set in its config file, and a
//! colleague's replica changed and synced with the real CLI meanwhile; the change shows in the
//! running app within the sync interval. Like `tui_e2e.rs`: its own tmux server and temp dirs,
//! nothing waits a fixed time, everything polls against a generous deadline.

mod common;

use common::tmux::{Tmux, path_str, sh_quote};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_rectify");
/// The app's sync interval (`app_sync::INTERVAL`) and some slack for a loaded machine.
const WITHIN: Duration = Duration::from_secs(5 + 5);

/// Two ledgers (A in the app, B a colleague's), a hub directory and a config naming it.
struct Team {
    dir: TempDir,
}

impl Team {
    fn new() -> Team {
        let team = Team {
            dir: TempDir::new().expect("temp dir"),
        };
        std::fs::create_dir(team.file("home")).expect("home");
        let config = format!("hub = {}\n", toml_string(&path_str(&team.file("hub"))));
        std::fs::write(team.file("config.toml"), config).expect("config");
        team
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        let home = path_str(&self.file("home"));
        vec![
            ("HOME", home.clone()),
            ("XDG_CONFIG_HOME", format!("{home}/.config")),
            ("RECTIFY_CONFIG", path_str(&self.file("config.toml"))),
            ("LANG", "C.UTF-8".to_string()),
        ]
    }

    /// `rectify --db <replica> --user <user> ARGS`, as a script would run it.
    fn cli(&self, replica: &str, user: &str, args: &[&str]) -> Output {
        let out = Command::new(BIN)
            .env_clear()
            .envs(self.env())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .args(["--db", &path_str(&self.file(replica)), "--user", user])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run rectify");
        assert!(out.status.success(), "rectify {args:?}: {out:?}");
        out
    }

    /// The app on replica `a` at 120×40 in tmux, then a shell that stays.
    fn app(&self) -> Tmux {
        let mut words = vec!["TERM=xterm-256color".to_string()];
        words.extend(self.env().into_iter().map(|(k, v)| format!("{k}={v}")));
        words.extend([
            BIN.to_string(),
            "--db".into(),
            path_str(&self.file("a")),
            "--user".into(),
            "审计员甲".into(),
        ]);
        let quoted: Vec<String> = words.iter().map(|w| sh_quote(w)).collect();
        let command = format!(
            "env {}; echo \"EXITED $?\"; exec sleep 600",
            quoted.join(" ")
        );
        Tmux::start(120, 40, &command)
    }
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn last_line(screen: &str) -> &str {
    screen.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("")
}

#[test]
fn a_colleagues_synced_check_appears_in_the_running_app() {
    let team = Team::new();
    team.cli("a", "审计员甲", &["demo"]);
    let tmux = team.app();
    // The app syncs at start: A's demo ledger goes to the hub and nothing waits to go out.
    let screen = tmux.wait_until("the first sync", |s| {
        last_line(s).contains("同步 ") && last_line(s).contains("待发 0")
    });
    assert!(!screen.contains("同步失败"), "{screen}");

    // B takes the ledger from the hub, records a 回头看 and syncs, all with the CLI.
    let hub = path_str(&team.file("hub"));
    team.cli("b", "李审计", &["sync", &hub]);
    let list = team.cli("b", "李审计", &["list", "findings", "--json"]);
    let findings: Value = serde_json::from_slice(&list.stdout).expect("JSON");
    let number = findings
        .as_array()
        .and_then(|all| all.iter().find(|f| f["status"] == "整改中"))
        .and_then(|f| f["number"].as_str())
        .expect("a finding being rectified")
        .to_string();
    let note = "乙副本登记的回头看";
    team.cli(
        "b",
        "李审计",
        &[
            "followup",
            &number,
            "--verdict",
            "部分整改",
            "--note",
            note,
            "--no-plan",
        ],
    );

    // A looks at the check log, then B's sync sends the check out.
    tmux.send(&["5"]);
    tmux.wait_for("待回头看队列");
    tmux.send(&["v"]);
    tmux.wait_for("检查记录");
    assert!(!tmux.capture().contains(note));
    team.cli("b", "李审计", &["sync", &hub]);
    let sent = Instant::now();
    let screen = tmux.wait_for(note);
    let took = sent.elapsed();
    eprintln!("B's check showed in A's app {took:?} after B's sync:\n{screen}");
    assert!(took < WITHIN, "{took:?}");
    let row = screen
        .lines()
        .find(|l| l.contains(note))
        .expect("the check's row");
    assert!(row.contains(&number) && row.contains("李审计"), "{row}");
    assert!(last_line(&screen).contains("待发 0"), "{screen}");

    tmux.send(&["q"]);
    tmux.wait_for("EXITED 0");
    // A's store took the check for good.
    let checks = team.cli("a", "审计员甲", &["list", "checks", "--json"]);
    assert!(String::from_utf8_lossy(&checks.stdout).contains(note));
}
