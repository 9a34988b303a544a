//! The helper's side: `rectify store-host`, started by the app with the store's lock handed
//! down. It opens the sled store, answers the app's calls one at a time, and leaves when the
//! app has not called for a while (see `host`).

use super::wire::{Answer, Call, SCAN_CHUNK, read_frame, write_frame};
use crate::ledger::Ledger;
use crate::store::lock::StoreLock;
use crate::store::sled_store::OpenMode;
use crate::store::{EntityKind, Record, SledStore, Store, StoreError, StoreResult, encode_record};
use crate::tui::sync_store::LiveStore;
use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::path::Path;
use std::time::Duration;

/// Serve the app on the socket it gave as standard output until it closes it or has been
/// silent for `idle`; the store's lock is descriptor `lock_fd`.
/// Returns the process's exit code.
pub fn serve(dir: &Path, author: &str, lock_fd: RawFd, idle: Option<Duration>) -> i32 {
    name_process();
    // The app's socket is our standard output, both ways (see `remote::spawn`). Unbuffered on
    // purpose: waiting for the next call polls the socket itself, and a buffer holding part
    // of a call would make the helper leave with it unanswered.
    let mut link = match io::stdout().as_fd().try_clone_to_owned() {
        Ok(fd) => File::from(fd),
        Err(_) => return 1,
    };
    let mut output = match link.try_clone() {
        Ok(file) => file,
        Err(_) => return 1,
    };
    let opened = StoreLock::inherited(dir, lock_fd)
        .and_then(|lock| SledStore::open_locked(dir, author, OpenMode::Normal, lock, Vec::new()));
    let mut ledger = match opened {
        Ok(store) => Ledger::new(store),
        Err(e) => return say(&mut output, &Answer::Failed(e), &[]).map_or(1, |_| 1),
    };
    // sled's start reads its snapshot and segment headers into scratch room it frees again
    // (a 67 MB heap peak at 100,000 findings): without this 8 MB of it stay with the helper.
    crate::tui::app_startup::release_freed_memory();
    let hello = Answer::Hello {
        replica: ledger.store().replica(),
        warnings: ledger.store().warnings().to_vec(),
        own_seq: SledStore::own_seq(&ledger),
    };
    if say(&mut output, &hello, &[]).is_err() {
        return 1;
    }
    let mut ahead = None;
    loop {
        if !call_arrives(&link, idle) {
            // Leave before reading anything more: a call the app sends from now on finds `Bye`
            // in place of its answer and goes to a new helper, so none is half served.
            let _ = say(&mut output, &Answer::Bye, &[]);
            leave_now(ledger.store());
        }
        let (call, records): (Call, _) = match read_frame(&mut link) {
            Ok(Some(read)) => read,
            // The app let this helper go, or is gone: nothing more to serve.
            Ok(None) => leave_now(ledger.store()),
            Err(_) => return 1,
        };
        let (answer, records) = match answer(&mut ledger, call, records, &mut ahead) {
            Ok(answered) => answered,
            Err(e) => (Answer::Failed(e), Vec::new()),
        };
        if say(&mut output, &answer, &records).is_err() {
            return 1;
        }
        read_ahead(ledger.store(), &mut ahead);
    }
}

/// Leave at once, the view flushed (each commit flushed it already; this is for anything sled
/// still holds) but sled's tables not taken apart: freeing them piece by piece takes a tenth of
/// a second at 100,000 findings, while the app that let this helper go to make room is already
/// filling that memory (its load, the finder's index). Skipping sled's teardown is safe: it
/// recovers from an exit at any point, and nothing is left unflushed.
fn leave_now(store: &SledStore) -> ! {
    let code = match store.flush() {
        Ok(()) => 0,
        Err(_) => 1,
    };
    std::process::exit(code)
}

/// Started as `/proc/self/exe`, the helper would show in `ps` and `top` as `exe`: name it. And
/// step back: when a key starts a helper ahead of need, its start (sled reopening its files,
/// about 80 ms of CPU at 100,000 findings) must not slow the keys typed meanwhile; when the app
/// waits on a call, the CPU is free and the lower priority costs nothing.
fn name_process() {
    const NAME: &[u8] = b"rectify-store\0";
    // SAFETY: PR_SET_NAME reads a NUL-terminated string of at most 16 bytes, which NAME is;
    // nice only changes this process's scheduling priority.
    unsafe {
        libc::prctl(libc::PR_SET_NAME, NAME.as_ptr());
        libc::nice(HELPER_NICENESS);
    }
}

