//! The display half of the index: each item's id and its display strings (text, context,
//! number, title, status). Matching never reads it, only the results shown do, so an index
//! opened from its file leaves this half on disk and reads the few rows it shows with
//! positioned reads. At 100,000 findings that is 19 MB `rectify search` neither reads nor
//! pages in (page faults and copying were three quarters of its time).

use super::Span;
use crate::domain::Id;
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;

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
    pub fn to_bytes(self) -> [u8; ROW_SIZE] {
        let mut b = [0u8; ROW_SIZE];
        b[..16].copy_from_slice(self.id.as_bytes());
        let spans = [
            self.text,
            self.context,
            self.number,
            self.title,
            self.status,
        ];
        for (at, s) in b[16..].chunks_exact_mut(8).zip(spans) {
            at[..4].copy_from_slice(&s.start.to_le_bytes());
            at[4..].copy_from_slice(&s.len.to_le_bytes());
        }
        b
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
    /// On disk: in the index file it was opened from, or in the unnamed files a build spilled
    /// it to (`ColdSink::spill`).
    File { rows: Section, strings: Section },
}

/// A stretch of a file: `len` bytes from `at`, read with positioned reads only (so two
/// sections may share one open file).
pub(super) struct Section {
    pub file: File,
    pub at: u64,
    pub len: u64,
}

impl Section {
    /// `buf.len()` bytes from `offset` within the section; `None` past its end or on error.
    fn read(&self, offset: u64, buf: &mut [u8]) -> Option<()> {
        let end = offset.checked_add(buf.len() as u64)?;
        if end > self.len {
            return None;
        }
        self.file.read_exact_at(buf, self.at + offset).ok()
    }

    fn read_all(&self) -> Option<Vec<u8>> {
        let mut buf = vec![0u8; usize::try_from(self.len).ok()?];
        self.read(0, &mut buf)?;
        Some(buf)
    }

    /// The whole section into `out`, a piece at a time.
    pub fn copy_to(&self, out: &mut impl Write) -> std::io::Result<()> {
        let mut buf = vec![0u8; 64 * 1024];
        let mut done = 0u64;
        while done < self.len {
            let n = (self.len - done).min(buf.len() as u64) as usize;
            let piece = &mut buf[..n];
            self.file.read_exact_at(piece, self.at + done)?;
            out.write_all(piece)?;
            done += n as u64;
        }
        Ok(())
    }
}

impl Cold {
    /// How many rows the half holds.
    pub fn rows(&self) -> usize {
        match self {
            Cold::Memory { rows, .. } => rows.len(),
            Cold::File { rows, .. } => (rows.len / ROW_SIZE as u64) as usize,
        }
    }

    /// The string arena's length in bytes.
    pub fn strings_len(&self) -> usize {
        match self {
            Cold::Memory { strings, .. } => strings.len(),
            Cold::File { strings, .. } => strings.len as usize,
        }
    }

    pub fn row(&self, item: usize) -> Option<Row> {
        match self {
            Cold::Memory { rows, .. } => rows.get(item).copied(),
            Cold::File { rows, .. } => {
                let mut buf = [0u8; ROW_SIZE];
                rows.read((item as u64).checked_mul(ROW_SIZE as u64)?, &mut buf)?;
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
            Cold::File { strings, .. } => {
                let mut buf = vec![0u8; span.len as usize];
                match strings.read(u64::from(span.start), &mut buf) {
                    Some(()) => Cow::Owned(String::from_utf8(buf).unwrap_or_default()),
                    None => Cow::Borrowed(""),
                }
            }
        }
    }

    /// For a file-backed half, all of it read into memory (to list every item); `None` when
    /// it is in memory already or cannot be read.
    pub fn read_all(&self) -> Option<Cold> {
        let Cold::File { rows, strings } = self else {
            return None;
        };
        let raw = rows.read_all()?;
        let rows = raw
            .chunks_exact(ROW_SIZE)
            .map(Row::decode)
            .collect::<Option<Vec<Row>>>()?;
        Some(Cold::Memory {
            rows,
            strings: strings.read_all()?,
        })
    }
}

/// Where a build puts the display half as it goes: in memory, or spilled to two unnamed files
/// (the app's build: at 100,000 findings the half is 17 MB the app would otherwise hold for as
/// long as it keeps the index).
pub(super) enum ColdSink {
    Memory { rows: Vec<Row>, strings: Vec<u8> },
    Spill { rows: Spill, strings: Spill },
}

impl ColdSink {
    /// Unnamed files in `dir` (created, then unlinked at once: nothing is left behind).
    pub fn spill(dir: &Path) -> std::io::Result<ColdSink> {
        Ok(ColdSink::Spill {
            rows: Spill::create(dir, "rows")?,
            strings: Spill::create(dir, "strings")?,
        })
    }

    pub fn strings_len(&self) -> usize {
        match self {
            ColdSink::Memory { strings, .. } => strings.len(),
            ColdSink::Spill { strings, .. } => strings.len as usize,
        }
    }

    pub fn push_str(&mut self, text: &str) -> usize {
        let start = self.strings_len();
        match self {
            ColdSink::Memory { strings, .. } => strings.extend_from_slice(text.as_bytes()),
            ColdSink::Spill { strings, .. } => strings.write(text.as_bytes()),
        }
        start
    }

    pub fn push_row(&mut self, row: Row) {
        match self {
            ColdSink::Memory { rows, .. } => rows.push(row),
            ColdSink::Spill { rows, .. } => rows.write(&row.to_bytes()),
        }
    }

    /// The half as the index reads it; an error if a spill file could not be written.
    pub fn finish(self) -> std::io::Result<Cold> {
        Ok(match self {
            ColdSink::Memory {
                mut rows,
                mut strings,
            } => {
                rows.shrink_to_fit();
                strings.shrink_to_fit();
                Cold::Memory { rows, strings }
            }
            ColdSink::Spill { rows, strings } => Cold::File {
                rows: rows.finish()?,
                strings: strings.finish()?,
            },
        })
    }
}

/// One spill file: buffered, and failing once (the first error is kept for `finish`).
pub(super) struct Spill {
    out: BufWriter<File>,
    len: u64,
    failed: Option<std::io::Error>,
}

impl Spill {
    fn create(dir: &Path, what: &str) -> std::io::Result<Spill> {
        let path = dir.join(format!("search.{what}.{}.tmp", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        std::fs::remove_file(&path)?;
        Ok(Spill {
            out: BufWriter::with_capacity(64 * 1024, file),
            len: 0,
            failed: None,
        })
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.failed.is_none() {
            match self.out.write_all(bytes) {
                Ok(()) => self.len += bytes.len() as u64,
                Err(e) => self.failed = Some(e),
            }
        }
    }

    fn finish(self) -> std::io::Result<Section> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        Ok(Section {
            file,
            at: 0,
            len: self.len,
        })
    }
}
