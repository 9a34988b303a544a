//! The index as bytes, so `rectify search` can skip opening the store and rebuilding pinyin
//! keys for every record on every run (see `cli::search_cmd`).
//!
//! Little-endian: magic, format, the caller's freshness key, the section counts, then the
//! class table's characters (readings are re-derived from the `pinyin` crate), the string
//! arena, the class arena, the unit fields and the entries, the last two as fixed-size records
//! so they decode in one pass without per-field bookkeeping. It is a cache next to the store,
//! never exchanged: a file from another format, with another key, of the wrong size or damaged
//! in any way reads as `None` and is rebuilt. Spans are checked when used (`get`), so a bad file
//! cannot cause a panic, only wrong results until the next rebuild.

use super::super::pinyin::{Class, Sig, Syllables};
use super::{Entry, Field, ItemKind, SearchIndex, Span};
use crate::domain::Id;
use std::io::Read;
use std::sync::OnceLock;

/// Bump when the layout or the meaning of anything stored changes.
pub const FORMAT: u32 = 2;
const MAGIC: &[u8; 8] = b"RCTFYSIX";
const FIELD_SIZE: usize = 8 + 4 + 8 * 3 + 16;
const ENTRY_SIZE: usize = 1 + 16 + 8 * 5 + 2 * FIELD_SIZE + 4;

impl SearchIndex {
    /// The index as bytes, stamped with `key` (whatever says the index is still current).
    pub fn to_bytes(&self, key: &str) -> Vec<u8> {
        let chars: Vec<char> = self.table.chars().collect();
        let mut w = Vec::with_capacity(
            64 + key.len()
                + chars.len() * 4
                + self.strings.len()
                + self.classes.len() * 2
                + self.units.len() * FIELD_SIZE
                + self.entries.len() * ENTRY_SIZE,
        );
        w.extend_from_slice(MAGIC);
        put32(&mut w, FORMAT);
        put64(&mut w, key.len() as u64);
        w.extend_from_slice(key.as_bytes());
        for n in [
            chars.len(),
            self.strings.len(),
            self.classes.len(),
            self.units.len(),
            self.entries.len(),
        ] {
            put64(&mut w, n as u64);
        }
        for c in chars {
            put32(&mut w, c as u32);
        }
        w.extend_from_slice(&self.strings);
        for c in &self.classes {
            w.extend_from_slice(&c.to_le_bytes());
        }
        for f in &self.units {
            put_field(&mut w, f);
        }
        for e in &self.entries {
            w.push(e.kind.rank());
            w.extend_from_slice(e.id.as_bytes());
            for s in [e.text, e.context, e.number, e.title, e.status] {
                put_span(&mut w, s);
            }
            for f in &e.fields {
                put_field(&mut w, f);
            }
            put32(&mut w, e.unit);
        }
        w
    }

    /// Read an index written by `to_bytes` with the same `key`; `None` for anything else.
    pub fn from_bytes(bytes: &[u8], key: &str) -> Option<SearchIndex> {
        SearchIndex::read_from(&mut &bytes[..], bytes.len() as u64, key)
    }

    /// Read an index of `size` bytes from `r` (a file: each large section is read straight into
    /// its place). `None` if it is not one `to_bytes` wrote with this `key`.
    pub fn read_from(r: &mut impl Read, size: u64, key: &str) -> Option<SearchIndex> {
        let head: [u8; 20] = read_n(r, 20)?.try_into().ok()?;
        if head[..8] != MAGIC[..] || le32(&head, 8) != FORMAT {
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
        let (chars, strings, classes, units, entries) = (n[0], n[1], n[2], n[3], n[4]);
        // The counts must account for the whole file: a damaged count never allocates.
        let body = [
            chars.checked_mul(4)?,
            strings,
            classes.checked_mul(2)?,
            units.checked_mul(FIELD_SIZE)?,
            entries.checked_mul(ENTRY_SIZE)?,
        ]
        .iter()
        .try_fold(20 + key_len + 40, |sum: usize, n| sum.checked_add(*n))?;
        if body as u64 != size {
            return None;
        }
        let table = Syllables::from_chars(
            read_n(r, chars * 4)?
                .chunks_exact(4)
                .map(|b| char::from_u32(le32(b, 0)))
                .collect::<Option<Vec<char>>>()?,
        );
        let strings = read_n(r, strings)?;
        let classes = read_records(r, classes, 2, |b| {
            Some(Class::from_le_bytes([*b.first()?, *b.get(1)?]))
        })?;
        let units = read_records(r, units, FIELD_SIZE, |b| Some(field_at(b)))?;
        let entries = read_records(r, entries, ENTRY_SIZE, entry_at)?;
        Some(SearchIndex {
            table,
            strings,
            classes,
            entries,
            units,
            matcher: Box::new(super::Skim::default()),
            items: OnceLock::new(),
            steps: Vec::new(),
        })
    }
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
    const CHUNK_RECORDS: usize = 1024;
    let mut out = Vec::with_capacity(count);
    let mut buf = vec![0u8; CHUNK_RECORDS * size];
    let mut left = count;
    while left > 0 {
        let n = left.min(CHUNK_RECORDS);
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

fn put32(w: &mut Vec<u8>, v: u32) {
    w.extend_from_slice(&v.to_le_bytes());
}

fn put64(w: &mut Vec<u8>, v: u64) {
    w.extend_from_slice(&v.to_le_bytes());
}

fn put_span(w: &mut Vec<u8>, s: Span) {
    put32(w, s.start);
    put32(w, s.len);
}

fn put_field(w: &mut Vec<u8>, f: &Field) {
    put_span(w, f.keys);
    put32(w, f.offset);
    put64(w, f.sig.letters);
    put64(w, f.sig.initials);
    put64(w, f.sig.ascii);
    w.extend_from_slice(&f.sig.other.to_le_bytes());
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

fn le128(b: &[u8], at: usize) -> u128 {
    b.get(at..at + 16)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u128::from_le_bytes)
}

fn span_at(b: &[u8], at: usize) -> Span {
    Span {
        start: le32(b, at),
        len: le32(b, at + 4),
    }
}

fn field_at(b: &[u8]) -> Field {
    Field {
        keys: span_at(b, 0),
        offset: le32(b, 8),
        sig: Sig {
            letters: le64(b, 12),
            initials: le64(b, 20),
            ascii: le64(b, 28),
            other: le128(b, 36),
        },
    }
}

fn entry_at(b: &[u8]) -> Option<Entry> {
    let kind = ItemKind::from_u8(*b.first()?)?;
    let id = Id::from_bytes(b.get(1..17)?.try_into().ok()?);
    let fields = 17 + 5 * 8;
    Some(Entry {
        kind,
        id,
        text: span_at(b, 17),
        context: span_at(b, 25),
        number: span_at(b, 33),
        title: span_at(b, 41),
        status: span_at(b, 49),
        fields: [
            field_at(b.get(fields..)?),
            field_at(b.get(fields + FIELD_SIZE..)?),
        ],
        unit: le32(b, fields + 2 * FIELD_SIZE),
    })
}
