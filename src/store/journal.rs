//! The journal: this replica's append-only, checksummed, hash-chained log of ops. It is the
//! truth; sled is only a view that can be rebuilt from it.
//!
//! One line per op: `<sha256 of the JSON, hex> <JSON>\n`, where the JSON is
//! `{"v":1,"seq":N,"prev":"<hash of line N-1>","last":bool,"op":{…}}`. `last` marks the final op
//! of a batch: a batch is appended with one write and one fsync, and a batch whose `last` line
//! never reached the disk was never acknowledged, so it is set aside on open (all or nothing).

use super::error::{StoreError, StoreResult};
use super::op::Op;
use crate::domain::Id;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::collections::hash_map;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

pub const JOURNAL_VERSION: u32 = 1;
pub const GENESIS: [u8; 32] = [0; 32];
const WRITE_SLICE: usize = 1 << 20;

/// Where a journal stands: the byte offset after the last good line, its seq and its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalPos {
    pub offset: u64,
    pub seq: u64,
    pub hash: [u8; 32],
}

impl JournalPos {
    pub const START: JournalPos = JournalPos {
        offset: 0,
        seq: 0,
        hash: GENESIS,
    };
}

/// The same line, borrowed, for writing without cloning the op.
#[derive(Serialize)]
struct LineBodyRef<'a> {
    v: u32,
    seq: u64,
    prev: String,
    last: bool,
    op: &'a Op,
}

#[derive(Serialize, Deserialize)]
struct LineBody {
    v: u32,
    seq: u64,
    prev: String,
    last: bool,
    op: Op,
}

/// One verified line.
#[derive(Debug, Clone)]
pub struct Entry {
    pub op: Op,
    pub seq: u64,
    pub offset: u64,
    pub len: u32,
    /// The position just after this line.
    pub end: JournalPos,
    pub last_of_batch: bool,
}

/// A line that failed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    pub file: PathBuf,
    /// 1-based line number within what was read.
    pub line: u64,
    pub offset: u64,
    pub reason: Msg,
}

/// What reading a journal found; `E` is what is kept of each verified line (`read_mapped`).
#[derive(Debug)]
pub struct ReadOutcome<E = Entry> {
    pub entries: Vec<E>,
    pub damage: Vec<Damage>,
    /// Offset where an unfinished batch (or a torn last line) begins, if any.
    pub torn_from: Option<u64>,
    /// The position after the last complete batch.
    pub end: Option<JournalPos>,
}

impl<E> Default for ReadOutcome<E> {
    fn default() -> Self {
        ReadOutcome {
            entries: Vec::new(),
            damage: Vec::new(),
            torn_from: None,
            end: None,
        }
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The 32 bytes of a hash written by `hex`: exactly 64 lower-case hex digits. Anything else is
/// damage, even what a looser reading would take for the same number (`A` for `a`, or `+a` for
/// `0a`, which `from_str_radix` accepts): a flipped byte must never pass unnoticed.
fn unhex32(text: &str) -> Option<[u8; 32]> {
    fn digit(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            _ => None,
        }
    }
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
        *byte = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

/// Read and verify a journal from `start` to its end.
pub fn read_from(path: &Path, start: JournalPos) -> StoreResult<ReadOutcome> {
    read_mapped(path, start, |entry| entry)
}

/// `read_from`, keeping of each verified line only what `keep` makes of it: replaying a large
/// journal needs where each op is and in which order it applies, not every op decoded at once
/// (a gigabyte at 100,000 findings).
pub fn read_mapped<E>(
    path: &Path,
    start: JournalPos,
    mut keep: impl FnMut(Entry) -> E,
) -> StoreResult<ReadOutcome<E>> {
    let mut outcome = ReadOutcome::default();
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            outcome.end = Some(start);
            return Ok(outcome);
        }
        Err(e) => return Err(StoreError::io("读取整改日志", "reading the journal", e)),
    };
    let len = file
        .metadata()
        .map_err(|e| StoreError::io("读取整改日志", "reading the journal", e))?
        .len();
    if len < start.offset {
        return Err(StoreError::Corrupt(Msg::new(
            format!(
                "整改日志 {} 比台账视图记录的短（{} < {} 字节），日志可能被截断。请运行 rectify check",
                path.display(),
                len,
                start.offset
            ),
            format!(
                "the journal {} is shorter than the view recorded ({} < {} bytes); it may have been truncated. Run rectify check",
                path.display(),
                len,
                start.offset
            ),
        )));
    }
    file.seek(SeekFrom::Start(start.offset))
        .map_err(|e| StoreError::io("读取整改日志", "reading the journal", e))?;
    // A line at a time, not the whole file (200 MB at 100,000 findings); up to the length seen
    // above.
    let mut reader = BufReader::with_capacity(1 << 16, file.take(len - start.offset));
    let mut line = Vec::new();

