//! The forward scan of a seq range, on one thread or two.
//!
//! Most of a scan's work is reading blocks (redb's pages, copied out of the
//! file) and checking every record (its text as UTF-8, and its CRC-32 where
//! its block does not match the block's own sum); naming
//! and visiting an event is the smaller part. With a second core, a reading
//! thread does the first for the blocks ahead while the visitor folds the
//! events already checked, which it is handed in batches: the text of
//! each event (copied once, so the visitor borrows it as checked `str`
//! without checking it again) and its fixed fields. The events, their order,
//! what is skipped and where damage is reported are the one-thread scan's.

use std::ops::{ControlFlow, Range};
use std::path::Path;
use std::sync::{Arc, mpsc};

use redb::{ReadOnlyTable, ReadTransaction};

use super::codec::{self, Decoded, RawBytes};
use super::names::StreamNamer;
use super::tables::{BLOCK_SUMS, EVENTS};
use super::{Result, StoreError, blocks, guard, heads, table_if_any};
use crate::event::Timestamp;
use crate::event_view::{EventHead, EventView};
use crate::projection::Visitor;

/// The blocks of events, and their sums where the log has them (format 5).
pub(super) struct Events {
    blocks: ReadOnlyTable<u64, &'static [u8]>,
    sums: Option<ReadOnlyTable<u64, u32>>,
}

impl Events {
    pub(super) fn open(txn: &ReadTransaction) -> Result<Events> {
        Ok(Events {
            blocks: txn.open_table(EVENTS)?,
            // None in a log of format 4 or older: every event is checked
            // alone.
            sums: table_if_any(txn, BLOCK_SUMS)?,
        })
    }
}

/// What a scan reads, and what it names events with.
pub(super) struct Scan<'s, 'n> {
    pub path: &'s Path,
    pub events: Events,
    pub from: u64,
    /// Not past the log's end.
    pub to: u64,
    /// Only events of these type ids are visited (all are checked).
    pub types: Option<&'s [u32]>,
    pub streams: &'s mut StreamNamer<'n>,
    pub type_names: &'s [Arc<str>],
}

/// Blocks a scan must span before a second thread is worth starting.
const BLOCKS_FOR_TWO_THREADS: u64 = 32;

/// Events checked per batch handed to the visitor (sixteen blocks when
/// every event is visited).
const EVENTS_PER_BATCH: usize = 1024;

/// Batches checked ahead of the visitor, at most.
const BATCHES_AHEAD: usize = 4;

impl Scan<'_, '_> {
    /// Visits every seq from `from` to `to` that is of a type asked for;
    /// every other is skipped but checked, and a missing block or record
    /// is damage, never a shorter log.
    ///
    /// The first blocks are read on this thread: a visitor that wants only
    /// a few events (a page of the explorer) starts no other. Past them, a
    /// second core reads ahead.
    pub(super) fn run(
        mut self,
        visit: &mut dyn FnMut(&EventView<'_>) -> ControlFlow<()>,
    ) -> Result<()> {
        let (from, to) = (self.from, self.to);
        let alone_to = blocks::first_seq_of(blocks::block_of(from) + BLOCKS_FOR_TWO_THREADS) - 1;
        if to <= alone_to || !two_cores() {
            return self.on_one_thread(from, to, visit);
        }
        let mut stopped = false;
        self.on_one_thread(from, alone_to, &mut |view| {
            let flow = visit(view);
            stopped = flow.is_break();
            flow
        })?;
        if stopped {
            return Ok(());
        }
        self.on_two_threads(alone_to + 1, to, visit)
    }

    fn on_one_thread(
        &mut self,
        from: u64,
        to: u64,
        visit: &mut dyn FnMut(&EventView<'_>) -> ControlFlow<()>,
    ) -> Result<()> {
        let Scan {
            events,
            types,
            streams,
            type_names,
            ..
        } = self;
        let mut visit_raw = |seq: u64, raw: RawBytes<'_>| {
            let raw = raw
                .checked()
                .map_err(|_| StoreError::EventDamaged { seq })?;
            let stream = streams
                .name(raw.stream_id)?
                .ok_or(StoreError::EventDamaged { seq })?;
            let view = codec::resolve(seq, raw, stream, type_names)
                .map_err(|_| StoreError::EventDamaged { seq })?;
            Ok(guard::outside(|| visit(&view)))
        };
        check_blocks(events, from, to, *types, &mut visit_raw)
    }

    fn on_two_threads(
        &mut self,
        from: u64,
        to: u64,
        visit: &mut dyn FnMut(&EventView<'_>) -> ControlFlow<()>,
    ) -> Result<()> {
        let Scan {
            path,
            events,
            types,
            streams,
            type_names,
            ..
        } = self;
        let (path, events, types) = (*path, &*events, *types);
        let (checked, batches) = mpsc::sync_channel(BATCHES_AHEAD);
        // Spent batches go back to the reader, buffers and all.
        let (spent, reusable) = mpsc::channel::<Batch>();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                let reading = Reading {
                    events,
                    from,
                    to,
                    types,
                    streams: None,
                };
                read_ahead_on_guard(path, reading, &[checked], &reusable);
            });
            visit_batches(batches, &spent, Some(streams), type_names, visit)
        })
    }

    /// [`Scan::run`] for two visitors at once, each on a thread of its
    /// own (`first` on this one), with the log read and checked once for
    /// both on a third, which names their streams too: each is handed the
    /// same events and may stop without stopping the other. The reader
    /// goes on while either visitor takes its batches. Each visitor
    /// is ended on its own thread as soon as it is over.
    ///
    /// Called outside the store's guard: each thread keeps its own, so
    /// that a panic of redb on either is damage there, and a visitor's
    /// panic is passed on to the caller once every thread has ended.
    pub(super) fn beside(self, first: &mut dyn Visitor, second: &mut (dyn Visitor + Send)) {
        let Scan {
            path,
            events,
            from,
            to,
            types,
            streams,
            type_names,
        } = self;
        let events = &events;
        let (to_first, for_first) = mpsc::sync_channel(BATCHES_AHEAD);
        let (to_second, for_second) = mpsc::sync_channel(BATCHES_AHEAD);
        let (spent, reusable) = mpsc::channel::<Batch>();
        let spent_too = spent.clone();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                let streams = Some(streams);
                let reading = Reading {
                    events,
                    from,
                    to,
                    types,
                    streams,
                };
                read_ahead_on_guard(path, reading, &[to_first, to_second], &reusable);
            });
            let beside = scope.spawn(move || {
                visit_beside(path, for_second, &spent_too, type_names, second);
            });
            visit_beside(path, for_first, &spent, type_names, first);
            // The second visitor's own panic, as it was raised.
            if let Err(panic) = beside.join() {
                std::panic::resume_unwind(panic);
            }
        });
    }
}

