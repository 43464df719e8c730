//! Interned names: every event type's, held in memory (a log has few), and
//! each stream's, read from the log where an event is decoded (a log may
//! have millions, and opening it reads none).

use std::sync::Arc;

use redb::{ReadOnlyTable, ReadTransaction, ReadableTable};

use super::tables::{FORMAT_WITHOUT_STREAM_NAMES, STREAM_NAMES, STREAMS, TYPE_NAMES};
use super::{Result, StoreError, checked};

/// The names of every type by id, and, for a log of format 2, of every
/// stream. Replaced whole after an append that adds types, so readers
/// holding the old one are undisturbed.
#[derive(Clone, Debug, Default)]
pub struct Names {
    pub types: Vec<Arc<str>>,
    /// Every stream's name by id, for a log of format 2, which keeps them
    /// nowhere else; `None` for format 3, whose names are read on demand
    /// from [`STREAM_NAMES`].
    pub streams: Option<Vec<Arc<str>>>,
}

impl Names {
    /// The type names, and the stream names of a format 2 log; each
    /// checked against its checksum.
    pub fn load(txn: &ReadTransaction, format: u32) -> Result<Names> {
        let streams = if format == FORMAT_WITHOUT_STREAM_NAMES {
            Some(streams_of_format_2(txn)?)
        } else {
            None
        };
        Ok(Names {
            types: type_names(txn)?,
            streams,
        })
    }

    /// Every stream name by id, each checked: what `verify` compares the
    /// log with.
    pub fn all_streams(&self, txn: &ReadTransaction) -> Result<Vec<Arc<str>>> {
        if let Some(streams) = &self.streams {
            return Ok(streams.clone());
        }
        let mut names = Vec::new();
        for entry in txn.open_table(STREAM_NAMES)?.iter()? {
            let (id, value) = entry?;
            let id = id.value();
            if id as usize != names.len() {
                return Err(hole());
            }
            names.push(Arc::from(checked::open_stream_name(id, value.value())?));
        }
        Ok(names)
    }

    /// Names the streams of the events `txn` reads, remembering about
    /// `recent` of them (a power of two is used).
    pub fn namer<'n>(&'n self, txn: &ReadTransaction, recent: usize) -> Result<StreamNamer<'n>> {
        if let Some(streams) = &self.streams {
            return Ok(StreamNamer(Source::Loaded(streams)));
        }
        // A transaction begun before the append that made a format 2 log
        // format 3 (in this process) sees the log without the table.
        let Some(table) = super::table_if_any(txn, STREAM_NAMES)? else {
            return Ok(StreamNamer(Source::Owned(streams_of_format_2(txn)?)));
        };
        Ok(StreamNamer(Source::Table(Box::new(TableNames::new(
            table, recent,
        )))))
    }
}

/// The type names, by id.
fn type_names(txn: &ReadTransaction) -> Result<Vec<Arc<str>>> {
    let mut types = Vec::new();
    for entry in txn.open_table(TYPE_NAMES)?.iter()? {
        let (id, value) = entry?;
        let id = id.value();
        if id as usize != types.len() {
            return Err(StoreError::IndexDamaged {
                what: format!("the list of event type names has a hole at id {id}"),
            });
        }
        types.push(Arc::from(checked::open_type_name(id, value.value())?));
    }
    Ok(types)
}

/// A format 2 log's stream names, from its streams table (by name): every
/// entry read, and sorted by id.
pub fn streams_of_format_2(txn: &ReadTransaction) -> Result<Vec<Arc<str>>> {
    let streams = txn.open_table(STREAMS)?;
    // Not sized by the table's own count: on a damaged file that may be
    // any number.
    let mut by_id: Vec<(u32, Arc<str>)> = Vec::new();
    for entry in streams.iter()? {
        let (name, value) = entry?;
        let (id, _) = checked::open_stream(name.value(), value.value())?;
        by_id.push((id, Arc::from(name.value())));
    }
    by_id.sort_unstable_by_key(|(id, _)| *id);
    let mut names = Vec::with_capacity(by_id.len());
    for (position, (id, name)) in by_id.into_iter().enumerate() {
        if id as usize != position {
            return Err(hole());
        }
        names.push(name);
    }
    Ok(names)
}

