//! Appending: a batch of events in one write transaction, all or nothing.

use std::sync::Arc;

use redb::{ReadableTable, ReadableTableMetadata, Table, WriteTransaction};
use rustc_hash::FxHashMap as HashMap;

use super::blocks::{self, BLOCK_EVENTS, TYPE_CHUNK};
use super::codec::{self, EventParts};
use super::names::Names;
use super::tables::*;
use super::{EventLog, Result, StoreError, read_i64, read_u64};
use crate::event::{Event, NewEvent, Timestamp};

/// What an append wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppendSummary {
    /// The seq of the first event written; `last_seq + 1` when none.
    pub first_seq: u64,
    /// The log's last seq after the append.
    pub last_seq: u64,
}

impl AppendSummary {
    pub fn count(&self) -> u64 {
        self.last_seq + 1 - self.first_seq
    }
}

/// Where one appended event went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Appended {
    pub seq: u64,
    pub version: u64,
}

struct StreamState {
    id: u32,
    version: u64,
    /// The stream's seqs: those stored before the batch, then its own.
    seqs: Vec<u8>,
    touched: bool,
}

struct TypeState {
    id: u32,
    count: u64,
    new: bool,
    added: Vec<u64>,
}

/// Appends events inside one write transaction; see [`EventLog::append_with`].
pub struct Appender<'txn> {
    events: Table<'txn, u64, &'static [u8]>,
    streams_table: Table<'txn, &'static str, (u32, &'static [u8])>,
    /// The streams this batch has touched or looked up, by name: an index
    /// into `stream_states` (one hash lookup per event).
    streams: HashMap<Arc<str>, usize>,
    stream_states: Vec<(Arc<str>, StreamState)>,
    /// Whether the log had no streams when the batch began: then every
    /// stream not yet seen in the batch is new, and needs no lookup.
    fresh: bool,
    types: HashMap<Arc<str>, usize>,
    type_states: Vec<(Arc<str>, TypeState)>,
    names: Names,
    last_seq: u64,
    /// The tail block being filled, and its number.
    block: Vec<u8>,
    block_no: u64,
    record: Vec<u8>,
    first_time: Option<i64>,
    last_time: Option<i64>,
}

