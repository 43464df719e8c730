//! `verify`: reads every event and index entry and checks that they agree.

use redb::{ReadableTable, ReadableTableMetadata};

use super::blocks::{self, TYPE_CHUNK};
use super::codec::decode_raw;
use super::heads::{self, Head};
use super::names::Names;
use super::tables::*;
use super::{EventLog, Result, StoreError, checked, ids, read_format, read_u64, table_if_any};

/// What a successful verification checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub events: u64,
    pub streams: u64,
    pub types: u64,
    pub index_entries: u64,
    /// Events whose head (kept apart from the texts) was checked against
    /// them; `None` for a log of an older format, which keeps none.
    pub heads: Option<u64>,
    /// Blocks of events whose sum was checked against them; `None` for a
    /// log of an older format, which keeps none.
    pub block_sums: Option<u64>,
}

/// Progress of a verification, reported every few thousand events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyProgress {
    pub done: u64,
    pub total: u64,
}

fn fault(seq: u64, what: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("verify failed at event {seq}: {what}"))
}

fn fault_in(what: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("verify failed: {what}"))
}

impl EventLog {
    /// Checks every event's checksum (and each block's, and each event's
    /// head, where the log keeps them), that seqs are 1..n with no gap, that
    /// each stream's versions are 1..n with no gap, and that the stream and
    /// type indexes and counts agree with the events. Stops at the first
    /// fault and names its seq.
    pub fn verify(&self, progress: impl FnMut(VerifyProgress)) -> Result<VerifyReport> {
        self.guarded(|| self.verify_here(progress))
    }

