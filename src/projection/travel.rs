//! Time travel: a projection's state as at any seq, from the nearest
//! snapshot at or below it plus the events after.

use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};

use super::error::ReplayError;
use super::replay::{RebuildOptions, RebuildOutcome, rebuild, replay_heads, replay_range};
use super::source::{EventSource, SnapshotStore, Visitor};
use super::traits::{Projection, Reads};
use super::type_slots::TypeSlots;
use crate::event::Event;
use crate::event_view::{EventHead, EventView};

/// Where a replay began.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    Genesis,
    /// The snapshot taken after this seq.
    Snapshot(u64),
}

/// How a state was reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TravelReport {
    /// The seq whose state this is.
    pub at: u64,
    pub start: Start,
    /// Events folded in after the start.
    pub replayed: u64,
    /// A snapshot that could not be restored and was passed over, with why.
    pub skipped_snapshot: Option<(u64, String)>,
}

/// The state of fresh `projection` as at seq `at` (0 is the empty state).
/// Without a snapshot store, replays from genesis.
pub fn travel(
    source: &dyn EventSource,
    snapshots: Option<&dyn SnapshotStore>,
    mut projection: Box<dyn Projection>,
    at: u64,
) -> Result<(Box<dyn Projection>, TravelReport), ReplayError> {
    let last_seq = source.last_seq().map_err(ReplayError::Source)?;
    if at > last_seq {
        return Err(ReplayError::PastEnd { seq: at, last_seq });
    }
    let (start, skipped_snapshot) = start_from_snapshot(snapshots, projection.as_mut(), at)?;
    let from = match start {
        Start::Genesis => 1,
        Start::Snapshot(seq) => seq + 1,
    };
    let replayed = match projection.reads() {
        Reads::Heads { streams } => replay_heads(source, projection.as_mut(), from, at, streams)?,
        Reads::Events => replay_range(source, projection.as_mut(), from, at, &mut |_, _| {})?,
    };
    let report = TravelReport {
        at,
        start,
        replayed,
        skipped_snapshot,
    };
    Ok((projection, report))
}

/// Restores fresh `projection` from the nearest snapshot at or below `at`.
/// An unreadable snapshot is passed over (snapshots are only a cache) and
/// the projection is left fresh.
pub(crate) fn start_from_snapshot(
    snapshots: Option<&dyn SnapshotStore>,
    projection: &mut dyn Projection,
    at: u64,
) -> Result<(Start, Option<(u64, String)>), ReplayError> {
    let Some(store) = snapshots else {
        return Ok((Start::Genesis, None));
    };
    let nearest = store
        .nearest(projection.name(), projection.version(), at)
        .map_err(|error| ReplayError::Snapshots {
            projection: projection.name().to_owned(),
            error,
        })?;
    let Some((seq, bytes)) = nearest else {
        return Ok((Start::Genesis, None));
    };
    let genesis = projection.save();
    match projection.restore(&bytes) {
        Ok(()) => Ok((Start::Snapshot(seq), None)),
        Err(error) => {
            // Put back the fresh state in case the failed restore left a part.
            projection
                .restore(&genesis)
                .map_err(|e| ReplayError::Snapshots {
                    projection: projection.name().to_owned(),
                    error: anyhow::anyhow!("the empty state does not restore: {e}"),
                })?;
            Ok((Start::Genesis, Some((seq, error.to_string()))))
        }
    }
}

/// A projection brought to a seq, and how.
pub type Travelled = (Box<dyn Projection>, TravelReport);

/// The states of fresh `projections` as at seq `at`, folded from genesis
/// together in one pass over the log (on two threads when there are
/// several), each with the report [`travel`] without snapshots gives it.
/// On a failure, the first one in seq order is returned.
pub fn travel_together(
    source: &dyn EventSource,
    mut projections: Vec<Box<dyn Projection>>,
    at: u64,
) -> Result<Vec<Travelled>, ReplayError> {
    let last_seq = source.last_seq().map_err(ReplayError::Source)?;
    if at > last_seq {
        return Err(ReplayError::PastEnd { seq: at, last_seq });
    }
    let as_at = AsAt::new(source, at);
    match rebuild(
        &as_at,
        &mut projections,
        &RebuildOptions::default(),
        &mut |_| {},
    )? {
        RebuildOutcome::Completed(_) => {}
        // No cancel flag is given: a rebuild without one always completes.
        RebuildOutcome::Cancelled(report) => {
            return Err(ReplayError::Source(anyhow::anyhow!(
                "the fold stopped at seq {} of {at}",
                report.done
            )));
        }
    }
    let counts = as_at.counts();
    Ok(projections
        .into_iter()
        .map(|projection| {
            let replayed = counts.replayed_by(projection.as_ref(), at);
            let report = TravelReport {
                at,
                start: Start::Genesis,
                replayed,
                skipped_snapshot: None,
            };
            (projection, report)
        })
        .collect())
}

