//! Live sync in the app (issue 7): with `hub` in config.toml the app exchanges ops with the hub
//! at start, after every save and every few seconds while idle, and the status bar says when it
//! last did and how many of this replica's ops wait to go out.
//!
//! The store keeps its one owner, the UI thread. Only the hub's I/O runs on a worker thread,
//! which keeps the hub open between rounds (one `ssh` for the session, opened again after a
//! failure): it lists the logs, appends this replica's new journal lines (read from the journal
//! file up to an offset the UI thread gave, so never a half-written batch) and reads the other
//! replicas' new lines. Its answer arrives as an event; the UI thread then runs the ordinary
//! `sync` against what was fetched (`Replay`, a hub answering from memory), so every check of
//! `rectify sync` (checksums, chains, replicas, accounts) happens exactly as there, and what is
//! left on the UI thread is local work of a few milliseconds. Tests run the same steps on the
//! calling thread (`sync_now`, `sync_tick` with their own clock).

use super::app::{App, AppEvent};
use super::forms::Target;
use super::strings::S;
pub use super::sync_store::{Applied, LiveStore};
use crate::domain::Id;
use crate::i18n::Msg;
use crate::ledger::Ledger;
use crate::store::apply::is_set_field;
use crate::store::journal::JournalPos;
use crate::store::{EntityKind, Record, Store};
use crate::sync::hub::{Hub, LogInfo};
use crate::sync::ssh_hub::open_hub;
use chrono::{DateTime, Local};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, SendError, Sender};
use std::time::{Duration, Instant};

/// How often the app syncs while idle.
pub const INTERVAL: Duration = Duration::from_secs(5);
/// The longest wait between attempts after failures (5 s, 10 s, 20 s, 40 s, then this).
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// A round out longer than this shows as 同步中 on the status bar.
const SLOW: Duration = Duration::from_secs(3);
/// Above this many records touched by what a round brought, the snapshot is loaded afresh.
pub(super) const RELOAD_ABOVE: usize = 500;

/// What the worker needs for one round: where this replica's journal ends (and its file), and
/// how far this store holds each other replica's journal.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Request {
    pub(super) me: Id,
    pub(super) own_journal: PathBuf,
    pub(super) own: JournalPos,
    pub(super) have: HashMap<Id, u64>,
}

/// What a round fetched, after pushing this replica's new lines.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Fetched {
    pub(super) describe: String,
    pub(super) logs: Vec<LogInfo>,
    /// Each other replica's new bytes: (replica, from offset, bytes).
    pub(super) tails: Vec<(Id, u64, Vec<u8>)>,
    /// This replica's ops the hub holds now (a journal seq).
    pub(super) own_seq: u64,
}

impl Fetched {
    /// This round without the journal bytes it fetched, and those bytes, in order: how it
    /// travels to the app's store helper (the bytes as records, not as JSON numbers).
    pub(super) fn split_tails(&self) -> (Fetched, Vec<Vec<u8>>) {
        let mut head = Fetched {
            describe: self.describe.clone(),
            logs: self.logs.clone(),
            tails: Vec::with_capacity(self.tails.len()),
            own_seq: self.own_seq,
        };
        let mut bytes = Vec::with_capacity(self.tails.len());
        for (replica, from, tail) in &self.tails {
            head.tails.push((*replica, *from, Vec::new()));
            bytes.push(tail.clone());
        }
        (head, bytes)
    }

    /// The round `split_tails` took apart; `None` when the bytes do not match its tails.
    pub(super) fn join_tails(mut self, bytes: Vec<Vec<u8>>) -> Option<Fetched> {
        if bytes.len() != self.tails.len() {
            return None;
        }
        for (tail, bytes) in self.tails.iter_mut().zip(bytes) {
            tail.2 = bytes;
        }
        Some(self)
    }
}

pub type Reply = Result<Fetched, Msg>;

/// The hub side of a round: list, push, read. No store in sight, so it can run on any thread.
pub fn fetch(hub: &mut dyn Hub, request: &Request) -> Reply {
    let mut logs = hub.logs()?;
    let end = request.own.offset;
    let on_hub = logs.iter().find(|l| l.replica == request.me).map(|l| l.len);
    // A log on the hub longer than the journal is for `sync` to refuse, with its message.
    let from = on_hub.unwrap_or(0);
    if from < end {
        let bytes = read_range(&request.own_journal, from, end)?;
        hub.append(request.me, from, &bytes)?;
        match logs.iter_mut().find(|l| l.replica == request.me) {
            Some(log) => log.len = end,
            None => logs.push(LogInfo {
                replica: request.me,
                len: end,
                owner: String::new(),
            }),
        }
    }
    let mut tails = Vec::new();
    for log in logs.iter().filter(|l| l.replica != request.me) {
        let from = request.have.get(&log.replica).copied().unwrap_or(0);
        if log.len > from {
            tails.push((log.replica, from, hub.read(log.replica, from)?));
        }
    }
    Ok(Fetched {
        describe: hub.describe(),
        logs,
        tails,
        own_seq: request.own.seq,
    })
}

