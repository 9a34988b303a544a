//! A hub on another host, reached like git does: `ssh host rectify sync-serve PATH` with the
//! user's own ssh (keys, agent, ~/.ssh/config). No server to install beyond rectify itself.
//!
//! `RECTIFY_SSH` replaces the ssh command (like `GIT_SSH_COMMAND`), `RECTIFY_REMOTE` the
//! program run on the far side (default `rectify`).

use super::hub::{Hub, HubResult, LogInfo};
use super::wire::{Request, Response};
use crate::domain::Id;
use crate::i18n::Msg;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

pub struct SshHub {
    url: String,
    child: Child,
    /// Taken (closed) on drop, which ends the far side.
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

/// `ssh://[user@]host[:port]/path` split into what ssh needs.
pub fn parse_url(url: &str) -> Option<(String, Option<u16>, String)> {
    let rest = url.strip_prefix("ssh://")?;
    let (authority, path) = rest.split_once('/')?;
    if authority.is_empty() || path.is_empty() {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host.to_string(), Some(port.parse().ok()?)),
        None => (authority.to_string(), None),
    };
    Some((host, port, format!("/{path}")))
}

impl SshHub {
    pub fn connect(url: &str) -> HubResult<SshHub> {
        let Some((host, port, path)) = parse_url(url) else {
            return Err(Msg::new(
                format!("无法识别的同步地址 {url}，应为 ssh://主机/路径"),
                format!("cannot read the hub address {url}; write ssh://host/path"),
            ));
        };
        let ssh = std::env::var("RECTIFY_SSH").unwrap_or_else(|_| "ssh".to_string());
        let remote = std::env::var("RECTIFY_REMOTE").unwrap_or_else(|_| "rectify".to_string());
        let mut words = ssh.split_whitespace();
        let program = words.next().unwrap_or("ssh");
        let mut cmd = Command::new(program);
        cmd.args(words);
        if let Some(port) = port {
            cmd.args(["-p", &port.to_string()]);
        }
        cmd.arg(&host)
            .arg(format!("{remote} sync-serve {}", shell_quote(&path)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().map_err(|e| {
            Msg::new(
                format!("无法启动 ssh（{program}）：{e}"),
                format!("cannot start ssh ({program}): {e}"),
            )
        })?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(Msg::new(
                "无法连接 ssh 的输入输出",
                "cannot reach ssh's input and output",
            ));
        };
        Ok(SshHub {
            url: url.to_string(),
            child,
            stdin: Some(stdin),
            stdout: BufReader::new(stdout),
        })
    }

    fn ask(&mut self, request: &Request) -> HubResult<Response> {
        let lost = |e: String| {
            Msg::new(
                format!("与 {} 的连接中断：{e}", self.url),
                format!("the connection to {} broke: {e}", self.url),
            )
        };
        let text = serde_json::to_string(request).map_err(|e| lost(e.to_string()))?;
        let Some(stdin) = self.stdin.as_mut() else {
            return Err(lost("closed".into()));
        };
        writeln!(stdin, "{text}")
            .and_then(|()| stdin.flush())
            .map_err(|e| lost(e.to_string()))?;
        let mut line = String::new();
        let n = self
            .stdout
            .read_line(&mut line)
            .map_err(|e| lost(e.to_string()))?;
        if n == 0 {
            return Err(lost(
                "对方没有应答（远端是否安装了 rectify？）/ no answer (is rectify installed there?)"
                    .into(),
            ));
        }
        match serde_json::from_str::<Response>(&line) {
            Ok(Response::Error { zh, en }) => Err(Msg::new(zh, en)),
            Ok(other) => Ok(other),
            Err(e) => Err(lost(format!("{e}: {}", line.trim()))),
        }
    }

    fn unexpected(&self) -> Msg {
        Msg::new(
            format!("{} 的应答不符合预期", self.url),
            format!("an unexpected answer from {}", self.url),
        )
    }
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

impl Hub for SshHub {
    fn describe(&self) -> String {
        self.url.clone()
    }

    fn logs(&mut self) -> HubResult<Vec<LogInfo>> {
        match self.ask(&Request::Logs)? {
            Response::Logs { logs } => Ok(logs.into_iter().map(LogInfo::from).collect()),
            _ => Err(self.unexpected()),
        }
    }

    fn read(&mut self, replica: Id, from: u64) -> HubResult<Vec<u8>> {
        match self.ask(&Request::Read { replica, from })? {
            Response::Data { data } => Ok(data.into_bytes()),
            _ => Err(self.unexpected()),
        }
    }

    fn append(&mut self, replica: Id, at: u64, bytes: &[u8]) -> HubResult<()> {
        let data = String::from_utf8(bytes.to_vec()).map_err(|_| {
            Msg::new(
                "本地日志不是 UTF-8 文本",
                "the local journal is not UTF-8 text",
            )
        })?;
        match self.ask(&Request::Append { replica, at, data })? {
            Response::Done => Ok(()),
            _ => Err(self.unexpected()),
        }
    }
}

impl Drop for SshHub {
    fn drop(&mut self) {
        // Closing stdin ends the far side's loop and so ssh; then reap it.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// Open the hub a text names: `ssh://…`, `postgres://…` (or `postgresql://…`), `git:PATH` (a
/// clone of the team's hub repository), or a local directory.
pub fn open_hub(text: &str) -> HubResult<Box<dyn Hub>> {
    if super::pg_hub::is_pg_url(text) {
        Ok(Box::new(super::pg_hub::PgHub::connect(text)?))
    } else if let Some(path) = text.strip_prefix(super::git_hub::PREFIX) {
        Ok(Box::new(super::git_hub::GitDirHub::open(
            std::path::Path::new(path),
        )?))
    } else if text.starts_with("ssh://") {
        Ok(Box::new(SshHub::connect(text)?))
    } else {
        Ok(Box::new(super::dir_hub::DirHub::open(
            std::path::Path::new(text),
        )?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_urls_name_user_host_port_and_path() {
        assert_eq!(
            parse_url("ssh://audit@10.1.2.3:2222/srv/rectify/hub"),
            Some((
                "audit@10.1.2.3".into(),
                Some(2222),
                "/srv/rectify/hub".into()
            ))
        );
        assert_eq!(
            parse_url("ssh://intranet/srv/hub"),
            Some(("intranet".into(), None, "/srv/hub".into()))
        );
        assert_eq!(parse_url("ssh://host"), None);
        assert_eq!(parse_url("/srv/hub"), None);
    }
}
