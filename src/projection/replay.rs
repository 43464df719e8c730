//! Rebuilding projections from genesis in one pass over the log, with
//! progress, cancellation and snapshots along the way.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::error::ReplayError;
use super::source::{EventSource, SnapshotStore};
use super::traits::Projection;
use crate::event::Event;

/// The clock and the cancel flag are read once per this many events: often
/// enough to report every few milliseconds, rare enough to cost nothing.
const CHECK_EVERY: u64 = 1024;

/// The most snapshots one rebuild saves of a projection, whatever the log's
/// length: the interval grows with the log to stay within it.
pub const MAX_SNAPSHOTS_PER_REBUILD: u64 = 32;

/// How far a rebuild has got.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
    pub events_per_sec: f64,
}

/// When to save snapshots during a rebuild.
///
/// Time travel costs a restore (proportional to the state's size) plus the
/// replay of the events after the snapshot (at most the interval). A fixed
/// interval is wrong both ways: small states would be saved needlessly often
/// and large ones would cost O(N^2 / K) bytes over the log. So the interval
/// after a snapshot of B bytes is `max(min_interval, B / bytes_per_event)`:
/// a state that takes longer to save gets saved less often, the total bytes
/// saved stay at most about `bytes_per_event` per event, and the replay after
/// a restore costs about as much as the restore itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapshotPolicy {
    /// The fewest events between two snapshots of a projection.
    pub min_interval: u64,
    /// Snapshot bytes allowed per event replayed; see above.
    pub bytes_per_event: u64,
}

impl Default for SnapshotPolicy {
    fn default() -> Self {
        // 10k events replay in a few milliseconds. At 32 bytes an event, a
        // 3 MB state (a million retail events) is saved every ~100k events:
        // time travel replays ~50k events after a ~3 ms restore, and the
        // snapshots of a projection stay within ~32 MB per million events,
        // costing the rebuild ~30 ns an event to write.
        SnapshotPolicy {
            min_interval: 10_000,
            bytes_per_event: 64,
        }
    }
}

impl SnapshotPolicy {
    fn interval_after(&self, saved_bytes: usize) -> u64 {
        let by_size = saved_bytes as u64 / self.bytes_per_event.max(1);
        self.min_interval.max(by_size).max(1)
    }
}

/// How a rebuild runs.
#[derive(Clone, Copy)]
pub struct RebuildOptions<'a> {
    /// Where to save snapshots, and how often; None saves none.
    pub snapshots: Option<(&'a dyn SnapshotStore, SnapshotPolicy)>,
    /// Set it (from any thread) to stop the rebuild.
    pub cancel: Option<&'a AtomicBool>,
    /// The longest time between two progress reports.
    pub report_every: Duration,
}

impl Default for RebuildOptions<'_> {
    fn default() -> Self {
        RebuildOptions {
            snapshots: None,
            cancel: None,
            report_every: Duration::from_millis(50),
        }
    }
}

/// What a rebuild did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RebuildReport {
    /// Events folded into every projection.
    pub done: u64,
    /// Events the log held when the rebuild began.
    pub total: u64,
    pub snapshots_saved: u64,
    pub elapsed: Duration,
}

/// How a rebuild ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RebuildOutcome {
    Completed(RebuildReport),
    /// Stopped through the cancel flag; the projections hold the state at
    /// seq `done`.
    Cancelled(RebuildReport),
}

