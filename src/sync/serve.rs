//! `rectify sync-serve PATH`: the far side of `rectify sync ssh://host/PATH`. It runs as the
//! user who logged in over ssh, so the logs it creates on the hub are owned by that user, and
//! the hub's file permissions (not this program) decide who may append to which log.

use super::dir_hub::DirHub;
use super::hub::Hub;
use super::wire::{Request, Response, WireLog};
use crate::i18n::Msg;
use std::io::{BufRead, Write};

/// Answer requests from `input` until it closes.
pub fn serve(
    hub_path: &std::path::Path,
    input: impl BufRead,
    mut output: impl Write,
) -> Result<(), Msg> {
    let mut hub = DirHub::open(hub_path);
    for line in input.lines() {
        let line = line.map_err(|e| {
            Msg::new(
                format!("读取同步请求失败：{e}"),
                format!("reading a sync request failed: {e}"),
            )
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let response = match (&mut hub, serde_json::from_str::<Request>(&line)) {
            (Err(e), _) => Response::error(e),
            (Ok(_), Err(e)) => Response::error(&Msg::new(
                format!("无法识别的同步请求：{e}"),
                format!("an unrecognised sync request: {e}"),
            )),
            (Ok(hub), Ok(request)) => answer(hub, request),
        };
        let text = serde_json::to_string(&response).map_err(|e| {
            Msg::new(
                format!("编码同步应答失败：{e}"),
                format!("encoding a sync answer failed: {e}"),
            )
        })?;
        writeln!(output, "{text}")
            .and_then(|()| output.flush())
            .map_err(|e| {
                Msg::new(
                    format!("发送同步应答失败：{e}"),
                    format!("sending a sync answer failed: {e}"),
                )
            })?;
    }
    Ok(())
}

fn answer(hub: &mut DirHub, request: Request) -> Response {
    let result = match request {
        Request::Logs => hub.logs().map(|logs| Response::Logs {
            logs: logs.iter().map(WireLog::from).collect(),
        }),
        Request::Read { replica, from } => hub.read(replica, from).and_then(|bytes| {
            String::from_utf8(bytes)
                .map(|data| Response::Data { data })
                .map_err(|_| Msg::new("同步日志不是 UTF-8 文本", "a hub log is not UTF-8 text"))
        }),
        Request::Append { replica, at, data } => hub
            .append(replica, at, data.as_bytes())
            .map(|()| Response::Done),
    };
    result.unwrap_or_else(|e| Response::error(&e))
}
