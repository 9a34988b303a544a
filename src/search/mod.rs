//! Finding anything: fuzzy and pinyin search over every record (`index`, `pinyin`), and the
//! filter language shared by the TUI filter line and `rectify list --filter` (`filter`), with
//! the 督办紧迫度 score it can sort by (`urgency`).

pub mod filter;
pub mod index;
pub mod matcher;
pub mod persist;
pub mod pinyin;
pub mod urgency;
