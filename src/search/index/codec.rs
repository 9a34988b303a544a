//! The index as bytes, so `rectify search` can skip opening the store and rebuilding pinyin
//! keys for every record on every run (see `cli::search_cmd`).
//!
//! Little-endian: magic, format, the caller's freshness key, the section counts, then what
//! matching needs — the class table's characters (readings are re-derived from the `pinyin`
//! crate), the class arena, the unit fields, the entries — and last the display half (`cold`):
//! the rows and the string arena, which `open` leaves on disk. Unit fields, entries and rows
//! are fixed-size records, decoded in one pass. It is a cache next to the store, never
//! exchanged: a file from another format, with another key, of the wrong size or damaged in
//! any way reads as `None` and is rebuilt. Spans are checked when used (`get`), so a bad file
//! cannot cause a panic, only wrong results until the next rebuild.

use super::super::pinyin::{Class, Sig, Syllables};
use super::cold::{Cold, ROW_SIZE, Row, Section};
use super::{Entry, Field, HIDDEN, ItemKind, Keys, NONE, SearchIndex};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::OnceLock;

/// Bump when the layout or the meaning of anything stored changes.
pub const FORMAT: u32 = 3;
const MAGIC: &[u8; 8] = b"RCTFYSIX";
const HEADER: usize = 8 + 4 + 8;
const FIELD_SIZE: usize = 8 + 4 + 8 * 3 + 16;
const ENTRY_SIZE: usize = 1 + 2 * FIELD_SIZE + 4;

/// Where the display half sits in a file, and how big it is.
struct ColdLayout {
    at: u64,
    rows: usize,
    strings: usize,
}

impl SearchIndex {
    /// The index as bytes, stamped with `key` (whatever says the index is still current).
    pub fn to_bytes(&self, key: &str) -> Vec<u8> {
        let mut bytes = Vec::new();
        // Writing into memory cannot fail.
        let _ = self.write_to(key, &mut bytes);
        bytes
    }

    /// The bytes of `to_bytes`, written to `out` a piece at a time: at 100,000 findings the
    /// whole file is 42 MB, which the app would otherwise hold on top of the index it keeps.
    pub fn write_to(&self, key: &str, out: &mut impl Write) -> std::io::Result<()> {
        let chars: Vec<char> = self.table.chars().collect();
        let mut w = Vec::with_capacity(2 * PIECE);
        w.extend_from_slice(MAGIC);
        put32(&mut w, FORMAT);
        put64(&mut w, key.len() as u64);
        w.extend_from_slice(key.as_bytes());
        for n in [
            chars.len(),
            self.classes.len(),
            self.units.len(),
            self.entries.len(),
            self.cold.strings_len(),
        ] {
            put64(&mut w, n as u64);
        }
        for c in chars {
            put32(&mut w, c as u32);
            pass_on(&mut w, out)?;
        }
        for c in &self.classes {
            w.extend_from_slice(&c.to_le_bytes());
            pass_on(&mut w, out)?;
        }
        for f in &self.units {
            put_field(&mut w, f);
            pass_on(&mut w, out)?;
        }
        for e in &self.entries {
            w.push(e.kind.rank());
            for f in &e.fields {
                put_field(&mut w, f);
            }
            put32(&mut w, e.unit);
            pass_on(&mut w, out)?;
        }
        match &self.cold {
            Cold::Memory { rows, strings } => {
                for i in 0..self.entries.len() {
                    match rows.get(i) {
                        Some(row) => w.extend_from_slice(&row.to_bytes()),
                        None => w.extend_from_slice(&[0; ROW_SIZE]),
                    }
                    pass_on(&mut w, out)?;
                }
                out.write_all(&w)?;
                out.write_all(strings)
            }
            Cold::File { rows, strings } => {
                if self.cold.rows() != self.entries.len() {
                    return Err(std::io::Error::other(
                        "search index: rows and entries differ",
                    ));
                }
                out.write_all(&w)?;
                rows.copy_to(out)?;
                strings.copy_to(out)
            }
        }
    }

    /// Read an index written by `to_bytes` with the same `key`, all in memory; `None` for
    /// anything else.
    pub fn from_bytes(bytes: &[u8], key: &str) -> Option<SearchIndex> {
        let mut r = bytes;
        let (mut index, layout) = read_hot(&mut r, bytes.len() as u64, key)?;
        let rows = read_records(&mut r, layout.rows, ROW_SIZE, Row::decode)?;
        let strings = read_n(&mut r, layout.strings)?;
        index.cold = Cold::Memory { rows, strings };
        Some(index)
    }

    /// Open an index file written from `to_bytes` with the same `key`, reading what matching
    /// needs and leaving the display half on disk (read per shown item). `None` if the file is
    /// missing, stale or damaged.
    pub fn open(path: &Path, key: &str) -> Option<SearchIndex> {
        let mut file = std::fs::File::open(path).ok()?;
        let size = file.metadata().ok()?.len();
        let (mut index, layout) = read_hot(&mut file, size, key)?;
        let strings = Section {
            file: file.try_clone().ok()?,
            at: layout.at + (layout.rows * ROW_SIZE) as u64,
            len: layout.strings as u64,
        };
        index.cold = Cold::File {
            rows: Section {
                file,
                at: layout.at,
                len: (layout.rows * ROW_SIZE) as u64,
            },
            strings,
        };
        Some(index)
    }
}

