//! The app's side: `RemoteStore` is a `Store` whose calls go to the helper process, which it
//! starts when a call needs it and which leaves on its own when idle (see `host`).

use super::scan::{self, Packed, Scan};
use super::watched::Watched;
use super::wire::{Answer, Call, read_frame, write_frame};
use crate::domain::Id;
use crate::i18n::Msg;
use crate::ledger::Ledger;
use crate::store::lock::StoreLock;
use crate::store::{
    Conflict, EntityKind, Index, Op, OpDraft, Record, SledStore, Store, StoreError, StoreResult,
    decode_record,
};
use crate::tui::app_sync::{Applied, Fetched, Request};
use crate::tui::sync_store::LiveStore;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// How long the app waits at exit for the helper to close the store.
const CLOSE_WAIT: Duration = Duration::from_secs(10);
/// How long a helper that did not read a call gets to finish leaving before it is stopped
/// (it is closing the store; stopping it then is safe, the journal has everything).
const LEAVE_WAIT: Duration = Duration::from_secs(2);
/// From how many findings a helper that served the whole ledger is replaced by a fresh one, and
/// a helper makes room for the finder's index (`make_room`).
/// What sled keeps of a scan grows with the ledger (31 MB at 100,000 findings, about 3 MB at
/// 10,000), while the fresh helper costs a second opening of the store (80 ms of CPU at 100,000,
/// at nice 5): below this it is not worth it.
const RENEW_AFTER_FINDINGS: usize = 20_000;

/// The app's store. It starts its helper as `/proc/self/exe store-host`, so it works only in
/// the `rectify` binary itself (tests drive the app in-process with a `SledStore` instead).
pub struct RemoteStore {
    dir: PathBuf,
    author: String,
    /// How long the helper may stay idle before it leaves; `None`: it stays.
    idle: Option<Duration>,
    /// Held for the whole session: between helpers, no other process can take the store.
    lock: StoreLock,
    replica: Id,
    warnings: Vec<Msg>,
    own_seq: Cell<u64>,
    helper: RefCell<Option<Helper>>,
    /// Helpers let go (`before_bulk_read`) that may still be closing the store; waited for when
    /// the app leaves (their watchers reap them as soon as they end).
    leaving: RefCell<Vec<Watched>>,
    /// Records fetched ahead by `before_bulk_read`, each kind's taken whole by its next scan.
    prefetched: RefCell<HashMap<EntityKind, Vec<Packed>>>,
    /// The ledger read at start-up was large (`RENEW_AFTER_FINDINGS`): a helper costs enough
    /// memory that `make_room` lets it go.
    large: Cell<bool>,
}

struct Helper {
    child: Watched,
    /// Calls go out and answers come back on the one socket.
    link: UnixStream,
    /// Its greeting (the store opened) has been read.
    greeted: bool,
}

/// What became of one call.
#[derive(Debug)]
enum Outcome {
    Answered(Answer, Vec<Vec<u8>>),
    /// The helper had left (or was leaving) before reading it: safe to send again.
    Unread,
    /// The helper died after it may have read it.
    Lost(String),
}

impl RemoteStore {
    /// Take `dir`'s lock here and open the store in a helper.
    pub fn open(dir: &Path, author: &str, idle: Option<Duration>) -> StoreResult<RemoteStore> {
        let (lock, mut warnings) = SledStore::lock(dir)?;
        let mut store = RemoteStore {
            dir: dir.to_path_buf(),
            author: author.to_string(),
            idle,
            lock,
            replica: Id::default(),
            warnings: Vec::new(),
            own_seq: Cell::new(0),
            helper: RefCell::new(None),
            leaving: RefCell::new(Vec::new()),
            prefetched: RefCell::new(HashMap::new()),
            large: Cell::new(false),
        };
        let (helper, replica, opened, own_seq) = store.start()?;
        warnings.extend(opened);
        store.replica = replica;
        store.warnings = warnings;
        store.own_seq.set(own_seq);
        *store.helper.get_mut() = Some(helper);
        Ok(store)
    }

