//! A ledger of its own for an end-to-end test: a temp dir holding the store, a home and a config
//! path that does not exist, and the real binary run on it in tmux (as a user would) or as a
//! command (as a script would).

use super::tmux::{EXITED, Tmux, path_str, sh_quote};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_rectify");

/// A ledger, a config path that does not exist and a home of its own, in a temp dir.
pub struct Scratch {
    pub dir: TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        let dir = TempDir::new().expect("temp dir");
        std::fs::create_dir(dir.path().join("home")).expect("home dir");
        Scratch { dir }
    }

    pub fn with_demo() -> Scratch {
        let s = Scratch::new();
        let out = s.cli(&["demo"]);
        assert!(out.status.success(), "demo: {out:?}");
        s
    }

    pub fn db(&self) -> String {
        path_str(&self.dir.path().join("db"))
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The environment rectify runs in: no user config, no user keymap.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let home = path_str(&self.file("home"));
        vec![
            ("HOME", home.clone()),
            ("XDG_CONFIG_HOME", format!("{home}/.config")),
            ("RECTIFY_CONFIG", path_str(&self.file("no-config.toml"))),
            ("LANG", "C.UTF-8".to_string()),
        ]
    }

    /// A shell command running the app on this ledger, with `extra` variables (`TERM=screen`).
    pub fn tui(&self, extra: &[&str], args: &[&str]) -> String {
        let mut words = vec!["TERM=xterm-256color".to_string()];
        words.extend(self.env().into_iter().map(|(k, v)| format!("{k}={v}")));
        words.extend(extra.iter().map(|e| e.to_string()));
        words.extend([BIN.to_string(), "--db".to_string(), self.db()]);
        words.extend(args.iter().map(|a| a.to_string()));
        let quoted: Vec<String> = words.iter().map(|w| sh_quote(w)).collect();
        format!("env {}", quoted.join(" "))
    }

    /// The app at 120×40 in tmux, then the exit marker and a shell that stays so the screen
    /// can be read.
    pub fn start(&self, extra: &[&str], args: &[&str]) -> Tmux {
        Tmux::start(120, 40, &pane(&self.tui(extra, args), ""))
    }

    /// A subcommand on this ledger, as a script would run it.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .env_clear()
            .envs(self.env())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .args(["--db", &self.db()])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run rectify")
    }
}

/// `command`, the exit marker with its exit code, `after`, then a shell that stays.
pub fn pane(command: &str, after: &str) -> String {
    format!("{command}; echo \"{EXITED} $?\"; {after}exec sleep 600")
}
