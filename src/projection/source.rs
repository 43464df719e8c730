//! What the engine reads from: an ordered event log and a snapshot cache.
//!
//! The redb store implements both traits; [`MemoryLog`] and
//! [`MemorySnapshots`] implement them in memory for tests and small logs.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::{Mutex, MutexGuard};

use crate::event::Event;
use crate::event_view::{EventHead, EventView};

/// An ordered, gapless log of events numbered from 1. Shared by the
/// threads of a rebuild, which fold their groups of projections beside
/// each other ([`EventSource::scan_views_beside`]).
pub trait EventSource: Sync {
    /// The seq of the last event, 0 when the log is empty.
    fn last_seq(&self) -> anyhow::Result<u64>;

    /// Calls `f` for each event with from <= seq <= to, in order; stops early on Break.
    fn scan(
        &self,
        from: u64,
        to: u64,
        f: &mut dyn FnMut(&Event) -> ControlFlow<()>,
    ) -> anyhow::Result<()>;

    /// Calls `f` for each event with from <= seq <= to whose type is one of
    /// `types`, in order; stops early on Break. The default scans and
    /// filters; a store can skip the other events without decoding them.
    fn scan_types(
        &self,
        from: u64,
        to: u64,
        types: &[&str],
        f: &mut dyn FnMut(&Event) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        self.scan(from, to, &mut |event| {
            if types.contains(&&*event.event_type) {
                f(event)
            } else {
                ControlFlow::Continue(())
            }
        })
    }