impl Appender<'_> {
    /// Appends one event. A version conflict fails the whole batch.
    pub fn push(&mut self, event: &NewEvent) -> Result<Appended> {
        let seq = self.last_seq + 1;
        // Check the expectation before a new stream is given an id, so a
        // refused event reserves nothing.
        let version = self.stream_version(&event.stream)? + 1;
        if let Some(expected) = event.expected_version
            && expected != version
        {
            return Err(StoreError::Conflict {
                stream: event.stream.clone(),
                expected,
                actual: version,
            });
        }
        let state = self.stream(&event.stream)?;
        state.version = version;
        state.touched = true;
        blocks::push_seq(&mut state.seqs, seq);
        let stream_id = state.id;
        let type_state = self.event_type(&event.event_type);
        type_state.count += 1;
        type_state.added.push(seq);
        let type_id = type_state.id;
        codec::encode(
            &EventParts {
                seq,
                stream_id,
                stream: &event.stream,
                version,
                type_id,
                time: event.time,
                id: event.id.as_deref(),
                data: event.data.as_str(),
                metadata: event.metadata.as_ref().map(|m| m.as_str()),
            },
            &mut self.record,
        );
        if blocks::block_of(seq) != self.block_no {
            self.flush_block()?;
            self.block_no = blocks::block_of(seq);
        }
        blocks::push_record(&mut self.block, &self.record);

        self.last_seq = seq;
        // The log's time span covers the events that have a time.
        if let Some(time) = event.time {
            let nanos = time.unix_nanos();
            self.first_time = Some(self.first_time.map_or(nanos, |t| t.min(nanos)));
            self.last_time = Some(self.last_time.map_or(nanos, |t| t.max(nanos)));
        }
        Ok(Appended { seq, version })
    }

    /// The current version of `stream` as this batch sees it.
    pub fn stream_version(&mut self, stream: &str) -> Result<u64> {
        if let Some(&index) = self.streams.get(stream) {
            return Ok(self.stream_states[index].1.version);
        }
        if self.fresh {
            return Ok(0);
        }
        Ok(self
            .streams_table
            .get(stream)?
            .map_or(0, |stored| (stored.value().1.len() / 8) as u64))
    }

    fn flush_block(&mut self) -> Result<()> {
        if !self.block.is_empty() {
            self.events.insert(self.block_no, self.block.as_slice())?;
            self.block.clear();
        }
        Ok(())
    }

    fn stream(&mut self, name: &str) -> Result<&mut StreamState> {
        if let Some(&index) = self.streams.get(name) {
            return Ok(&mut self.stream_states[index].1);
        }
        let stored = if self.fresh {
            None
        } else {
            self.streams_table.get(name)?
        };
        let (id, seqs) = match stored {
            Some(stored) => {
                let (id, seqs) = stored.value();
                (id, seqs.to_vec())
            }
            None => {
                let id = u32::try_from(self.names.streams.len())
                    .map_err(|_| StoreError::Invalid("a log holds at most 2^32 streams".into()))?;
                self.names.streams.push(Arc::from(name));
                (id, Vec::new())
            }
        };
        let key = self
            .names
            .streams
            .get(id as usize)
            .cloned()
            .ok_or_else(|| StoreError::Invalid(format!("stream {name} has no name entry")))?;
        let state = StreamState {
            id,
            version: (seqs.len() / 8) as u64,
            seqs,
            touched: false,
        };
        let index = self.stream_states.len();
        self.streams.insert(key.clone(), index);
        self.stream_states.push((key, state));
        Ok(&mut self.stream_states[index].1)
    }

    fn event_type(&mut self, name: &str) -> &mut TypeState {
        if let Some(&index) = self.types.get(name) {
            return &mut self.type_states[index].1;
        }
        let id = self.names.types.len() as u32;
        let key: Arc<str> = Arc::from(name);
        self.names.types.push(key.clone());
        let index = self.type_states.len();
        self.types.insert(key.clone(), index);
        self.type_states.push((
            key,
            TypeState {
                id,
                count: 0,
                new: true,
                added: Vec::new(),
            },
        ));
        &mut self.type_states[index].1
    }
}

impl EventLog {
    /// Appends events in one transaction. Either all are written or, on the
    /// first conflict or failure, none.
    pub fn append(&self, events: impl IntoIterator<Item = NewEvent>) -> Result<Vec<Event>> {
        let mut written = Vec::new();
        self.append_with(|appender| {
            for event in events {
                let Appended { seq, version } = appender.push(&event)?;
                written.push(Event::stored(event, seq, version));
            }
            Ok::<_, StoreError>(())
        })?;
        Ok(written)
    }

