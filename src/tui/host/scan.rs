//! Reading a kind's records from the store helper: a chunk at a time as the iterator is pulled,
//! or all at once ahead of a whole-ledger read (`RemoteStore::before_bulk_read`), so that the
//! helper can leave before the app decodes them.

use super::remote::{RemoteStore, unexpected};
use super::wire::{Answer, Call};
use crate::store::{EntityKind, Record, StoreResult, decode_record};

/// One chunk of records as the helper sent them, in one buffer: a buffer per record cost 24
/// bytes more each (5 MB at 100,000 findings) while a whole ledger waits to be decoded.
pub(super) struct Packed {
    bytes: Vec<u8>,
    /// Where each record ends in `bytes`.
    ends: Vec<usize>,
}

impl Packed {
    fn new(records: Vec<Vec<u8>>) -> Packed {
        let mut bytes = Vec::with_capacity(records.iter().map(Vec::len).sum());
        let mut ends = Vec::with_capacity(records.len());
        for record in records {
            bytes.extend_from_slice(&record);
            ends.push(bytes.len());
        }
        Packed { bytes, ends }
    }

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    fn record(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.bytes.get(start..end)
    }
}

/// Every record of `kind`, chunk after chunk, as the helper sent them.
pub(super) fn fetch_all(store: &RemoteStore, kind: EntityKind) -> StoreResult<Vec<Packed>> {
    let mut chunks = Vec::new();
    let mut after = None;
    loop {
        let (chunk, last) = fetch_chunk(store, kind, after)?;
        chunks.push(chunk);
        match last {
            Some(last) => after = Some(last),
            None => return Ok(chunks),
        }
    }
}

/// The chunk of `kind` after the key `after` (from the start when `None`), and the key of its
/// last record when more may follow.
fn fetch_chunk(
    store: &RemoteStore,
    kind: EntityKind,
    after: Option<Vec<u8>>,
) -> StoreResult<(Packed, Option<Vec<u8>>)> {
    match store.call(&Call::Scan { kind, after }, &[])? {
        (Answer::Chunk { last }, records) => Ok((Packed::new(records), last)),
        (other, _) => Err(unexpected(&other)),
    }
}

/// A kind's records, decoded one at a time; each chunk is dropped once decoded.
pub(super) struct Scan<'s> {
    store: &'s RemoteStore,
    kind: EntityKind,
    /// Chunks already here: all of them when fetched ahead.
    chunks: std::vec::IntoIter<Packed>,
    current: Option<Packed>,
    /// The next record of `current`.
    at: usize,
    /// What to ask the helper for next (`Some(after)`), or `None`: nothing more.
    more: Option<Option<Vec<u8>>>,
}

impl<'s> Scan<'s> {
    /// Fetched from the helper as the iterator is pulled.
    pub(super) fn remote(store: &'s RemoteStore, kind: EntityKind) -> Scan<'s> {
        Scan::of(store, kind, Vec::new(), Some(None))
    }

    /// From chunks fetched ahead (`fetch_all`).
    pub(super) fn fetched(
        store: &'s RemoteStore,
        kind: EntityKind,
        chunks: Vec<Packed>,
    ) -> Scan<'s> {
        Scan::of(store, kind, chunks, None)
    }

    fn of(
        store: &'s RemoteStore,
        kind: EntityKind,
        chunks: Vec<Packed>,
        more: Option<Option<Vec<u8>>>,
    ) -> Scan<'s> {
        Scan {
            store,
            kind,
            chunks: chunks.into_iter(),
            current: None,
            at: 0,
            more,
        }
    }
}

impl Iterator for Scan<'_> {
    type Item = StoreResult<Record>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(bytes) = self.current.as_ref().and_then(|c| c.record(self.at)) {
                self.at += 1;
                return Some(decode_record(self.kind, bytes));
            }
            self.at = 0;
            self.current = self.chunks.next();
            if self.current.is_some() {
                continue;
            }
            let after = self.more.take()?;
            match fetch_chunk(self.store, self.kind, after) {
                Ok((chunk, last)) => {
                    self.more = last.map(Some);
                    self.current = Some(chunk);
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Packed;

    #[test]
    fn a_packed_chunk_gives_back_each_record_whole_and_nothing_past_the_end() {
        let records = vec![b"first".to_vec(), Vec::new(), "第三条".as_bytes().to_vec()];
        let packed = Packed::new(records.clone());
        assert_eq!(packed.len(), 3);
        for (i, record) in records.iter().enumerate() {
            assert_eq!(packed.record(i), Some(record.as_slice()), "record {i}");
        }
        assert_eq!(packed.record(3), None);
        assert_eq!(Packed::new(Vec::new()).record(0), None);
    }
}