/// One visitor of [`Scan::beside`], on its thread: the batches are taken
/// within the store's guard, the visitor called outside it.
fn visit_beside(
    path: &Path,
    batches: mpsc::Receiver<Arc<Batch>>,
    spent: &mpsc::Sender<Batch>,
    type_names: &[Arc<str>],
    visitor: &mut dyn Visitor,
) {
    let scanned = guard::contained(path, || {
        visit_batches(batches, spent, None, type_names, &mut |view| {
            visitor.visit(view)
        })
    });
    visitor.end(scanned.map_err(anyhow::Error::from));
}

/// [`read_ahead`] on its own thread: a panic of redb on a damaged page is
/// damage there too, handed to every visitor as the scan's end.
fn read_ahead_on_guard(
    path: &Path,
    reading: Reading<'_, '_, '_>,
    checked: &[mpsc::SyncSender<Arc<Batch>>],
    reusable: &mpsc::Receiver<Batch>,
) {
    let outcome = guard::contained(path, || read_ahead(reading, checked, reusable));
    if let Err(error) = outcome {
        let ended = Arc::new(Batch::ended_by(error));
        for visitor in checked {
            let _ = visitor.send(ended.clone());
        }
    }
}

/// The visitor's side of a scan read ahead: names (unless the reader did,
/// or with `streams`) and visits the events of each batch, in order, until the end, damage, or a break. `batches` is
/// dropped on the way out, which stops the reader handing them over.
fn visit_batches(
    batches: mpsc::Receiver<Arc<Batch>>,
    spent: &mpsc::Sender<Batch>,
    mut streams: Option<&mut StreamNamer<'_>>,
    type_names: &[Arc<str>],
    visit: &mut dyn FnMut(&EventView<'_>) -> ControlFlow<()>,
) -> Result<()> {
    for batch in batches {
        for fields in &batch.events {
            let seq = fields.seq;
            let damaged = || StoreError::EventDamaged { seq };
            let text = |range: &Range<usize>| batch.text.get(range.clone());
            // Named by the reader, or here (`streams`).
            let stream = match (&fields.stream, streams.as_deref_mut()) {
                (Some(name), _) => text(name),
                (None, Some(streams)) => streams.name(fields.stream_id)?,
                (None, None) => None,
            };
            let stream = stream.ok_or_else(damaged)?;
            let optional = |range: &Option<Range<usize>>| match range {
                Some(range) => text(range).map(Some),
                None => Some(None),
            };
            let raw = Decoded {
                stream_id: fields.stream_id,
                version: fields.version,
                type_id: fields.type_id,
                time: fields.time,
                id: optional(&fields.id).ok_or_else(damaged)?,
                data: text(&fields.data).ok_or_else(damaged)?,
                metadata: optional(&fields.metadata).ok_or_else(damaged)?,
            };
            let view = codec::resolve(seq, raw, stream, type_names).map_err(|_| damaged())?;
            if guard::outside(|| visit(&view)).is_break() {
                return Ok(());
            }
        }
        if let Some(error) = &batch.end {
            return Err(error.clone());
        }
        // The last visitor done with a batch gives its buffers back.
        if let Some(batch) = Arc::into_inner(batch) {
            let _ = spent.send(batch);
        }
    }
    Ok(())
}

/// Whether this process may run on two cores or more (asked once: the
/// answer reads the process's limits).
fn two_cores() -> bool {
    static TWO: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TWO.get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2))
}

/// What a scan of heads reads (see `EventLog::scan_heads`).
pub(super) struct HeadScan<'s, 'n> {
    pub heads: ReadOnlyTable<u64, &'static [u8]>,
    pub from: u64,
    /// Not past the log's end.
    pub to: u64,
    /// Only heads of these type ids are visited (all are checked).
    pub types: Option<&'s [u32]>,
    /// Names the streams, when the visitor reads them.
    pub streams: Option<&'s mut StreamNamer<'n>>,
    pub type_names: &'s [Arc<str>],
}

