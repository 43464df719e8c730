//! The id index: event id -> seq, so that an id names one event of a log.
//!
//! Ids are filed by their 64-bit hash in 65,536 buckets (the hash's top
//! 16 bits), each a sorted list of (hash, seq) pairs. An append gathers
//! its new ids in memory and merges them into their buckets a few hundred
//! thousand at a time: one redb insert per bucket instead of one per event,
//! which keeps imports fast.

use redb::{ReadableTable, ReadableTableMetadata, Table};
use rustc_hash::FxHashMap as HashMap;
use std::collections::hash_map::Entry;

use super::Result;
use crate::event::{Event, NewEvent};

/// Pending ids are merged into their buckets once this many have gathered.
const FLUSH_EVERY: usize = 1 << 18;

/// The bytes of one (hash, seq) pair in a bucket.
const PAIR: usize = 16;

/// The bucket holding an id of hash `key`.
pub fn bucket_of(key: u64) -> u64 {
    key >> 48
}

/// The (hash, seq) pairs of a stored bucket; `None` if its length is not
/// a whole number of pairs.
pub fn pairs(bucket: &[u8]) -> Option<impl Iterator<Item = (u64, u64)> + '_> {
    bucket.len().is_multiple_of(PAIR).then(|| {
        bucket.chunks_exact(PAIR).map(|pair| {
            let (hash, seq) = pair.split_at(8);
            let read = |bytes: &[u8]| {
                let mut word = [0; 8];
                word.copy_from_slice(bytes);
                u64::from_le_bytes(word)
            };
            (read(hash), read(seq))
        })
    })
}

/// The id index as one write transaction sees and changes it.
pub struct IdIndex<'txn> {
    table: Table<'txn, u64, &'static [u8]>,
    /// The table held nothing when the batch began and nothing has been
    /// merged into it since: no need to look there.
    table_empty: bool,
    /// Hash -> seq of the ids not yet merged into the table.
    pending: HashMap<u64, u64>,
    /// Further pending seqs under a hash already pending (a collision).
    collided: Vec<(u64, u64)>,
}

impl<'txn> IdIndex<'txn> {
    pub fn new(table: Table<'txn, u64, &'static [u8]>) -> Result<IdIndex<'txn>> {
        Ok(IdIndex {
            table_empty: table.is_empty()?,
            table,
            pending: HashMap::default(),
            collided: Vec::new(),
        })
    }

    /// The seqs filed under hash `key`: the event with that id, if the log
    /// or the batch has one, among any whose ids share its hash.
    pub fn holders(&self, key: u64) -> Result<Vec<u64>> {
        let mut seqs = Vec::new();
        if !self.table_empty
            && let Some(bucket) = self.table.get(bucket_of(key))?
        {
            let pairs = pairs(bucket.value()).ok_or_else(damaged)?;
            seqs.extend(pairs.filter(|(hash, _)| *hash == key).map(|(_, seq)| seq));
        }
        if let Some(&seq) = self.pending.get(&key) {
            seqs.push(seq);
            seqs.extend(
                self.collided
                    .iter()
                    .filter(|(hash, _)| *hash == key)
                    .map(|(_, seq)| *seq),
            );
        }
        Ok(seqs)
    }

    /// Files `seq` under hash `key`.
    pub fn add(&mut self, key: u64, seq: u64) -> Result<()> {
        match self.pending.entry(key) {
            Entry::Occupied(_) => self.collided.push((key, seq)),
            Entry::Vacant(slot) => {
                slot.insert(seq);
                if self.pending.len() >= FLUSH_EVERY {
                    self.flush()?;
                }
            }
        }
        Ok(())
    }

    /// Merges the pending ids into their buckets.
    pub fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut entries: Vec<(u64, u64)> = self.pending.drain().collect();
        entries.append(&mut self.collided);
        entries.sort_unstable();
        let mut merged = Vec::new();
        for group in entries.chunk_by(|a, b| bucket_of(a.0) == bucket_of(b.0)) {
            let bucket = bucket_of(group[0].0);
            let mut all: Vec<(u64, u64)> = group.to_vec();
            if !self.table_empty
                && let Some(stored) = self.table.get(bucket)?
            {
                all.extend(pairs(stored.value()).ok_or_else(damaged)?);
                all.sort_unstable();
            }
            merged.clear();
            for (hash, seq) in all {
                merged.extend_from_slice(&hash.to_le_bytes());
                merged.extend_from_slice(&seq.to_le_bytes());
            }
            self.table.insert(bucket, merged.as_slice())?;
        }
        self.table_empty = false;
        Ok(())
    }
}

fn damaged() -> super::StoreError {
    super::StoreError::IndexDamaged {
        what: "a bucket of the id index has a broken length".into(),
    }
}

/// The id index's key for a derived id `<stream>/<version>`, without
/// building the string.
pub fn derived_key(stream: &str, version: u64) -> u64 {
    let digits = crate::event::VersionDigits::of(version);
    super::checked::id_key_of(&[stream.as_bytes(), b"/", digits.as_bytes()])
}

/// Whether `new`, met again, is the event `stored`: a re-import of it.
pub fn same_event(stored: &Event, new: &NewEvent) -> bool {
    *stored.stream == new.stream
        && *stored.event_type == new.event_type
        && stored.time == new.time
        && stored.data == new.data
        && stored.metadata == new.metadata
        && new.expected_version.is_none_or(|v| v == stored.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_derived_key_is_the_key_of_the_derived_id() {
        for (stream, version) in [("customer-7", 1), ("s", 0), ("a/b", 1_234_567_890_123)] {
            assert_eq!(
                derived_key(stream, version),
                super::super::checked::id_key(&crate::event::derived_id(stream, version))
            );
        }
    }
}