/// The log as it was at seq `at`, counting the events of each type that a
/// fold reads: what [`travel`] reports as replayed, per projection.
struct AsAt<'a> {
    source: &'a dyn EventSource,
    at: u64,
    /// The counts of the first scan that read to `at`; every group of a
    /// rebuild reads the same events.
    counted: Mutex<Option<TypeCounts>>,
}

/// Events read, by type: a log has few types, each found by its shared
/// name's address (see [`TypeSlots`]), or else by a look along the list.
#[derive(Default)]
struct TypeCounts {
    counts: Vec<(Arc<str>, u64)>,
    slots: TypeSlots,
}

impl TypeCounts {
    fn count(&mut self, event_type: &Arc<str>) {
        let counts = &mut self.counts;
        let at = self.slots.find(event_type, |name| {
            match counts.iter().position(|(known, _)| **known == *name) {
                Some(at) => at,
                None => {
                    counts.push((Arc::from(name), 0));
                    counts.len() - 1
                }
            }
        });
        self.counts[at].1 += 1;
    }

    fn of(&self, event_type: &str) -> Option<u64> {
        let found = self.counts.iter().find(|(known, _)| **known == *event_type);
        found.map(|(_, count)| *count)
    }

    /// How many events a fold of `projection` alone from genesis to `at`
    /// reads: every one, or those of the types it names.
    fn replayed_by(&self, projection: &dyn Projection, at: u64) -> u64 {
        let Some(mut types) = projection.event_types() else {
            // The log is gapless: seqs 1..=at are `at` events.
            return at;
        };
        types.sort_unstable();
        types.dedup();
        types
            .iter()
            .filter_map(|event_type| self.of(event_type))
            .sum()
    }
}

impl<'a> AsAt<'a> {
    fn new(source: &'a dyn EventSource, at: u64) -> Self {
        AsAt {
            source,
            at,
            counted: Mutex::new(None),
        }
    }

    fn counts(self) -> TypeCounts {
        self.counted
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .unwrap_or_default()
    }
}

/// A visitor of a scan of [`AsAt`], counting the events it reads by type.
struct Counting<'a, V: ?Sized> {
    as_at: &'a AsAt<'a>,
    whole: bool,
    counts: TypeCounts,
    stopped: bool,
    inner: &'a mut V,
}

impl<'a, V: ?Sized> Counting<'a, V> {
    fn new(as_at: &'a AsAt<'a>, from: u64, to: u64, inner: &'a mut V) -> Self {
        Counting {
            as_at,
            // Only a whole scan from genesis counts what a fold to `at` reads.
            whole: from <= 1 && to == as_at.at,
            counts: TypeCounts::default(),
            stopped: false,
            inner,
        }
    }

    fn count(&mut self, event_type: &Arc<str>) {
        self.counts.count(event_type);
    }

    /// The counts are kept when this scan read every event to `at`.
    fn keep_if_whole(&mut self, scanned: &anyhow::Result<()>) {
        if self.whole && !self.stopped && scanned.is_ok() {
            let mut counted = self
                .as_at
                .counted
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            counted.get_or_insert(std::mem::take(&mut self.counts));
        }
    }
}

impl<V: ?Sized> Counting<'_, V> {
    /// Counts an event of `event_type`, hands it on with `pass`, and
    /// remembers whether the scan was stopped there.
    fn pass(
        &mut self,
        event_type: &Arc<str>,
        pass: impl FnOnce(&mut V) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        self.count(event_type);
        let flow = pass(self.inner);
        self.stopped |= flow.is_break();
        flow
    }
}