impl HeadScan<'_, '_> {
    /// Visits the head of every seq from `from` to `to` of a type asked
    /// for; a missing or damaged block of heads, or one that holds too
    /// few or too many, is damage, never a shorter log.
    pub(super) fn run(
        mut self,
        visit: &mut dyn FnMut(&EventHead<'_>) -> ControlFlow<()>,
    ) -> Result<()> {
        let (from, to) = (self.from, self.to);
        let damaged = |first: u64, what: &str| StoreError::IndexDamaged {
            what: format!(
                "the heads (stream, version, type, time) of the events from {first} on {what}"
            ),
        };
        let mut expected = blocks::first_seq_of(blocks::block_of(from));
        for entry in self
            .heads
            .range(blocks::block_of(from)..=blocks::block_of(to))?
        {
            let (block_no, stored) = entry?;
            let first = blocks::first_seq_of(block_no.value());
            if first != expected {
                return Err(damaged(expected, "are missing"));
            }
            let heads = heads::open(block_no.value(), stored.value())
                .map_err(|_| damaged(first, "do not match their checksum"))?;
            for (seq, head) in (first..).zip(heads) {
                // Never a head given the seq of the next block's event.
                if seq - first >= blocks::BLOCK_EVENTS {
                    return Err(damaged(first, "are more than the block holds"));
                }
                if seq > to {
                    return Ok(());
                }
                // The times are steps from the one before: a head that
                // cannot be read hides those after it, even below `from`.
                let head = head.map_err(|_| damaged(seq, "are malformed"))?;
                expected = seq + 1;
                if seq < from
                    || self
                        .types
                        .is_some_and(|types| !types.contains(&head.type_id))
                {
                    continue;
                }
                let event_type = self
                    .type_names
                    .get(head.type_id as usize)
                    .ok_or_else(|| damaged(seq, "name an unknown type"))?;
                let stream = match self.streams.as_deref_mut() {
                    Some(streams) => Some(
                        streams
                            .name(head.stream_id)?
                            .ok_or_else(|| damaged(seq, "name an unknown stream"))?,
                    ),
                    None => None,
                };
                let head = EventHead {
                    seq,
                    stream,
                    version: head.version,
                    event_type,
                    time: head.time,
                };
                if guard::outside(|| visit(&head)).is_break() {
                    return Ok(());
                }
            }
        }
        if expected <= to {
            return Err(damaged(expected, "are missing"));
        }
        Ok(())
    }
}

/// Checks every record of the blocks holding `from..=to` and hands those
/// in range and of the types asked for to `visit` (until it breaks).
fn check_blocks(
    events: &Events,
    from: u64,
    to: u64,
    types: Option<&[u32]>,
    visit: &mut dyn FnMut(u64, RawBytes<'_>) -> Result<ControlFlow<()>>,
) -> Result<()> {
    // The next seq that must be found.
    let mut expected = blocks::first_seq_of(blocks::block_of(from));
    let block_range = blocks::block_of(from)..=blocks::block_of(to);
    let mut sums = match &events.sums {
        Some(sums) => Some(sums.range(block_range.clone())?.peekable()),
        None => None,
    };
    for entry in events.blocks.range(block_range)? {
        let (block_no, block) = entry?;
        let (block_no, block) = (block_no.value(), block.value());
        let first = blocks::first_seq_of(block_no);
        if first != expected {
            return Err(StoreError::EventDamaged {
                seq: expected.max(from),
            });
        }
        // The block's sum, if it has one: a block that matches it holds
        // what was checked when it was written, and its events' own
        // checksums need not be computed again. Any other is checked
        // event by event, and its damage found and reported there.
        let mut summed = false;
        while let Some(sum) = sums.as_mut().and_then(|sums| {
            sums.next_if(|sum| !sum.as_ref().is_ok_and(|(key, _)| key.value() > block_no))
        }) {
            match sum {
                Ok((key, sum)) => {
                    summed = key.value() == block_no && sum.value() == blocks::sum(block_no, block);
                }
                // Sums that cannot be read vouch for nothing: the rest of
                // the scan checks every event.
                Err(_) => sums = None,
            }
        }
        for (seq, record) in (first..).zip(blocks::records(block)) {
            if seq > to {
                return Ok(());
            }
            // A bad length hides every record after it: report it even
            // below `from`.
            let record = record.map_err(|_| StoreError::EventDamaged { seq })?;
            expected = seq + 1;
            if seq < from {
                continue;
            }
            // Skipped events are still checked, their text too: damage is
            // reported, never mistaken for another type.
            let damaged = |_| StoreError::EventDamaged { seq };
            let raw = match summed {
                true => codec::decode_summed(record),
                false => codec::decode_raw_bytes(seq, record),
            };
            let raw = raw.map_err(damaged)?;
            if types.is_some_and(|types| !types.contains(&raw.type_id)) {
                raw.checked().map_err(damaged)?;
                continue;
            }
            if visit(seq, raw)?.is_break() {
                return Ok(());
            }
        }
    }
    if expected <= to {
        return Err(StoreError::EventDamaged {
            seq: expected.max(from),
        });
    }
    Ok(())
}

/// An event checked by the reader: its fixed fields, and where its text
/// lies in its batch's. The text of a batch is checked as UTF-8 in one
/// pass: the whole is valid and each piece begins and ends on a character
/// boundary (which the visitor's `str::get` checks) exactly when every
/// piece is valid.
struct Fields {
    seq: u64,
    stream_id: u32,
    /// The stream's name, when the reader named it.
    stream: Option<Range<usize>>,
    type_id: u32,
    version: u64,
    time: Option<Timestamp>,
    id: Option<Range<usize>>,
    data: Range<usize>,
    metadata: Option<Range<usize>>,
}

/// Checked events, in seq order, and what ended the scan after them.
#[derive(Default)]
struct Batch {
    text: String,
    events: Vec<Fields>,
    end: Option<StoreError>,
}

/// A batch being filled: its text not yet checked.
#[derive(Default)]
struct Filling {
    bytes: Vec<u8>,
    events: Vec<Fields>,
}

impl Batch {
    fn ended_by(error: StoreError) -> Batch {
        Batch {
            end: Some(error),
            ..Batch::default()
        }
    }
}

impl Filling {
    /// Empty, with the buffers of a spent batch.
    fn from_spent(batch: Batch) -> Filling {
        let mut bytes = batch.text.into_bytes();
        let mut events = batch.events;
        bytes.clear();
        events.clear();
        Filling { bytes, events }
    }

    /// Keeps an event, and its stream's name when the reader names it.
    fn push(&mut self, seq: u64, raw: RawBytes<'_>, stream: Option<&str>) {
        let mut keep = |text: &[u8]| {
            let start = self.bytes.len();
            self.bytes.extend_from_slice(text);
            start..self.bytes.len()
        };
        let stream = stream.map(|name| keep(name.as_bytes()));
        let id = raw.id.map(&mut keep);
        let data = keep(raw.data);
        let metadata = raw.metadata.map(&mut keep);
        self.events.push(Fields {
            seq,
            stream_id: raw.stream_id,
            stream,
            type_id: raw.type_id,
            version: raw.version,
            time: raw.time,
            id,
            data,
            metadata,
        });
    }

    /// The batch, its text checked; an event whose text is not UTF-8 ends
    /// it, after the events before it.
    fn checked(self) -> Batch {
        let Filling { bytes, mut events } = self;
        let bytes = match String::from_utf8(bytes) {
            Ok(text) => {
                return Batch {
                    text,
                    events,
                    end: None,
                };
            }
            Err(error) => error.into_bytes(),
        };
        let valid = |range: &Range<usize>| {
            bytes
                .get(range.clone())
                .is_some_and(|text| std::str::from_utf8(text).is_ok())
        };
        let first_bad = events
            .iter()
            .position(|fields| {
                !(valid(&fields.data)
                    && fields.stream.as_ref().is_none_or(valid)
                    && fields.id.as_ref().is_none_or(valid)
                    && fields.metadata.as_ref().is_none_or(valid))
            })
            .unwrap_or(0);
        let seq = events.get(first_bad).map_or(0, |fields| fields.seq);
        let end = events.get(first_bad).map_or(0, |fields| {
            let first = fields.stream.as_ref().or(fields.id.as_ref());
            first.unwrap_or(&fields.data).start
        });
        events.truncate(first_bad);
        let text = bytes
            .get(..end)
            .and_then(|valid| String::from_utf8(valid.to_vec()).ok())
            .unwrap_or_default();
        if text.len() != end {
            events.clear();
        }
        Batch {
            text,
            events,
            end: Some(StoreError::EventDamaged { seq }),
        }
    }
}

/// What the reading thread reads: the blocks holding `from..=to`, the
/// events of `types` handed over (all checked).
struct Reading<'r, 's, 'n> {
    events: &'r Events,
    from: u64,
    to: u64,
    types: Option<&'r [u32]>,
    /// When given, the reader names each event's stream too, so that
    /// visitors beside each other do not each read the names.
    streams: Option<&'s mut StreamNamer<'n>>,
}

/// The reader's side: checks the blocks and hands them over a batch at a
/// time to every visitor, until the end, damage, or no visitor takes them
/// any more.
fn read_ahead(
    reading: Reading<'_, '_, '_>,
    checked: &[mpsc::SyncSender<Arc<Batch>>],
    reusable: &mpsc::Receiver<Batch>,
) -> Result<()> {
    let Reading {
        events,
        from,
        to,
        types,
        mut streams,
    } = reading;
    let fresh = || Filling::from_spent(reusable.try_recv().unwrap_or_default());
    let mut filling = fresh();
    let mut taken = vec![true; checked.len()];
    // Whether any visitor still takes batches, once `batch` is handed over.
    let mut hand_over = |batch: Batch| {
        let batch = Arc::new(batch);
        for (visitor, taking) in checked.iter().zip(&mut taken) {
            *taking = *taking && visitor.send(batch.clone()).is_ok();
        }
        taken.contains(&true)
    };
    let mut gone = false;
    let outcome = check_blocks(events, from, to, types, &mut |seq, raw| {
        let stream = match streams.as_deref_mut() {
            Some(streams) => Some(
                streams
                    .name(raw.stream_id)?
                    .ok_or(StoreError::EventDamaged { seq })?,
            ),
            None => None,
        };
        filling.push(seq, raw, stream);
        if filling.events.len() >= EVENTS_PER_BATCH {
            let full = std::mem::replace(&mut filling, fresh()).checked();
            let damaged = full.end.is_some();
            if !hand_over(full) || damaged {
                gone = true;
                return Ok(ControlFlow::Break(()));
            }
        }
        Ok(ControlFlow::Continue(()))
    });
    if gone {
        return Ok(());
    }
    let mut last = filling.checked();
    // Damage in the text comes before damage met after it.
    if last.end.is_none() {
        last.end = outcome.err();
    }
    hand_over(last);
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use redb::{ReadableDatabase, ReadableTable};

    use super::super::tables::{FORMAT_VERSION, FORMAT_WITHOUT_BLOCK_SUMS};
    use super::super::{EventLog, format_of, make_format};
    use super::*;
    use crate::event::{Json, NewEvent};

    /// 3,000 events (47 blocks) of 50 streams and 3 types, some with ids
    /// and metadata.
    fn a_log(path: &Path) -> EventLog {
        let log = EventLog::create(path).unwrap();
        log.append((0..3000u64).map(|n| {
            let mut event = NewEvent::new(
                format!("s-{}", n * 7 % 50),
                format!("T{}", n % 3),
                Timestamp::from_unix_millis(n as i64),
                Json::parse_text(&format!(r#"{{"n":{n},"text":"é{n}"}}"#)).unwrap(),
            );
            if n % 5 == 0 {
                event.id = Some(format!("id-{n}"));
            }
            if n % 4 == 0 {
                event.metadata = Some(Json::parse_text(r#"{"by":"test"}"#).unwrap());
            }
            event
        }))
        .unwrap();
        log
    }

    /// What a scan visits, each event whole, and how it ends.
    type Seen = (Vec<crate::event::Event>, std::result::Result<(), String>);

    fn scan_with(
        log: &EventLog,
        two: bool,
        from: u64,
        to: u64,
        types: Option<&[u32]>,
        stop_after: usize,
    ) -> Seen {
        let txn = log.read_txn().unwrap();
        let names = log.names();
        let mut streams = names.namer(&txn, 8).unwrap();
        let scan = Scan {
            path: log.path(),
            events: Events::open(&txn).unwrap(),
            from,
            to: to.min(log.last_seq().unwrap()),
            types,
            streams: &mut streams,
            type_names: &names.types,
        };
        let mut seen = Vec::new();
        let mut visit = |view: &EventView<'_>| {
            seen.push(view.to_event());
            if seen.len() >= stop_after {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let (from, to) = (scan.from, scan.to);
        let mut scan = scan;
        let outcome = if two {
            scan.on_two_threads(from, to, &mut visit)
        } else {
            scan.on_one_thread(from, to, &mut visit)
        };
        (seen, outcome.map_err(|error| error.to_string()))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn two_threads_visit_what_one_thread_visits(
            from in 1u64..3100,
            length in 0u64..3100,
            types in proptest::option::of(proptest::sample::subsequence(vec![0u32, 1, 2], 0..=3)),
            stop_after in 1usize..4000,
        ) {
            let dir = tempfile::tempdir().unwrap();
            let log = a_log(&dir.path().join("log.redb"));
            let to = from + length;
            let one = scan_with(&log, false, from, to, types.as_deref(), stop_after);
            let two = scan_with(&log, true, from, to, types.as_deref(), stop_after);
            prop_assert_eq!(&one, &two);
            // As the store runs it: the first blocks alone, then two threads.
            let names: Option<Vec<String>> = types
                .as_ref()
                .map(|ids| ids.iter().map(|id| format!("T{id}")).collect());
            let names: Option<Vec<&str>> =
                names.as_ref().map(|names| names.iter().map(String::as_str).collect());
            let mut seen = Vec::new();
            let outcome = log.scan_views(from..=to, names.as_deref(), |view| {
                seen.push(view.to_event());
                if seen.len() >= stop_after {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
            prop_assert_eq!((seen, outcome.map_err(|e| e.to_string())), one);
        }
    }

    /// A visitor beside another: what it saw, and how its scan ended.
    struct Keeps {
        seen: Vec<crate::event::Event>,
        stop_after: usize,
        ended: Option<std::result::Result<(), String>>,
    }

    impl Keeps {
        fn new(stop_after: usize) -> Keeps {
            Keeps {
                seen: Vec::new(),
                stop_after,
                ended: None,
            }
        }
    }

    impl Visitor for Keeps {
        fn visit(&mut self, view: &EventView<'_>) -> ControlFlow<()> {
            self.seen.push(view.to_event());
            if self.seen.len() >= self.stop_after {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }

        fn end(&mut self, scanned: anyhow::Result<()>) {
            assert!(self.ended.is_none(), "ended twice");
            self.ended = Some(scanned.map_err(|error| error.to_string()));
        }
    }

    /// What `scan_views` alone gives, as `Keeps` records it.
    fn alone(
        log: &EventLog,
        seqs: std::ops::RangeInclusive<u64>,
        types: Option<&[&str]>,
        stop_after: usize,
    ) -> Seen {
        let mut keeps = Keeps::new(stop_after);
        let outcome = log.scan_views(seqs, types, |view| keeps.visit(view));
        (keeps.seen, outcome.map_err(|error| error.to_string()))
    }

    fn beside(
        log: &EventLog,
        seqs: std::ops::RangeInclusive<u64>,
        types: Option<&[&str]>,
        stops: [usize; 2],
    ) -> [Seen; 2] {
        let [mut first, mut second] = stops.map(Keeps::new);
        log.scan_views_beside(seqs, types, &mut first, &mut second);
        [first, second].map(|keeps| (keeps.seen, keeps.ended.expect("ended")))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn two_visitors_beside_each_other_each_see_what_a_scan_alone_sees(
            from in 0u64..3100,
            length in 0u64..3100,
            types in proptest::option::of(proptest::sample::subsequence(vec!["T0", "T1", "T2", "T9"], 0..=4)),
            stops in [1usize..4000, 1usize..4000],
        ) {
            let dir = tempfile::tempdir().unwrap();
            let log = a_log(&dir.path().join("log.redb"));
            let seqs = from..=from + length;
            let [first, second] = beside(&log, seqs.clone(), types.as_deref(), stops);
            prop_assert_eq!(first, alone(&log, seqs.clone(), types.as_deref(), stops[0]));
            prop_assert_eq!(second, alone(&log, seqs, types.as_deref(), stops[1]));
        }
    }

    #[test]
    fn damage_ahead_reaches_both_visitors_beside_each_other_after_the_same_events() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log(&path));
        damage_block(&path, 40, 100);
        let log = EventLog::open_read_only(&path).unwrap();
        let expected = alone(&log, 1..=3000, None, usize::MAX);
        assert!(expected.1.is_err());
        let [first, second] = beside(&log, 1..=3000, None, [usize::MAX; 2]);
        assert_eq!(first, expected);
        assert_eq!(second, expected);
    }

    /// Ends at a meeting only both visitors can make: two ends on one
    /// thread, one after the other, would wait there for ever.
    struct EndsTogether<'b> {
        meeting: &'b std::sync::Barrier,
        visited: u64,
    }

    impl Visitor for EndsTogether<'_> {
        fn visit(&mut self, _: &EventView<'_>) -> ControlFlow<()> {
            self.visited += 1;
            ControlFlow::Continue(())
        }

        fn end(&mut self, _: anyhow::Result<()>) {
            self.meeting.wait();
        }
    }

    #[test]
    fn visitors_beside_each_other_end_on_their_own_threads_even_with_nothing_to_read() {
        let dir = tempfile::tempdir().unwrap();
        let log = std::sync::Arc::new(a_log(&dir.path().join("log.redb")));
        let (done, finished) = mpsc::channel();
        let scanning = log.clone();
        std::thread::spawn(move || {
            // A range, a range past the end, a type the log lacks.
            let cases: [(std::ops::RangeInclusive<u64>, Option<&[&str]>); 3] = [
                (1..=3000, None),
                (5000..=6000, None),
                (1..=3000, Some(&["T9"])),
            ];
            let visited: Vec<[u64; 2]> = cases
                .into_iter()
                .map(|(seqs, types)| {
                    let meeting = std::sync::Barrier::new(2);
                    let [mut first, mut second] = [0, 1].map(|_| EndsTogether {
                        meeting: &meeting,
                        visited: 0,
                    });
                    scanning.scan_views_beside(seqs, types, &mut first, &mut second);
                    [first.visited, second.visited]
                })
                .collect();
            let _ = done.send(visited);
        });
        let visited = finished
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the two ends waited for each other on one thread");
        assert_eq!(visited, [[3000, 3000], [0, 0], [0, 0]]);
    }

    #[test]
    fn a_visitor_beside_another_that_panics_passes_its_panic_on_once_the_other_has_ended() {
        let dir = tempfile::tempdir().unwrap();
        let log = std::sync::Arc::new(a_log(&dir.path().join("log.redb")));
        for panicking in [0, 1] {
            let (done, finished) = mpsc::channel();
            let scanning = log.clone();
            std::thread::spawn(move || {
                let mut visitors = [Keeps::new(usize::MAX), Keeps::new(usize::MAX)];
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    struct Panics<'k>(&'k mut Keeps);
                    impl Visitor for Panics<'_> {
                        fn visit(&mut self, view: &EventView<'_>) -> ControlFlow<()> {
                            assert!(view.seq < 100, "a visitor's own bug");
                            self.0.visit(view)
                        }
                        fn end(&mut self, scanned: anyhow::Result<()>) {
                            self.0.end(scanned);
                        }
                    }
                    let [first, second] = &mut visitors;
                    if panicking == 0 {
                        scanning.scan_views_beside(1..=3000, None, &mut Panics(first), second);
                    } else {
                        scanning.scan_views_beside(1..=3000, None, first, &mut Panics(second));
                    }
                }));
                let other = &visitors[1 - panicking];
                let message = outcome
                    .err()
                    .and_then(|panic| panic.downcast_ref::<&str>().map(|m| m.to_string()));
                let _ = done.send((message, other.seen.len(), other.ended.clone()));
            });
            // A bounded wait: a reader or visitor left blocked would hang.
            let (message, other_seen, other_ended) = finished
                .recv_timeout(std::time::Duration::from_secs(60))
                .expect("the scan hung after a visitor panicked");
            assert_eq!(
                message.as_deref(),
                Some("a visitor's own bug"),
                "its own panic reaches the caller"
            );
            assert_eq!(
                (other_seen, other_ended),
                (3000, Some(Ok(()))),
                "the other one read on"
            );
        }
    }

    /// Rewrites block `block` with one byte of its record at `offset`
    /// changed (the checksum no longer matches).
    fn damage_block(path: &Path, block: u64, offset: usize) {
        let db = redb::Database::open(path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut events = txn.open_table(EVENTS).unwrap();
            let mut bytes = events.get(block).unwrap().unwrap().value().to_vec();
            bytes[offset] ^= 0x20;
            events.insert(block, bytes.as_slice()).unwrap();
        }
        txn.commit().unwrap();
    }

    #[test]
    fn damage_ahead_is_reported_after_every_event_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log(&path));
        // Far into the log: the reader meets it batches ahead of the visitor.
        damage_block(&path, 40, 100);
        let log = EventLog::open_read_only(&path).unwrap();
        let one = scan_with(&log, false, 1, 3000, None, usize::MAX);
        let two = scan_with(&log, true, 1, 3000, None, usize::MAX);
        assert_eq!(one, two);
        let (seen, outcome) = two;
        let error = outcome.unwrap_err();
        assert!(error.contains("damaged"), "{error}");
        let first_damaged = seen.len() as u64 + 1;
        assert!(
            (blocks::first_seq_of(40)..blocks::first_seq_of(41)).contains(&first_damaged),
            "{first_damaged}"
        );
        // Every event before the damage was visited, in order.
        assert!(seen.iter().zip(1..).all(|(event, seq)| event.seq == seq));
    }

    #[test]
    fn a_missing_block_ahead_is_damage_not_a_shorter_log() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log(&path));
        {
            let db = redb::Database::open(&path).unwrap();
            let txn = db.begin_write().unwrap();
            txn.open_table(EVENTS).unwrap().remove(35).unwrap();
            txn.commit().unwrap();
        }
        let log = EventLog::open_read_only(&path).unwrap();
        let (seen, outcome) = scan_with(&log, true, 1, 3000, None, usize::MAX);
        assert_eq!(seen.len() as u64, blocks::first_seq_of(35) - 1);
        let expected = StoreError::EventDamaged {
            seq: blocks::first_seq_of(35),
        };
        assert_eq!(outcome, Err(expected.to_string()));
    }

    #[test]
    fn a_visitor_that_stops_stops_the_reader() {
        let dir = tempfile::tempdir().unwrap();
        let log = a_log(&dir.path().join("log.redb"));
        // The reader is blocked handing over batches when the visitor
        // stops: the scan still ends (the scope would wait forever if the
        // reader did not).
        let (seen, outcome) = scan_with(&log, true, 1, 3000, None, 1);
        assert_eq!(outcome, Ok(()));
        assert_eq!(seen.len(), 1);
    }

    #[test]
    fn a_visitor_that_panics_ends_the_scan_with_its_panic() {
        let dir = tempfile::tempdir().unwrap();
        let log = std::sync::Arc::new(a_log(&dir.path().join("log.redb")));
        let (done, finished) = mpsc::channel();
        let scanning = log.clone();
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                scanning.scan_views(1..=3000, None, |view| {
                    assert!(view.seq < 100, "a visitor's own bug");
                    ControlFlow::Continue(())
                })
            }));
            let _ = done.send(outcome.is_err());
        });
        // A bounded wait: a reader left blocked would hang the scan.
        let panicked = finished
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the scan hung after its visitor panicked");
        assert!(panicked, "the panic reaches the caller");
    }

    /// Rewrites block `block` with `change` applied to each record (given
    /// its seq), each sealed again, and the block's sum made again: every
    /// checksum matches what was changed.
    fn rewrite_records(path: &Path, block: u64, change: impl Fn(u64, &mut Vec<u8>)) {
        rewrite_block(path, block, true, change);
    }

    /// [`rewrite_records`], the records sealed again only if `reseal`.
    fn rewrite_block(path: &Path, block: u64, reseal: bool, change: impl Fn(u64, &mut Vec<u8>)) {
        let db = redb::Database::open(path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut events = txn.open_table(EVENTS).unwrap();
            let stored = events.get(block).unwrap().unwrap().value().to_vec();
            let mut rewritten = Vec::new();
            let first = blocks::first_seq_of(block);
            for (seq, record) in (first..).zip(blocks::records(&stored)) {
                let mut record = record.unwrap().to_vec();
                change(seq, &mut record);
                if reseal {
                    codec::reseal(seq, &mut record);
                }
                blocks::push_record(&mut rewritten, &record);
            }
            events.insert(block, rewritten.as_slice()).unwrap();
            let mut sums = txn.open_table(BLOCK_SUMS).unwrap();
            sums.insert(block, blocks::sum(block, &rewritten)).unwrap();
        }
        txn.commit().unwrap();
    }

    /// Replaces the last `from` byte in a record by `to`.
    fn replace_byte(record: &mut [u8], from: u8, to: u8) {
        let at = record.iter().rposition(|&b| b == from).unwrap();
        record[at] = to;
    }

    #[test]
    fn text_that_is_not_utf8_under_a_matching_checksum_is_damage_on_both_paths() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log(&path));
        // In event 1,300: `é` (C3 A9) with its second byte replaced.
        let seq = 1300;
        rewrite_records(&path, blocks::block_of(seq), |at, record| {
            if at == seq {
                replace_byte(record, 0xA9, b'x');
            }
        });
        let log = EventLog::open_read_only(&path).unwrap();
        let one = scan_with(&log, false, 1, 3000, None, usize::MAX);
        let two = scan_with(&log, true, 1, 3000, None, usize::MAX);
        assert_eq!(one, two);
        assert_eq!(one.0.len() as u64, seq - 1);
        assert_eq!(one.1, Err(StoreError::EventDamaged { seq }.to_string()));
    }

    #[test]
    fn pieces_that_are_utf8_only_when_joined_are_damage_on_both_paths() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log(&path));
        // Event 1,301's metadata ends with C3 (its last `}` replaced), and
        // 1,302's payload (it has no id) begins with A9. Side by side, the
        // two bytes are a valid `é`; neither text alone is UTF-8.
        let seq = 1301;
        rewrite_records(&path, blocks::block_of(seq), |at, record| {
            if at == seq {
                replace_byte(record, b'}', 0xC3);
            }
            if at == seq + 1 {
                let at = record.iter().position(|&b| b == b'{').unwrap();
                record[at] = 0xA9;
            }
        });
        let log = EventLog::open_read_only(&path).unwrap();
        let one = scan_with(&log, false, 1, 3000, None, usize::MAX);
        let two = scan_with(&log, true, 1, 3000, None, usize::MAX);
        assert_eq!(one, two);
        assert_eq!(one.1, Err(StoreError::EventDamaged { seq }.to_string()));
    }

    /// Changes the sums of blocks: `Some` writes that sum, `None` removes it.
    fn set_sums(path: &Path, sums: &[(u64, Option<u32>)]) {
        let db = redb::Database::open(path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn.open_table(BLOCK_SUMS).unwrap();
            for &(block, sum) in sums {
                match sum {
                    Some(sum) => table.insert(block, sum).map(drop).unwrap(),
                    None => table.remove(block).map(drop).unwrap(),
                }
            }
        }
        txn.commit().unwrap();
    }

    /// A log of [`a_log`] at `path`, and what a scan of all of it sees.
    fn a_log_scanned(path: &Path) -> Seen {
        drop(a_log(path));
        let log = EventLog::open_read_only(path).unwrap();
        scan_with(&log, false, 1, 3000, None, usize::MAX)
    }

    fn stored_sum(path: &Path, block: u64) -> Option<u32> {
        let db = redb::Database::open(path).unwrap();
        let txn = db.begin_read().unwrap();
        let table = txn.open_table(BLOCK_SUMS).unwrap();
        table.get(block).unwrap().map(|sum| sum.value())
    }

    #[test]
    fn a_block_sum_that_is_wrong_or_missing_costs_speed_never_events() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        let whole = a_log_scanned(&path);
        assert_eq!((whole.0.len(), &whole.1), (3000, &Ok(())));
        let wrong = stored_sum(&path, 3).unwrap() ^ 1;
        set_sums(&path, &[(3, Some(wrong)), (7, None), (46, None)]);
        let log = EventLog::open_read_only(&path).unwrap();
        for two in [false, true] {
            assert_eq!(scan_with(&log, two, 1, 3000, None, usize::MAX), whole);
            assert_eq!(
                scan_with(&log, two, 150, 2999, None, usize::MAX).0,
                whole.0[149..2999]
            );
        }
        // `verify` finds them: the first is block 3 (events 193..=256).
        let error = log.verify(|_| {}).unwrap_err().to_string();
        assert!(
            error.contains("event 193") && error.contains("checksum of its block"),
            "{error}"
        );
    }

    #[test]
    fn a_block_matching_its_sum_is_not_checked_event_by_event_but_its_text_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        let whole = a_log_scanned(&path);
        // Event 700's own checksum broken, and its block summed again over
        // it: the sum vouches for the block, so the scan takes the event
        // as written (what a sum that matches means), and `verify`, which
        // checks both, still finds it.
        let seq = 700;
        let block = blocks::block_of(seq);
        rewrite_block(&path, block, false, |at, record| {
            if at == seq {
                record[0] ^= 0xFF;
            }
        });
        let log = EventLog::open_read_only(&path).unwrap();
        for two in [false, true] {
            assert_eq!(scan_with(&log, two, 1, 3000, None, usize::MAX), whole);
        }
        let error = log.verify(|_| {}).unwrap_err().to_string();
        assert!(error.contains(&format!("event {seq}")), "{error}");
        // Without the sum, the same block is damage at that event.
        drop(log);
        set_sums(&path, &[(block, None)]);
        let log = EventLog::open_read_only(&path).unwrap();
        for two in [false, true] {
            let (seen, outcome) = scan_with(&log, two, 1, 3000, None, usize::MAX);
            assert_eq!(seen.len() as u64, seq - 1);
            assert_eq!(outcome, Err(StoreError::EventDamaged { seq }.to_string()));
        }
    }

    fn one_more(log: &EventLog, n: u64) {
        log.append([NewEvent::new(
            format!("more-{n}"),
            "T0".to_string(),
            Timestamp::from_unix_millis(n as i64),
            Json::parse_text("{}").unwrap(),
        )])
        .unwrap();
    }

    #[test]
    fn a_log_of_format_4_gets_the_sum_of_every_whole_block_with_its_first_append() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log(&path));
        make_format(&path, FORMAT_WITHOUT_BLOCK_SUMS);
        // The first event of block 15 damaged before the upgrade.
        let seq = blocks::first_seq_of(15);
        damage_block(&path, 15, 30);
        let log = EventLog::open(&path).unwrap();
        let before = scan_with(&log, true, 1, 3000, None, usize::MAX);
        assert_eq!(before.0.len() as u64, seq - 1);
        assert_eq!(before.1, Err(StoreError::EventDamaged { seq }.to_string()));
        one_more(&log, 1);
        drop(log);
        // Every block but the damaged one has its sum, which matches.
        let db = redb::Database::open(&path).unwrap();
        {
            let txn = db.begin_read().unwrap();
            let events = txn.open_table(EVENTS).unwrap();
            let sums = txn.open_table(BLOCK_SUMS).unwrap();
            for entry in events.iter().unwrap() {
                let (block, bytes) = entry.unwrap();
                let sum = sums.get(block.value()).unwrap().map(|sum| sum.value());
                match block.value() == blocks::block_of(seq) {
                    true => assert_eq!(sum, None),
                    false => assert_eq!(sum, Some(blocks::sum(block.value(), bytes.value()))),
                }
            }
        }
        drop(db);
        assert_eq!(format_of(&path), FORMAT_VERSION);
        // The damage is still damage, where it was.
        let log = EventLog::open_read_only(&path).unwrap();
        for two in [false, true] {
            assert_eq!(scan_with(&log, two, 1, 3001, None, usize::MAX), before);
        }
    }

    #[test]
    fn an_append_to_a_damaged_tail_block_leaves_it_without_a_sum() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        // 3,000 events: the tail, block 46, holds 2,945..=3,000, with room
        // for 8 more.
        drop(a_log(&path));
        let tail = blocks::block_of(3000);
        assert!(stored_sum(&path, tail).is_some());
        damage_block(&path, tail, 40);
        let log = EventLog::open(&path).unwrap();
        let damaged = scan_with(&log, false, 1, 3000, None, usize::MAX);
        assert!(damaged.1.is_err());
        // Events appended into the damaged block, and past it.
        for n in 0..20 {
            one_more(&log, n);
        }
        drop(log);
        assert_eq!(stored_sum(&path, tail), None);
        assert!(stored_sum(&path, tail + 1).is_some());
        let log = EventLog::open_read_only(&path).unwrap();
        for two in [false, true] {
            assert_eq!(scan_with(&log, two, 1, 3020, None, usize::MAX), damaged);
        }
    }

    #[test]
    fn an_append_after_a_tail_block_missing_or_short_leaves_it_without_a_sum() {
        for short in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("log.redb");
            drop(a_log(&path));
            // The tail, block 46, holds 2,945..=3,000: removed, or cut to
            // its first 50 events, each of them whole.
            let tail = blocks::block_of(3000);
            {
                let db = redb::Database::open(&path).unwrap();
                let txn = db.begin_write().unwrap();
                {
                    let mut events = txn.open_table(EVENTS).unwrap();
                    let stored = events.remove(tail).unwrap().unwrap().value().to_vec();
                    if short {
                        let mut cut = Vec::new();
                        for record in blocks::records(&stored).take(50) {
                            blocks::push_record(&mut cut, record.unwrap());
                        }
                        events.insert(tail, cut.as_slice()).unwrap();
                    }
                }
                txn.commit().unwrap();
            }
            let first_missing = if short { 2995 } else { 2945 };
            let log = EventLog::open(&path).unwrap();
            one_more(&log, 1);
            drop(log);
            // Event 3,001 is stored out of its place: no sum vouches for it,
            // and the scan reports damage where the events stop being whole.
            assert_eq!(stored_sum(&path, tail), None, "short: {short}");
            let log = EventLog::open_read_only(&path).unwrap();
            for two in [false, true] {
                let (seen, outcome) = scan_with(&log, two, 1, 3001, None, usize::MAX);
                assert_eq!(seen.len() as u64, first_missing - 1, "short: {short}");
                let seq = first_missing;
                assert_eq!(outcome, Err(StoreError::EventDamaged { seq }.to_string()));
            }
        }
    }
}
