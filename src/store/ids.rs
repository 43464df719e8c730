//! The id index: event id -> seq, so that an id names one event of a log.

use redb::{ReadableTable, Table};

use super::{Result, blocks, checked};
use crate::event::{Event, NewEvent};

/// The seqs filed under `id`'s key: the event with that id, if the log
/// has one, among any whose ids share its hash.
pub fn seqs_with_key(table: &impl ReadableTable<u64, &'static [u8]>, id: &str) -> Result<Vec<u64>> {
    Ok(match table.get(checked::id_key(id))? {
        None => Vec::new(),
        Some(list) => blocks::seqs(list.value()).collect(),
    })
}

/// Files `seq` under `id`'s key, after the `held` seqs already there.
pub fn add(
    table: &mut Table<'_, u64, &'static [u8]>,
    id: &str,
    held: &[u64],
    seq: u64,
) -> Result<()> {
    let key = checked::id_key(id);
    if held.is_empty() {
        table.insert(key, seq.to_le_bytes().as_slice())?;
    } else {
        let mut list = Vec::with_capacity(8 * (held.len() + 1));
        for &held in held {
            blocks::push_seq(&mut list, held);
        }
        blocks::push_seq(&mut list, seq);
        table.insert(key, list.as_slice())?;
    }
    Ok(())
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