/// How much lower than the app the helper runs (see `name_process`).
const HELPER_NICENESS: i32 = 5;

fn say(output: &mut impl Write, answer: &Answer, records: &[Vec<u8>]) -> io::Result<()> {
    write_frame(output, answer, records)
}

/// Whether a call (or the app's end of the pipe closing) arrives within `idle`.
fn call_arrives(input: &File, idle: Option<Duration>) -> bool {
    let timeout = idle.map_or(-1, |d| i32::try_from(d.as_millis()).unwrap_or(i32::MAX));
    let mut fds = libc::pollfd {
        fd: input.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    loop {
        // SAFETY: one pollfd we own, for a descriptor that stays open while we wait on it.
        let ready = unsafe { libc::poll(&mut fds, 1, timeout) };
        if ready >= 0 {
            return ready > 0;
        }
        if io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            // Polling itself failed: read, and let the read say what is wrong.
            return true;
        }
    }
}

type Answered = (Answer, Vec<Vec<u8>>);
type Chunk = Vec<(Vec<u8>, Vec<u8>)>;

/// The next chunk of a scan under way, read while the app decodes the one just sent: loading
/// the app is one long scan, and this way sled's reading and the app's decoding overlap on two
/// cores. Dropped by any write, so it is never stale.
struct ScanAhead {
    kind: EntityKind,
    after: Vec<u8>,
    /// `None` until read (or when reading it failed: the call then reads it and says why).
    chunk: Option<Chunk>,
}

fn read_ahead(store: &SledStore, ahead: &mut Option<ScanAhead>) {
    if let Some(next) = ahead.as_mut()
        && next.chunk.is_none()
    {
        next.chunk = store
            .scan_raw(next.kind, Some(&next.after), SCAN_CHUNK)
            .ok();
    }
}

/// The chunk of `kind` after `after`: the one read ahead if it is that one.
fn chunk(
    store: &SledStore,
    kind: EntityKind,
    after: Option<Vec<u8>>,
    ahead: &mut Option<ScanAhead>,
) -> StoreResult<Chunk> {
    match ahead.take() {
        Some(ScanAhead {
            kind: k,
            after: a,
            chunk: Some(chunk),
        }) if k == kind && after.as_ref() == Some(&a) => Ok(chunk),
        _ => store.scan_raw(kind, after.as_deref(), SCAN_CHUNK),
    }
}

fn answer(
    ledger: &mut Ledger<SledStore>,
    call: Call,
    records_sent: Vec<Vec<u8>>,
    ahead: &mut Option<ScanAhead>,
) -> StoreResult<Answered> {
    if matches!(call, Call::Commit(_) | Call::SyncApply(_)) {
        *ahead = None;
    }
    let store = ledger.store();
    let plain = |answer: Answer| Ok((answer, Vec::new()));
    match call {
        Call::Commit(drafts) => {
            let ops = ledger.store_for_host().commit(drafts)?;
            let own_seq = SledStore::own_seq(ledger);
            plain(Answer::Committed { ops, own_seq })
        }
        Call::Get(kind, id) => records(store.get(kind, id)?.into_iter().collect()),
        Call::Scan { kind, after } => {
            let chunk = chunk(store, kind, after, ahead)?;
            let last = if chunk.len() < SCAN_CHUNK {
                None
            } else {
                chunk.last().map(|(key, _)| key.clone())
            };
            *ahead = last.clone().map(|after| ScanAhead {
                kind,
                after,
                chunk: None,
            });
            let values = chunk.into_iter().map(|(_, value)| value).collect();
            Ok((Answer::Chunk { last }, values))
        }
        Call::Children(finding) => records(store.children(finding)?),
        Call::History(entity) => plain(Answer::Ops(store.history(entity)?)),
        Call::Lookup(index) => plain(Answer::Ids(store.lookup(&index)?)),
        Call::IsEmpty => plain(Answer::Bool(store.is_empty()?)),
        Call::Heads => plain(Answer::Heads(store.heads()?)),
        Call::Conflicts => plain(Answer::Conflicts(store.conflicts()?)),
        Call::SyncRequest => match SledStore::sync_request(ledger) {
            Ok(request) => plain(Answer::SyncRequest(Box::new(request))),
            Err(msg) => plain(Answer::Failed(StoreError::Io(msg))),
        },
        Call::SyncApply(fetched) => {
            let Some(fetched) = fetched.join_tails(records_sent) else {
                return Err(StoreError::Invalid(crate::i18n::Msg::new(
                    "同步数据不完整",
                    "the sync round arrived incomplete",
                )));
            };
            let applied = SledStore::sync_apply(ledger, &fetched);
            let own_seq = SledStore::own_seq(ledger);
            plain(Answer::SyncApplied {
                applied: Box::new(applied),
                own_seq,
            })
        }
    }
}