fn read_range(path: &Path, from: u64, to: u64) -> Result<Vec<u8>, Msg> {
    let io = |e: std::io::Error| {
        Msg::new(
            format!("读取本地日志 {} 失败：{e}", path.display()),
            format!("reading the local journal {} failed: {e}", path.display()),
        )
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = vec![0u8; to.saturating_sub(from) as usize];
    file.seek(SeekFrom::Start(from))
        .and_then(|_| file.read_exact(&mut bytes))
        .map_err(io)?;
    Ok(bytes)
}

/// One round on a hub kept open between rounds; a failure drops it, so the next round opens it
/// afresh (a broken ssh connection, a hub directory that came back).
fn round(conn: &mut Option<Box<dyn Hub>>, text: &str, request: &Request) -> Reply {
    let hub = match conn {
        Some(hub) => hub,
        None => conn.insert(open_hub(text)?),
    };
    let reply = fetch(hub.as_mut(), request);
    if reply.is_err() {
        *conn = None;
    }
    reply
}

/// The worker: one round per request, each answer sent to the app as an event (which wakes it).
fn spawn_worker(hub: String, events: Sender<AppEvent>) -> Option<Sender<Request>> {
    let (tx, rx) = mpsc::channel::<Request>();
    std::thread::Builder::new()
        .name("rectify-sync".into())
        .spawn(move || {
            let mut conn = None;
            for request in rx {
                let reply = round(&mut conn, &hub, &request);
                if events.send(AppEvent::Synced(Box::new(reply))).is_err() {
                    return;
                }
            }
        })
        .ok()
        .map(|_| tx)
}

/// What live sync needs of the store, as plain functions, so the app stays generic over its
/// store (see `LiveStore`).
struct Backend<St: Store> {
    request: fn(&mut Ledger<St>) -> Result<Request, Msg>,
    apply: fn(&mut Ledger<St>, &Fetched) -> Applied,
    own_seq: fn(&Ledger<St>) -> u64,
}

impl<St: Store> Clone for Backend<St> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<St: Store> Copy for Backend<St> {}

/// Where the hub I/O runs.
enum Link {
    /// On the calling thread (tests; or when no thread could be started).
    Here(Option<Box<dyn Hub>>),
    Worker {
        requests: Sender<Request>,
        events: Sender<AppEvent>,
    },
}

/// The app's sync with its hub.
pub struct LiveSync<St: Store> {
    hub: String,
    backend: Backend<St>,
    link: Link,
    /// When the next round starts.
    due: Instant,
    /// Something was saved while a round was out: go again as soon as it is back.
    again: bool,
    /// When the round now out went out.
    out_since: Option<Instant>,
    /// Failed rounds in a row.
    failures: u32,
    /// This replica's journal seq the hub is known to hold (0 until the first round).
    on_hub_seq: u64,
    /// This replica's journal seq when last looked at (a change is a save: sync at once).
    seen_seq: u64,
    last_ok: Option<DateTime<Local>>,
    last_error: Option<(DateTime<Local>, Msg)>,
}

/// How sync stands, for the status bar and the 冲突 view.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncStatus {
    pub hub: String,
    pub last_ok: Option<DateTime<Local>>,
    /// The last round failed: when, and why.
    pub failed: Option<(DateTime<Local>, Msg)>,
    /// This replica's ops the hub is not known to hold yet.
    pub pending: u64,
    /// A round has been out for a while.
    pub slow: bool,
}

fn backoff(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(8);
    (INTERVAL * 2u32.pow(doublings)).min(MAX_BACKOFF)
}

impl<St: LiveStore> App<St> {
    /// Sync with `hub` (a directory or `ssh://host/path`) from now on: the first round is due at
    /// once. The hub I/O runs here, on the calling thread, until `start_sync_worker`.
    pub fn set_hub(&mut self, hub: String) {
        let backend = Backend {
            request: St::sync_request,
            apply: St::sync_apply,
            own_seq: St::own_seq,
        };
        self.live = Some(LiveSync {
            hub,
            backend,
            link: Link::Here(None),
            due: Instant::now(),
            again: false,
            out_since: None,
            failures: 0,
            on_hub_seq: 0,
            seen_seq: (backend.own_seq)(&self.ledger),
            last_ok: None,
            last_error: None,
        });
    }
}

