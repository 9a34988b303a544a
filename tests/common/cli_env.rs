//! Running the `rectify` binary from tests, isolated from the machine it runs on: no
//! `RECTIFY_LANG` / `RECTIFY_DB` from the environment, and `RECTIFY_CONFIG` pointed at a file that
//! does not exist, so a developer's own config.toml (say `lang = "en"`) cannot change a result.

use serde_json::Value;
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_rectify");

/// The binary with a clean environment and no standard input.
pub fn rectify_command() -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("RECTIFY_LANG")
        .env_remove("RECTIFY_DB")
        .env("RECTIFY_CONFIG", "/nonexistent/rectify-tests/config.toml")
        .stdin(Stdio::null());
    cmd
}

/// A finished run of the binary.
pub struct Run {
    pub what: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from_output(what: String, out: Output) -> Run {
        Run {
            what,
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn context(&self) -> String {
        format!(
            "`{}` exited with {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.what,
            self.code,
            truncate(&self.stdout, 4000),
            truncate(&self.stderr, 4000)
        )
    }

    pub fn assert_no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked") && !self.stdout.contains("panicked"),
            "the binary panicked:\n{}",
            self.context()
        );
    }

    /// Assert exit code 0 and return stdout.
    pub fn ok(&self) -> &str {
        self.assert_no_panic();
        assert_eq!(self.code, Some(0), "expected success:\n{}", self.context());
        &self.stdout
    }

    /// Assert exit code 1 (a user-facing failure, not a crash) with something on stderr.
    pub fn fails(&self) -> &str {
        self.assert_no_panic();
        assert_eq!(
            self.code,
            Some(1),
            "expected exit code 1:\n{}",
            self.context()
        );
        assert!(
            !self.stderr.trim().is_empty(),
            "a failure must say why on stderr:\n{}",
            self.context()
        );
        &self.stderr
    }

    pub fn json(&self) -> Value {
        let text = self.ok();
        serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.context()))
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &s[..end], s.len())
}
