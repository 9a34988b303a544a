//! The app's store runs in a helper process.
//!
//! sled 0.34 starts seven I/O threads in whatever process opens a database, and each wakes once
//! a second for as long as the process lives (its thread pool waits with a one-second timeout,
//! and nothing configures it). An app left open on a laptop all day should wake nobody. So the
//! app never opens sled itself: it takes the store's lock, then starts `rectify store-host`
//! with the lock handed down, and talks to it over a socket (`wire`). The helper answers the
//! `Store` calls and leaves when the app has been silent for `store_idle_seconds` (config.toml,
//! 10 by default: starting a helper costs about 80 ms of CPU at 100,000 findings, so a short pause
//! between two actions should not cost a start, and a user who stopped working should not cost
//! wake-ups for long either). The next key the user presses starts another behind the frame it
//! draws, so the call after it need not wait; a call that finds no helper starts one itself.
//! The app keeps the lock all along, so no other process can slip in between. With a sync hub
//! configured the app works every few seconds anyway, and the helper stays.
//!
//! On a large ledger (20,000 findings and more) the helper also makes room: the one that served
//! the load is let go once the app has every record, and one is let go when the finder opens
//! (its index is as big as a helper, and the finder needs no store); no key starts one while the
//! finder is open. A helper let go leaves at once, without taking sled's tables apart.
//!
//! A call the helper had not read when it left is sent to the next one; a call it may have
//! read and not answered (it died) is an error that says so, never retried blindly.

pub mod remote;
mod scan;
pub mod serve;
mod watched;
pub mod wire;

pub use remote::RemoteStore;
pub use serve::serve;