impl<St: Store> App<St> {
    /// Move the hub I/O to a worker thread whose answers arrive on `events`.
    pub fn start_sync_worker(&mut self, events: Sender<AppEvent>) {
        let Some(live) = self.live.as_mut() else {
            return;
        };
        if let Some(requests) = spawn_worker(live.hub.clone(), events.clone()) {
            live.link = Link::Worker { requests, events };
        }
    }

    /// How sync stands; `None` without a hub.
    pub fn sync_status(&self) -> Option<SyncStatus> {
        let live = self.live.as_ref()?;
        let seq = (live.backend.own_seq)(&self.ledger);
        Some(SyncStatus {
            hub: live.hub.clone(),
            last_ok: live.last_ok,
            failed: live.last_error.clone().filter(|_| live.failures > 0),
            pending: seq.saturating_sub(live.on_hub_seq),
            slow: live.out_since.is_some_and(|since| since.elapsed() >= SLOW),
        })
    }

    /// How long the event loop may sleep before sync needs it: `None` (until an event) without
    /// a hub, so an app without one never wakes up on its own.
    pub fn sync_wait(&self, now: Instant) -> Option<Duration> {
        let live = self.live.as_ref()?;
        if live.out_since.is_none() && !self.may_need_store_soon() {
            // The finder is open: rounds wait until it closes (see `sync_tick`), and closing
            // it is a key, which wakes the loop.
            return None;
        }
        match live.out_since {
            // Once, to show 同步中 when the round is slow; its answer is an event.
            Some(since) => (since + SLOW)
                .checked_duration_since(now)
                .map(|d| d.max(Duration::from_millis(10))),
            None => Some(live.due.saturating_duration_since(now)),
        }
    }

    /// Start a round if one is due at `now`, or something was saved since the last look. Not
    /// while the finder is open: a round needs the store, whose helper made room for the
    /// finder's index, and what it brings would make that index stale under the user's search.
    pub fn sync_tick(&mut self, now: Instant) {
        if !self.may_need_store_soon() {
            return;
        }
        let Some(live) = self.live.as_mut() else {
            return;
        };
        let seq = (live.backend.own_seq)(&self.ledger);
        if seq != live.seen_seq {
            live.seen_seq = seq;
            live.due = live.due.min(now);
            live.again = live.out_since.is_some();
        }
        if live.out_since.is_none() && now >= live.due {
            self.start_round(now);
        }
    }

    /// A round now (unless one is out: then right after it).
    pub fn sync_now(&mut self) {
        let now = Instant::now();
        if let Some(live) = self.live.as_mut() {
            live.due = now;
            live.again = live.out_since.is_some();
        }
        self.sync_tick(now);
    }

    fn start_round(&mut self, now: Instant) {
        let Some(backend) = self.live.as_ref().map(|l| l.backend) else {
            return;
        };
        let request = match (backend.request)(&mut self.ledger) {
            Ok(request) => request,
            Err(e) => return self.sync_done(Err(e)),
        };
        let Some(live) = self.live.as_mut() else {
            return;
        };
        live.again = false;
        let request = match &live.link {
            Link::Worker { requests, events } => match requests.send(request) {
                Ok(()) => {
                    live.out_since = Some(now);
                    return;
                }
                // The worker is gone: start another, or do the round here.
                Err(SendError(request)) => {
                    let events = events.clone();
                    match spawn_worker(live.hub.clone(), events.clone()) {
                        Some(requests) => match requests.send(request) {
                            Ok(()) => {
                                live.link = Link::Worker { requests, events };
                                live.out_since = Some(now);
                                return;
                            }
                            Err(SendError(request)) => {
                                live.link = Link::Here(None);
                                request
                            }
                        },
                        None => {
                            live.link = Link::Here(None);
                            request
                        }
                    }
                }
            },
            Link::Here(_) => request,
        };
        let reply = match &mut live.link {
            Link::Here(conn) => round(conn, &live.hub, &request),
            Link::Worker { .. } => return,
        };
        self.sync_done(reply);
    }