impl<V: FnMut(&EventView<'_>) -> ControlFlow<()> + ?Sized> Counting<'_, V> {
    fn pass_on(&mut self, event: &EventView<'_>) -> ControlFlow<()> {
        self.pass(event.event_type, |inner| inner(event))
    }
}

impl<V: FnMut(&EventHead<'_>) -> ControlFlow<()> + ?Sized> Counting<'_, V> {
    fn pass_head_on(&mut self, head: &EventHead<'_>) -> ControlFlow<()> {
        self.pass(head.event_type, |inner| inner(head))
    }
}

impl<V: Visitor + ?Sized> Visitor for Counting<'_, V> {
    fn visit(&mut self, event: &EventView<'_>) -> ControlFlow<()> {
        self.pass(event.event_type, |inner| inner.visit(event))
    }

    fn end(&mut self, scanned: anyhow::Result<()>) {
        self.keep_if_whole(&scanned);
        self.inner.end(scanned);
    }
}

impl EventSource for AsAt<'_> {
    fn last_seq(&self) -> anyhow::Result<u64> {
        Ok(self.at)
    }

    fn scan(
        &self,
        from: u64,
        to: u64,
        f: &mut dyn FnMut(&Event) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        self.source.scan(from, to.min(self.at), f)
    }

    fn scan_types(
        &self,
        from: u64,
        to: u64,
        types: &[&str],
        f: &mut dyn FnMut(&Event) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        self.source.scan_types(from, to.min(self.at), types, f)
    }

    fn scan_views(
        &self,
        from: u64,
        to: u64,
        types: Option<&[&str]>,
        f: &mut dyn FnMut(&EventView<'_>) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        let to = to.min(self.at);
        let mut counting = Counting::new(self, from, to, f);
        let scanned = self
            .source
            .scan_views(from, to, types, &mut |event| counting.pass_on(event));
        counting.keep_if_whole(&scanned);
        scanned
    }

    fn scan_heads(
        &self,
        from: u64,
        to: u64,
        types: Option<&[&str]>,
        streams: bool,
        f: &mut dyn FnMut(&EventHead<'_>) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        let to = to.min(self.at);
        let mut counting = Counting::new(self, from, to, f);
        let scanned = self
            .source
            .scan_heads(from, to, types, streams, &mut |head| {
                counting.pass_head_on(head)
            });
        counting.keep_if_whole(&scanned);
        scanned
    }

    fn scan_views_beside(
        &self,
        from: u64,
        to: u64,
        types: Option<&[&str]>,
        first: &mut dyn Visitor,
        second: &mut (dyn Visitor + Send),
    ) {
        let to = to.min(self.at);
        // Both are handed the same events: one of them counts them. (Only
        // a fold that reads to `at` leaves counts, and a rebuild in which
        // either group stops short ends in an error or a cancel.)
        let mut first = Counting::new(self, from, to, first);
        self.source
            .scan_views_beside(from, to, types, &mut first, second);
    }

    fn scan_stream(
        &self,
        stream: &str,
        to: u64,
        f: &mut dyn FnMut(&Event) -> ControlFlow<()>,
    ) -> anyhow::Result<()> {
        self.source.scan_stream(stream, to.min(self.at), f)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::projection::testing::LogBuilder;
    use crate::projection::{builtin, names};

    fn shop_log() -> crate::projection::MemoryLog {
        let mut log = LogBuilder::new();
        let address =
            json!({"street": "1 A St", "city": "Oslo", "postcode": "0150", "country": "NO"});
        log.push(
            "customer-1",
            "CustomerRegistered",
            json!({"name": "Ada", "email": "a@x", "address": address}),
        );
        for n in 1..=40 {
            let order = format!("order-{n}");
            log.push(
                &order,
                "OrderPlaced",
                json!({"customer": "customer-1", "items": [], "total": n}),
            )
            .push(&order, "PaymentReceived", json!({"amount": n}));
            if n % 7 == 0 {
                log.push("customer-1", "CustomerMoved", json!({"address": address}));
            }
        }
        log.build()
    }

    fn fresh() -> Vec<Box<dyn Projection>> {
        names().iter().map(|name| builtin(name).unwrap()).collect()
    }

    #[test]
    fn together_every_projection_reaches_the_state_and_report_it_reaches_alone() {
        let log = shop_log();
        let last = log.last_seq().unwrap();
        for at in [0, 1, 2, 17, last / 2, last - 1, last] {
            let together = travel_together(&log, fresh(), at).unwrap();
            assert_eq!(together.len(), fresh().len());
            for (projection, report) in together {
                let alone = builtin(projection.name()).unwrap();
                let (alone, alone_report) = travel(&log, None, alone, at).unwrap();
                assert_eq!(report, alone_report, "{} at {at}", projection.name());
                assert_eq!(
                    projection.state(),
                    alone.state(),
                    "{} at {at}",
                    projection.name()
                );
            }
        }
    }

    #[test]
    fn together_past_the_end_is_refused() {
        let log = shop_log();
        let last = log.last_seq().unwrap();
        let error = travel_together(&log, fresh(), last + 1).err().unwrap();
        assert!(
            matches!(error, ReplayError::PastEnd { seq, last_seq } if seq == last + 1 && last_seq == last)
        );
    }
}
