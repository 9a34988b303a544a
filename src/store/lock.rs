//! One process per store: an exclusive `flock` on `<store>/lock`, which also records who holds
//! it, so a second process can say *which* process is in the way, at once and without hanging.
//! The kernel drops the lock when the holder dies, so a crash never leaves a stale lock.

use super::error::{StoreError, StoreResult};
use crate::i18n::Msg;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

pub struct StoreLock {
    file: File,
}

impl StoreLock {
    /// A second descriptor for the lock, for a helper process to inherit: a duplicate shares
    /// the open file, and with it the `flock`.
    pub fn try_clone_file(&self) -> std::io::Result<File> {
        self.file.try_clone()
    }

    /// The lock a parent process took on `dir` and handed down as descriptor `fd`. Refused
    /// unless `fd` is open on `dir`'s own lock file, so a wrong number can never pass for it.
    pub fn inherited(dir: &Path, fd: std::os::fd::RawFd) -> StoreResult<StoreLock> {
        use std::os::fd::FromRawFd;
        use std::os::unix::fs::MetadataExt;
        let refused = || {
            StoreError::Io(Msg::new(
                format!("描述符 {fd} 不是台账 {} 的锁", dir.display()),
                format!(
                    "descriptor {fd} is not the lock of the ledger {}",
                    dir.display()
                ),
            ))
        };
        let expected = std::fs::metadata(dir.join("lock")).map_err(|_| refused())?;
        // SAFETY: fstat only reads the descriptor's metadata into a zeroed struct we own.
        let mut stat: libc::stat = unsafe { std::mem::zeroed() };
        if fd < 0 || unsafe { libc::fstat(fd, &mut stat) } != 0 {
            return Err(refused());
        }
        if stat.st_dev != expected.dev() || stat.st_ino != expected.ino() {
            return Err(refused());
        }
        // SAFETY: `fd` is open (fstat succeeded) on the lock file, and nothing else in this
        // process owns it: it was handed to us by the parent for exactly this.
        let file = unsafe { File::from_raw_fd(fd) };
        Ok(StoreLock { file })
    }
}

pub fn acquire(dir: &Path) -> StoreResult<StoreLock> {
    let path = dir.join("lock");
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&path)
        .map_err(|e| StoreError::io("打开锁文件", "opening the lock file", e))?;
    // SAFETY: flock on a file descriptor we own; it has no memory-safety preconditions.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc != 0 {
        let err = std::io::Error::last_os_error();
        if err.kind() == std::io::ErrorKind::WouldBlock {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            return Err(StoreError::Locked(held_by_message(dir, holder.trim())));
        }
        return Err(StoreError::io("锁定台账", "locking the store", err));
    }
    let info = format!(
        "pid {}\ncmd {}\nuser {}\nsince {}\n",
        std::process::id(),
        own_command_line(),
        crate::user::os_user(),
        chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
    );
    let written = file
        .set_len(0)
        .and_then(|_| file.seek(SeekFrom::Start(0)))
        .and_then(|_| file.write_all(info.as_bytes()))
        .and_then(|_| file.sync_data());
    if let Err(e) = written {
        return Err(StoreError::io("写入锁文件", "writing the lock file", e));
    }
    Ok(StoreLock { file })
}

fn field<'a>(holder: &'a str, key: &str) -> &'a str {
    holder
        .lines()
        .find_map(|l| l.strip_prefix(key).map(str::trim))
        .unwrap_or("?")
}

fn held_by_message(dir: &Path, holder: &str) -> Msg {
    let (pid, cmd, user, since) = (
        field(holder, "pid "),
        field(holder, "cmd "),
        field(holder, "user "),
        field(holder, "since "),
    );
    Msg::new(
        format!(
            "台账 {} 正被另一个进程使用：进程号 {pid}（{cmd}），用户 {user}，自 {since} 起。请先关闭该进程再试；多人共用请各用自己的台账副本并同步。",
            dir.display()
        ),
        format!(
            "the ledger {} is in use by another process: pid {pid} ({cmd}), user {user}, since {since}. Close it and try again; to share a ledger, each user works on their own replica and syncs.",
            dir.display()
        ),
    )
}

fn own_command_line() -> String {
    let raw = std::fs::read("/proc/self/cmdline").unwrap_or_default();
    let parts: Vec<String> = raw
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    let mut text = parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i == 0 {
                Path::new(p)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| p.clone())
            } else {
                p.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    text.retain(|c| !c.is_control());
    text.chars().take(120).collect()
}