/// Rebuilds fresh `projections` from genesis to the current end of the log
/// in one pass. Reports progress at least every `report_every` and exactly
/// once at the end with done == total. With snapshots, first discards every
/// snapshot of each projection (of its other versions, and those the new
/// ones replace), and saves at most [`MAX_SNAPSHOTS_PER_REBUILD`] of each.
pub fn rebuild(
    source: &dyn EventSource,
    projections: &mut [Box<dyn Projection>],
    options: &RebuildOptions<'_>,
    progress: &mut dyn FnMut(Progress),
) -> Result<RebuildOutcome, ReplayError> {
    let started = Instant::now();
    let total = source.last_seq().map_err(ReplayError::Source)?;
    if let Some((store, _)) = options.snapshots {
        for projection in projections.iter() {
            store
                .discard_all(projection.name())
                .map_err(|error| ReplayError::Snapshots {
                    projection: projection.name().to_owned(),
                    error,
                })?;
        }
    }
    let shortest_interval = total.div_ceil(MAX_SNAPSHOTS_PER_REBUILD);
    let mut run = Run {
        projections,
        options,
        next_snapshot: Vec::new(),
        shortest_interval,
        taken: None,
        snapshots_saved: 0,
        done: 0,
        failure: None,
        cancelled: false,
    };
    match options.snapshots {
        None => run.pass(source, total, started, progress)?,
        Some((store, policy)) => {
            let first = policy.min_interval.max(shortest_interval).max(1);
            run.next_snapshot = vec![first; run.projections.len()];
            // A snapshot is taken (`save`) here, at its seq; it is
            // compressed and written on a second thread while the fold goes
            // on, in the order taken.
            let (sender, receiver) = mpsc::sync_channel::<Taken>(SNAPSHOTS_IN_FLIGHT);
            run.taken = Some(sender);
            let write_failure = std::thread::scope(|scope| {
                let writer = scope.spawn(move || write_snapshots(store, receiver));
                let passed = run.pass(source, total, started, progress);
                // Closing the channel lets the writer finish.
                run.taken = None;
                let written = writer
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                passed.map(|()| written)
            })?;
            // The fold stops at the first snapshot the writer no longer
            // takes; the write's failure is the one to report.
            if let Some(failure) = write_failure {
                run.failure = Some(failure);
            }
        }
    }
    if let Some(failure) = run.failure {
        return Err(failure);
    }
    let report = RebuildReport {
        done: run.done,
        total,
        snapshots_saved: run.snapshots_saved,
        elapsed: started.elapsed(),
    };
    if run.cancelled {
        return Ok(RebuildOutcome::Cancelled(report));
    }
    progress(measure(run.done, total, started));
    Ok(RebuildOutcome::Completed(report))
}

/// Snapshots taken and not yet written, at most: each holds a whole state.
const SNAPSHOTS_IN_FLIGHT: usize = 2;

/// A snapshot taken at its seq, on its way to the store.
struct Taken {
    projection: String,
    version: u32,
    seq: u64,
    bytes: Vec<u8>,
}

/// Writes the snapshots as they come, until the channel closes or a write
/// fails (then it stops taking them, which stops the fold).
fn write_snapshots(store: &dyn SnapshotStore, taken: mpsc::Receiver<Taken>) -> Option<ReplayError> {
    for snapshot in taken {
        if let Err(error) = store.put(
            &snapshot.projection,
            snapshot.version,
            snapshot.seq,
            &snapshot.bytes,
        ) {
            return Some(ReplayError::Snapshots {
                projection: snapshot.projection,
                error,
            });
        }
    }
    None
}

fn measure(done: u64, total: u64, started: Instant) -> Progress {
    let seconds = started.elapsed().as_secs_f64();
    let events_per_sec = if seconds > 0.0 {
        done as f64 / seconds
    } else {
        0.0
    };
    Progress {
        done,
        total,
        events_per_sec,
    }
}

/// The state of one rebuild while the log streams past.
struct Run<'r, 'o> {
    projections: &'r mut [Box<dyn Projection>],
    options: &'r RebuildOptions<'o>,
    /// Per projection: the `done` count at which to save the next snapshot.
    next_snapshot: Vec<u64>,
    /// Keeps the number of snapshots bounded on a long log.
    shortest_interval: u64,
    /// Where snapshots go to be written, when they are saved.
    taken: Option<mpsc::SyncSender<Taken>>,
    snapshots_saved: u64,
    done: u64,
    failure: Option<ReplayError>,
    cancelled: bool,
}

impl Run<'_, '_> {
    fn cancel_requested(&self) -> bool {
        self.options
            .cancel
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
    }

