//! The one place that changes data: commands validate, check the rules of the workflow and
//! turn a change into ops for the store; queries read records back and derive their status.

mod commands;
pub mod describe;
pub mod error;
pub mod plans;
mod queries;
pub mod repeats;
mod rules;

pub use error::{LedgerError, LedgerResult};
pub use queries::{
    FindingRow, Segment, StatusCount, file_record, natural_cmp, natural_key, number_order, segments,
};

use crate::domain::status::DEFAULT_NEAR_DUE_DAYS;
use crate::store::Store;

#[derive(Debug, Clone, Copy)]
pub struct LedgerConfig {
    /// Days before a deadline that count as 临期.
    pub near_due_days: i64,
}

impl Default for LedgerConfig {
    fn default() -> Self {
        LedgerConfig {
            near_due_days: DEFAULT_NEAR_DUE_DAYS,
        }
    }
}

pub struct Ledger<S: Store> {
    store: S,
    pub config: LedgerConfig,
}

impl<S: Store> Ledger<S> {
    pub fn new(store: S) -> Self {
        Ledger {
            store,
            config: LedgerConfig::default(),
        }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn into_store(self) -> S {
        self.store
    }
}