    let mut pos = start;
    let mut batch_start: Option<u64> = None;
    let mut committed_end = start;
    let mut committed_entries = 0usize;
    let mut cursor = 0usize;
    // Lines in the file before `start`: one per seq as written, so this counts lines in the
    // file even when reading starts in the middle (lines split or merged by damage are counted
    // as the file now has them).
    let mut line_no = start.seq;
    // Whether the previous line was damaged: then the chain cannot be checked across it.
    let mut after_damage = false;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| StoreError::io("读取整改日志", "reading the journal", e))?;
        if read == 0 {
            break;
        }
        line_no += 1;
        let offset = start.offset + cursor as u64;
        let Some(nl) = line.strip_suffix(b"\n").map(<[u8]>::len) else {
            // A last line with no newline: the write was cut off before its fsync.
            outcome.torn_from = Some(batch_start.unwrap_or(offset));
            break;
        };
        cursor += nl + 1;
        let end_offset = start.offset + cursor as u64;
        match verify_line(&line[..nl], &pos, after_damage) {
            Ok((body, hash)) => {
                after_damage = false;
                batch_start.get_or_insert(offset);
                pos = JournalPos {
                    offset: end_offset,
                    seq: body.seq,
                    hash,
                };
                outcome.entries.push(keep(Entry {
                    op: body.op,
                    seq: body.seq,
                    offset,
                    len: (nl + 1) as u32,
                    end: pos,
                    last_of_batch: body.last,
                }));
                if body.last {
                    batch_start = None;
                    committed_end = pos;
                    committed_entries = outcome.entries.len();
                }
            }
            Err((reason, stated)) => {
                outcome.damage.push(Damage {
                    file: path.to_path_buf(),
                    line: line_no,
                    offset,
                    reason,
                });
                // Carry on from what the damaged line claims, and take the next intact line
                // as it is (its checksum is checked, its link to this one cannot be): one bad
                // line costs its own op, never the ones after it.
                after_damage = true;
                pos = JournalPos {
                    offset: end_offset,
                    seq: pos.seq + 1,
                    hash: stated.unwrap_or(pos.hash),
                };
                batch_start = None;
                committed_end = pos;
                committed_entries = outcome.entries.len();
            }
        }
    }
    if outcome.torn_from.is_none() && batch_start.is_some() {
        outcome.torn_from = batch_start;
    }
    outcome.entries.truncate(committed_entries);
    outcome.end = Some(committed_end);
    Ok(outcome)
}

type LineError = (Msg, Option<[u8; 32]>);

/// Verify one line: its checksum, its content and, unless the line before it was damaged
/// (`after_damage`), that it chains on from `prev`.
fn verify_line(
    line: &[u8],
    prev: &JournalPos,
    after_damage: bool,
) -> Result<(LineBody, [u8; 32]), LineError> {
    let bad = |zh: &str, en: &str| Msg::new(zh.to_string(), en.to_string());
    let Some(space) = line.iter().position(|b| *b == b' ') else {
        return Err((
            bad("行格式错误（缺少校验和）", "malformed line (no checksum)"),
            None,
        ));
    };
    let stated = std::str::from_utf8(&line[..space]).ok().and_then(unhex32);
    let Some(stated_hash) = stated else {
        return Err((bad("校验和格式错误", "malformed checksum"), None));
    };
    let json = &line[space + 1..];
    let actual: [u8; 32] = Sha256::digest(json).into();
    if actual != stated_hash {
        return Err((
            bad(
                "校验和不符，该行内容已被改动或损坏",
                "checksum mismatch: the line was altered or damaged",
            ),
            Some(stated_hash),
        ));
    }
    let body: LineBody = serde_json::from_slice(json).map_err(|e| {
        (
            Msg::new(
                format!("内容无法解析：{e}"),
                format!("cannot parse the content: {e}"),
            ),
            Some(stated_hash),
        )
    })?;
    if body.v > JOURNAL_VERSION {
        return Err((
            Msg::new(
                format!(
                    "日志格式版本 {} 高于本程序支持的 {}，请升级 rectify",
                    body.v, JOURNAL_VERSION
                ),
                format!(
                    "journal format {} is newer than this build reads ({}); upgrade rectify",
                    body.v, JOURNAL_VERSION
                ),
            ),
            Some(stated_hash),
        ));
    }
    if !after_damage && (unhex32(&body.prev) != Some(prev.hash) || body.seq != prev.seq + 1) {
        return Err((
            bad(
                "哈希链断开：与上一行不衔接（有行被删除、插入或调换）",
                "hash chain broken: the line does not follow the previous one (a line was removed, inserted or moved)",
            ),
            Some(stated_hash),
        ));
    }
    Ok((body, actual))
}