    /// A round is back: apply what it fetched, show what it brought, and plan the next one.
    pub(super) fn sync_done(&mut self, reply: Reply) {
        let Some(backend) = self.live.as_ref().map(|l| l.backend) else {
            return;
        };
        // The hub holds this replica's lines once the fetch is back, whatever applying says.
        let mut pushed = None;
        let outcome = match reply {
            Ok(fetched) => {
                pushed = Some(fetched.own_seq);
                let applied = (backend.apply)(&mut self.ledger, &fetched);
                self.show_synced(applied.touched);
                applied.result.map(|_| applied.deferred)
            }
            Err(e) => Err(e),
        };
        let now = Instant::now();
        let Some(live) = self.live.as_mut() else {
            return;
        };
        live.out_since = None;
        if let Some(seq) = pushed {
            live.on_hub_seq = live.on_hub_seq.max(seq);
        }
        match outcome {
            Ok(deferred) => {
                live.last_ok = Some(Local::now());
                let recovered = live.failures > 0;
                live.failures = 0;
                live.due = if live.again || deferred {
                    now
                } else {
                    now + INTERVAL
                };
                live.again = false;
                if recovered {
                    self.say(S::SyncBack.t());
                }
            }
            Err(e) => {
                live.failures += 1;
                let same =
                    live.failures > 1 && live.last_error.as_ref().is_some_and(|(_, m)| *m == e);
                live.last_error = Some((Local::now(), e.clone()));
                live.due = if live.again {
                    now
                } else {
                    now + backoff(live.failures)
                };
                live.again = false;
                if let Link::Here(conn) = &mut live.link {
                    *conn = None;
                }
                // Said once; the status bar keeps the mark and the 冲突 view the message.
                if !same {
                    self.complain(format!("{}{e}", S::SyncFailed.t()));
                }
            }
        }
    }

    /// Show what a round brought in.
    fn show_synced(&mut self, touched: Option<Vec<(EntityKind, Id)>>) {
        match touched {
            Some(touched) if touched.is_empty() => {}
            Some(touched) => {
                self.search_index = None;
                if let Err(e) = self.snap.refresh(&self.ledger, &touched) {
                    self.complain(e.to_string());
                }
                self.clamp_selection();
            }
            None => {
                self.reload();
                self.clamp_selection();
            }
        }
        // An empty ledger's first sync brought the team's: open it.
        if matches!(self.mode, super::app::Mode::Welcome)
            && self.ledger.store().is_empty().is_ok_and(|empty| !empty)
        {
            self.mode = super::app::Mode::Normal;
        }
    }
}

/// The record a form to edit it started from.
pub(super) fn form_base(target: &Target) -> Option<Record> {
    match target {
        Target::Unit(Some(u)) => Some(Record::Unit((**u).clone())),
        Target::Project(Some(p)) => Some(Record::Project((**p).clone())),
        Target::Finding(Some(f)) => Some(Record::Finding((**f).clone())),
        _ => None,
    }
}

/// A form's edit applied to the record as it is now rather than as it was when the form
/// opened: a sync in between may have brought others' changes to fields the form left alone,
/// and saving the form's old copy of those would quietly undo them. The fields the form changed
/// take its values (a set field takes its additions and removals); the others stay as stored.
pub(super) fn rebase<St: Store>(
    ledger: &Ledger<St>,
    base: Option<Record>,
    edited: Record,
) -> Record {
    let Some(base) = base else {
        return edited;
    };
    let kind = edited.kind();
    let Ok(current) = ledger.record(kind, edited.id()) else {
        return edited;
    };
    if current == base {
        return edited;
    }
    let (Ok(base), Ok(new), Ok(mut json)) = (base.to_json(), edited.to_json(), current.to_json())
    else {
        return edited;
    };
    let (Some(base), Some(new), Some(out)) =
        (base.as_object(), new.as_object(), json.as_object_mut())
    else {
        return edited;
    };
    for (field, value) in new {
        let before = base.get(field);
        if before == Some(value) {
            continue;
        }
        let merged = match (is_set_field(kind, field), out.get(field), before) {
            (true, Some(now), Some(before)) => set_edit(now, before, value),
            _ => value.clone(),
        };
        out.insert(field.clone(), merged);
    }
    Record::from_json(kind, json).unwrap_or(edited)
}

/// `now` with what `value` added to `before`, and without what it removed.
fn set_edit(now: &Value, before: &Value, value: &Value) -> Value {
    let items = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let (before, value) = (items(before), items(value));
    let mut out: Vec<Value> = items(now)
        .into_iter()
        .filter(|v| value.contains(v) || !before.contains(v))
        .collect();
    for added in value.iter().filter(|v| !before.contains(v)) {
        if !out.contains(added) {
            out.push(added.clone());
        }
    }
    Value::Array(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn backoff_doubles_to_a_minute() {
        let secs: Vec<u64> = (1..=7).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(secs, [5, 10, 20, 40, 60, 60, 60]);
    }

    #[test]
    fn a_set_edit_keeps_what_others_added_meanwhile() {
        let before = json!(["a"]);
        let now = json!(["a", "theirs"]);
        let edited = json!(["mine"]);
        assert_eq!(set_edit(&now, &before, &edited), json!(["theirs", "mine"]));
    }
}
