//! End to end in tmux: the real binary in a real (pseudo) terminal, driven by keys as a user
//! would, the screen read back with `capture-pane`. Each test has its own tmux server and its
//! own ledger and config in a temp dir; nothing waits a fixed time, everything polls the screen
//! against a generous deadline.
//!
//! The ssh test runs only with RECTIFY_E2E_SSH=1 (it needs openssh-server and root).

mod common;

use common::scratch_app::{Scratch, pane};
use common::sshd::Sshd;
use common::tmux::{EXITED, Tmux, path_str, poll, sh_quote};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

// ------------------------------------------------------------------------------ a ledger

/// What these tests ask of their ledger besides the shared basics.
impl Scratch {
    fn checks_json(&self) -> Vec<Value> {
        let out = self.cli(&["list", "checks", "--json"]);
        assert!(out.status.success(), "list checks: {out:?}");
        let v: Value = serde_json::from_slice(&out.stdout).expect("list checks --json is JSON");
        v.as_array().expect("an array of checks").clone()
    }

    fn assert_check_passes(&self) {
        let out = self.cli(&["check"]);
        assert!(out.status.success(), "rectify check: {out:?}");
    }
}

// ------------------------------------------------------------------------------ screens

/// `command` run by a shell that first writes its pid to `pidfile`, then becomes `command`.
fn with_pid(pidfile: &Path, command: &str) -> String {
    let inner = format!("echo $$ > {}; exec {command}", sh_quote(&path_str(pidfile)));
    format!("sh -c {}", sh_quote(&inner))
}

/// Send `signal` to the process whose pid is in `pidfile`.
fn kill(signal: &str, pidfile: &Path) {
    let pid = poll("the pid file", || {
        let text = std::fs::read_to_string(pidfile).unwrap_or_default();
        text.trim().parse::<u32>().map_err(|_| text)
    });
    let status = Command::new("kill")
        .args(["-s", signal, &pid.to_string()])
        .status();
    assert!(
        status.expect("run kill").success(),
        "kill -s {signal} {pid}"
    );
}

/// The number of the row under the cursor (`▶ 2021-01-02 …`).
fn selected_number(screen: &str) -> Option<String> {
    screen.lines().find_map(|l| {
        let (_, rest) = l.split_once('▶')?;
        rest.split_whitespace().next().map(str::to_string)
    })
}

fn last_line(screen: &str) -> &str {
    screen.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("")
}

fn on_dashboard(s: &str) -> bool {
    s.contains("总览") && s.contains("超期问题") && s.contains("整改状态")
}

fn on_findings(s: &str) -> bool {
    s.contains("牵头单位") && s.contains("问题摘要")
}

fn form_open(s: &str) -> bool {
    s.contains("核查结论") && s.contains("检查日期")
}

/// The parameters of every SGR sequence (`ESC [ … m`) in `text`.
fn sgr_params(text: &str) -> Vec<Vec<u32>> {
    let mut all = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("\x1b[") {
        rest = &rest[i + 2..];
        let end = rest
            .find(|c: char| ('\x40'..='\x7e').contains(&c))
            .unwrap_or(rest.len());
        if rest[end..].starts_with('m') {
            let params = rest[..end]
                .split([';', ':'])
                .map(|p| p.parse().unwrap_or(0))
                .collect();
            all.push(params);
        }
        rest = &rest[end..];
    }
    all
}

/// A foreground or background colour (not the "default colour" resets 39 and 49).
fn is_colour(param: u32) -> bool {
    matches!(param, 30..=38 | 40..=48 | 90..=97 | 100..=107)
}

fn colour_codes(text: &str) -> Vec<Vec<u32>> {
    sgr_params(text)
        .into_iter()
        .filter(|p| p.iter().copied().any(is_colour))
        .collect()
}

// ------------------------------------------------------------------------------ tests

/// Panel 3, the check form on the selected finding, `note` typed into it.
fn type_a_check(tmux: &Tmux, note: &str) {
    tmux.send(&["3"]);
    tmux.wait_until("the findings list", on_findings);
    tmux.send(&["c"]);
    tmux.wait_until("the check form", form_open);
    tmux.type_text(note);
    tmux.wait_for(note);
}