    /// Start a helper and wait for its greeting.
    fn start(&self) -> StoreResult<(Helper, Id, Vec<Msg>, u64)> {
        let mut helper = self.spawn()?;
        let (replica, warnings, own_seq) = helper.greeting()?;
        Ok((helper, replica, warnings, own_seq))
    }

    /// Start a helper; its greeting is read by the first call.
    ///
    /// The helper gets the store's lock as its standard input (a duplicate of the app's
    /// descriptor: the same open file, so the same `flock`) and a socket to the app as its
    /// standard output. Handing descriptors down only through the three standard ones lets
    /// the standard library start it with `posix_spawn` instead of copying the app (10 ms at
    /// 100,000 findings, on a keystroke's path).
    fn spawn(&self) -> StoreResult<Helper> {
        let failed = |e: io::Error| start_failed(&e.to_string());
        let lock = self.lock.try_clone_file().map_err(failed)?;
        let (link, far_end) = UnixStream::pair().map_err(failed)?;
        // `/proc/self/exe` rather than a path: the running binary even if it was replaced on
        // disk since (a rebuild, an upgrade), so the helper always speaks this app's protocol.
        let mut command = Command::new("/proc/self/exe");
        command
            .arg("--db")
            .arg(&self.dir)
            .arg("--user")
            .arg(&self.author)
            .arg("store-host")
            .arg("--lock-fd")
            .arg("0");
        if let Some(idle) = self.idle {
            command.arg("--idle-ms").arg(idle.as_millis().to_string());
        }
        command
            .stdin(Stdio::from(lock))
            .stdout(Stdio::from(std::os::fd::OwnedFd::from(far_end)))
            // Never onto the app's screen.
            .stderr(Stdio::null())
            // Its own process group: the terminal's signals (a hang-up, ^C outside raw mode)
            // are the app's to handle; the helper leaves when the app's end of the link closes.
            .process_group(0);
        let child = command.spawn().map_err(failed)?;
        Ok(Helper {
            child: Watched::new(child),
            link,
            greeted: false,
        })
    }

    /// Send `call` and return the answer. A call the helper never read (it had left idle) goes
    /// to a new helper; a call it may have read and not answered is an error, as is `Failed`.
    pub(super) fn call(
        &self,
        call: &Call,
        records: &[Vec<u8>],
    ) -> StoreResult<(Answer, Vec<Vec<u8>>)> {
        let mut slot = self.helper.borrow_mut();
        for _ in 0..2 {
            let helper = match slot.as_mut() {
                Some(helper) => helper,
                None => slot.insert(self.spawn()?),
            };
            if !helper.greeted {
                match helper.greeting() {
                    Ok((_, _, own_seq)) => self.own_seq.set(own_seq),
                    Err(e) => {
                        *slot = None;
                        return Err(e);
                    }
                }
            }
            match helper.ask(call, records) {
                Outcome::Answered(Answer::Failed(e), _) => return Err(e),
                Outcome::Answered(answer, records) => return Ok((answer, records)),
                Outcome::Unread => {
                    if let Some(mut gone) = slot.take() {
                        gone.reap(LEAVE_WAIT);
                    }
                }
                Outcome::Lost(why) => {
                    if let Some(mut gone) = slot.take() {
                        gone.reap(Duration::ZERO);
                    }
                    return Err(lost_msg(&why));
                }
            }
        }
        Err(start_failed("it left twice before reading the call"))
    }

    /// Let the helper go: it closes the store and leaves once it sees its link closed. The
    /// next call or `warm_up` starts a new one, which waits for sled's own lock until the old
    /// one has closed (see `open_sled`).
    fn let_go(&self) {
        let Ok(mut slot) = self.helper.try_borrow_mut() else {
            return;
        };
        let Some(Helper { child, link, .. }) = slot.take() else {
            return;
        };
        let _ = link.shutdown(std::net::Shutdown::Both);
        drop(link);
        // Its watcher reaps it once it has closed the store; the app waits for it at exit.
        if let Ok(mut leaving) = self.leaving.try_borrow_mut() {
            leaving.retain(|gone| !gone.has_ended());
            leaving.push(child);
        }
    }

