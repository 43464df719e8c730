//! The id index: event id -> seq, so that an id names one event of a log.
//!
//! Ids are filed by their 64-bit hash in 65,536 buckets (the hash's top
//! 16 bits), each a sorted list of (hash, seq) pairs. An append gathers
//! its new ids in memory and merges them into their buckets a few hundred
//! thousand at a time: one redb insert per bucket instead of one per event,
//! which keeps imports fast. An import into a new log also remembers, in a
//! small bit set, which hashes it has merged, so that it reads a bucket
//! back only for a hash it may have filed there (one in a few dozen)
//! rather than for every event after the first merge.

use redb::{ReadableTable, ReadableTableMetadata, Table};
use rustc_hash::FxHashMap as HashMap;
use std::collections::hash_map::Entry;

use super::Result;
use super::append::NewEventRef;
use crate::event::Event;

/// Pending ids are merged into their buckets once this many have gathered.
const FLUSH_EVERY: usize = 1 << 18;

/// The bit set of merged hashes has 2^MERGED_BITS bits (8 MiB): at a
/// million ids about one lookup in seventy goes to the table needlessly.
const MERGED_BITS: u32 = 26;

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
    /// When the table held nothing as the batch began: the hashes merged
    /// into it since, so that a hash not among them is surely not there.
    merged: Option<MergedHashes>,
    /// Hash -> seq of the ids not yet merged into the table.
    pending: HashMap<u64, u64>,
    /// Further pending seqs under a hash already pending (a collision).
    collided: Vec<(u64, u64)>,
}

impl<'txn> IdIndex<'txn> {
    pub fn new(table: Table<'txn, u64, &'static [u8]>) -> Result<IdIndex<'txn>> {
        let table_empty = table.is_empty()?;
        Ok(IdIndex {
            table_empty,
            merged: table_empty.then(MergedHashes::default),
            table,
            pending: HashMap::default(),
            collided: Vec::new(),
        })
    }

    /// The seqs filed under hash `key`: the event with that id, if the log
    /// or the batch has one, among any whose ids share its hash.
    pub fn holders(&self, key: u64) -> Result<Vec<u64>> {
        let mut seqs = Vec::new();
        let maybe_stored = match &self.merged {
            Some(merged) => merged.may_hold(key),
            None => true,
        };
        if maybe_stored
            && !self.table_empty
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
        if let Some(merged) = &mut self.merged {
            for &(hash, _) in &entries {
                merged.insert(hash);
            }
        }
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

/// A set of hashes that may answer yes for a hash never inserted, but
/// never no for one that was. Its bits are allocated at the first insert,
/// so an append that never merges pays nothing.
#[derive(Default)]
struct MergedHashes {
    words: Vec<u64>,
}

impl MergedHashes {
    /// The bit of `hash`. Ids' hashes share their top bits within a
    /// bucket, so the bit is taken from a remix of all of them.
    fn bit(hash: u64) -> usize {
        (hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - MERGED_BITS)) as usize
    }

    fn insert(&mut self, hash: u64) {
        if self.words.is_empty() {
            self.words = vec![0; (1 << MERGED_BITS) / 64];
        }
        let bit = Self::bit(hash);
        self.words[bit / 64] |= 1 << (bit % 64);
    }

    fn may_hold(&self, hash: u64) -> bool {
        let bit = Self::bit(hash);
        self.words
            .get(bit / 64)
            .is_some_and(|word| word & (1 << (bit % 64)) != 0)
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
pub fn same_event(stored: &Event, new: &NewEventRef<'_>) -> bool {
    *stored.stream == *new.stream
        && *stored.event_type == *new.event_type
        && stored.time == new.time
        && stored.data.as_str() == new.data
        && stored.metadata.as_ref().map(|m| m.as_str()) == new.metadata
        && new.expected_version.is_none_or(|v| v == stored.version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tables::IDS;

    /// Ids merged into the table part way through a batch are still found
    /// there, whether they share a bucket with others or not; hashes never
    /// filed are not.
    #[test]
    fn merged_ids_are_found_in_the_same_batch_and_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let db = redb::Database::create(dir.path().join("ids.redb")).unwrap();
        // Two hashes in one bucket, one alone in another, and a collision.
        let filed = [
            (7 << 48 | 1, 1),
            (7 << 48 | 2, 2),
            (9 << 48, 3),
            (9 << 48, 4),
        ];
        let txn = db.begin_write().unwrap();
        {
            let mut index = IdIndex::new(txn.open_table(IDS).unwrap()).unwrap();
            for (key, seq) in filed {
                index.add(key, seq).unwrap();
            }
            index.flush().unwrap();
            index.add(7 << 48 | 3, 5).unwrap();
            assert_eq!(index.holders(7 << 48 | 1).unwrap(), [1]);
            assert_eq!(index.holders(7 << 48 | 2).unwrap(), [2]);
            assert_eq!(index.holders(9 << 48).unwrap(), [3, 4]);
            assert_eq!(index.holders(7 << 48 | 3).unwrap(), [5]);
            assert!(index.holders(7 << 48 | 4).unwrap().is_empty());
            index.flush().unwrap();
            assert_eq!(index.holders(7 << 48 | 3).unwrap(), [5]);
        }
        txn.commit().unwrap();
        let txn = db.begin_write().unwrap();
        let index = IdIndex::new(txn.open_table(IDS).unwrap()).unwrap();
        assert_eq!(index.holders(7 << 48 | 2).unwrap(), [2]);
        assert_eq!(index.holders(9 << 48).unwrap(), [3, 4]);
        assert!(index.holders(8 << 48).unwrap().is_empty());
    }

    #[test]
    fn the_merged_set_never_forgets_a_hash() {
        let mut merged = MergedHashes::default();
        assert!(!merged.may_hold(42));
        let hashes: Vec<u64> = (0..10_000u64).map(checked_key).collect();
        for &hash in &hashes {
            merged.insert(hash);
        }
        assert!(hashes.iter().all(|&hash| merged.may_hold(hash)));
        let strangers = (10_000..20_000u64).filter(|&n| merged.may_hold(checked_key(n)));
        assert!(strangers.count() < 100, "the set answers yes to too much");
    }

    fn checked_key(n: u64) -> u64 {
        super::super::checked::id_key(&format!("evt-{n}"))
    }

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
