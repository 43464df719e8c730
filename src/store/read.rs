//! Reading: by seq range (either direction), by stream, by type, and the
//! log's summary figures.

use std::ops::{ControlFlow, RangeInclusive};
use std::sync::Arc;

use redb::{ReadTransaction, ReadableTable};

use super::append::time_span;
use super::names::{Names, StreamNamer};
use super::scan::Events;
use super::tables::*;
use super::{EventLog, Result, StoreError, read_format, read_i64, read_u64, table_if_any};
use super::{blocks, checked, codec};
use crate::event::{Event, Timestamp};
use crate::event_view::{EventHead, EventView};
use crate::projection::Visitor;

/// Stream names a scan remembers: a quarter of a million (about 11 MiB
/// with their slots), bounded whatever the log's size.
const SCAN_NAMES: usize = 1 << 18;

/// Stream names a read of a few events remembers.
const FEW_NAMES: usize = 64;

/// A forward scan's transaction and names (see `EventLog::begin_scan`).
struct BegunScan {
    txn: ReadTransaction,
    names: Arc<Names>,
    from: u64,
    to: u64,
}

impl BegunScan {
    /// The scan's stream names: no more than the range has events.
    fn namer(&self) -> Result<StreamNamer<'_>> {
        let events = usize::try_from(self.to - self.from + 1).unwrap_or(usize::MAX);
        self.names.namer(&self.txn, events.min(SCAN_NAMES))
    }
}

/// The summary figures of a log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogStats {
    pub events: u64,
    pub streams: u64,
    /// Each event type and its count, most frequent first.
    pub types: Vec<(String, u64)>,
    /// The earliest and latest event time.
    pub time_span: Option<(Timestamp, Timestamp)>,
}

impl EventLog {
    pub(super) fn read_txn(&self) -> Result<ReadTransaction> {
        self.db.begin_read()
    }

    /// One event by seq.
    pub fn get(&self, seq: u64) -> Result<Option<Event>> {
        self.guarded(|| {
            let txn = self.read_txn()?;
            let names = self.names();
            let mut streams = names.namer(&txn, FEW_NAMES)?;
            event_at(
                &txn,
                &txn.open_table(EVENTS)?,
                seq,
                &mut streams,
                &names.types,
            )
        })
    }

    /// Calls `visit` with each event whose seq is in `seqs`, in order, until
    /// it breaks. One read transaction: a consistent view.
    pub fn scan(
        &self,
        seqs: RangeInclusive<u64>,
        visit: impl FnMut(Event) -> ControlFlow<()>,
    ) -> Result<()> {
        self.scan_where(seqs, None, visit)
    }

    /// Like [`EventLog::scan`], for the events of the given types only; the
    /// others are skipped without being decoded.
    pub fn scan_types(
        &self,
        seqs: RangeInclusive<u64>,
        types: &[&str],
        visit: impl FnMut(Event) -> ControlFlow<()>,
    ) -> Result<()> {
        let ids = self.type_ids(types);
        if ids.is_empty() {
            return Ok(());
        }
        self.scan_where(seqs, Some(&ids), visit)
    }

