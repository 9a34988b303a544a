//! The few messages a hub exchanges over a pipe (`rectify sync ssh://…` talks to `rectify
//! sync-serve` on the far side, as git does): one JSON object per line each way.

use super::hub::LogInfo;
use crate::domain::Id;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    Logs,
    Read { replica: Id, from: u64 },
    Append { replica: Id, at: u64, data: String },
}

#[derive(Debug, Serialize, Deserialize)]
pub struct WireLog {
    pub replica: Id,
    pub len: u64,
    pub owner: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Response {
    Logs { logs: Vec<WireLog> },
    Data { data: String },
    Done,
    Error { zh: String, en: String },
}

impl From<&LogInfo> for WireLog {
    fn from(l: &LogInfo) -> Self {
        WireLog {
            replica: l.replica,
            len: l.len,
            owner: l.owner.clone(),
        }
    }
}

impl From<WireLog> for LogInfo {
    fn from(l: WireLog) -> Self {
        LogInfo {
            replica: l.replica,
            len: l.len,
            owner: l.owner,
        }
    }
}

impl Response {
    pub fn error(msg: &Msg) -> Response {
        Response::Error {
            zh: msg.zh.clone(),
            en: msg.en.clone(),
        }
    }
}
