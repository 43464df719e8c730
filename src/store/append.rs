//! Appending: a batch of events in one write transaction, all or nothing.

use std::path::Path;
use std::sync::Arc;

use redb::{ReadableTable, ReadableTableMetadata, Table, WriteTransaction};
use rustc_hash::FxHashMap as HashMap;

use super::blocks::{self, BLOCK_EVENTS, TYPE_CHUNK};
use super::codec::{self, EventParts};
use super::heads::{BlockHeads, Head};
use super::names::Names;
use super::tables::*;
use super::{
    EventLog, Result, StoreError, checked, guard, ids, put_meta, read_format, read_i64, read_u64,
};
use crate::event::{Event, NewEvent, Timestamp};

/// What an append wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppendSummary {
    /// The seq of the first event written; `last_seq + 1` when none.
    pub first_seq: u64,
    /// The log's last seq after the append.
    pub last_seq: u64,
    /// Events not appended because the log already held them (see
    /// [`Appender::push_or_skip`]).
    pub skipped: u64,
}

impl AppendSummary {
    pub fn count(&self) -> u64 {
        self.last_seq + 1 - self.first_seq
    }
}

/// What a filled batch gives the commit.
struct Written {
    summary: AppendSummary,
    /// The names readers take from the commit on.
    names: Names,
    /// Whether the batch made a format 2 log format 3.
    upgraded: bool,
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
    /// The log's file, to name it if redb fails on a damaged page.
    path: &'txn Path,
    events: Table<'txn, u64, &'static [u8]>,
    heads_table: Table<'txn, u64, &'static [u8]>,
    block_sums: Table<'txn, u64, u32>,
    streams_table: Table<'txn, &'static str, (u32, u32, &'static [u8])>,
    stream_names: Table<'txn, u32, (u32, &'static str)>,
    /// The names of the streams this batch begins, from id `first_new_stream`
    /// on (each also written to `stream_names` as it begins).
    new_streams: Vec<Arc<str>>,
    first_new_stream: u32,
    ids: ids::IdIndex<'txn>,
    /// The streams this batch has touched or looked up, by name: an index
    /// into `stream_states` (one hash lookup per event).
    streams: HashMap<Arc<str>, usize>,
    stream_states: Vec<(Arc<str>, StreamState)>,
    /// Whether the log had no streams when the batch began: then every
    /// stream not yet seen in the batch is new, and needs no lookup.
    fresh: bool,
    types: HashMap<Arc<str>, usize>,
    type_states: Vec<(Arc<str>, TypeState)>,
    /// The type names, and a format 2 log's stream names (it becomes
    /// format 3 with this batch).
    names: Names,
    /// The last seq before this batch.
    committed_seq: u64,
    last_seq: u64,
    /// The tail block being filled, its heads (`None` when some event it
    /// already held is damaged: then it has none, which a scan of heads
    /// reports as damage there, and no sum, so that a scan checks each of
    /// its events), and its number.
    block: Vec<u8>,
    heads: Option<BlockHeads>,
    block_no: u64,
    /// Whether the log was of an older format: it is this build's after
    /// the batch.
    upgrade: bool,
    record: Vec<u8>,
    first_time: Option<i64>,
    last_time: Option<i64>,
    skipped: u64,
    /// Where the log's events come from, written with the batch if set
    /// (see `source.rs`).
    pub(super) source: Option<Vec<u8>>,
}

/// A new event's fields, borrowed: what an append reads of a [`NewEvent`],
/// for callers that hold the fields elsewhere (an import's batch buffer).
/// `data` and `metadata` must be compact JSON, as a [`crate::event::Json`]
/// holds it: they are stored as given.
#[derive(Clone, Copy, Debug)]
pub struct NewEventRef<'a> {
    pub stream: &'a str,
    pub event_type: &'a str,
    pub id: Option<&'a str>,
    pub time: Option<Timestamp>,
    pub data: &'a str,
    pub metadata: Option<&'a str>,
    pub expected_version: Option<u64>,
}