/// Stream ids are dense and each names one stream: anything else is damage.
fn hole() -> StoreError {
    StoreError::IndexDamaged {
        what: "the list of stream ids has a hole or a double".into(),
    }
}

/// Gives the name of a stream id, for one read transaction.
pub struct StreamNamer<'n>(Source<'n>);

enum Source<'n> {
    /// Format 2: every name in memory.
    Loaded(&'n [Arc<str>]),
    /// Format 2 as a transaction saw it before the log became format 3.
    Owned(Vec<Arc<str>>),
    Table(Box<TableNames>),
}

/// Names read from [`STREAM_NAMES`]. A scan from genesis meets each new
/// stream in id order (ids are given as streams begin), so those are read
/// along the table; streams met again come from the names remembered, or
/// one lookup each.
struct TableNames {
    table: ReadOnlyTable<u32, (u32, &'static str)>,
    /// The ids of the names read last, each in the slot its low bits
    /// give: apart from the names, so that finding one touches a few bytes.
    held: Vec<u32>,
    /// Where the name of each id held lies in `arena`, slot by slot.
    spans: Vec<(u32, u32)>,
    /// The names held, end to end: no allocation (nor freeing) per name.
    /// Emptied, and every slot with it, when it reaches `arena_limit`.
    arena: String,
    arena_limit: usize,
    /// The most slots there may be, and the names read since the slots
    /// last grew: a scan that reads many grows them (four times, each time
    /// it has read more names than there are slots), so that a read of a
    /// few events sets up only a few.
    max_slots: usize,
    reads: usize,
    /// The table from `ahead_next` on.
    ahead: Option<redb::Range<'static, u32, (u32, &'static str)>>,
    ahead_next: u32,
}

/// Ids this far past the read-ahead are looked up, not read up to.
const READ_AHEAD_REACH: u32 = 64;

/// The slots a namer starts with.
const FIRST_SLOTS: usize = 256;

/// Bytes of names held per slot, about (most names are shorter).
const NAME_BYTES_PER_SLOT: usize = 32;

impl StreamNamer<'_> {
    /// The name of stream `id`; `None` when the log has no such stream
    /// (the event naming it is damaged).
    pub fn name(&mut self, id: u32) -> Result<Option<&str>> {
        match &mut self.0 {
            Source::Loaded(streams) => Ok(streams.get(id as usize).map(|name| &**name)),
            Source::Owned(streams) => Ok(streams.get(id as usize).map(|name| &**name)),
            Source::Table(names) => names.name(id),
        }
    }
}