    fn verify_here(&self, mut progress: impl FnMut(VerifyProgress)) -> Result<VerifyReport> {
        let txn = self.db.begin_read()?;
        let meta = txn.open_table(META)?;
        for entry in meta.iter()? {
            let (key, value) = entry?;
            checked::open_sealed(key.value().as_bytes(), value.value(), "a figure of the log")?;
        }
        // Read again, not the copy taken at open: every name is checked.
        let format = read_format(&meta)?;
        let names = Names::load(&txn, format)?;
        let streams = names.all_streams(&txn)?;
        let total = read_u64(&meta, META_LAST_SEQ)?;
        // (id key, seq) of every event, to check the id index.
        let mut id_keys = Vec::with_capacity(total.min(1 << 24) as usize);
        // Per seq (index seq - 1): its stream and type, to check the indexes.
        let mut stream_of = Vec::with_capacity(total.min(1 << 24) as usize);
        let mut type_of = Vec::with_capacity(total.min(1 << 24) as usize);
        let mut versions = vec![0u64; streams.len()];
        let mut type_counts = vec![0u64; names.types.len()];
        let mut next_seq = 1;
        let events = txn.open_table(EVENTS)?;
        // Each block's heads, event for event the same as its events'.
        let heads_table = match format > FORMAT_WITHOUT_HEADS {
            true => Some(txn.open_table(HEADS)?),
            false => None,
        };
        let heads_fault = |seq| fault(seq, "its head (stream, version, type, time) disagrees");
        // Each block's sum, matching it.
        let sums_table = match format > FORMAT_WITHOUT_BLOCK_SUMS {
            true => Some(
                table_if_any(&txn, BLOCK_SUMS)?
                    .ok_or_else(|| fault_in("the table of block checksums is missing"))?,
            ),
            false => None,
        };
        for entry in events.iter()? {
            let (block_no, block) = entry?;
            let block_no = block_no.value();
            if blocks::first_seq_of(block_no) != next_seq {
                return Err(fault(next_seq, "missing: its block is not in the log"));
            }
            let stored_heads = match &heads_table {
                Some(table) => Some(table.get(block_no)?.ok_or_else(|| heads_fault(next_seq))?),
                None => None,
            };
            let mut block_heads = match &stored_heads {
                Some(stored) => {
                    Some(heads::open(block_no, stored.value()).map_err(|_| heads_fault(next_seq))?)
                }
                None => None,
            };
            for record in blocks::records(block.value()) {
                let seq = next_seq;
                let record = record.map_err(|_| StoreError::EventDamaged { seq })?;
                let raw = decode_raw(seq, record).map_err(|_| StoreError::EventDamaged { seq })?;
                if let Some(block_heads) = &mut block_heads
                    && block_heads.next() != Some(Ok(Head::of(&raw)))
                {
                    return Err(heads_fault(seq));
                }
                let stream = raw.stream_id as usize;
                let version = versions
                    .get_mut(stream)
                    .ok_or_else(|| fault(seq, "names an unknown stream"))?;
                if raw.version != *version + 1 {
                    return Err(fault(
                        seq,
                        format!(
                            "{} has version {} after version {}",
                            streams[stream], raw.version, version
                        ),
                    ));
                }
                *version = raw.version;
                *type_counts
                    .get_mut(raw.type_id as usize)
                    .ok_or_else(|| fault(seq, "names an unknown type"))? += 1;
                stream_of.push(raw.stream_id);
                type_of.push(raw.type_id);
                let key = match raw.id {
                    Some(id) => checked::id_key(id),
                    None => ids::derived_key(&streams[stream], raw.version),
                };
                id_keys.push((key, seq));
                if seq % 16_384 == 0 {
                    progress(VerifyProgress { done: seq, total });
                }
                next_seq += 1;
            }
            if next_seq <= total && next_seq != blocks::first_seq_of(block_no + 1) {
                return Err(fault(next_seq, "missing: its block ends early"));
            }
            if block_heads.is_some_and(|mut rest| rest.next().is_some()) {
                return Err(heads_fault(next_seq));
            }
            // Every event of the block checked: its sum must vouch for it.
            if let Some(table) = &sums_table
                && table.get(block_no)?.map(|sum| sum.value())
                    != Some(blocks::sum(block_no, block.value()))
            {
                return Err(fault(
                    blocks::first_seq_of(block_no),
                    "the checksum of its block of events is missing or disagrees",
                ));
            }
        }
        let block_count = events.len()?;
        if let Some(table) = &sums_table
            && table.len()? != block_count
        {
            return Err(fault_in(
                "the block checksums hold blocks of events the log does not",
            ));
        }
        if let Some(table) = &heads_table
            && table.len()? != block_count
        {
            return Err(fault_in("the heads hold blocks of events the log does not"));
        }
        let count = next_seq - 1;
        if count != total {
            return Err(fault(
                count + 1,
                format!("missing; the log says it holds {total} events"),
            ));
        }

        let mut index_entries = 0;
        let mut stream_entries = 0;
        for entry in txn.open_table(STREAMS)?.iter()? {
            let (name, value) = entry?;
            stream_entries += 1;
            let (id, list) = checked::open_stream(name.value(), value.value())?;
            let mut previous = 0;
            let mut length = 0;
            for seq in blocks::seqs(list) {
                let at = seq.checked_sub(1).and_then(|i| stream_of.get(i as usize));
                if seq <= previous || at != Some(&id) {
                    return Err(fault(seq, "the stream index disagrees with the event"));
                }
                previous = seq;
                length += 1;
            }
            if streams.get(id as usize).map(|n| &**n) != Some(name.value()) {
                return Err(fault_in(format!("stream id {id} has two names")));
            }
            if versions.get(id as usize) != Some(&length) {
                return Err(fault_in(format!(
                    "{} is indexed with {length} events, but {} of its events are stored",
                    name.value(),
                    versions.get(id as usize).copied().unwrap_or(0)
                )));
            }
            index_entries += length;
        }
        // Every stream id is named once, and each name has its stream.
        if stream_entries != streams.len() {
            return Err(fault_in(format!(
                "{} stream ids are named, but the log has {stream_entries} streams",
                streams.len()
            )));
        }
        // Per type id: the last seq its index listed, so seqs must rise.
        let mut last_listed: Vec<u64> = vec![0; names.types.len()];
        for entry in txn.open_table(TYPE_INDEX)?.iter()? {
            let (key, list) = entry?;
            let (id, chunk) = key.value();
            let list = checked::open_sealed(
                &checked::chunk_key(id, chunk),
                list.value(),
                "a chunk of the type index",
            )?;
            let seqs: Vec<u64> = blocks::seqs(list).collect();
            let counted = type_counts.get(id as usize).copied().unwrap_or(0);
            let expected_len = counted
                .saturating_sub(u64::from(chunk) * TYPE_CHUNK as u64)
                .min(TYPE_CHUNK as u64);
            if seqs.len() as u64 != expected_len {
                return Err(fault_in(format!(
                    "type index chunk {chunk} of type id {id} holds {} seqs",
                    seqs.len()
                )));
            }
            for seq in seqs {
                let at = seq.checked_sub(1).and_then(|i| type_of.get(i as usize));
                let previous = last_listed.get_mut(id as usize);
                match previous {
                    Some(previous) if at == Some(&id) && seq > *previous => *previous = seq,
                    _ => return Err(fault(seq, "the type index disagrees with the event")),
                }
                index_entries += 1;
            }
        }
        if index_entries != 2 * count {
            return Err(fault_in(format!(
                "the indexes hold {index_entries} entries for {count} events"
            )));
        }
        let mut named = 0;
        for entry in txn.open_table(TYPES)?.iter()? {
            let (name, value) = entry?;
            let (id, recorded) = checked::open_type(name.value(), value.value())?;
            // The name events are shown with must be the name counted.
            if names.types.get(id as usize).map(|n| &**n) != Some(name.value()) {
                return Err(fault_in(format!("type id {id} has two names")));
            }
            named += 1;
            let counted = type_counts.get(id as usize).copied().unwrap_or(0);
            if counted != recorded {
                return Err(fault_in(format!(
                    "{} is counted {recorded} times but occurs {counted} times",
                    name.value()
                )));
            }
        }
        if named != names.types.len() {
            return Err(fault_in("a type's name or count is missing"));
        }
        self.verify_ids(&txn, id_keys)?;
        progress(VerifyProgress { done: count, total });
        Ok(VerifyReport {
            events: count,
            streams: versions.iter().filter(|&&v| v > 0).count() as u64,
            types: type_counts.iter().filter(|&&c| c > 0).count() as u64,
            index_entries,
            heads: heads_table.is_some().then_some(count),
            block_sums: sums_table.is_some().then_some(block_count),
        })
    }
}

