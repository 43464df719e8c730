//! Appending: a batch of events in one write transaction, all or nothing.

use std::collections::HashMap;
use std::sync::Arc;

use redb::{ReadableTable, Table};

use super::codec::{self, EventParts};
use super::names::Names;
use super::tables::*;
use super::{EventLog, Result, StoreError, read_i64, read_u64};
use crate::event::{Event, NewEvent, Timestamp, derived_id};

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

#[derive(Clone, Copy)]
struct StreamState {
    id: u32,
    version: u64,
    new: bool,
}

#[derive(Clone, Copy)]
struct TypeState {
    id: u32,
    count: u64,
    new: bool,
}

/// Appends events inside one write transaction; see [`EventLog::append_with`].
pub struct Appender<'txn> {
    events: Table<'txn, u64, &'static [u8]>,
    stream_index: Table<'txn, (u32, u64), u64>,
    type_index: Table<'txn, (u32, u64), ()>,
    streams_table: Table<'txn, &'static str, (u32, u64)>,
    streams: HashMap<Arc<str>, StreamState>,
    types: HashMap<Arc<str>, TypeState>,
    names: Names,
    last_seq: u64,
    first_time: Option<i64>,
    last_time: Option<i64>,
    buffer: Vec<u8>,
}

impl Appender<'_> {
    /// Appends one event and returns it as stored. A version conflict
    /// fails the whole batch.
    pub fn push(&mut self, event: NewEvent) -> Result<Event> {
        let (stream, stream_state) = self.stream(&event.stream)?;
        let version = stream_state.version + 1;
        if let Some(expected) = event.expected_version
            && expected != version
        {
            return Err(StoreError::Conflict {
                stream: event.stream,
                expected,
                actual: version,
            });
        }
        let (event_type, type_state) = self.event_type(&event.event_type);
        let seq = self.last_seq + 1;
        codec::encode(
            &EventParts {
                seq,
                stream_id: stream_state.id,
                stream: &stream,
                version,
                type_id: type_state.id,
                time: event.time,
                id: event.id.as_deref(),
                data: event.data.as_str(),
                metadata: event.metadata.as_ref().map(|m| m.as_str()),
            },
            &mut self.buffer,
        );
        self.events.insert(seq, self.buffer.as_slice())?;
        self.stream_index.insert((stream_state.id, version), seq)?;
        self.type_index.insert((type_state.id, seq), ())?;

        self.last_seq = seq;
        let nanos = event.time.unix_nanos();
        self.first_time = Some(self.first_time.map_or(nanos, |t| t.min(nanos)));
        self.last_time = Some(self.last_time.map_or(nanos, |t| t.max(nanos)));
        if let Some(state) = self.streams.get_mut(&stream) {
            state.version = version;
        }
        if let Some(state) = self.types.get_mut(&event_type) {
            state.count += 1;
        }
        Ok(Event {
            seq,
            id: event.id.unwrap_or_else(|| derived_id(&stream, version)),
            stream,
            version,
            event_type,
            time: event.time,
            data: event.data,
            metadata: event.metadata,
        })
    }

    /// The current version of `stream` as this batch sees it.
    pub fn stream_version(&mut self, stream: &str) -> Result<u64> {
        Ok(self.stream(stream)?.1.version)
    }

    fn stream(&mut self, name: &str) -> Result<(Arc<str>, StreamState)> {
        if let Some((key, state)) = self.streams.get_key_value(name) {
            return Ok((key.clone(), *state));
        }
        let state = match self.streams_table.get(name)? {
            Some(stored) => {
                let (id, version) = stored.value();
                StreamState {
                    id,
                    version,
                    new: false,
                }
            }
            None => {
                let id = u32::try_from(self.names.streams.len()).map_err(|_| {
                    StoreError::Invalid("the log cannot hold more than 2^32 streams".into())
                })?;
                let name: Arc<str> = Arc::from(name);
                self.names.streams.push(name);
                StreamState {
                    id,
                    version: 0,
                    new: true,
                }
            }
        };
        let key = self.names.streams[state.id as usize].clone();
        self.streams.insert(key.clone(), state);
        Ok((key, state))
    }

    fn event_type(&mut self, name: &str) -> (Arc<str>, TypeState) {
        if let Some((key, state)) = self.types.get_key_value(name) {
            return (key.clone(), *state);
        }
        let id = self.names.types.len() as u32;
        let key: Arc<str> = Arc::from(name);
        self.names.types.push(key.clone());
        let state = TypeState {
            id,
            count: 0,
            new: true,
        };
        self.types.insert(key.clone(), state);
        (key, state)
    }
}

impl EventLog {
    /// Appends events in one transaction. Either all are written or, on the
    /// first conflict or failure, none.
    pub fn append(&self, events: impl IntoIterator<Item = NewEvent>) -> Result<Vec<Event>> {
        let mut written = Vec::new();
        self.append_with(|appender| {
            for event in events {
                written.push(appender.push(event)?);
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
        let txn = self.db.begin_write().map_err(StoreError::from)?;
        let (summary, names) = {
            let mut meta = txn.open_table(META).map_err(StoreError::from)?;
            let last_seq = read_u64(&meta, META_LAST_SEQ)?;
            let mut appender = Appender {
                events: txn.open_table(EVENTS).map_err(StoreError::from)?,
                stream_index: txn.open_table(STREAM_INDEX).map_err(StoreError::from)?,
                type_index: txn.open_table(TYPE_INDEX).map_err(StoreError::from)?,
                streams_table: txn.open_table(STREAMS).map_err(StoreError::from)?,
                streams: HashMap::new(),
                types: load_types(&txn.open_table(TYPES).map_err(StoreError::from)?)?,
                names: (*self.names()).clone(),
                last_seq,
                first_time: read_i64(&meta, META_FIRST_TIME)?,
                last_time: read_i64(&meta, META_LAST_TIME)?,
                buffer: Vec::with_capacity(256),
            };
            if let Err(error) = fill(&mut appender) {
                drop(appender);
                drop(meta);
                txn.abort().map_err(StoreError::from)?;
                return Err(error);
            }
            let summary = AppendSummary {
                first_seq: last_seq + 1,
                last_seq: appender.last_seq,
            };
            finish(&txn, &mut meta, &mut appender)?;
            (summary, std::mem::take(&mut appender.names))
        };
        txn.commit().map_err(StoreError::from)?;
        self.set_names(names);
        Ok(summary)
    }
}

fn load_types(
    table: &impl ReadableTable<&'static str, (u32, u64)>,
) -> Result<HashMap<Arc<str>, TypeState>> {
    let mut types = HashMap::new();
    for entry in table.iter()? {
        let (name, value) = entry?;
        let (id, count) = value.value();
        types.insert(
            Arc::from(name.value()),
            TypeState {
                id,
                count,
                new: false,
            },
        );
    }
    Ok(types)
}

/// Writes the batch's stream versions, new names, type counts and summary.
fn finish(
    txn: &redb::WriteTransaction,
    meta: &mut Table<'_, &'static str, &'static [u8]>,
    appender: &mut Appender<'_>,
) -> Result<()> {
    let mut stream_names = txn.open_table(STREAM_NAMES)?;
    for (name, state) in &appender.streams {
        appender
            .streams_table
            .insert(&**name, (state.id, state.version))?;
        if state.new {
            stream_names.insert(state.id, &**name)?;
        }
    }
    let mut types = txn.open_table(TYPES)?;
    let mut type_names = txn.open_table(TYPE_NAMES)?;
    for (name, state) in &appender.types {
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