/// Appends batches to this replica's journal.
pub struct JournalWriter {
    file: File,
    path: PathBuf,
    pos: JournalPos,
    /// The journal does not end with '\n' although its last line was applied: that line was
    /// damaged since. A batch appended now would run on from it and never be read back.
    unterminated: bool,
}

/// Where an appended op landed.
#[derive(Debug, Clone, Copy)]
pub struct Appended {
    pub offset: u64,
    pub len: u32,
    pub end: JournalPos,
}

impl JournalWriter {
    /// Open for appending at `pos` (the end of the last complete batch). Anything after it —
    /// an unacknowledged torn batch — must already have been set aside.
    pub fn open(path: &Path, pos: JournalPos) -> StoreResult<JournalWriter> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| StoreError::io("打开整改日志", "opening the journal", e))?;
        let len = file
            .metadata()
            .map_err(|e| StoreError::io("打开整改日志", "opening the journal", e))?
            .len();
        if len != pos.offset {
            return Err(StoreError::Corrupt(Msg::new(
                format!(
                    "整改日志 {} 的长度与台账视图不符，请运行 rectify check",
                    path.display()
                ),
                format!(
                    "the journal {} does not match the view; run rectify check",
                    path.display()
                ),
            )));
        }
        let unterminated = len > 0 && !ends_with_newline(path, len)?;
        Ok(JournalWriter {
            file,
            path: path.to_path_buf(),
            pos,
            unterminated,
        })
    }

    pub fn pos(&self) -> JournalPos {
        self.pos
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append a batch with one write and one fsync. On any error nothing is acknowledged and
    /// the file is cut back to where it was, so a failed batch leaves no half.
    pub fn append(&mut self, ops: &[Op]) -> StoreResult<Vec<Appended>> {
        if self.unterminated {
            return Err(StoreError::Corrupt(Msg::new(
                format!(
                    "整改日志 {} 的最后一行已损坏（行尾的换行符不见了），为免新的更改写入后无法读回，暂不保存。请运行 rectify check --repair",
                    self.path.display()
                ),
                format!(
                    "the last line of the journal {} is damaged (its final newline is gone); nothing is saved, so that no new change is written where it could not be read back. Run rectify check --repair",
                    self.path.display()
                ),
            )));
        }
        // Written in slices of about a megabyte and fsync'd once at the end, so a batch of
        // 100,000 ops never sits in memory as one buffer.
        let mut buf = Vec::with_capacity(WRITE_SLICE + 4096);
        let mut flushed = 0u64;
        let mut written: std::io::Result<()> = Ok(());
        let mut pos = self.pos;
        let mut placed = Vec::with_capacity(ops.len());
        for (i, op) in ops.iter().enumerate() {
            let body = LineBodyRef {
                v: JOURNAL_VERSION,
                seq: pos.seq + 1,
                prev: hex(&pos.hash),
                last: i + 1 == ops.len(),
                op,
            };
            let json = serde_json::to_vec(&body)
                .map_err(|e| StoreError::io("编码操作", "encoding an op", e))?;
            let hash: [u8; 32] = Sha256::digest(&json).into();
            let start = buf.len();
            buf.extend_from_slice(hex(&hash).as_bytes());
            buf.push(b' ');
            buf.extend_from_slice(&json);
            buf.push(b'\n');
            let offset = self.pos.offset + flushed + start as u64;
            let len = (buf.len() - start) as u32;
            pos = JournalPos {
                offset: offset + u64::from(len),
                seq: body.seq,
                hash,
            };
            placed.push(Appended {
                offset,
                len,
                end: pos,
            });
            if buf.len() >= WRITE_SLICE && written.is_ok() {
                written = self.file.write_all(&buf);
                flushed += buf.len() as u64;
                buf.clear();
            }
        }
        let written = written
            .and_then(|_| self.file.write_all(&buf))
            .and_then(|_| self.file.sync_data());
        if let Err(e) = written {
            // Cut back what may have reached the file; it was never acknowledged.
            let _ = self.file.set_len(self.pos.offset);
            let _ = self.file.sync_data();
            return Err(StoreError::io("写入整改日志", "writing the journal", e));
        }
        self.pos = pos;
        Ok(placed)
    }
}