    /// Calls `f` with a borrowed view of each event with from <= seq <= to
    /// (of one of `types`, when given), in order; stops early on Break.
    /// What the engine folds through. The default lends views of the events
    /// [`EventSource::scan`] gives; a store can lend views of its stored
    /// bytes and allocate nothing per event.
    fn scan_views(
        &self,
        from: u64,
        to: u64,
        types: Option<&[&str]>,
        f: &mut dyn FnMut(&EventView<'_>) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        let mut owned = |event: &Event| f(&event.view());
        match types {
            Some(types) => self.scan_types(from, to, types, &mut owned),
            None => self.scan(from, to, &mut owned),
        }
    }

    /// Calls `f` with the head of each event with from <= seq <= to (of
    /// one of `types`, when given), in order, with its stream's name when
    /// `streams`; stops early on Break. The default takes them from
    /// [`EventSource::scan_views`]; a store can read them apart from the
    /// events' texts.
    fn scan_heads(
        &self,
        from: u64,
        to: u64,
        types: Option<&[&str]>,
        streams: bool,
        f: &mut dyn FnMut(&EventHead<'_>) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        self.scan_views(from, to, types, &mut |view| f(&view.head(streams)))
    }

    /// [`EventSource::scan_views`] for two visitors at once, each on a
    /// thread of its own (`first` on this one), both running until each
    /// has ended: each is handed the same events in order, and either may
    /// stop without stopping the other. Each visitor's `end` is called on
    /// its own thread when its scan is over, while the other may still
    /// be visiting (two folds that meet in step go on meeting there).
    ///
    /// The default scans twice; a store reads and checks the log once for
    /// both.
    fn scan_views_beside(
        &self,
        from: u64,
        to: u64,
        types: Option<&[&str]>,
        first: &mut dyn Visitor,
        second: &mut (dyn Visitor + Send),
    ) {
        std::thread::scope(|scope| {
            let beside = scope.spawn(|| {
                let scanned = self.scan_views(from, to, types, &mut |event| second.visit(event));
                second.end(scanned);
            });
            let scanned = self.scan_views(from, to, types, &mut |event| first.visit(event));
            first.end(scanned);
            // The second visitor's own panic, as it was raised.
            if let Err(panic) = beside.join() {
                std::panic::resume_unwind(panic);
            }
        });
    }

    /// Calls `f` for each event of `stream` with seq <= to, in order; stops
    /// early on Break.
    ///
    /// The default scans the whole range and filters; a store with a
    /// (stream, version) index should override it, which makes blame of a
    /// stream's fields independent of the log's length.
    fn scan_stream(
        &self,
        stream: &str,
        to: u64,
        f: &mut dyn FnMut(&Event) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        self.scan(1, to, &mut |event| {
            if &*event.stream == stream {
                f(event)
            } else {
                ControlFlow::Continue(())
            }
        })
    }
}

/// One of the two folds of [`EventSource::scan_views_beside`].
pub trait Visitor {
    /// Folds one event; a break ends this visitor's scan.
    fn visit(&mut self, event: &EventView<'_>) -> ControlFlow<()>;

    /// The scan is over: every event was visited, the visitor broke off,
    /// or the source failed.
    fn end(&mut self, scanned: anyhow::Result<()>);
}

/// A cache of saved projection states, keyed by (projection, version, seq).
///
/// Snapshots can always be rebuilt from the log, so losing them loses only time.
/// A store is shared with the thread that writes a rebuild's snapshots.
pub trait SnapshotStore: Sync {
    /// The snapshot of `projection` at `version` with the highest seq <= `at_or_below`.
    fn nearest(
        &self,
        projection: &str,
        version: u32,
        at_or_below: u64,
    ) -> anyhow::Result<Option<(u64, Vec<u8>)>>;

    fn put(&self, projection: &str, version: u32, seq: u64, state: &[u8]) -> anyhow::Result<()>;

    /// Saves `snapshots` in order, stopping at the first that cannot be
    /// saved: its index and why. The default puts them one by one; a store
    /// whose writes cost most per write (a transaction each) saves them
    /// together.
    fn put_all(&self, snapshots: &[NewSnapshot<'_>]) -> Result<(), (usize, anyhow::Error)> {
        for (index, snapshot) in snapshots.iter().enumerate() {
            self.put(
                snapshot.projection,
                snapshot.version,
                snapshot.seq,
                snapshot.state,
            )
            .map_err(|error| (index, error))?;
        }
        Ok(())
    }

    /// Removes snapshots of `projection` whose version differs from `keep_version`.
    fn discard_other_versions(&self, projection: &str, keep_version: u32) -> anyhow::Result<()>;

    /// Removes every snapshot of `projection`: a rebuild from genesis
    /// replaces them rather than adding to them.
    fn discard_all(&self, projection: &str) -> anyhow::Result<()>;
}

/// A state to save in a [`SnapshotStore`]: `projection` at `version` as
/// at `seq`.
#[derive(Clone, Copy, Debug)]
pub struct NewSnapshot<'a> {
    pub projection: &'a str,
    pub version: u32,
    pub seq: u64,
    pub state: &'a [u8],
}

/// A log held in memory: events in seq order, seq i at index i - 1.
#[derive(Clone, Debug, Default)]
pub struct MemoryLog {
    events: Vec<Event>,
}

impl MemoryLog {
    /// Wraps events whose seqs are 1, 2, 3 ... in order.
    pub fn new(events: Vec<Event>) -> anyhow::Result<MemoryLog> {
        for (index, event) in events.iter().enumerate() {
            let expected = index as u64 + 1;
            anyhow::ensure!(
                event.seq == expected,
                "event {} has seq {} where {expected} was expected",
                event.id,
                event.seq
            );
        }
        Ok(MemoryLog { events })
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }
}

impl EventSource for MemoryLog {
    fn last_seq(&self) -> anyhow::Result<u64> {
        Ok(self.events.len() as u64)
    }

    fn scan(
        &self,
        from: u64,
        to: u64,
        f: &mut dyn FnMut(&Event) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        let start = from.max(1) as usize - 1;
        let end = (to.min(self.events.len() as u64) as usize).max(start);
        for event in &self.events[start..end] {
            if f(event).is_break() {
                break;
            }
        }
        Ok(())
    }
}

/// Snapshots held in memory.
#[derive(Debug, Default)]
pub struct MemorySnapshots {
    entries: Mutex<BTreeMap<(String, u32, u64), Vec<u8>>>,
}

impl MemorySnapshots {
    pub fn new() -> MemorySnapshots {
        MemorySnapshots::default()
    }

    fn entries(&self) -> MutexGuard<'_, BTreeMap<(String, u32, u64), Vec<u8>>> {
        // A panic while holding the lock cannot leave the map half-written.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The seqs of the snapshots held for `projection` at `version`.
    pub fn seqs(&self, projection: &str, version: u32) -> Vec<u64> {
        self.entries()
            .keys()
            .filter(|(name, v, _)| name == projection && *v == version)
            .map(|(_, _, seq)| *seq)
            .collect()
    }

    /// How many snapshots are held, over all projections.
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries().is_empty()
    }
}

impl SnapshotStore for MemorySnapshots {
    fn nearest(
        &self,
        projection: &str,
        version: u32,
        at_or_below: u64,
    ) -> anyhow::Result<Option<(u64, Vec<u8>)>> {
        let entries = self.entries();
        let low = (projection.to_string(), version, 0);
        let high = (projection.to_string(), version, at_or_below);
        Ok(entries
            .range(low..=high)
            .next_back()
            .map(|((_, _, seq), bytes)| (*seq, bytes.clone())))
    }

    fn put(&self, projection: &str, version: u32, seq: u64, state: &[u8]) -> anyhow::Result<()> {
        self.entries()
            .insert((projection.to_string(), version, seq), state.to_vec());
        Ok(())
    }

    fn discard_other_versions(&self, projection: &str, keep_version: u32) -> anyhow::Result<()> {
        self.entries()
            .retain(|(name, version, _), _| name != projection || *version == keep_version);
        Ok(())
    }

    fn discard_all(&self, projection: &str) -> anyhow::Result<()> {
        self.entries().retain(|(name, _, _), _| name != projection);
        Ok(())
    }
}