    /// Runs `fill` with an [`Appender`] inside one write transaction and
    /// commits if it returns `Ok`. If it fails, nothing is written.
    pub fn append_with<E: From<StoreError>>(
        &self,
        fill: impl FnOnce(&mut Appender<'_>) -> Result<(), E>,
    ) -> Result<AppendSummary, E> {
        let _one_appender = match self.append_lock.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let txn = self.db.begin_write()?;
        let outcome = self.fill_and_finish(&txn, fill);
        match outcome {
            Ok((summary, names)) => {
                txn.commit().map_err(StoreError::from)?;
                self.set_names(names);
                Ok(summary)
            }
            Err(error) => {
                txn.abort().map_err(StoreError::from)?;
                Err(error)
            }
        }
    }

    fn fill_and_finish<E: From<StoreError>>(
        &self,
        txn: &WriteTransaction,
        fill: impl FnOnce(&mut Appender<'_>) -> Result<(), E>,
    ) -> Result<(AppendSummary, Names), E> {
        let mut meta = txn.open_table(META).map_err(StoreError::from)?;
        let last_seq = read_u64(&meta, META_LAST_SEQ)?;
        let events = txn.open_table(EVENTS).map_err(StoreError::from)?;
        let block_no = blocks::block_of(last_seq + 1);
        let block = match events.get(block_no).map_err(StoreError::from)? {
            Some(stored) => stored.value().to_vec(),
            None => Vec::with_capacity(BLOCK_EVENTS as usize * 256),
        };
        let streams_table = txn.open_table(STREAMS).map_err(StoreError::from)?;
        let type_states = load_types(&txn.open_table(TYPES).map_err(StoreError::from)?)?;
        let types = type_states
            .iter()
            .enumerate()
            .map(|(index, (name, _))| (name.clone(), index))
            .collect();
        let mut appender = Appender {
            events,
            fresh: streams_table.is_empty().map_err(StoreError::from)?,
            streams_table,
            streams: HashMap::default(),
            stream_states: Vec::new(),
            types,
            type_states,
            names: (*self.names()).clone(),
            last_seq,
            block,
            block_no,
            record: Vec::with_capacity(256),
            first_time: read_i64(&meta, META_FIRST_TIME)?,
            last_time: read_i64(&meta, META_LAST_TIME)?,
        };
        fill(&mut appender)?;
        let summary = AppendSummary {
            first_seq: last_seq + 1,
            last_seq: appender.last_seq,
        };
        finish(txn, &mut meta, &mut appender)?;
        Ok((summary, std::mem::take(&mut appender.names)))
    }
}

fn load_types(
    table: &impl ReadableTable<&'static str, (u32, u64)>,
) -> Result<Vec<(Arc<str>, TypeState)>> {
    let mut types = Vec::new();
    for entry in table.iter()? {
        let (name, value) = entry?;
        let (id, count) = value.value();
        types.push((
            Arc::from(name.value()),
            TypeState {
                id,
                count,
                new: false,
                added: Vec::new(),
            },
        ));
    }
    Ok(types)
}

/// Writes the tail block, the indexes, stream versions, new names, type
/// counts and the summary figures.
fn finish(
    txn: &WriteTransaction,
    meta: &mut Table<'_, &'static str, &'static [u8]>,
    appender: &mut Appender<'_>,
) -> Result<()> {
    appender.flush_block()?;

    // In name order, so the B-tree is written front to back, not at random.
    let mut touched: Vec<&(Arc<str>, StreamState)> = appender
        .stream_states
        .iter()
        .filter(|(_, s)| s.touched)
        .collect();
    touched.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, state) in touched {
        let name: &str = name;
        appender
            .streams_table
            .insert(name, (state.id, state.seqs.as_slice()))?;
    }

    let mut list = Vec::new();
    let mut types = txn.open_table(TYPES)?;
    let mut type_names = txn.open_table(TYPE_NAMES)?;
    let mut type_index = txn.open_table(TYPE_INDEX)?;
    for (name, state) in &appender.type_states {
        if state.added.is_empty() {
            continue;
        }
        // The type's seqs fill chunks of TYPE_CHUNK; the batch continues
        // the last chunk the log already had.
        let start = state.count - state.added.len() as u64;
        let chunk = TYPE_CHUNK as u64;
        let mut chunk_no = start / chunk;
        list.clear();
        if !start.is_multiple_of(chunk)
            && let Some(stored) = type_index.get((state.id, chunk_no as u32))?
        {
            list.extend_from_slice(stored.value());
        }
        for (position, &seq) in (start..).zip(&state.added) {
            if position / chunk != chunk_no {
                type_index.insert((state.id, chunk_no as u32), list.as_slice())?;
                list.clear();
                chunk_no = position / chunk;
            }
            blocks::push_seq(&mut list, seq);
        }
        type_index.insert((state.id, chunk_no as u32), list.as_slice())?;
        types.insert(&**name, (state.id, state.count))?;
        if state.new {
            type_names.insert(state.id, &**name)?;
        }
    }

    meta.insert(META_LAST_SEQ, appender.last_seq.to_le_bytes().as_slice())?;
    if let Some(first) = appender.first_time {
        meta.insert(META_FIRST_TIME, first.to_le_bytes().as_slice())?;
    }
    if let Some(last) = appender.last_time {
        meta.insert(META_LAST_TIME, last.to_le_bytes().as_slice())?;
    }
    Ok(())
}

/// The earliest and latest times, for [`super::LogStats`].
pub(super) fn time_span(first: Option<i64>, last: Option<i64>) -> Option<(Timestamp, Timestamp)> {
    Some((
        Timestamp::from_unix_nanos(first?),
        Timestamp::from_unix_nanos(last?),
    ))
}
