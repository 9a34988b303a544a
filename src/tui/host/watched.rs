//! A helper process that is reaped the moment it ends. A helper leaves on its own when idle,
//! and nothing in the app asks after it until the next key: without a watcher it would sit in
//! `ps` as `<defunct>` until then. The watcher is a thread blocked in `waitid` (it wakes only
//! when the helper ends, so an idle app still wakes nobody), which then reaps it.
//!
//! `waitid` with `WNOWAIT` sees the end without reaping, so the process id stays the helper's
//! until the watcher reaps it under the same lock `kill` takes: a kill can never reach another
//! process that was given the id since.

use std::process::Child;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub(super) struct Watched {
    shared: Arc<Shared>,
}

struct Shared {
    /// The helper until it is reaped, then `None`.
    child: Mutex<Option<Child>>,
    ended: Condvar,
}

impl Shared {
    fn child(&self) -> MutexGuard<'_, Option<Child>> {
        // A panic while holding the lock leaves nothing half-changed here: go on with it.
        self.child
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Watched {
    pub(super) fn new(child: Child) -> Watched {
        let pid = child.id();
        let shared = Arc::new(Shared {
            child: Mutex::new(Some(child)),
            ended: Condvar::new(),
        });
        let for_watcher = Arc::clone(&shared);
        // Not joined: it ends when the helper does (or at once, should `wait` have reaped the
        // helper first). Without it (no thread could start) `wait` and `has_ended` reap.
        let _ = std::thread::Builder::new()
            .name("rectify-watch".into())
            .spawn(move || {
                wait_for_end(pid);
                if let Some(mut child) = for_watcher.child().take() {
                    let _ = child.wait();
                }
                for_watcher.ended.notify_all();
            });
        Watched { shared }
    }

    /// Whether the helper has ended.
    pub(super) fn has_ended(&self) -> bool {
        let mut child = self.shared.child();
        match child.as_mut().map(Child::try_wait) {
            None | Some(Ok(Some(_)) | Err(_)) => true,
            Some(Ok(None)) => false,
        }
    }

    /// Wait up to `patience` for the helper to end; one still running then is stopped.
    pub(super) fn wait(&self, patience: Duration) {
        let deadline = Instant::now() + patience;
        let mut child = self.shared.child();
        while let Some(running) = child.as_mut() {
            if !matches!(running.try_wait(), Ok(None)) {
                *child = None;
                break;
            }
            let now = Instant::now();
            if now >= deadline {
                let _ = running.kill();
                let _ = running.wait();
                *child = None;
                break;
            }
            // Woken by the watcher when it has reaped the helper, or at the deadline (the
            // short step covers a missing watcher).
            let step = (deadline - now).min(Duration::from_millis(50));
            child = match self.shared.ended.wait_timeout(child, step) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }
}

/// Block until process `pid` (a child of ours) has ended, leaving it to be reaped.
fn wait_for_end(pid: u32) {
    loop {
        // SAFETY: `info` is a plain C struct that `waitid` fills in; all zeroes is valid.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: a plain system call on our own child, with a valid pointer to `info`.
        let done = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if done == 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return;
        }
    }
}
