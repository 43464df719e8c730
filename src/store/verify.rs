//! `verify`: reads every event and index entry and checks that they agree.

use std::collections::HashMap;

use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata};

use super::codec::decode_raw;
use super::tables::*;
use super::{EventLog, Result, StoreError, read_u64};

/// What a successful verification checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub events: u64,
    pub streams: u64,
    pub types: u64,
    pub index_entries: u64,
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

impl EventLog {
    /// Checks every event's checksum, that seqs are 1..n with no gap, that
    /// each stream's versions are 1..n with no gap, and that the stream and
    /// type indexes and counts agree with the events. Stops at the first
    /// fault and names its seq.
    pub fn verify(&self, mut progress: impl FnMut(VerifyProgress)) -> Result<VerifyReport> {
        let names = self.names();
        let txn = self.db.begin_read()?;
        let total = read_u64(&txn.open_table(META)?, META_LAST_SEQ)?;
        let events = txn.open_table(EVENTS)?;
        let stream_index = txn.open_table(STREAM_INDEX)?;
        let type_index = txn.open_table(TYPE_INDEX)?;
        let mut versions: HashMap<u32, u64> = HashMap::new();
        let mut type_counts: HashMap<u32, u64> = HashMap::new();
        let mut expected_seq = 1;
        for entry in events.iter()? {
            let (seq, bytes) = entry?;
            let seq = seq.value();
            if seq != expected_seq {
                return Err(fault(expected_seq, format!("missing; next is {seq}")));
            }
            let raw = decode_raw(seq, bytes.value()).map_err(|_| StoreError::EventDamaged { seq })?;
            if raw.stream_id as usize >= names.streams.len() {
                return Err(fault(seq, "names an unknown stream"));
            }
            if raw.type_id as usize >= names.types.len() {
                return Err(fault(seq, "names an unknown type"));
            }
            let version = versions.entry(raw.stream_id).or_insert(0);
            if raw.version != *version + 1 {
                return Err(fault(
                    seq,
                    format!(
                        "{} has version {} after version {}",
                        names.streams[raw.stream_id as usize], raw.version, version
                    ),
                ));
            }
            *version = raw.version;
            *type_counts.entry(raw.type_id).or_insert(0) += 1;
            match stream_index.get((raw.stream_id, raw.version))? {
                Some(indexed) if indexed.value() == seq => {}
                _ => return Err(fault(seq, "the stream index does not point at it")),
            }
            if type_index.get((raw.type_id, seq))?.is_none() {
                return Err(fault(seq, "missing from the type index"));
            }
            if seq % 4096 == 0 {
                progress(VerifyProgress { done: seq, total });
            }
            expected_seq += 1;
        }
        let count = expected_seq - 1;
        if count != total {
            return Err(fault(
                count + 1,
                format!("missing; the log says it holds {total} events"),
            ));
        }
        let index_entries = stream_index.len()? + type_index.len()?;
        if stream_index.len()? != count || type_index.len()? != count {
            return Err(StoreError::Invalid(format!(
                "verify failed: the indexes hold {index_entries} entries for {count} events"
            )));
        }
        for entry in txn.open_table(STREAMS)?.iter()? {
            let (name, value) = entry?;
            let (id, version) = value.value();
            if versions.get(&id).copied().unwrap_or(0) != version {
                return Err(StoreError::Invalid(format!(
                    "verify failed: {} is recorded at version {version} but its events end at {}",
                    name.value(),
                    versions.get(&id).copied().unwrap_or(0)
                )));
            }
        }
        for entry in txn.open_table(TYPES)?.iter()? {
            let (name, value) = entry?;
            let (id, recorded) = value.value();
            let counted = type_counts.get(&id).copied().unwrap_or(0);
            if counted != recorded {
                return Err(StoreError::Invalid(format!(
                    "verify failed: {} is counted {recorded} times but occurs {counted} times",
                    name.value()
                )));
            }
        }
        progress(VerifyProgress { done: count, total });
        Ok(VerifyReport {
            events: count,
            streams: versions.len() as u64,
            types: type_counts.len() as u64,
            index_entries,
        })
    }
}
