//! rectify: the 审计整改台账 of a district audit bureau.
//!
//! Data flows one way: a command (CLI or TUI) → `ledger` (validates, builds ops) → `store`
//! (journal append + fsync, then the sled view, flushed) → queries read the view back.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod exchange;
pub mod i18n;
pub mod ledger;
pub mod report;
pub mod search;
pub mod store;
pub mod sync;
pub mod text;
pub mod tui;
pub mod user;