fn ends_with_newline(path: &Path, len: u64) -> StoreResult<bool> {
    use std::os::unix::fs::FileExt;
    let io = |e| StoreError::io("读取整改日志", "reading the journal", e);
    let file = File::open(path).map_err(io)?;
    let mut last = [0u8; 1];
    file.read_exact_at(&mut last, len - 1).map_err(io)?;
    Ok(last[0] == b'\n')
}

/// Read one line back (for history), verifying its checksum.
pub fn read_op_at(path: &Path, offset: u64, len: u32) -> StoreResult<Op> {
    let mut file =
        File::open(path).map_err(|e| StoreError::io("读取整改日志", "reading the journal", e))?;
    read_op_in(&mut file, path, offset, len)
}

/// Where an op sits in which journal: what reading it back needs (`OpReader`), and how far
/// the view has applied that journal once it is written.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    pub replica: Id,
    pub offset: u64,
    pub len: u32,
    /// The position just after its line.
    pub end: JournalPos,
}

impl Placement {
    /// Where `entry`, read from `replica`'s journal, sits.
    pub fn of(replica: Id, entry: &Entry) -> Placement {
        Placement {
            replica,
            offset: entry.offset,
            len: entry.len,
            end: entry.end,
        }
    }
}

/// Journals kept open while ops are read back by their place: replaying and checking read
/// every line of a large journal this way, in the order the ops apply, a chunk at a time,
/// rather than holding them all decoded (a gigabyte at 100,000 findings).
#[derive(Default)]
pub struct OpReader {
    open: HashMap<Id, (PathBuf, File)>,
}

impl OpReader {
    /// The op at `at`, from its replica's journal at `path` (asked for only the first time),
    /// its checksum verified again.
    pub fn read(&mut self, at: &Placement, path: impl FnOnce() -> PathBuf) -> StoreResult<Op> {
        let (path, file) = match self.open.entry(at.replica) {
            hash_map::Entry::Occupied(open) => open.into_mut(),
            hash_map::Entry::Vacant(slot) => {
                let path = path();
                let file = File::open(&path)
                    .map_err(|e| StoreError::io("读取整改日志", "reading the journal", e))?;
                slot.insert((path, file))
            }
        };
        read_op_in(file, path, at.offset, at.len)
    }
}

/// `read_op_at` on a journal already open.
fn read_op_in(file: &mut File, path: &Path, offset: u64, len: u32) -> StoreResult<Op> {
    let mut line = vec![0u8; len as usize];
    file.seek(SeekFrom::Start(offset))
        .and_then(|_| file.read_exact(&mut line))
        .map_err(|e| StoreError::io("读取整改日志", "reading the journal", e))?;
    let text = line.strip_suffix(b"\n").unwrap_or(&line);
    let space = text.iter().position(|b| *b == b' ').unwrap_or(0);
    let json = &text[(space + 1).min(text.len())..];
    let actual: [u8; 32] = Sha256::digest(json).into();
    let stated = std::str::from_utf8(&text[..space]).ok().and_then(unhex32);
    if stated != Some(actual) {
        return Err(StoreError::Corrupt(Msg::new(
            format!("整改日志 {} 偏移 {} 处的行校验失败", path.display(), offset),
            format!(
                "the journal line at offset {} of {} fails its checksum",
                offset,
                path.display()
            ),
        )));
    }
    let body: LineBody = serde_json::from_slice(json).map_err(|e| {
        StoreError::Corrupt(Msg::new(
            format!("日志行无法解析：{e}"),
            format!("cannot parse a journal line: {e}"),
        ))
    })?;
    Ok(body.op)
}

