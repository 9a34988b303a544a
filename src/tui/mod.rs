//! The terminal app: ratatui + crossterm on the ledger.
//!
//! Data flows one way (design.md §1): key → keymap (per-context trie) → `Action` → `App::update`
//! → ledger command → store → the app refreshes what it shows → render. Panels never touch the
//! store and never see raw keys, except the focused text field, which gets unbound printable
//! keys first.

pub mod action;
pub mod app;
pub mod app_conflicts;
pub mod app_dashboard;
pub mod app_plans;
pub mod app_records;
pub mod app_repeats;
pub mod app_search;
pub mod app_startup;
pub mod app_sync;
pub mod backend;
pub mod finder;
pub mod forms;
pub mod host;
pub mod keymap;
pub mod model;
pub mod overview_cache;
pub mod render;
pub mod runner;
pub mod saved_views;
pub mod stats;
pub mod strings;
mod sync_store;
pub mod term;
pub mod theme;
pub mod view;
pub mod widgets;
