//! What can go wrong below the ledger, always with a message the user can act on.

use crate::i18n::Msg;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

    /// A read or write the operating system refused. When `err` is an I/O error whose cause
    /// the user can act on (disk full, a file size limit, no permission …), the Chinese text
    /// names it in Chinese, before the system's own (English) wording.
    pub fn io(what_zh: &str, what_en: &str, err: impl fmt::Display + 'static) -> StoreError {
        let any: &dyn std::any::Any = &err;
        let cause = match any.downcast_ref::<sled::Error>() {
            Some(sled::Error::Io(io)) => io_cause_zh(io),
            _ => any.downcast_ref::<std::io::Error>().and_then(io_cause_zh),
        };
        let zh = match cause {
            Some(cause) => format!("{what_zh}失败：{cause}（{err}）"),
            None => format!("{what_zh}失败：{err}"),
        };
        StoreError::Io(Msg::new(zh, format!("{what_en} failed: {err}")))
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

/// What an I/O error means for the user, in Chinese, for the causes they can do something about.
fn io_cause_zh(err: &std::io::Error) -> Option<&'static str> {
    let cause = match err.raw_os_error()? {
        libc::ENOSPC => "磁盘空间已满，请腾出磁盘空间后重试",
        libc::EDQUOT => "已超出磁盘配额，请腾出空间后重试",
        libc::EFBIG => "文件超过了系统允许的大小（ulimit -f），请调整限制后重试",
        libc::EROFS => "磁盘为只读，无法写入",
        libc::EACCES | libc::EPERM => "没有读写权限",
        libc::EIO => "磁盘读写出错，请检查磁盘",
        _ => return None,
    };
    Some(cause)
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.msg())
    }
}

impl std::error::Error for StoreError {}

pub type StoreResult<T> = Result<T, StoreError>;