impl<'a> From<&'a NewEvent> for NewEventRef<'a> {
    fn from(event: &'a NewEvent) -> Self {
        NewEventRef {
            stream: &event.stream,
            event_type: &event.event_type,
            id: event.id.as_deref(),
            time: event.time,
            data: event.data.as_str(),
            metadata: event.metadata.as_ref().map(|m| m.as_str()),
            expected_version: event.expected_version,
        }
    }
}

impl Appender<'_> {
    /// Appends one event. A version conflict or an id the log already
    /// holds fails the whole batch.
    pub fn push(&mut self, event: &NewEvent) -> Result<Appended> {
        self.push_fields(NewEventRef::from(event))
    }

    /// [`Appender::push`] of borrowed fields.
    pub fn push_fields(&mut self, event: NewEventRef<'_>) -> Result<Appended> {
        let path = self.path;
        guard::contained(path, || self.push_here(&event))
    }

    /// Like [`Appender::push`], but an event whose id the log already
    /// holds is skipped (`None`) if it is the stored event, so a re-import
    /// continues where the log stopped. With the same id but other
    /// contents it is an error. Events with neither an id nor a version
    /// are always appended.
    pub fn push_or_skip(&mut self, event: &NewEvent) -> Result<Option<Appended>> {
        self.push_fields_or_skip(NewEventRef::from(event))
    }

    /// [`Appender::push_or_skip`] of borrowed fields.
    pub fn push_fields_or_skip(&mut self, event: NewEventRef<'_>) -> Result<Option<Appended>> {
        let path = self.path;
        guard::contained(path, || {
            // Without an id, an event given its version is known by the
            // id it was stored under: `<stream>/<version>`.
            let id = match (event.id, event.expected_version) {
                (Some(id), _) => Some(id.to_string()),
                (None, Some(version)) => Some(crate::event::derived_id(event.stream, version)),
                (None, None) => None,
            };
            if let Some(id) = &id
                && let Some(stored) = self.stored_with_id(id)?
            {
                return if ids::same_event(&stored, &event) {
                    self.skipped += 1;
                    Ok(None)
                } else {
                    Err(StoreError::NotTheStoredEvent {
                        id: id.clone(),
                        seq: stored.seq,
                    })
                };
            }
            self.push_here(&event).map(Some)
        })
    }

    fn push_here(&mut self, event: &NewEventRef<'_>) -> Result<Appended> {
        let seq = self.last_seq + 1;
        // One lookup for a stream the batch knows, which is most events'.
        let known = self.streams.get(event.stream).copied();
        // Check the expectation before a new stream is given an id, so a
        // refused event reserves nothing.
        let version = match known {
            Some(index) => self.stream_states[index].1.version,
            None => self.stream_version(event.stream)?,
        } + 1;
        if let Some(expected) = event.expected_version
            && expected != version
        {
            return Err(StoreError::Conflict {
                stream: event.stream.to_string(),
                expected,
                actual: version,
            });
        }
        let key = match event.id {
            Some(id) => checked::id_key(id),
            None => ids::derived_key(event.stream, version),
        };
        for other in self.ids.holders(key)? {
            let stored = self.event_at(other)?;
            let same = match event.id {
                Some(id) => stored.id == id,
                None => stored.id == crate::event::derived_id(event.stream, version),
            };
            if same {
                return Err(StoreError::DuplicateId {
                    id: stored.id,
                    seq: other,
                    earlier_in_batch: other > self.committed_seq,
                });
            }
        }
        self.ids.add(key, seq)?;
        let state = match known {
            Some(index) => &mut self.stream_states[index].1,
            None => self.stream(event.stream)?,
        };
        state.version = version;
        state.touched = true;
        blocks::push_seq(&mut state.seqs, seq);
        let stream_id = state.id;
        let type_state = self.event_type(event.event_type);
        type_state.count += 1;
        type_state.added.push(seq);
        let type_id = type_state.id;
        codec::encode(
            &EventParts {
                seq,
                stream_id,
                stream: event.stream,
                version,
                type_id,
                time: event.time,
                id: event.id,
                data: event.data,
                metadata: event.metadata,
            },
            &mut self.record,
        );
        if blocks::block_of(seq) != self.block_no {
            self.flush_block()?;
            self.block_no = blocks::block_of(seq);
        }
        blocks::push_record(&mut self.block, &self.record);
        if let Some(heads) = &mut self.heads {
            heads.push(&Head {
                stream_id,
                version,
                type_id,
                time: event.time,
            });
        }

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
        match self.streams_table.get(stream)? {
            None => Ok(0),
            Some(stored) => {
                let (_, seqs) = checked::open_stream(stream, stored.value())?;
                Ok((seqs.len() / 8) as u64)
            }
        }
    }

    /// The event, stored or appended earlier in this batch, whose id is
    /// `id`, if any.
    fn stored_with_id(&self, id: &str) -> Result<Option<Event>> {
        for seq in self.ids.holders(checked::id_key(id))? {
            let event = self.event_at(seq)?;
            if event.id == id {
                return Ok(Some(event));
            }
        }
        Ok(None)
    }

    /// An event of the log or of this batch, read back to compare.
    fn event_at(&self, seq: u64) -> Result<Event> {
        let damaged = || StoreError::EventDamaged { seq };
        if seq == 0 || seq > self.last_seq {
            // The id index names a seq that is not in the log.
            return Err(damaged());
        }
        let block_no = blocks::block_of(seq);
        let stored;
        let block = if block_no == self.block_no {
            self.block.as_slice()
        } else {
            stored = self.events.get(block_no)?.ok_or_else(damaged)?;
            stored.value()
        };
        let offset = (seq - blocks::first_seq_of(block_no)) as usize;
        let record = blocks::records(block)
            .nth(offset)
            .and_then(|r| r.ok())
            .ok_or_else(damaged)?;
        let raw = codec::decode_raw(seq, record).map_err(|_| damaged())?;
        let stream = self.stream_name(raw.stream_id)?.ok_or_else(damaged)?;
        codec::resolve(seq, raw, &stream, &self.names.types)
            .map(|view| view.to_event())
            .map_err(|_| damaged())
    }

    /// The name of stream `id`, stored or begun in this batch.
    fn stream_name(&self, id: u32) -> Result<Option<Arc<str>>> {
        if let Some(new) = id.checked_sub(self.first_new_stream) {
            return Ok(self.new_streams.get(new as usize).cloned());
        }
        if let Some(streams) = &self.names.streams {
            return Ok(streams.get(id as usize).cloned());
        }
        match self.stream_names.get(id)? {
            Some(value) => Ok(Some(Arc::from(checked::open_stream_name(
                id,
                value.value(),
            )?))),
            None => Ok(None),
        }
    }

    fn flush_block(&mut self) -> Result<()> {
        if !self.block.is_empty() {
            self.events.insert(self.block_no, self.block.as_slice())?;
            match &mut self.heads {
                Some(heads) => {
                    self.heads_table
                        .insert(self.block_no, heads.sealed(self.block_no))?;
                    heads.clear();
                    self.block_sums
                        .insert(self.block_no, blocks::sum(self.block_no, &self.block))?;
                }
                None => {
                    self.heads_table.remove(self.block_no)?;
                    self.block_sums.remove(self.block_no)?;
                    self.heads = Some(BlockHeads::new());
                }
            }
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
        let (id, seqs, key) = match stored {
            Some(stored) => {
                let (id, seqs) = checked::open_stream(name, stored.value())?;
                (id, seqs.to_vec(), Arc::from(name))
            }
            None => {
                let id = u32::try_from(self.new_streams.len())
                    .ok()
                    .and_then(|new| self.first_new_stream.checked_add(new))
                    .ok_or_else(|| {
                        StoreError::Invalid("a log holds at most 2^32 streams".into())
                    })?;
                let key: Arc<str> = Arc::from(name);
                // Written as the stream begins, while the parser of an
                // import reads on, not in the commit's serial end.
                let sum = checked::stream_name_crc(id, name);
                self.stream_names.insert(id, (sum, name))?;
                self.new_streams.push(key.clone());
                // Room for two seqs: most streams get more than one, and
                // a log of many one-event streams holds this for each of
                // them until the commit.
                (id, Vec::with_capacity(2 * 8), key)
            }
        };
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
        // The filler's own error, kept apart from the store's so that it
        // crosses the panic boundary unchanged.
        let mut failure = None;
        let outcome = self.guarded(|| {
            let _one_appender = match self.append_lock.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            let txn = self.db.begin_write()?;
            match self.fill_and_finish(&txn, fill) {
                Ok(Ok(Written {
                    summary,
                    names,
                    upgraded,
                })) => {
                    // Published before the commit, so that a reader whose
                    // transaction sees the new events (readers open theirs,
                    // then take the names) finds their names; names only
                    // grow, so readers of the old events are undisturbed.
                    let before = self.names();
                    let types = upgraded.then(|| names.types.clone());
                    self.set_names(names);
                    if let Err(error) = txn.commit() {
                        self.put_names(before);
                        return Err(error.into());
                    }
                    // A format 2 log is now format 3: its stream names are
                    // read from the log, and no longer held.
                    if let Some(types) = types {
                        self.set_names(Names {
                            types,
                            streams: None,
                        });
                    }
                    Ok(Some(summary))
                }
                Ok(Err(error)) => {
                    failure = Some(error);
                    txn.abort()?;
                    Ok(None)
                }
                Err(error) => {
                    txn.abort()?;
                    Err(error)
                }
            }
        });
        match (outcome, failure) {
            (Ok(Some(summary)), _) => Ok(summary),
            (_, Some(error)) => Err(error),
            (Err(error), None) => Err(error.into()),
            (Ok(None), None) => Err(StoreError::Invalid("the append stopped".into()).into()),
        }
    }

    /// The store's failures are the outer result, the filler's the inner.
    #[allow(clippy::type_complexity)]
    fn fill_and_finish<E>(
        &self,
        txn: &WriteTransaction,
        fill: impl FnOnce(&mut Appender<'_>) -> Result<(), E>,
    ) -> Result<Result<Written, E>> {
        let mut meta = txn.open_table(META)?;
        let last_seq = read_u64(&meta, META_LAST_SEQ)?;
        let format = read_format(&meta)?;
        let upgrade = format < FORMAT_VERSION;
        let events = txn.open_table(EVENTS)?;
        let mut heads_table = txn.open_table(HEADS)?;
        let mut block_sums = txn.open_table(BLOCK_SUMS)?;
        if format <= FORMAT_WITHOUT_BLOCK_SUMS {
            let heads = (format <= FORMAT_WITHOUT_HEADS).then_some(&mut heads_table);
            write_every_head_and_sum(&events, heads, &mut block_sums)?;
        }
        let block_no = blocks::block_of(last_seq + 1);
        // The tail block's heads are made again from its events, whatever
        // its stored heads say; a tail block that does not hold exactly the
        // events before `last_seq + 1` (missing, short, too long) gets none,
        // nor a sum: each event appended to it would be out of its place.
        let held = last_seq + 1 - blocks::first_seq_of(block_no);
        let (block, heads) = match events.get(block_no)? {
            Some(stored) => (
                stored.value().to_vec(),
                heads_of_block(block_no, stored.value(), Some(held)),
            ),
            None => (
                Vec::with_capacity(BLOCK_EVENTS as usize * 256),
                (held == 0).then(BlockHeads::new),
            ),
        };
        let streams_table = txn.open_table(STREAMS)?;
        // Created here for a format 2 log: it is filled at the commit.
        let stream_names = txn.open_table(STREAM_NAMES)?;
        let names = (*self.names()).clone();
        let first_new_stream = match &names.streams {
            Some(streams) => u32::try_from(streams.len())
                .map_err(|_| StoreError::Invalid("a log holds at most 2^32 streams".into()))?,
            None => match stream_names.last()? {
                Some((id, value)) => {
                    let id = id.value();
                    checked::open_stream_name(id, value.value())?;
                    id.checked_add(1).ok_or_else(|| {
                        StoreError::Invalid("a log holds at most 2^32 streams".into())
                    })?
                }
                None => 0,
            },
        };
        let type_states = load_types(&txn.open_table(TYPES)?)?;
        let types = type_states
            .iter()
            .enumerate()
            .map(|(index, (name, _))| (name.clone(), index))
            .collect();
        let mut appender = Appender {
            path: &self.path,
            events,
            heads_table,
            block_sums,
            fresh: streams_table.is_empty()?,
            streams_table,
            stream_names,
            new_streams: Vec::new(),
            first_new_stream,
            ids: ids::IdIndex::new(txn.open_table(IDS)?)?,
            streams: HashMap::default(),
            stream_states: Vec::new(),
            types,
            type_states,
            names,
            committed_seq: last_seq,
            last_seq,
            block,
            heads,
            block_no,
            upgrade,
            record: Vec::with_capacity(256),
            first_time: read_i64(&meta, META_FIRST_TIME)?,
            last_time: read_i64(&meta, META_LAST_TIME)?,
            skipped: 0,
            source: None,
        };
        if let Err(error) = guard::outside(|| fill(&mut appender)) {
            return Ok(Err(error));
        }
        let summary = AppendSummary {
            first_seq: last_seq + 1,
            last_seq: appender.last_seq,
            skipped: appender.skipped,
        };
        finish(txn, &mut meta, &mut appender)?;
        // What readers are given before the commit: a format 2 log's
        // stream names grow by the batch's (see `append_with`).
        let mut names = std::mem::take(&mut appender.names);
        let upgraded = match &mut names.streams {
            Some(streams) => {
                streams.append(&mut appender.new_streams);
                true
            }
            None => false,
        };
        Ok(Ok(Written {
            summary,
            names,
            upgraded,
        }))
    }
}

fn load_types(
    table: &impl ReadableTable<&'static str, (u32, u32, u64)>,
) -> Result<Vec<(Arc<str>, TypeState)>> {
    let mut types = Vec::new();
    for entry in table.iter()? {
        let (name, value) = entry?;
        let (id, count) = checked::open_type(name.value(), value.value())?;
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

/// Writes the sum of every block of events a log of an older format
/// holds, and its heads too when `heads_table` is given (a log older than
/// format 4), so that it becomes this build's format with the batch. A
/// block with a damaged event gets neither: a scan reports the damage
/// there, checking each of its events, and the log can still be appended
/// to.
fn write_every_head_and_sum(
    events: &impl ReadableTable<u64, &'static [u8]>,
    mut heads_table: Option<&mut Table<'_, u64, &'static [u8]>>,
    block_sums: &mut Table<'_, u64, u32>,
) -> Result<()> {
    for entry in events.iter()? {
        let (block_no, block) = entry?;
        let (block_no, block) = (block_no.value(), block.value());
        if let Some(mut heads) = heads_of_block(block_no, block, None) {
            if let Some(table) = heads_table.as_deref_mut() {
                table.insert(block_no, heads.sealed(block_no))?;
            }
            block_sums.insert(block_no, blocks::sum(block_no, block))?;
        }
    }
    Ok(())
}

/// The heads of a stored block of events, each event checked; `None` when
/// any is damaged, or when `held` is given and the block does not hold
/// exactly that many events.
fn heads_of_block(block_no: u64, block: &[u8], held: Option<u64>) -> Option<BlockHeads> {
    let mut heads = BlockHeads::new();
    let first = blocks::first_seq_of(block_no);
    let mut count = 0;
    for (seq, record) in (first..).zip(blocks::records(block)) {
        let raw = codec::decode_raw(seq, record.ok()?).ok()?;
        heads.push(&Head::of(&raw));
        count += 1;
    }
    held.is_none_or(|held| held == count).then_some(heads)
}

/// A batch touching this many streams makes their rows on a thread of
/// their own; fewer are not worth starting one.
const ROWS_ASIDE_FROM: usize = 16_384;

/// The touched streams' rows with their checksums, in name order, so the
/// B-tree is written front to back, not at random.
fn stream_rows(states: &[(Arc<str>, StreamState)]) -> Vec<(&str, u32, &StreamState)> {
    let mut rows: Vec<(&str, u32, &StreamState)> = states
        .iter()
        .filter(|(_, state)| state.touched)
        .map(|(name, state)| {
            let name: &str = name;
            (
                name,
                checked::stream_crc(name, state.id, &state.seqs),
                state,
            )
        })
        .collect();
    rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
    rows
}

/// Writes the tail block, the indexes, stream versions, new names, type
/// counts and the summary figures.
fn finish(
    txn: &WriteTransaction,
    meta: &mut Table<'_, &'static str, &'static [u8]>,
    appender: &mut Appender<'_>,
) -> Result<()> {
    appender.flush_block()?;
    // A large batch's stream rows are made ready on a second thread while
    // this one merges the last ids into their buckets: at the end of an
    // import nothing else is left for the other core to do.
    let states = &appender.stream_states;
    let ids = &mut appender.ids;
    let (flushed, rows) = if states.len() < ROWS_ASIDE_FROM {
        (ids.flush(), stream_rows(states))
    } else {
        std::thread::scope(|scope| {
            let rows = scope.spawn(|| stream_rows(states));
            let flushed = ids.flush();
            let rows = rows
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (flushed, rows)
        })
    };
    flushed?;
    for (name, sum, state) in rows {
        appender
            .streams_table
            .insert(name, (sum, state.id, state.seqs.as_slice()))?;
    }

    // The batch's new streams have their names (see `stream`); a format 2
    // log gets every name it had.
    if let Some(streams) = &appender.names.streams {
        for (id, name) in (0u32..).zip(streams) {
            let sum = checked::stream_name_crc(id, name);
            appender.stream_names.insert(id, (sum, &**name))?;
        }
    }
    if appender.upgrade {
        put_meta(meta, META_FORMAT, &FORMAT_VERSION.to_le_bytes())?;
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
        // Room for the checksum, sealed in just before each insert.
        list.clear();
        list.extend_from_slice(&[0; checked::SEAL]);
        if !start.is_multiple_of(chunk)
            && let Some(stored) = type_index.get((state.id, chunk_no as u32))?
        {
            let key = checked::chunk_key(state.id, chunk_no as u32);
            let seqs = checked::open_sealed(&key, stored.value(), "a chunk of the type index")?;
            list.extend_from_slice(seqs);
        }
        for (position, &seq) in (start..).zip(&state.added) {
            if position / chunk != chunk_no {
                checked::seal(&checked::chunk_key(state.id, chunk_no as u32), &mut list);
                type_index.insert((state.id, chunk_no as u32), list.as_slice())?;
                list.truncate(checked::SEAL);
                chunk_no = position / chunk;
            }
            blocks::push_seq(&mut list, seq);
        }
        checked::seal(&checked::chunk_key(state.id, chunk_no as u32), &mut list);
        type_index.insert((state.id, chunk_no as u32), list.as_slice())?;
        let sum = checked::type_crc(name, state.id, state.count);
        types.insert(&**name, (sum, state.id, state.count))?;
        if state.new {
            let sum = checked::type_name_crc(state.id, name);
            type_names.insert(state.id, (sum, &**name))?;
        }
    }

    put_meta(meta, META_LAST_SEQ, &appender.last_seq.to_le_bytes())?;
    if let Some(first) = appender.first_time {
        put_meta(meta, META_FIRST_TIME, &first.to_le_bytes())?;
    }
    if let Some(last) = appender.last_time {
        put_meta(meta, META_LAST_TIME, &last.to_le_bytes())?;
    }
    if let Some(source) = &appender.source {
        put_meta(meta, META_SOURCE, source)?;
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