fn records(found: Vec<Record>) -> StoreResult<Answered> {
    let kinds: Vec<EntityKind> = found.iter().map(Record::kind).collect();
    let bytes = found
        .iter()
        .map(encode_record)
        .collect::<StoreResult<_>>()?;
    Ok((Answer::Records(kinds), bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Id, Unit, UnitKind};
    use crate::store::{Change, OpDraft};

    fn new_unit(id: Id, name: &str) -> OpDraft {
        let mut unit = Unit::new(name, UnitKind::PartyGovernment);
        unit.id = id;
        let record = Record::Unit(unit);
        OpDraft {
            kind: EntityKind::Unit,
            entity: id,
            change: Change::Create {
                record: record.to_json().expect("a unit as JSON"),
            },
        }
    }

    fn scan(
        ledger: &mut Ledger<SledStore>,
        after: Option<Vec<u8>>,
        ahead: &mut Option<ScanAhead>,
    ) -> (Option<Vec<u8>>, usize) {
        let call = Call::Scan {
            kind: EntityKind::Unit,
            after,
        };
        match answer(ledger, call, Vec::new(), ahead).expect("a chunk") {
            (Answer::Chunk { last }, records) => (last, records.len()),
            (other, _) => panic!("not a chunk: {other:?}"),
        }
    }

    /// A store in `dir` holding `n` units.
    fn ledger_of_units(dir: &Path, n: usize) -> Ledger<SledStore> {
        let store = SledStore::open(dir, "审计员甲").expect("store");
        let mut ledger = Ledger::new(store);
        let units = (0..n)
            .map(|i| new_unit(Id::new(), &format!("单位{i}")))
            .collect();
        ledger.store_for_host().commit(units).expect("units");
        ledger
    }

    /// The chunk read ahead while the app decodes must never hide a write made in between.
    #[test]
    fn a_write_between_two_chunks_of_a_scan_is_in_the_second() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ledger = ledger_of_units(dir.path(), SCAN_CHUNK + 10);

        let mut ahead = None;
        let (last, first) = scan(&mut ledger, None, &mut ahead);
        assert_eq!(first, SCAN_CHUNK);
        read_ahead(ledger.store(), &mut ahead);
        assert!(ahead.as_ref().is_some_and(|a| a.chunk.is_some()));

        // A unit whose key sorts after every other, so it belongs to the second chunk.
        let last_id = Id::parse("ffffffff-ffff-4fff-bfff-ffffffffffff").expect("an id");
        let commit = Call::Commit(vec![new_unit(last_id, "最后一个单位")]);
        answer(&mut ledger, commit, Vec::new(), &mut ahead).expect("commit");
        let (end, second) = scan(&mut ledger, last, &mut ahead);
        assert_eq!(end, None, "the kind is done");
        assert_eq!(second, 11, "the ten left and the one written in between");
    }

    #[test]
    fn a_chunk_read_ahead_answers_the_call_it_was_read_for() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ledger = ledger_of_units(dir.path(), SCAN_CHUNK + 3);
        let mut ahead = None;
        let (last, _) = scan(&mut ledger, None, &mut ahead);
        read_ahead(ledger.store(), &mut ahead);
        let (end, rest) = scan(&mut ledger, last, &mut ahead);
        assert_eq!((end, rest), (None, 3));
        assert!(ahead.is_none(), "nothing left to read ahead");
    }
}