#[test]
fn first_run_demo_and_a_follow_up_check() {
    let s = Scratch::new();
    let tmux = s.start(&[], &[]);
    tmux.wait_for("按 d 载入示例台账");
    tmux.send(&["d"]);
    tmux.wait_until("the dashboard", on_dashboard);

    tmux.send(&["3"]);
    let screen = tmux.wait_until("the findings list", |s| {
        on_findings(s) && selected_number(s).is_some()
    });
    let first = selected_number(&screen).expect("a selected finding");
    tmux.send(&["Down"]);
    let screen = tmux.wait_until("the cursor to move down", |s| {
        selected_number(s).is_some_and(|n| n != first)
    });
    let number = selected_number(&screen).expect("a selected finding");

    // Open the form, leave it with Escape alone, and open it again.
    tmux.send(&["c"]);
    tmux.wait_until("the check form", form_open);
    tmux.send(&["Escape"]);
    tmux.wait_until("the form to close", |s| !form_open(s) && on_findings(s));
    tmux.send(&["c"]);
    tmux.wait_until("the check form", form_open);
    let note = "复查整改到位，台账已核对";
    tmux.type_text(note);
    tmux.wait_for(note);
    tmux.send(&["Enter"]);
    let screen = tmux.wait_until("已保存", |s| last_line(s).contains("已保存"));
    assert!(!form_open(&screen), "the form closes on save:\n{screen}");
    assert_eq!(selected_number(&screen).as_deref(), Some(number.as_str()));

    tmux.send(&["q"]);
    let screen = tmux.wait_for(EXITED);
    assert!(screen.contains(&format!("{EXITED} 0")), "{screen}");
    tmux.assert_terminal_given_back();

    let checks = s.checks_json();
    let saved = checks.iter().find(|c| c["note"] == note);
    let saved = saved.unwrap_or_else(|| panic!("the check is stored: {checks:#?}"));
    assert_eq!(saved["number"], number.as_str(), "{saved:#?}");
    assert_eq!(saved["kind"], "回头看", "{saved:#?}");
    s.assert_check_passes();
}

#[test]
fn too_small_then_resized() {
    let s = Scratch::with_demo();
    let tmux = Tmux::start(50, 12, &pane(&s.tui(&[], &[]), ""));
    let too_small = |size: &'static str| move |s: &str| s.contains("窗口太小") && s.contains(size);
    tmux.wait_until("窗口太小 at 50×12", too_small("50×12"));
    tmux.resize(120, 40);
    tmux.wait_until("the panels", |s| on_dashboard(s) && !s.contains("窗口太小"));
    // Just below the minimum, then just at it.
    tmux.resize(59, 16);
    tmux.wait_until("窗口太小 at 59×16", too_small("59×16"));
    tmux.resize(60, 16);
    tmux.wait_until("the panels at 60×16", |s| {
        s.contains("总览") && !s.contains("窗口太小")
    });
    tmux.send(&["q"]);
    tmux.wait_for(EXITED);
    tmux.assert_terminal_given_back();
    s.assert_check_passes();
}

/// Stop the app with `signal` while a form has unsaved text: the terminal is given back (no
/// raw mode, main screen, cursor) and nothing of the form is stored.
fn signal_restores_the_terminal(signal: &str) {
    let s = Scratch::with_demo();
    let pidfile = s.file("rectify.pid");
    let app = with_pid(&pidfile, &s.tui(&[], &[]));
    let tmux = Tmux::start(120, 40, &pane(&format!("echo BEFORE; {app}"), "stty -a; "));
    tmux.wait_until("the dashboard", on_dashboard);
    assert!(
        tmux.flag("alternate_on"),
        "the app is on the alternate screen"
    );
    assert!(!tmux.flag("cursor_flag"), "the app hides the cursor");
    let note = "写了一半的检查情况";
    type_a_check(&tmux, note);

    kill(signal, &pidfile);
    let screen = tmux.wait_until("stty after rectify", |s| {
        s.contains(EXITED) && s.contains("icanon")
    });
    tmux.assert_terminal_given_back();
    assert!(screen.contains("BEFORE"), "main screen back:\n{screen}");
    assert!(!screen.contains(note), "the form is gone:\n{screen}");
    // 128 + the signal, as a shell reports a process stopped by it.
    let code = match signal {
        "HUP" | "SIGHUP" => 129,
        _ => 143,
    };
    assert!(
        screen.contains(&format!("{EXITED} {code}")),
        "exit status {code}:\n{screen}"
    );
    let words: Vec<&str> = screen.split([' ', ';', '\n']).collect();
    for mode in ["icanon", "echo", "isig", "icrnl", "opost"] {
        let off = format!("-{mode}");
        assert!(words.contains(&mode), "stty shows {mode}:\n{screen}");
        assert!(
            !words.contains(&off.as_str()),
            "stty shows {off}:\n{screen}"
        );
    }

    s.assert_check_passes();
    let stored = s.checks_json().iter().any(|c| c["note"] == note);
    assert!(!stored, "an unsaved form is not stored");
}

#[test]
fn sighup_restores_the_terminal() {
    signal_restores_the_terminal("HUP");
}

#[test]
fn sigterm_restores_the_terminal() {
    signal_restores_the_terminal("TERM");
}

/// Box drawing, block elements, and the markers used outside `--ascii`: all of them are
/// ambiguous-width in a CJK-configured terminal.
fn not_ascii_art(c: char) -> bool {
    matches!(c, '\u{2500}'..='\u{259f}' | '▶' | '›' | '…')
}