    /// Folds the log from genesis to `total`, until done, cancelled or
    /// failed.
    fn pass(
        &mut self,
        source: &dyn EventSource,
        total: u64,
        started: Instant,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(), ReplayError> {
        let report_every = self.options.report_every;
        let mut last_report = started;
        self.cancelled = self.cancel_requested();
        if self.cancelled {
            return Ok(());
        }
        // When every projection names the types it reads, the others are
        // skipped through the store without being decoded (still checked).
        let types = declared_types(self.projections);
        let mut visited = 0u64;
        let mut visit = |event: &Event| {
            self.fold(event)?;
            visited += 1;
            if visited.is_multiple_of(CHECK_EVERY) {
                if self.cancel_requested() {
                    self.cancelled = true;
                    return ControlFlow::Break(());
                }
                let now = Instant::now();
                if now.duration_since(last_report) >= report_every {
                    last_report = now;
                    progress(measure(self.done, total, started));
                }
            }
            ControlFlow::Continue(())
        };
        match &types {
            Some(types) => {
                let types: Vec<&str> = types.iter().map(String::as_str).collect();
                source.scan_types(1, total, &types, &mut visit)
            }
            None => source.scan(1, total, &mut visit),
        }
        .map_err(ReplayError::Source)?;
        // The events after the last one read were of no type read: the
        // projections are at the end of the log.
        if !self.cancelled && self.failure.is_none() {
            self.done = total;
        }
        Ok(())
    }

    fn fold(&mut self, event: &Event) -> ControlFlow<()> {
        if let Err(failure) = apply_all(self.projections, event) {
            self.failure = Some(failure);
            return ControlFlow::Break(());
        }
        // From genesis, an event's seq is the number of events before it and
        // itself, read or skipped.
        self.done = event.seq;
        let (Some(taken), Some((_, policy))) = (&self.taken, self.options.snapshots) else {
            return ControlFlow::Continue(());
        };
        for (projection, next) in self.projections.iter().zip(&mut self.next_snapshot) {
            if self.done < *next {
                continue;
            }
            let bytes = projection.save();
            *next = self.done
                + policy
                    .interval_after(bytes.len())
                    .max(self.shortest_interval);
            let snapshot = Taken {
                projection: projection.name().to_owned(),
                version: projection.version(),
                seq: event.seq,
                bytes,
            };
            // A closed channel means the writer failed: it reports why.
            if taken.send(snapshot).is_err() {
                return ControlFlow::Break(());
            }
            self.snapshots_saved += 1;
        }
        ControlFlow::Continue(())
    }
}

/// The event types the projections read, when each of them names its own;
/// `None` when any reads every event.
fn declared_types(projections: &[Box<dyn Projection>]) -> Option<Vec<String>> {
    let mut union: Vec<String> = Vec::new();
    for projection in projections {
        for event_type in projection.event_types()? {
            if !union.contains(&event_type) {
                union.push(event_type);
            }
        }
    }
    Some(union)
}

/// Folds `event` into every projection, naming the first that fails.
pub(crate) fn apply_all(
    projections: &mut [Box<dyn Projection>],
    event: &Event,
) -> Result<(), ReplayError> {
    for projection in projections.iter_mut() {
        projection
            .apply(event)
            .map_err(|error| ReplayError::event(projection.name(), event, error))?;
    }
    Ok(())
}

/// Folds the events from..=to into `projection`, calling `after` with each
/// event once it is applied.
pub(crate) fn replay_range(
    source: &dyn EventSource,
    projection: &mut dyn Projection,
    from: u64,
    to: u64,
    after: &mut dyn FnMut(&dyn Projection, &Event),
) -> Result<u64, ReplayError> {
    let mut replayed = 0;
    let mut failure = None;
    if from <= to {
        let types = projection.event_types();
        let mut fold = |event: &Event| match projection.apply(event) {
            Ok(()) => {
                replayed += 1;
                after(projection, event);
                ControlFlow::Continue(())
            }
            Err(error) => {
                failure = Some(ReplayError::event(projection.name(), event, error));
                ControlFlow::Break(())
            }
        };
        match types {
            Some(types) => {
                let types: Vec<&str> = types.iter().map(String::as_str).collect();
                source.scan_types(from, to, &types, &mut fold)
            }
            None => source.scan(from, to, &mut fold),
        }
        .map_err(ReplayError::Source)?;
    }
    match failure {
        Some(failure) => Err(failure),
        None => Ok(replayed),
    }
}