    /// Like [`EventLog::scan`] (or [`EventLog::scan_types`] with `types`),
    /// lending each event as a view of the stored bytes instead of an owned
    /// copy: nothing is allocated per event, and every checksum is checked.
    pub fn scan_views(
        &self,
        seqs: RangeInclusive<u64>,
        types: Option<&[&str]>,
        mut visit: impl FnMut(&EventView<'_>) -> ControlFlow<()>,
    ) -> Result<()> {
        let (from, to) = (*seqs.start(), *seqs.end());
        if from > to {
            return Ok(());
        }
        let ids = match types {
            Some(types) => {
                let ids = self.type_ids(types);
                if ids.is_empty() {
                    return Ok(());
                }
                Some(ids)
            }
            None => None,
        };
        self.guarded(|| self.scan_here(from, to, ids.as_deref(), &mut visit))
    }

    /// [`EventLog::scan_views`] for two visitors at once, each on a thread
    /// of its own (`first` on this one), with the log read and checked once
    /// for both (see [`EventSource::scan_views_beside`]).
    ///
    /// [`EventSource::scan_views_beside`]: crate::projection::EventSource::scan_views_beside
    pub fn scan_views_beside(
        &self,
        seqs: RangeInclusive<u64>,
        types: Option<&[&str]>,
        first: &mut dyn Visitor,
        second: &mut (dyn Visitor + Send),
    ) {
        let (from, to) = (*seqs.start(), *seqs.end());
        let ids = types.map(|types| self.type_ids(types));
        // Each visitor ends on its own thread, whatever happens: with
        // nothing to read, or when reading cannot begin, as when it can.
        let end_both =
            |first: &mut dyn Visitor, second: &mut (dyn Visitor + Send), ended: Result<()>| {
                let second_ended = ended.clone();
                std::thread::scope(|scope| {
                    scope.spawn(|| second.end(second_ended.map_err(anyhow::Error::from)));
                    first.end(ended.map_err(anyhow::Error::from));
                });
            };
        if from > to || ids.as_ref().is_some_and(Vec::is_empty) {
            return end_both(first, second, Ok(()));
        }
        let begun = match self.guarded(|| self.begin_scan(from, to)) {
            Ok(Some(begun)) => begun,
            Ok(None) => return end_both(first, second, Ok(())),
            Err(error) => return end_both(first, second, Err(error)),
        };
        let opened = self.guarded(|| Ok((begun.namer()?, Events::open(&begun.txn)?)));
        let (mut streams, events) = match opened {
            Ok(opened) => opened,
            Err(error) => return end_both(first, second, Err(error)),
        };
        let scan = super::scan::Scan {
            path: &self.path,
            events,
            from,
            to: begun.to,
            types: ids.as_deref(),
            streams: &mut streams,
            type_names: &begun.names.types,
        };
        scan.beside(first, second);
    }

    /// Calls `visit` with the head of each event whose seq is in `seqs` (of
    /// one of `types`, when given), in order, until it breaks; with the
    /// stream's name when `streams`. The heads are read apart from the
    /// events' texts, each block of them checked against its checksum; a
    /// log of an older format, which has none, is read from its events.
    pub fn scan_heads(
        &self,
        seqs: RangeInclusive<u64>,
        types: Option<&[&str]>,
        streams: bool,
        mut visit: impl FnMut(&EventHead<'_>) -> ControlFlow<()>,
    ) -> Result<()> {
        let (from, to) = (*seqs.start(), *seqs.end());
        let ids = types.map(|types| self.type_ids(types));
        if from > to || ids.as_ref().is_some_and(Vec::is_empty) {
            return Ok(());
        }
        self.guarded(|| {
            let Some(begun) = self.begin_scan(from, to)? else {
                return Ok(());
            };
            if read_format(&begun.txn.open_table(META)?)? <= FORMAT_WITHOUT_HEADS {
                // In the same transaction, from the events.
                return self.scan_begun(begun, ids.as_deref(), &mut |view| {
                    visit(&view.head(streams))
                });
            }
            let mut namer = if streams { Some(begun.namer()?) } else { None };
            let scan = super::scan::HeadScan {
                heads: begun.txn.open_table(HEADS)?,
                from,
                to: begun.to,
                types: ids.as_deref(),
                streams: namer.as_mut(),
                type_names: &begun.names.types,
            };
            scan.run(&mut visit)
        })
    }

    /// The ids of the named types the log knows.
    fn type_ids(&self, types: &[&str]) -> Vec<u32> {
        self.names()
            .types
            .iter()
            .enumerate()
            .filter(|(_, name)| types.contains(&&***name))
            .map(|(id, _)| id as u32)
            .collect()
    }

    fn scan_where(
        &self,
        seqs: RangeInclusive<u64>,
        types: Option<&[u32]>,
        mut visit: impl FnMut(Event) -> ControlFlow<()>,
    ) -> Result<()> {
        let (from, to) = (*seqs.start(), *seqs.end());
        if from > to {
            return Ok(());
        }
        self.guarded(|| self.scan_here(from, to, types, &mut |view| visit(view.to_event())))
    }

    /// Every seq from `from` to `to` (bounded by the log's end) is either
    /// visited, skipped by type, or reported as damaged: a missing block or
    /// record never reads as a shorter log.
    fn scan_here(
        &self,
        from: u64,
        to: u64,
        types: Option<&[u32]>,
        visit: &mut dyn FnMut(&EventView<'_>) -> ControlFlow<()>,
    ) -> Result<()> {
        match self.begin_scan(from, to)? {
            Some(begun) => self.scan_begun(begun, types, visit),
            None => Ok(()),
        }
    }

    /// [`EventLog::scan_here`] from its start.
    fn scan_begun(
        &self,
        begun: BegunScan,
        types: Option<&[u32]>,
        visit: &mut dyn FnMut(&EventView<'_>) -> ControlFlow<()>,
    ) -> Result<()> {
        let mut streams = begun.namer()?;
        super::scan::Scan {
            path: &self.path,
            events: Events::open(&begun.txn)?,
            from: begun.from,
            to: begun.to,
            types,
            streams: &mut streams,
            type_names: &begun.names.types,
        }
        .run(visit)
    }

    /// What a forward scan of `from..=to` starts from: the transaction
    /// first (the names taken after it hold those of every event it sees:
    /// an append publishes them before its commit), the names, and `to`
    /// bounded by the log's end; `None` when no event is left to read.
    fn begin_scan(&self, from: u64, to: u64) -> Result<Option<BegunScan>> {
        let txn = self.read_txn()?;
        let names = self.names();
        let to = to.min(read_u64(&txn.open_table(META)?, META_LAST_SEQ)?);
        Ok((from <= to).then(|| BegunScan {
            txn,
            names,
            from,
            to,
        }))
    }

    /// Up to `limit` events from `from` onwards (or, `backwards`, from
    /// `from` down).
    pub fn read(&self, from: u64, limit: usize, backwards: bool) -> Result<Vec<Event>> {
        self.guarded(|| self.read_here(from, limit, backwards))
    }

    fn read_here(&self, from: u64, limit: usize, backwards: bool) -> Result<Vec<Event>> {
        let mut out = Vec::with_capacity(limit.min(1024));
        if limit == 0 {
            return Ok(out);
        }
        if !backwards {
            self.scan_here(from, u64::MAX, None, &mut |view| {
                out.push(view.to_event());
                if out.len() < limit {
                    ControlFlow::Continue(())
                } else {
                    ControlFlow::Break(())
                }
            })?;
            return Ok(out);
        }
        // The transaction first: the names taken after it hold those
        // of every event it sees (an append publishes them before its
        // commit).
        let txn = self.read_txn()?;
        let names = self.names();
        let mut streams = names.namer(&txn, FEW_NAMES)?;
        let from = from.min(read_u64(&txn.open_table(META)?, META_LAST_SEQ)?);
        if from == 0 {
            return Ok(out);
        }
        let events = txn.open_table(EVENTS)?;
        // The next seq that must be found, going down.
        let mut expected = from;
        for entry in events.range(..=blocks::block_of(from))?.rev() {
            let (block_no, block) = entry?;
            let first = blocks::first_seq_of(block_no.value());
            if blocks::block_of(expected) != block_no.value() {
                return Err(StoreError::EventDamaged { seq: expected });
            }
            let mut records = Vec::with_capacity(blocks::BLOCK_EVENTS as usize);
            for (seq, record) in (first..).zip(blocks::records(block.value())) {
                if seq > expected {
                    break;
                }
                records.push(record.map_err(|_| StoreError::EventDamaged { seq })?);
            }
            if first + (records.len() as u64) <= expected {
                return Err(StoreError::EventDamaged { seq: expected });
            }
            for (offset, record) in records.into_iter().enumerate().rev() {
                let seq = first + offset as u64;
                out.push(decode(seq, record, &mut streams, &names.types)?);
                if out.len() >= limit || seq == 1 {
                    return Ok(out);
                }
                expected = seq - 1;
            }
        }
        if expected >= 1 {
            return Err(StoreError::EventDamaged { seq: expected });
        }
        Ok(out)
    }

    /// The current version of a stream; 0 when it has no events.
    pub fn stream_version(&self, stream: &str) -> Result<u64> {
        self.guarded(|| Ok(stream_seqs(&self.read_txn()?, stream)?.len() as u64))
    }

    /// The events of one stream, in version order.
    pub fn read_stream(&self, stream: &str) -> Result<Vec<Event>> {
        self.guarded(|| {
            let txn = self.read_txn()?;
            let names = self.names();
            // One stream: one name.
            let mut streams = names.namer(&txn, 1)?;
            let events = txn.open_table(EVENTS)?;
            let mut out = Vec::new();
            for seq in stream_seqs(&txn, stream)? {
                let event = event_at(&txn, &events, seq, &mut streams, &names.types)?;
                out.push(event.ok_or(StoreError::EventDamaged { seq })?);
            }
            Ok(out)
        })
    }

    /// The seqs of a stream's events, in order (none for an unknown stream).
    pub fn seqs_of_stream(&self, stream: &str) -> Result<Vec<u64>> {
        self.guarded(|| stream_seqs(&self.read_txn()?, stream))
    }

    /// The seqs of every event of a type, in order, from the type index.
    pub fn seqs_of_type(&self, event_type: &str) -> Result<Vec<u64>> {
        self.guarded(|| {
            let txn = self.read_txn()?;
            let Some(entry) = txn.open_table(TYPES)?.get(event_type)? else {
                return Ok(Vec::new());
            };
            let (type_id, _) = checked::open_type(event_type, entry.value())?;
            let index = txn.open_table(TYPE_INDEX)?;
            let mut out = Vec::new();
            for entry in index.range((type_id, 0)..=(type_id, u32::MAX))? {
                let (key, list) = entry?;
                let (id, chunk) = key.value();
                let key = checked::chunk_key(id, chunk);
                let seqs = checked::open_sealed(&key, list.value(), "a chunk of the type index")?;
                out.extend(blocks::seqs(seqs));
            }
            Ok(out)
        })
    }

    /// Every stream name with its current version, in name order.
    pub fn streams(&self) -> Result<Vec<(String, u64)>> {
        self.guarded(|| {
            let txn = self.read_txn()?;
            let mut out = Vec::new();
            for entry in txn.open_table(STREAMS)?.iter()? {
                let (name, value) = entry?;
                let (_, seqs) = checked::open_stream(name.value(), value.value())?;
                out.push((name.value().to_string(), (seqs.len() / 8) as u64));
            }
            Ok(out)
        })
    }

    /// Event count, stream count, counts by type and the time span.
    pub fn stats(&self) -> Result<LogStats> {
        self.guarded(|| {
            let txn = self.read_txn()?;
            let meta = txn.open_table(META)?;
            let mut types = Vec::new();
            for entry in txn.open_table(TYPES)?.iter()? {
                let (name, value) = entry?;
                let (_, count) = checked::open_type(name.value(), value.value())?;
                types.push((name.value().to_string(), count));
            }
            types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let events = read_u64(&meta, META_LAST_SEQ)?;
            let time_span = time_span(
                read_i64(&meta, META_FIRST_TIME)?,
                read_i64(&meta, META_LAST_TIME)?,
            );
            // Each figure checked, and each against the others: a table
            // that redb's damaged bookkeeping shows empty (or cut short)
            // has no entry left whose checksum could fail. Every event has
            // one type and one stream, and every stream one event at least.
            let typed: u64 = types.iter().map(|(_, count)| count).sum();
            if typed != events {
                return Err(StoreError::IndexDamaged {
                    what: format!("the types count {typed} events, the log holds {events}"),
                });
            }
            let streams = self.stream_count(&txn)?;
            if (streams == 0) != (events == 0) || streams > events {
                return Err(StoreError::IndexDamaged {
                    what: format!("the log names {streams} streams for its {events} events"),
                });
            }
            Ok(LogStats {
                events,
                streams,
                types,
                time_span,
            })
        })
    }

    /// The number of streams: the ids are dense, so one past the last (its
    /// checksum checked); a format 2 log's names are all in memory.
    fn stream_count(&self, txn: &ReadTransaction) -> Result<u64> {
        if let Some(streams) = &self.names().streams {
            return Ok(streams.len() as u64);
        }
        // None: begun before this process made a format 2 log format 3.
        let Some(table) = table_if_any(txn, STREAM_NAMES)? else {
            return count_entries(&txn.open_table(STREAMS)?);
        };
        let last = table.last()?.map(|(id, value)| {
            let id = id.value();
            checked::open_stream_name(id, value.value()).map(|_| u64::from(id) + 1)
        });
        Ok(last.transpose()?.unwrap_or(0))
    }

    /// The number of events of each type is also kept; this is the number
    /// of distinct types.
    pub fn type_count(&self) -> Result<u64> {
        self.guarded(|| {
            let txn = self.read_txn()?;
            count_entries(&txn.open_table(TYPES)?)
        })
    }
}

/// The entries of a table, counted one by one: redb's own count is kept
/// in its pages unchecked, and a damaged one must not show as a figure.
fn count_entries<K: redb::Key + 'static, V: redb::Value + 'static>(
    table: &impl ReadableTable<K, V>,
) -> Result<u64> {
    let mut count = 0;
    for entry in table.iter()? {
        entry?;
        count += 1;
    }
    Ok(count)
}

fn stream_seqs(txn: &ReadTransaction, stream: &str) -> Result<Vec<u64>> {
    let streams = txn.open_table(STREAMS)?;
    let Some(entry) = streams.get(stream)? else {
        return Ok(Vec::new());
    };
    let (_, seqs) = checked::open_stream(stream, entry.value())?;
    Ok(blocks::seqs(seqs).collect())
}

/// The event at `seq`, found in its block; `None` past the end of the log.
/// A seq the log holds but cannot find is damage, not absence.
fn event_at(
    txn: &ReadTransaction,
    events: &impl ReadableTable<u64, &'static [u8]>,
    seq: u64,
    streams: &mut StreamNamer<'_>,
    types: &[Arc<str>],
) -> Result<Option<Event>> {
    if seq == 0 || seq > read_u64(&txn.open_table(META)?, META_LAST_SEQ)? {
        return Ok(None);
    }
    let damaged = StoreError::EventDamaged { seq };
    let block = events.get(blocks::block_of(seq))?.ok_or(damaged)?;
    let offset = (seq - blocks::first_seq_of(blocks::block_of(seq))) as usize;
    // Every record before it must be readable too, to be found.
    let mut records = blocks::records(block.value());
    for _ in 0..offset {
        records
            .next()
            .and_then(|r| r.ok())
            .ok_or(StoreError::EventDamaged { seq })?;
    }
    let record = records
        .next()
        .and_then(|r| r.ok())
        .ok_or(StoreError::EventDamaged { seq })?;
    decode(seq, record, streams, types).map(Some)
}

fn decode(
    seq: u64,
    bytes: &[u8],
    streams: &mut StreamNamer<'_>,
    types: &[Arc<str>],
) -> Result<Event> {
    let damaged = || StoreError::EventDamaged { seq };
    let raw = codec::decode_raw(seq, bytes).map_err(|_| damaged())?;
    let stream = streams.name(raw.stream_id)?.ok_or_else(damaged)?;
    codec::resolve(seq, raw, stream, types)
        .map(|view| view.to_event())
        .map_err(|_| damaged())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;
    use crate::event::{Json, NewEvent};

    /// A follower appends while the explorer reads, in one process: every
    /// event a reader's transaction holds has its names, so none reads as
    /// damaged, however the two interleave.
    #[test]
    fn a_reader_beside_an_appender_of_new_streams_never_sees_false_damage() {
        let dir = tempfile::tempdir().unwrap();
        let log = Arc::new(EventLog::create(dir.path().join("log.redb")).unwrap());
        let writing = Arc::new(AtomicBool::new(true));
        let writer = {
            let (log, writing) = (log.clone(), writing.clone());
            std::thread::spawn(move || {
                for n in 0..400 {
                    let event = NewEvent::new(
                        format!("stream-{n}"),
                        format!("Type{n}"),
                        crate::event::Timestamp::from_unix_millis(n),
                        Json::parse_text("{}").unwrap(),
                    );
                    log.append([event]).unwrap();
                }
                writing.store(false, Ordering::Relaxed);
            })
        };
        let mut reads = 0u64;
        while writing.load(Ordering::Relaxed) {
            let last = log.last_seq().unwrap();
            if last > 0 {
                let read = log.read(last, 1, false);
                assert!(read.is_ok(), "at {last}: {read:?}");
                let read = log.read(last, 1, true);
                assert!(read.is_ok(), "at {last}, backwards: {read:?}");
                let got = log.get(last);
                assert!(got.is_ok(), "get {last}: {got:?}");
                reads += 1;
            }
        }
        writer.join().unwrap();
        assert!(reads > 0);
    }
}