#[test]
fn ascii_borders_under_term_screen() {
    let s = Scratch::with_demo();
    let tmux = s.start(&["TERM=screen"], &["--ascii"]);
    let mut screens = vec![tmux.wait_until("the dashboard in ASCII", |s| {
        on_dashboard(s) && s.contains("+--") && s.contains('|')
    })];
    tmux.send(&["3"]);
    screens.push(tmux.wait_until("the findings", |s| on_findings(s) && s.contains("> ")));
    tmux.send(&["c"]);
    screens.push(tmux.wait_until("the check form", form_open));
    for screen in &screens {
        let bad: String = screen.chars().filter(|c| not_ascii_art(*c)).collect();
        assert!(bad.is_empty(), "non-ASCII drawing {bad:?} in:\n{screen}");
    }
    tmux.send(&["Escape"]);
    tmux.wait_until("the form to close", |s| !form_open(s));
    tmux.send(&["q"]);
    tmux.wait_for(EXITED);
    tmux.assert_terminal_given_back();
}

/// The dashboard and the findings list with their escape sequences.
fn coloured_screens(extra_env: &[&str]) -> Vec<String> {
    let s = Scratch::with_demo();
    let tmux = s.start(extra_env, &[]);
    tmux.wait_until("the dashboard", on_dashboard);
    let dashboard = tmux.capture_escapes();
    tmux.send(&["3"]);
    tmux.wait_until("the findings list", on_findings);
    let findings = tmux.capture_escapes();
    tmux.send(&["q"]);
    tmux.wait_for(EXITED);
    tmux.assert_terminal_given_back();
    vec![dashboard, findings]
}

#[test]
fn colour_unless_no_color() {
    for screen in coloured_screens(&[]) {
        let colours = colour_codes(&screen);
        assert!(!colours.is_empty(), "some colour on screen:\n{screen:?}");
    }
    for screen in coloured_screens(&["NO_COLOR=1"]) {
        let colours = colour_codes(&screen);
        assert!(colours.is_empty(), "colours {colours:?} in:\n{screen:?}");
        // The selection stays visible without colour: reverse video.
        let reversed = sgr_params(&screen).iter().any(|p| p.contains(&7));
        assert!(reversed, "the selection is reversed:\n{screen:?}");
    }
}

/// The welcome screen shows no key hints; the list's `q` should leave it as it does
/// everywhere else. Only ctrl-c and F10 (the global keys) do: `welcome_key` in
/// src/tui/app.rs looks up `Context::Global` alone, while `App::contexts` says the list
/// keys are live there.
#[test]

fn q_quits_the_welcome_screen() {
    let s = Scratch::new();
    let tmux = s.start(&[], &[]);
    tmux.wait_for("按 d 载入示例台账");
    tmux.send(&["q"]);
    tmux.wait_for(EXITED);
    tmux.assert_terminal_given_back();
}

// ------------------------------------------------------------------------------ over ssh

#[test]
fn over_ssh_quit_and_hang_up() {
    if std::env::var_os("RECTIFY_E2E_SSH").is_none_or(|v| v != "1") {
        eprintln!("skipped: set RECTIFY_E2E_SSH=1 (needs openssh-server) to run it");
        return;
    }
    let sshd = Sshd::start();
    let s = Scratch::new();
    let remote = s.tui(&[], &[]);

    // A whole session: demo, a check with a Chinese note, quit.
    let tmux = Tmux::start(120, 40, &pane(&sshd.ssh(&remote), ""));
    tmux.wait_for("按 d 载入示例台账");
    tmux.send(&["d"]);
    tmux.wait_until("the dashboard", on_dashboard);
    let note = "经SSH登记的回头看";
    type_a_check(&tmux, note);
    tmux.send(&["Enter"]);
    tmux.wait_until("已保存", |s| last_line(s).contains("已保存"));
    tmux.send(&["q"]);
    let screen = tmux.wait_for(EXITED);
    assert!(screen.contains(&format!("{EXITED} 0")), "{screen}");
    tmux.assert_terminal_given_back();
    drop(tmux);
    assert!(s.checks_json().iter().any(|c| c["note"] == note));

    // The connection drops (the client dies) with a form open: the app exits and lets go
    // of the ledger.
    let pidfile = s.file("ssh.pid");
    let tmux = Tmux::start(120, 40, &pane(&with_pid(&pidfile, &sshd.ssh(&remote)), ""));
    tmux.wait_until("the dashboard", on_dashboard);
    type_a_check(&tmux, "断线前未保存");
    kill("KILL", &pidfile);
    tmux.wait_for(EXITED);
    // `check` takes the ledger's lock, so it passes only once the remote app is gone.
    poll("the remote app to let go of the ledger", || {
        let out = s.cli(&["check"]);
        out.status.success().then_some(()).ok_or(format!("{out:?}"))
    });
    assert!(s.checks_json().iter().all(|c| c["note"] != "断线前未保存"));
}
