//! What the app and its store helper say to each other over a pipe pair. A message is one frame:
//!
//! ```text
//! u32 frame length | u32 head length | head (JSON) | u32 record count | (u32 length | record)*
//! ```
//!
//! all lengths little-endian. The head is JSON because ops carry JSON values; records travel as
//! sled holds them (bincode behind a codec header), so a scan costs no re-encoding.

use crate::domain::Id;
use crate::i18n::Msg;
use crate::store::{Conflict, EntityKind, Index, Op, OpDraft, StoreError};
use crate::tui::app_sync::{Applied, Fetched, Request};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};

/// Records per scan answer: big enough that a 100,000-finding load is a few dozen round
/// trips, small enough that neither side holds much of it at once.
pub const SCAN_CHUNK: usize = 4096;

/// A frame larger than this is not one we wrote: refuse it rather than allocate it.
const MAX_FRAME: usize = 1 << 30;

/// The app asks.
#[derive(Debug, Serialize, Deserialize)]
pub enum Call {
    Commit(Vec<OpDraft>),
    Get(EntityKind, Id),
    /// The next records of a kind after a key (the first when `None`).
    Scan {
        kind: EntityKind,
        after: Option<Vec<u8>>,
    },
    Children(Id),
    History(Id),
    Lookup(Index),
    IsEmpty,
    Heads,
    Conflicts,
    SyncRequest,
    SyncApply(Box<Fetched>),
}

/// The helper answers. Records ride in the frame beside the head.
#[derive(Debug, Serialize, Deserialize)]
pub enum Answer {
    /// Sent once, when the store is open.
    Hello {
        replica: Id,
        warnings: Vec<Msg>,
        own_seq: u64,
    },
    /// A commit went through; the journal seq is this replica's after it.
    Committed {
        ops: Vec<Op>,
        own_seq: u64,
    },
    /// Records, one kind each, in the frame.
    Records(Vec<EntityKind>),
    /// Up to `SCAN_CHUNK` records of the scanned kind; `last` is the key to go on after, `None`
    /// when the kind is done.
    Chunk {
        last: Option<Vec<u8>>,
    },
    Ops(Vec<Op>),
    Ids(Vec<Id>),
    Bool(bool),
    Heads(Vec<(Id, String)>),
    Conflicts(Vec<Conflict>),
    SyncRequest(Box<Request>),
    SyncApplied {
        applied: Box<Applied>,
        own_seq: u64,
    },
    Failed(StoreError),
    /// The helper was idle and is leaving; whatever the app sent after it was not read.
    Bye,
}

pub fn write_frame<W: Write, T: Serialize>(
    out: &mut W,
    head: &T,
    records: &[Vec<u8>],
) -> io::Result<()> {
    let head = serde_json::to_vec(head).map_err(io::Error::other)?;
    let body: usize = 8 + head.len() + records.iter().map(|r| 4 + r.len()).sum::<usize>();
    let mut frame = Vec::with_capacity(4 + body);
    frame.extend_from_slice(&len32(body)?);
    frame.extend_from_slice(&len32(head.len())?);
    frame.extend_from_slice(&head);
    frame.extend_from_slice(&len32(records.len())?);
    for record in records {
        frame.extend_from_slice(&len32(record.len())?);
        frame.extend_from_slice(record);
    }
    out.write_all(&frame)?;
    out.flush()
}

/// The next frame, or `None` when the other side closed the pipe between frames.
pub fn read_frame<R: Read, T: DeserializeOwned>(
    input: &mut R,
) -> io::Result<Option<(T, Vec<Vec<u8>>)>> {
    let mut len = [0u8; 4];
    // Nothing at all is the other side closing between frames; part of a length is a frame cut.
    let first = loop {
        match input.read(&mut len) {
            Ok(n) => break n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    };
    if first == 0 {
        return Ok(None);
    }
    input.read_exact(&mut len[first..])?;
    let body_len = u32::from_le_bytes(len) as usize;
    if body_len > MAX_FRAME {
        return Err(bad("a frame longer than any the app writes"));
    }
    let mut body = vec![0u8; body_len];
    input.read_exact(&mut body)?;
    let mut at = 0usize;
    let head_len = take_len(&body, &mut at)?;
    let head = take(&body, &mut at, head_len)?;
    let head: T = serde_json::from_slice(head).map_err(io::Error::other)?;
    let count = take_len(&body, &mut at)?;
    let mut records = Vec::with_capacity(count.min(SCAN_CHUNK));
    for _ in 0..count {
        let len = take_len(&body, &mut at)?;
        records.push(take(&body, &mut at, len)?.to_vec());
    }
    Ok(Some((head, records)))
}

fn len32(len: usize) -> io::Result<[u8; 4]> {
    u32::try_from(len)
        .map(u32::to_le_bytes)
        .map_err(|_| bad("a message too large to send"))
}

fn take_len(body: &[u8], at: &mut usize) -> io::Result<usize> {
    let bytes = take(body, at, 4)?;
    let mut len = [0u8; 4];
    len.copy_from_slice(bytes);
    Ok(u32::from_le_bytes(len) as usize)
}

fn take<'b>(body: &'b [u8], at: &mut usize, len: usize) -> io::Result<&'b [u8]> {
    let end = at.checked_add(len).filter(|end| *end <= body.len());
    let Some(end) = end else {
        return Err(bad("a frame cut short"));
    };
    let out = &body[*at..end];
    *at = end;
    Ok(out)
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("store helper: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever records a frame carries come back the same, in order, and a frame cut
        /// anywhere is an error, never a shorter message taken for whole.
        #[test]
        fn frames_round_trip_and_cut_frames_are_refused(
            records in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 0..20),
            last in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut bytes = Vec::new();
            write_frame(&mut bytes, &Answer::Chunk { last: last.clone() }, &records).expect("write");
            let (head, back): (Answer, _) = read_frame(&mut bytes.as_slice()).expect("read").expect("a frame");
            let same_last = matches!(head, Answer::Chunk { last: l } if l == last);
            prop_assert!(same_last, "the chunk's last key changed on the way");
            prop_assert_eq!(back, records);
            let cut = cut.index(bytes.len());
            if cut > 0 {
                let short: io::Result<Option<(Answer, _)>> = read_frame(&mut &bytes[..cut]);
                prop_assert!(short.is_err());
            }
        }
    }

    #[test]
    fn an_empty_pipe_is_the_end_not_an_error() {
        let empty: &[u8] = &[];
        let read: Option<(Call, Vec<Vec<u8>>)> = read_frame(&mut &*empty).expect("clean end");
        assert!(read.is_none());
    }

    #[test]
    fn an_absurd_length_is_refused_before_allocating() {
        let bytes = u32::MAX.to_le_bytes();
        let read: io::Result<Option<(Call, Vec<Vec<u8>>)>> = read_frame(&mut &bytes[..]);
        assert!(read.is_err());
    }
}