/// Everything up to the display half, checking that the counts account for the whole file
/// (so a damaged count never allocates).
fn read_hot(r: &mut impl Read, size: u64, key: &str) -> Option<(SearchIndex, ColdLayout)> {
    let head = read_n(r, HEADER)?;
    if head.get(..8)? != MAGIC || le32(&head, 8) != FORMAT {
        return None;
    }
    let key_len = usize::try_from(le64(&head, 12)).ok()?;
    if key_len != key.len() || read_n(r, key_len)? != key.as_bytes() {
        return None;
    }
    let counts = read_n(r, 5 * 8)?;
    let n: Vec<usize> = (0..5)
        .map(|i| usize::try_from(le64(&counts, i * 8)).ok())
        .collect::<Option<_>>()?;
    let [chars, classes, units, entries, strings] = n[..] else {
        return None;
    };
    let hot = [
        chars.checked_mul(4)?,
        classes.checked_mul(2)?,
        units.checked_mul(FIELD_SIZE)?,
        entries.checked_mul(ENTRY_SIZE)?,
    ]
    .iter()
    .try_fold(HEADER + key_len + 40, |sum: usize, n| sum.checked_add(*n))?;
    let total = hot
        .checked_add(entries.checked_mul(ROW_SIZE)?)?
        .checked_add(strings)?;
    if total as u64 != size {
        return None;
    }
    let table = Syllables::from_chars(
        read_n(r, chars * 4)?
            .chunks_exact(4)
            .map(|b| char::from_u32(le32(b, 0)))
            .collect::<Option<Vec<char>>>()?,
    );
    let classes = read_records(r, classes, 2, |b| {
        Some(Class::from_le_bytes([*b.first()?, *b.get(1)?]))
    })?;
    let units = read_records(r, units, FIELD_SIZE, |b| Some(field_at(b)))?;
    let entries = read_records(r, entries, ENTRY_SIZE, entry_at)?;
    let layout = ColdLayout {
        at: hot as u64,
        rows: entries.len(),
        strings,
    };
    let index = SearchIndex {
        table,
        classes,
        entries,
        units,
        cold: Cold::Memory {
            rows: Vec::new(),
            strings: Vec::new(),
        },
        matcher: Box::new(super::Skim::default()),
        items: OnceLock::new(),
        steps: Vec::new(),
    };
    Some((index, layout))
}

/// `count` records of `size` bytes, decoded through one small buffer: the file's bytes are
/// never held twice (at 100,000 findings, page faults on a 20 MB temporary cost more than the
/// decoding).
fn read_records<T>(
    r: &mut impl Read,
    count: usize,
    size: usize,
    decode: impl Fn(&[u8]) -> Option<T>,
) -> Option<Vec<T>> {
    const CHUNK_BYTES: usize = 256 * 1024;
    let per_chunk = (CHUNK_BYTES / size.max(1)).max(1);
    let mut out = Vec::with_capacity(count);
    let mut buf = vec![0u8; per_chunk.min(count) * size];
    let mut left = count;
    while left > 0 {
        let n = left.min(per_chunk);
        let chunk = buf.get_mut(..n * size)?;
        r.read_exact(chunk).ok()?;
        for record in chunk.chunks_exact(size) {
            out.push(decode(record)?);
        }
        left -= n;
    }
    Some(out)
}

fn read_n(r: &mut impl Read, n: usize) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; n];
    r.read_exact(&mut buf).ok()?;
    Some(buf)
}

/// How much `write_to` gathers before handing it on.
const PIECE: usize = 64 * 1024;

/// Hand what `w` gathered to `out` once there is a piece of it.
fn pass_on(w: &mut Vec<u8>, out: &mut impl Write) -> std::io::Result<()> {
    if w.len() >= PIECE {
        out.write_all(w)?;
        w.clear();
    }
    Ok(())
}

fn put32(w: &mut Vec<u8>, v: u32) {
    w.extend_from_slice(&v.to_le_bytes());
}

fn put64(w: &mut Vec<u8>, v: u64) {
    w.extend_from_slice(&v.to_le_bytes());
}

fn put_field(w: &mut Vec<u8>, f: &Field) {
    put32(w, f.keys.start);
    put32(w, u32::from(f.keys.len));
    put32(
        w,
        if f.offset == HIDDEN {
            NONE
        } else {
            u32::from(f.offset)
        },
    );
    put64(w, f.sig.letters);
    put64(w, f.sig.initials);
    put64(w, f.sig.ascii);
    // The low word first: the bytes of the `u128` this was in format 3.
    put64(w, f.sig.other[0]);
    put64(w, f.sig.other[1]);
}

/// Fixed-offset reads from a record already known to be long enough (0 if it were not).
fn le32(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

fn le64(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

fn field_at(b: &[u8]) -> Field {
    Field {
        keys: Keys {
            start: le32(b, 0),
            len: u16::try_from(le32(b, 4)).unwrap_or(u16::MAX),
        },
        offset: u16::try_from(le32(b, 8)).unwrap_or(HIDDEN),
        sig: Sig {
            letters: le64(b, 12),
            initials: le64(b, 20),
            ascii: le64(b, 28),
            other: [le64(b, 36), le64(b, 44)],
        },
    }
}

fn entry_at(b: &[u8]) -> Option<Entry> {
    Some(Entry {
        kind: ItemKind::from_u8(*b.first()?)?,
        fields: [field_at(b.get(1..)?), field_at(b.get(1 + FIELD_SIZE..)?)],
        unit: le32(b, 1 + 2 * FIELD_SIZE),
    })
}