impl TableNames {
    fn new(table: ReadOnlyTable<u32, (u32, &'static str)>, recent: usize) -> TableNames {
        let max_slots = recent.max(2).next_power_of_two();
        let mut names = TableNames {
            table,
            held: Vec::new(),
            spans: Vec::new(),
            arena: String::new(),
            arena_limit: 0,
            max_slots,
            reads: 0,
            ahead: None,
            ahead_next: 0,
        };
        names.resize(FIRST_SLOTS.min(max_slots));
        names
    }

    /// `slots` slots (more than before), holding the names held before,
    /// each in its slot of the larger table: a scan that grows its slots
    /// does not read again every name it already holds.
    fn resize(&mut self, slots: usize) {
        debug_assert!(slots.is_power_of_two() && slots > self.held.len());
        let held = std::mem::replace(&mut self.held, vec![0; slots]);
        let spans = std::mem::replace(&mut self.spans, vec![(0, 0); slots]);
        self.forget_slots();
        let was = held.len();
        for (slot, (id, span)) in held.into_iter().zip(spans).enumerate() {
            // An empty slot holds an id whose low bits give another slot:
            // it is left out.
            if id as usize & (was - 1) == slot {
                let to = id as usize & (slots - 1);
                self.held[to] = id;
                self.spans[to] = span;
            }
        }
        self.arena_limit = slots * NAME_BYTES_PER_SLOT;
        self.reads = 0;
    }

    fn forget_all(&mut self) {
        self.arena.clear();
        self.forget_slots();
    }

    fn forget_slots(&mut self) {
        // An empty slot holds an id that is not its own (slots are two at
        // least).
        for (slot, held) in (0u32..).zip(self.held.iter_mut()) {
            *held = slot ^ 1;
        }
    }

    fn name(&mut self, id: u32) -> Result<Option<&str>> {
        let mut slot = id as usize & (self.held.len() - 1);
        if self.held[slot] != id {
            self.reads += 1;
            if self.reads > self.held.len() && self.held.len() < self.max_slots {
                self.resize((self.held.len() * 4).min(self.max_slots));
                slot = id as usize & (self.held.len() - 1);
            } else if self.arena.len() >= self.arena_limit {
                self.forget_all();
            }
            let start = self.arena.len();
            if !self.read_into_arena(id)? {
                return Ok(None);
            }
            self.held[slot] = id;
            self.spans[slot] = (start as u32, self.arena.len() as u32);
        }
        let (start, end) = self.spans[slot];
        Ok(self.arena.get(start as usize..end as usize))
    }

    /// Appends the name of `id` to the arena; false when there is none.
    fn read_into_arena(&mut self, id: u32) -> Result<bool> {
        if let Some(ahead) = &mut self.ahead
            && id >= self.ahead_next
            && id - self.ahead_next < READ_AHEAD_REACH
        {
            for entry in ahead.by_ref() {
                let (key, value) = entry?;
                let key = key.value();
                let name = checked::open_stream_name(key, value.value())?;
                self.ahead_next = key.saturating_add(1);
                if key >= id {
                    if key == id {
                        self.arena.push_str(name);
                    }
                    return Ok(key == id);
                }
            }
            self.ahead = None;
            return Ok(false);
        }
        match self.table.get(id)? {
            Some(value) => self
                .arena
                .push_str(checked::open_stream_name(id, value.value())?),
            None => return Ok(false),
        }
        // Read on from here: the streams after it are likely next.
        if id >= self.ahead_next {
            self.ahead_next = id.saturating_add(1);
            self.ahead = Some(self.table.range(self.ahead_next..)?);
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use std::ops::ControlFlow;
    use std::path::Path;

    use proptest::prelude::*;

    use super::super::{EventLog, format_of, make_format};
    use super::*;
    use crate::event::{Json, NewEvent};
    use crate::store::tables::FORMAT_VERSION;

    fn event(stream: &str) -> NewEvent {
        NewEvent::new(
            stream.to_string(),
            "Happened".to_string(),
            crate::event::Timestamp::from_unix_millis(0),
            Json::parse_text("{}").unwrap(),
        )
    }

    /// Streams `s-0` to `s-{count - 1}`, begun in that order: id n is `s-n`.
    fn a_log_of_streams(path: &Path, count: u32) -> EventLog {
        let log = EventLog::create(path).unwrap();
        log.append((0..count).map(|n| event(&format!("s-{n}"))))
            .unwrap();
        log
    }

    /// Every stream name and type as a scan from genesis gives them.
    fn scanned(log: &EventLog) -> Vec<(String, u64)> {
        let mut seen = Vec::new();
        log.scan_views(1..=u64::MAX, None, |view| {
            seen.push((view.stream.to_string(), view.version));
            ControlFlow::Continue(())
        })
        .unwrap();
        seen
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]

        /// Whatever order ids are asked in, and however few names are
        /// remembered (or however many, the slots growing on the way and
        /// keeping the names they hold), each id gets its own name.
        #[test]
        fn every_id_is_named_as_its_stream_began(
            asked in proptest::collection::vec(0u32..1500, 1..3000),
            recent in prop_oneof![1usize..8, 256usize..4096],
        ) {
            let dir = tempfile::tempdir().unwrap();
            let log = a_log_of_streams(&dir.path().join("log.redb"), 1500);
            let txn = log.read_txn().unwrap();
            let names = log.names();
            let mut namer = names.namer(&txn, recent).unwrap();
            for id in asked {
                let name = namer.name(id).unwrap().map(|name| name.to_string());
                prop_assert_eq!(name, Some(format!("s-{id}")));
            }
            prop_assert!(namer.name(1500).unwrap().is_none(), "no stream 1500");
        }
    }

    #[test]
    fn slots_that_grow_keep_the_names_they_hold() {
        let dir = tempfile::tempdir().unwrap();
        let log = a_log_of_streams(&dir.path().join("log.redb"), 600);
        let txn = log.read_txn().unwrap();
        let names = log.names();
        let mut namer = names.namer(&txn, 4096).unwrap();
        let reads = |namer: &StreamNamer<'_>| match &namer.0 {
            Source::Table(table) => (table.held.len(), table.reads),
            _ => panic!("a log of this format names its streams from the table"),
        };
        let name_all = |namer: &mut StreamNamer<'_>, ids: std::ops::Range<u32>| {
            for id in ids {
                let name = namer.name(id).unwrap().map(str::to_string);
                assert_eq!(name, Some(format!("s-{id}")));
            }
        };
        // Ids 256..512 fill the first 256 slots (each in the slot of its
        // low bits), and the next name read grows them to 1,024.
        name_all(&mut namer, 256..512);
        assert_eq!(reads(&namer), (256, 256));
        name_all(&mut namer, 0..1);
        assert_eq!(reads(&namer), (1024, 0));
        // Each of them moved to its slot of the larger table: none is read
        // again.
        name_all(&mut namer, 256..512);
        assert_eq!(reads(&namer), (1024, 0));
    }

