//! What can go wrong below the ledger, always with a message the user can act on.

use crate::i18n::Msg;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// Another process holds the store.
    Locked(Msg),
    /// The store was written by a newer rectify.
    NewerSchema(Msg),
    /// Data on disk failed its checks.
    Corrupt(Msg),
    /// The operating system refused a read or write (disk full, permissions …).
    Io(Msg),
    /// An op that cannot be applied (unknown field, wrong type, missing record).
    Invalid(Msg),
}

impl StoreError {
    pub fn msg(&self) -> &Msg {
        match self {
            StoreError::Locked(m)
            | StoreError::NewerSchema(m)
            | StoreError::Corrupt(m)
            | StoreError::Io(m)
            | StoreError::Invalid(m) => m,
        }
    }

    pub fn io(what_zh: &str, what_en: &str, err: impl fmt::Display) -> StoreError {
        StoreError::Io(Msg::new(
            format!("{what_zh}失败：{err}"),
            format!("{what_en} failed: {err}"),
        ))
    }

    pub fn sled(err: sled::Error) -> StoreError {
        match err {
            sled::Error::Corruption { .. } => StoreError::Corrupt(Msg::new(
                format!("台账视图（sled）已损坏：{err}。请运行 rectify check --repair 从日志重建"),
                format!(
                    "the ledger view (sled) is corrupt: {err}. Run rectify check --repair to rebuild it from the journal"
                ),
            )),
            other => StoreError::io("台账视图读写", "ledger view I/O", other),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.msg())
    }
}

impl std::error::Error for StoreError {}

pub type StoreResult<T> = Result<T, StoreError>;
