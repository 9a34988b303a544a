//! The real binary in a real (pseudo) terminal: a tmux server of the test's own, keys sent as a
//! user types them, the screen read back with `capture-pane`. Nothing waits a fixed time:
//! everything polls the screen against a generous deadline.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

pub const DEADLINE: Duration = Duration::from_secs(20);
pub const POLL: Duration = Duration::from_millis(50);
/// What the pane prints after rectify has exited (followed by its exit code).
pub const EXITED: &str = "EXITED";

/// Quote for `sh`.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

pub fn path_str(p: &Path) -> String {
    p.to_str().expect("temp paths are UTF-8").to_string()
}

/// Poll `probe` until it gives a value, or panic after the deadline with what it last saw.
pub fn poll<T>(what: &str, mut probe: impl FnMut() -> Result<T, String>) -> T {
    let start = Instant::now();
    loop {
        match probe() {
            Ok(v) => return v,
            Err(last) if start.elapsed() > DEADLINE => {
                panic!("timed out waiting for {what}; last seen:\n{last}")
            }
            Err(_) => std::thread::sleep(POLL),
        }
    }
}

/// A tmux server of our own (its socket in a temp dir) with one session; killed, with
/// whatever runs in it, on drop.
pub struct Tmux {
    home: TempDir,
}

impl Tmux {
    /// A `width`×`height` session running the shell command `command`.
    pub fn start(width: u16, height: u16, command: &str) -> Tmux {
        let home = tempfile::Builder::new().prefix("tmux").tempdir_in("/tmp");
        let tmux = Tmux {
            home: home.expect("temp dir"),
        };
        let (w, h) = (format!("-x{width}"), format!("-y{height}"));
        tmux.run(&["new-session", "-d", "-se2e", &w, &h, command]);
        tmux
    }

    /// tmux with a clean environment, so the caller's NO_COLOR, TMUX, RECTIFY_* cannot leak
    /// into the pane.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("LANG", "C.UTF-8")
            .env("TERM", "xterm-256color")
            .arg("-S")
            .arg(self.home.path().join("sock"))
            .args(["-f", "/dev/null"]);
        c
    }

    pub fn run(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Keys in tmux notation: `Down`, `Enter`, `Escape`, `q`.
    pub fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Text typed as is (Chinese included).
    pub fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "e2e", "-l", text]);
    }

    /// The screen as text, wrapped lines joined.
    pub fn capture(&self) -> String {
        self.run(&["capture-pane", "-p", "-J", "-t", "e2e"])
    }

    /// The screen with its escape sequences (colours, attributes).
    pub fn capture_escapes(&self) -> String {
        self.run(&["capture-pane", "-p", "-e", "-t", "e2e"])
    }

    pub fn resize(&self, width: u16, height: u16) {
        let (w, h) = (format!("-x{width}"), format!("-y{height}"));
        self.run(&["resize-window", "-te2e", &w, &h]);
    }

    pub fn flag(&self, name: &str) -> bool {
        let format = format!("#{{{name}}}");
        self.run(&["display-message", "-p", "-te2e", &format])
            .trim()
            == "1"
    }

    /// After the app: main screen, cursor shown, no mouse reporting.
    pub fn assert_terminal_given_back(&self) {
        let screen = self.capture();
        assert!(!self.flag("alternate_on"), "main screen:\n{screen}");
        assert!(self.flag("cursor_flag"), "cursor shown:\n{screen}");
        assert!(!self.flag("mouse_any_flag"), "no mouse:\n{screen}");
    }

    pub fn wait_until(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        poll(what, || {
            let screen = self.capture();
            pred(&screen).then(|| screen.clone()).ok_or(screen)
        })
    }

    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self
            .cmd()
            .arg("kill-server")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
