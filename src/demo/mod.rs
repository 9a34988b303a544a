//! Data to start from: the demo ledger (a believable district story) and synthetic ledgers of
//! any size for benchmarks.

pub mod rng;
pub mod story;
pub mod synthetic;