    #[test]
    fn a_scan_revisiting_more_streams_than_it_remembers_names_each_event() {
        let dir = tempfile::tempdir().unwrap();
        let count = (1 << 16) + 500;
        let log = a_log_of_streams(&dir.path().join("log.redb"), count);
        // Every stream again, from the last to the first: none is still
        // remembered when the scan comes back to it.
        log.append((0..count).rev().map(|n| event(&format!("s-{n}"))))
            .unwrap();
        let seen = scanned(&log);
        assert_eq!(seen.len(), 2 * count as usize);
        for (n, (stream, version)) in seen.iter().enumerate() {
            let (id, expected_version) = match n.checked_sub(count as usize) {
                None => (n as u32, 1),
                Some(back) => (count - 1 - back as u32, 2),
            };
            assert_eq!(
                (stream.as_str(), *version),
                (&*format!("s-{id}"), expected_version)
            );
        }
    }

    #[test]
    fn a_log_of_format_2_is_read_and_becomes_format_3_with_its_first_append() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log_of_streams(&path, 40));
        make_format(&path, FORMAT_WITHOUT_STREAM_NAMES);
        let before = {
            let log = EventLog::open_read_only(&path).unwrap();
            assert_eq!(log.stats().unwrap().streams, 40);
            scanned(&log)
        };
        assert_eq!(before.len(), 40);
        assert_eq!(before[39], ("s-39".to_string(), 1));
        assert_eq!(format_of(&path), FORMAT_WITHOUT_STREAM_NAMES);

        let log = EventLog::open(&path).unwrap();
        // Old streams and new ones, in one batch.
        log.append(["s-3", "t-0", "s-39", "t-1"].map(event))
            .unwrap();
        let after = scanned(&log);
        assert_eq!(&after[..40], &before[..]);
        let added: Vec<_> = after[40..].iter().map(|(s, v)| (s.as_str(), *v)).collect();
        assert_eq!(added, [("s-3", 2), ("t-0", 1), ("s-39", 2), ("t-1", 1)]);
        assert_eq!(log.stats().unwrap().streams, 42);
        log.verify(|_| {}).unwrap();
        drop(log);

        assert_eq!(format_of(&path), FORMAT_VERSION);
        let log = EventLog::open_read_only(&path).unwrap();
        assert!(log.names().streams.is_none(), "names read on demand");
        assert_eq!(scanned(&log), after);
        assert_eq!(log.stats().unwrap().streams, 42);
        log.verify(|_| {}).unwrap();
    }

    /// Changes the stored name of stream `id` (its checksum left as it was),
    /// or removes it.
    fn tamper_with_name(path: &Path, id: u32, name: Option<&str>) {
        let db = redb::Database::open(path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn.open_table(STREAM_NAMES).unwrap();
            let sum = table.get(id).unwrap().unwrap().value().0;
            match name {
                Some(name) => {
                    table.insert(id, (sum, name)).unwrap();
                }
                None => {
                    table.remove(id).unwrap();
                }
            }
        }
        txn.commit().unwrap();
    }

    #[test]
    fn a_damaged_stream_name_is_reported_where_it_is_read_and_never_shown() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log_of_streams(&path, 10));
        tamper_with_name(&path, 4, Some("s-X"));
        let log = EventLog::open_read_only(&path).unwrap();
        // The log opens, and the events of other streams read.
        assert_eq!(&*log.get(3).unwrap().unwrap().stream, "s-2");
        let error = log.get(5).unwrap_err().to_string();
        assert!(error.contains("stream id 4"), "{error}");
        let error = log
            .scan_views(1..=10, None, |_| ControlFlow::Continue(()))
            .unwrap_err()
            .to_string();
        assert!(error.contains("stream id 4"), "{error}");
        assert!(log.verify(|_| {}).is_err());
    }

    /// Two visitors beside each other, the reader naming their streams:
    /// each sees the events before the damaged name, then the same error
    /// as a scan alone.
    #[test]
    fn a_damaged_or_missing_stream_name_ends_both_visitors_beside_each_other_where_a_scan_would() {
        use crate::projection::Visitor;
        struct Keeps(Vec<u64>, Option<String>);
        impl Visitor for Keeps {
            fn visit(&mut self, view: &crate::event_view::EventView<'_>) -> ControlFlow<()> {
                self.0.push(view.seq);
                ControlFlow::Continue(())
            }
            fn end(&mut self, scanned: anyhow::Result<()>) {
                self.1 = Some(scanned.map_or_else(|error| error.to_string(), |()| "ok".into()));
            }
        }
        for (id, name) in [(2500, Some("s-X")), (2600, None)] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("log.redb");
            // Far enough into the log that the reader meets it batches ahead.
            drop(a_log_of_streams(&path, 3000));
            tamper_with_name(&path, id, name);
            let log = EventLog::open_read_only(&path).unwrap();
            let mut alone = Keeps(Vec::new(), None);
            let scanned = log.scan_views(1..=3000, None, |view| alone.visit(view));
            alone.end(scanned.map_err(anyhow::Error::from));
            assert_eq!(alone.0.len(), id as usize, "{:?}", alone.1);
            let (mut first, mut second) = (Keeps(Vec::new(), None), Keeps(Vec::new(), None));
            log.scan_views_beside(1..=3000, None, &mut first, &mut second);
            for beside in [first, second] {
                assert_eq!((&beside.0, &beside.1), (&alone.0, &alone.1));
            }
        }
    }

    #[test]
    fn a_missing_stream_name_is_damage_at_its_event_and_in_verify() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log_of_streams(&path, 10));
        tamper_with_name(&path, 6, None);
        let log = EventLog::open_read_only(&path).unwrap();
        let error = log.read(1, 10, false).unwrap_err();
        assert!(
            matches!(error, crate::store::StoreError::EventDamaged { seq: 7 }),
            "{error:?}"
        );
        let error = log.verify(|_| {}).unwrap_err().to_string();
        assert!(error.contains("stream"), "{error}");
    }

    /// A table that shows empty (as redb's bookkeeping, damaged, can show
    /// one) leaves no entry whose checksum could fail: the log's figures
    /// are held to each other.
    #[test]
    fn figures_that_disagree_with_each_other_are_damage_not_shown() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.redb");
        drop(a_log_of_streams(&path, 10));
        let db_path = path.clone();
        let emptied = move |table: &str| {
            let db = redb::Database::open(&db_path).unwrap();
            let txn = db.begin_write().unwrap();
            match table {
                "stream names" => txn
                    .open_table(STREAM_NAMES)
                    .unwrap()
                    .retain(|_, _| false)
                    .unwrap(),
                _ => txn
                    .open_table(crate::store::tables::TYPES)
                    .unwrap()
                    .retain(|_, _| false)
                    .unwrap(),
            }
            txn.commit().unwrap();
        };
        let stats = EventLog::open_read_only(&path).unwrap().stats().unwrap();
        assert_eq!((stats.events, stats.streams), (10, 10));
        let whole = dir.path().join("whole.redb");
        std::fs::copy(&path, &whole).unwrap();
        for table in ["stream names", "types"] {
            emptied(table);
            let error = match EventLog::open_read_only(&path) {
                Ok(log) => log.stats().unwrap_err().to_string(),
                Err(error) => error.to_string(),
            };
            assert!(error.contains("damaged"), "{table}: {error}");
            std::fs::copy(&whole, &path).unwrap();
        }
    }
}