    /// Start a helper now if none runs, without waiting for it (see `Store::prepare`).
    fn warm_up(&self) {
        let Ok(mut slot) = self.helper.try_borrow_mut() else {
            return;
        };
        // One that left idle since is replaced too (it said `Bye` into a pipe no one read).
        if let Some(helper) = slot.as_mut()
            && helper.has_left()
        {
            helper.reap(Duration::ZERO);
            *slot = None;
        }
        if slot.is_none()
            && let Ok(helper) = self.spawn()
        {
            *slot = Some(helper);
        }
    }

    fn records(&self, call: &Call) -> StoreResult<Vec<Record>> {
        match self.call(call, &[])? {
            (Answer::Records(kinds), bytes) if kinds.len() == bytes.len() => kinds
                .iter()
                .zip(&bytes)
                .map(|(kind, bytes)| decode_record(*kind, bytes))
                .collect(),
            (other, _) => Err(unexpected(&other)),
        }
    }
}

impl Helper {
    /// Read the greeting: the store is open (or why it could not be).
    fn greeting(&mut self) -> StoreResult<(Id, Vec<Msg>, u64)> {
        let read = read_frame::<_, Answer>(&mut self.link);
        let failed = match read {
            Ok(Some((
                Answer::Hello {
                    replica,
                    warnings,
                    own_seq,
                },
                _,
            ))) => {
                self.greeted = true;
                return Ok((replica, warnings, own_seq));
            }
            Ok(Some((Answer::Failed(e), _))) => e,
            Ok(_) => start_failed("no greeting"),
            Err(e) => start_failed(&e.to_string()),
        };
        self.reap(LEAVE_WAIT);
        Err(failed)
    }

    fn ask(&mut self, call: &Call, records: &[Vec<u8>]) -> Outcome {
        // A call that did not go out whole cannot have been acted on: the helper acts only on a
        // whole frame. (Its end was closed: the read would say EOF or "connection reset".)
        if write_frame(&mut self.link, call, records).is_err() {
            return Outcome::Unread;
        }
        match read_frame::<_, Answer>(&mut self.link) {
            Ok(Some((Answer::Bye, _))) => Outcome::Unread,
            Ok(Some((answer, records))) => Outcome::Answered(answer, records),
            Ok(None) => Outcome::Lost("it closed the link".into()),
            // On a local socket a reset means the far end closed with bytes we sent still
            // unread: the helper never read our call whole, so it did not act on it.
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => Outcome::Unread,
            Err(e) => Outcome::Lost(e.to_string()),
        }
    }

    /// Whether the helper process has ended.
    fn has_left(&mut self) -> bool {
        self.child.has_ended()
    }

    /// Wait for a helper that has left or is leaving (so it is not left a zombie); one that
    /// does not leave within `patience` is stopped.
    fn reap(&mut self, patience: Duration) {
        self.child.wait(patience);
    }
}

impl Drop for RemoteStore {
    /// Close the helper's input and wait for it to close the store, so the next `rectify`
    /// finds the store free.
    fn drop(&mut self) {
        if let Some(Helper { child, link, .. }) = self.helper.get_mut().take() {
            let _ = link.shutdown(std::net::Shutdown::Both);
            drop(link);
            child.wait(CLOSE_WAIT);
        }
        for gone in self.leaving.get_mut().drain(..) {
            gone.wait(CLOSE_WAIT);
        }
    }
}

fn lost_msg(why: &str) -> StoreError {
    StoreError::Io(Msg::new(
        format!(
            "台账存储进程意外退出（{why}）。这次操作可能未保存：请查看该记录的历史，必要时重做"
        ),
        format!(
            "the ledger's store process ended unexpectedly ({why}). This action may not have been saved: check the record's history and redo it if need be"
        ),
    ))
}

/// A helper that could not be started or died before opening the store: nothing was sent.
fn start_failed(why: &str) -> StoreError {
    StoreError::Io(Msg::new(
        format!("无法启动台账存储进程（{why}），这次操作没有执行，请重试"),
        format!("cannot start the ledger's store process ({why}); nothing was done, try again"),
    ))
}

