//! The display half of the index: each item's id and its display strings (text, context,
//! number, title, status). Matching never reads it, only the results shown do, so an index
//! opened from its file leaves this half on disk and reads the few rows it shows with
//! positioned reads. At 100,000 findings that is 19 MB `rectify search` neither reads nor
//! pages in (page faults and copying were three quarters of its time).

use super::Span;
use crate::domain::Id;
use std::borrow::Cow;
use std::fs::File;
use std::os::unix::fs::FileExt;

pub(super) const ROW_SIZE: usize = 16 + 5 * 8;

#[derive(Clone, Copy, Debug)]
pub(super) struct Row {
    pub id: Id,
    pub text: Span,
    pub context: Span,
    pub number: Span,
    pub title: Span,
    pub status: Span,
}

impl Row {
    pub fn encode(&self, w: &mut Vec<u8>) {
        w.extend_from_slice(self.id.as_bytes());
        for s in [
            self.text,
            self.context,
            self.number,
            self.title,
            self.status,
        ] {
            w.extend_from_slice(&s.start.to_le_bytes());
            w.extend_from_slice(&s.len.to_le_bytes());
        }
    }

    pub fn decode(b: &[u8]) -> Option<Row> {
        let span = |at: usize| -> Option<Span> {
            Some(Span {
                start: u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?),
                len: u32::from_le_bytes(b.get(at + 4..at + 8)?.try_into().ok()?),
            })
        };
        Some(Row {
            id: Id::from_bytes(b.get(..16)?.try_into().ok()?),
            text: span(16)?,
            context: span(24)?,
            number: span(32)?,
            title: span(40)?,
            status: span(48)?,
        })
    }
}

pub(super) enum Cold {
    Memory {
        rows: Vec<Row>,
        /// UTF-8 text, checked when read (see `str`).
        strings: Vec<u8>,
    },
    /// Left in the index file: `rows` rows at `rows_at`, then the string arena.
    File {
        file: File,
        rows_at: u64,
        rows: usize,
        strings_at: u64,
        strings_len: u64,
    },
}

impl Cold {
    pub fn row(&self, item: usize) -> Option<Row> {
        match self {
            Cold::Memory { rows, .. } => rows.get(item).copied(),
            Cold::File {
                file,
                rows_at,
                rows,
                ..
            } => {
                if item >= *rows {
                    return None;
                }
                let mut buf = [0u8; ROW_SIZE];
                let at = rows_at.checked_add((item as u64).checked_mul(ROW_SIZE as u64)?)?;
                file.read_exact_at(&mut buf, at).ok()?;
                Row::decode(&buf)
            }
        }
    }

    /// A string of the arena; "" if a (loaded, damaged) span is out of range or not UTF-8.
    pub fn str(&self, span: Span) -> Cow<'_, str> {
        match self {
            Cold::Memory { strings, .. } => Cow::Borrowed(
                strings
                    .get(span.range())
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .unwrap_or(""),
            ),
            Cold::File {
                file,
                strings_at,
                strings_len,
                ..
            } => {
                let end = u64::from(span.start) + u64::from(span.len);
                if end > *strings_len {
                    return Cow::Borrowed("");
                }
                let mut buf = vec![0u8; span.len as usize];
                if file
                    .read_exact_at(&mut buf, strings_at + u64::from(span.start))
                    .is_err()
                {
                    return Cow::Borrowed("");
                }
                Cow::Owned(String::from_utf8(buf).unwrap_or_default())
            }
        }
    }

    /// For a file-backed half, all of it read into memory (to list every item); `None` when
    /// it is in memory already or cannot be read.
    pub fn read_all(&self) -> Option<Cold> {
        let Cold::File {
            file,
            rows_at,
            rows,
            strings_at,
            strings_len,
        } = self
        else {
            return None;
        };
        let mut raw = vec![0u8; rows.checked_mul(ROW_SIZE)?];
        file.read_exact_at(&mut raw, *rows_at).ok()?;
        let rows = raw
            .chunks_exact(ROW_SIZE)
            .map(Row::decode)
            .collect::<Option<Vec<Row>>>()?;
        let mut strings = vec![0u8; usize::try_from(*strings_len).ok()?];
        file.read_exact_at(&mut strings, *strings_at).ok()?;
        Some(Cold::Memory { rows, strings })
    }
}