/// What `verify_tail` accepted from bytes that continue a journal.
#[derive(Debug, Clone)]
pub struct VerifiedTail {
    /// How many leading bytes hold complete batches (a batch still being written is left out).
    pub complete: usize,
    /// The position after the last complete batch.
    pub end: JournalPos,
    pub ops: Vec<Op>,
}

/// Verify lines that continue a journal from `start` (checksums, hash chain, seq): what a hub
/// hands over must chain on exactly from what we hold. Any damaged line is refused with its line
/// number, since a copy must never be half-trusted.
pub fn verify_tail(start: JournalPos, bytes: &[u8]) -> Result<VerifiedTail, Msg> {
    let mut pos = start;
    let mut cursor = 0usize;
    let mut out = VerifiedTail {
        complete: 0,
        end: start,
        ops: Vec::new(),
    };
    let mut pending = Vec::new();
    while let Some(nl) = bytes[cursor..].iter().position(|b| *b == b'\n') {
        let line = &bytes[cursor..cursor + nl];
        let line_no = pos.seq + 1;
        let (body, hash) = verify_line(line, &pos, false).map_err(|(reason, _)| {
            Msg::new(
                format!("第 {line_no} 行：{}", reason.zh),
                format!("line {line_no}: {}", reason.en),
            )
        })?;
        cursor += nl + 1;
        pos = JournalPos {
            offset: start.offset + cursor as u64,
            seq: body.seq,
            hash,
        };
        pending.push(body.op);
        if body.last {
            out.complete = cursor;
            out.end = pos;
            out.ops.append(&mut pending);
        }
    }
    Ok(out)
}

/// Give a journal's last line back its lost newline: the byte damaged, or the write cut off
/// just before it. Only a line that is whole is touched: its checksum proves every byte of it,
/// so nothing is guessed. Without this a repair sets the whole batch aside as torn, and a
/// batch can be a demo load or an import: hundreds of changes lost for one byte. Returns the
/// offset where the newline was put back, if it was. (A line cut short inside is not whole:
/// it is left for the repair to set aside.)
pub fn restore_lost_newline(path: &Path) -> StoreResult<Option<u64>> {
    use std::os::unix::fs::FileExt;
    let io = |e| StoreError::io("补回日志行尾的换行符", "restoring the journal's newline", e);
    let file = match OpenOptions::new().read(true).write(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(e)),
    };
    let len = file.metadata().map_err(io)?.len();
    if len == 0 || ends_with_newline(path, len)? {
        return Ok(None);
    }
    let start = last_line_start(&file, len).map_err(io)?;
    let mut line = vec![0u8; (len - start) as usize];
    file.read_exact_at(&mut line, start).map_err(io)?;
    let whole = |bytes: &[u8]| verify_line(bytes, &JournalPos::START, true).is_ok();
    // The newline missing (the file ends with the line), or the line's last byte in its place.
    let at = if whole(&line) {
        len
    } else if whole(&line[..line.len() - 1]) {
        len - 1
    } else {
        return Ok(None);
    };
    file.set_len(at)
        .and_then(|_| file.write_all_at(b"\n", at))
        .and_then(|_| file.sync_all())
        .map_err(io)?;
    Ok(Some(at))
}

/// Where the last line of a journal of `len` bytes begins: after the last newline before its
/// end. Read backwards in slices, as a line can be megabytes long.
fn last_line_start(file: &File, len: u64) -> std::io::Result<u64> {
    use std::os::unix::fs::FileExt;
    const SLICE: u64 = 64 * 1024;
    let mut end = len;
    let mut buf = vec![0u8; SLICE as usize];
    while end > 0 {
        let from = end.saturating_sub(SLICE);
        let chunk = &mut buf[..(end - from) as usize];
        file.read_exact_at(chunk, from)?;
        if let Some(nl) = chunk.iter().rposition(|b| *b == b'\n') {
            return Ok(from + nl as u64 + 1);
        }
        end = from;
    }
    Ok(0)
}