pub(super) fn unexpected(answer: &Answer) -> StoreError {
    let what = format!("{answer:?}");
    let what: String = what.chars().take(60).collect();
    StoreError::Io(Msg::new(
        format!("台账存储进程的回答无法识别：{what}"),
        format!("the ledger's store process gave an answer that makes no sense: {what}"),
    ))
}

impl Store for RemoteStore {
    fn replica(&self) -> Id {
        self.replica
    }

    fn commit(&mut self, drafts: Vec<OpDraft>) -> StoreResult<Vec<Op>> {
        if drafts.is_empty() {
            return Ok(Vec::new());
        }
        match self.call(&Call::Commit(drafts), &[])? {
            (Answer::Committed { ops, own_seq }, _) => {
                self.own_seq.set(own_seq);
                Ok(ops)
            }
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn get(&self, kind: EntityKind, id: Id) -> StoreResult<Option<Record>> {
        Ok(self.records(&Call::Get(kind, id))?.into_iter().next())
    }

    fn scan(&self, kind: EntityKind) -> Box<dyn Iterator<Item = StoreResult<Record>> + '_> {
        let fetched = self
            .prefetched
            .try_borrow_mut()
            .ok()
            .and_then(|mut fetched| fetched.remove(&kind));
        Box::new(match fetched {
            Some(chunks) => Scan::fetched(self, kind, chunks),
            None => Scan::remote(self, kind),
        })
    }

    fn children(&self, finding: Id) -> StoreResult<Vec<Record>> {
        self.records(&Call::Children(finding))
    }

    fn history(&self, entity: Id) -> StoreResult<Vec<Op>> {
        match self.call(&Call::History(entity), &[])? {
            (Answer::Ops(ops), _) => Ok(ops),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn lookup(&self, index: &Index) -> StoreResult<Vec<Id>> {
        match self.call(&Call::Lookup(index.clone()), &[])? {
            (Answer::Ids(ids), _) => Ok(ids),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn is_empty(&self) -> StoreResult<bool> {
        match self.call(&Call::IsEmpty, &[])? {
            (Answer::Bool(empty), _) => Ok(empty),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn warnings(&self) -> &[Msg] {
        &self.warnings
    }

    fn prepare(&self) {
        self.warm_up();
    }

    fn make_room(&self) {
        // Below the threshold a helper is a few MB, not worth a second opening of the store.
        if self.large.get() {
            self.let_go();
        }
    }

    fn before_bulk_read(&self, kinds: &[EntityKind]) -> StoreResult<()> {
        let mut fetched = HashMap::new();
        for &kind in kinds {
            fetched.insert(kind, scan::fetch_all(self, kind)?);
        }
        let findings: usize = fetched
            .get(&EntityKind::Finding)
            .map_or(0, |chunks| chunks.iter().map(Packed::len).sum());
        if let Ok(mut slot) = self.prefetched.try_borrow_mut() {
            *slot = fetched;
        }
        self.large.set(findings >= RENEW_AFTER_FINDINGS);
        if findings >= RENEW_AFTER_FINDINGS {
            // The next key starts a fresh one behind its frame (`prepare`), as after an idle
            // helper left; starting it here would overlap the two while the app decodes.
            self.let_go();
        }
        Ok(())
    }

    fn after_bulk_read(&self) {
        if let Ok(mut fetched) = self.prefetched.try_borrow_mut() {
            fetched.clear();
        }
    }

    fn heads(&self) -> StoreResult<Vec<(Id, String)>> {
        match self.call(&Call::Heads, &[])? {
            (Answer::Heads(heads), _) => Ok(heads),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn conflicts(&self) -> StoreResult<Vec<Conflict>> {
        match self.call(&Call::Conflicts, &[])? {
            (Answer::Conflicts(conflicts), _) => Ok(conflicts),
            (other, _) => Err(unexpected(&other)),
        }
    }
}

impl LiveStore for RemoteStore {
    fn sync_request(ledger: &mut Ledger<Self>) -> Result<Request, Msg> {
        match ledger.store().call(&Call::SyncRequest, &[]) {
            Ok((Answer::SyncRequest(request), _)) => Ok(*request),
            Ok((other, _)) => Err(unexpected(&other).msg().clone()),
            Err(e) => Err(e.msg().clone()),
        }
    }

    fn sync_apply(ledger: &mut Ledger<Self>, fetched: &Fetched) -> Applied {
        // The fetched journal bytes travel as records, not as JSON arrays of numbers.
        let (head, tails) = fetched.split_tails();
        let store = ledger.store();
        match store.call(&Call::SyncApply(Box::new(head)), &tails) {
            Ok((Answer::SyncApplied { applied, own_seq }, _)) => {
                store.own_seq.set(own_seq);
                *applied
            }
            Ok((other, _)) => failed_apply(unexpected(&other).msg().clone()),
            Err(e) => failed_apply(e.msg().clone()),
        }
    }

    fn own_seq(ledger: &Ledger<Self>) -> u64 {
        ledger.store().own_seq.get()
    }
}

/// A round whose applying failed or is unknown: the snapshot is loaded afresh (`touched: None`).
fn failed_apply(msg: Msg) -> Applied {
    Applied {
        result: Err(msg),
        touched: None,
        deferred: false,
    }
}

#[cfg(test)]
mod tests {
    //! What the app concludes from how a helper answered, or did not: the guarantee that a
    //! call is sent again only when the helper cannot have read it.
    use super::*;

    /// A helper whose far end of the link the test plays by hand.
    fn helper_and_far_end() -> (Helper, UnixStream) {
        let (link, far_end) = UnixStream::pair().expect("socket pair");
        let child = Command::new("true").spawn().expect("a child process");
        let helper = Helper {
            child: Watched::new(child),
            link,
            greeted: true,
        };
        (helper, far_end)
    }

    #[test]
    fn an_answer_is_the_answer() {
        let (mut helper, mut far_end) = helper_and_far_end();
        let serving = std::thread::spawn(move || {
            let read: Option<(Call, _)> = read_frame(&mut far_end).expect("the call");
            assert!(matches!(read, Some((Call::IsEmpty, _))));
            write_frame(&mut far_end, &Answer::Bool(true), &[]).expect("answer");
        });
        let outcome = helper.ask(&Call::IsEmpty, &[]);
        serving.join().expect("far end");
        assert!(
            matches!(outcome, Outcome::Answered(Answer::Bool(true), _)),
            "{outcome:?}"
        );
    }

    #[test]
    fn a_helper_that_said_bye_never_read_the_call() {
        let (mut helper, mut far_end) = helper_and_far_end();
        // As `serve` leaves when idle: `Bye`, then gone, whatever the app sends after.
        write_frame(&mut far_end, &Answer::Bye, &[]).expect("bye");
        drop(far_end);
        let outcome = helper.ask(&Call::Commit(Vec::new()), &[]);
        assert!(matches!(outcome, Outcome::Unread), "{outcome:?}");
    }

    #[test]
    fn a_helper_gone_before_the_call_never_read_it() {
        let (mut helper, far_end) = helper_and_far_end();
        drop(far_end);
        let outcome = helper.ask(&Call::Commit(Vec::new()), &[]);
        assert!(matches!(outcome, Outcome::Unread), "{outcome:?}");
    }

    #[test]
    fn a_helper_that_read_the_call_and_died_is_a_lost_call_not_one_to_repeat() {
        let (mut helper, mut far_end) = helper_and_far_end();
        let serving = std::thread::spawn(move || {
            let read: Option<(Call, _)> = read_frame(&mut far_end).expect("the call");
            assert!(read.is_some());
            drop(far_end);
        });
        let outcome = helper.ask(&Call::Commit(Vec::new()), &[]);
        serving.join().expect("far end");
        assert!(matches!(outcome, Outcome::Lost(_)), "{outcome:?}");
        let said = lost_msg("test").to_string();
        assert!(said.contains("可能未保存"), "{said}");
    }
}
