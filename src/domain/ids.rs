//! Stable record ids: UUIDv7, time-ordered, stored as 16 big-endian bytes in sled.
//! Human numbers (`2022-03-07`) are fields, never keys.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(pub Uuid);

impl Id {
    /// The nil id (all zeroes): never the id of a record.
    pub const NIL: Id = Id(Uuid::nil());

    pub fn new() -> Id {
        Id(Uuid::now_v7())
    }

    pub fn nil() -> Id {
        Id(Uuid::nil())
    }

    pub fn from_bytes(bytes: [u8; 16]) -> Id {
        Id(Uuid::from_bytes(bytes))
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }

    pub fn parse(text: &str) -> Result<Id, Msg> {
        Uuid::parse_str(text.trim()).map(Id).map_err(|_| {
            Msg::new(
                format!("“{}”不是有效的记录编号", text.trim()),
                format!("\"{}\" is not a valid record id", text.trim()),
            )
        })
    }

    /// The last 8 hex digits: the random part of a UUIDv7, so short ids of records made in
    /// the same second still differ.
    pub fn short(&self) -> String {
        let full = self.0.simple().to_string();
        full[full.len() - 8..].to_string()
    }

    /// Whether a typed fragment names this id (full id, or a prefix / suffix of its hex form).
    pub fn matches_fragment(&self, fragment: &str) -> bool {
        let fragment: String = fragment
            .trim()
            .chars()
            .filter(|c| *c != '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if fragment.len() < 6 {
            return false;
        }
        let hex = self.0.simple().to_string();
        hex.starts_with(&fragment) || hex.ends_with(&fragment)
    }
}

impl Default for Id {
    fn default() -> Self {
        Id::nil()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}
