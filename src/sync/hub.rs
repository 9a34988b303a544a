//! A hub: where replicas meet. Each replica appends only to its own log on the hub (a verbatim
//! copy of its journal), so any number of auditors sync at once without contending, and the log
//! a replica reads from the hub can be checked line by line against the hash chain.

use crate::domain::Id;
use crate::i18n::Msg;

/// One replica's log on a hub.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LogInfo {
    pub replica: Id,
    /// Bytes in the log.
    pub len: u64,
    /// The OS account that owns the log (who could have written it).
    pub owner: String,
}

pub type HubResult<T> = Result<T, Msg>;

/// What sync needs from a hub; a directory, a directory behind ssh, or a database table.
pub trait Hub {
    /// A short text naming the hub in messages.
    fn describe(&self) -> String;
    /// Every replica log the hub holds.
    fn logs(&mut self) -> HubResult<Vec<LogInfo>>;
    /// The bytes of a replica's log from `from` to its end.
    fn read(&mut self, replica: Id, from: u64) -> HubResult<Vec<u8>>;
    /// Append this replica's bytes to its own log, which must hold exactly `at` bytes now.
    fn append(&mut self, replica: Id, at: u64, bytes: &[u8]) -> HubResult<()>;
}