impl EventLog {
    /// The id index must file every event under its id's hash, and
    /// nothing else; events sharing a hash must have different ids.
    fn verify_ids(&self, txn: &redb::ReadTransaction, mut id_keys: Vec<(u64, u64)>) -> Result<()> {
        id_keys.sort_unstable();
        let mut expected = id_keys.chunk_by(|a, b| ids::bucket_of(a.0) == ids::bucket_of(b.0));
        for entry in txn.open_table(IDS)?.iter()? {
            let (bucket, stored) = entry?;
            let group = expected.next().unwrap_or(&[]);
            let listed: Option<Vec<(u64, u64)>> = ids::pairs(stored.value()).map(Iterator::collect);
            if group.first().map(|&(key, _)| ids::bucket_of(key)) != Some(bucket.value())
                || listed.as_deref() != Some(group)
            {
                let seq = group.first().map_or(0, |&(_, seq)| seq);
                return Err(fault(seq, "the id index disagrees with the event"));
            }
            for same_hash in group.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
                let mut ids = Vec::with_capacity(same_hash.len());
                for &(_, seq) in same_hash {
                    let event = self.get(seq)?.ok_or(StoreError::EventDamaged { seq })?;
                    ids.push((event.id, seq));
                }
                ids.sort();
                if let Some(pair) = ids.windows(2).find(|pair| pair[0].0 == pair[1].0) {
                    return Err(fault(
                        pair[1].1,
                        format!("its id is also the id of event {}", pair[0].1),
                    ));
                }
            }
        }
        if let Some(group) = expected.next() {
            return Err(fault(group[0].1, "the id index does not list it"));
        }
        Ok(())
    }
}
