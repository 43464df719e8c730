//! Rebuilding projections from genesis in one pass over the log, with
//! progress, cancellation and snapshots along the way.

use std::ops::ControlFlow;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::error::ReplayError;
use super::lockstep::Lockstep;
use super::source::{EventSource, NewSnapshot, SnapshotStore, Visitor};
use super::traits::{Projection, Reads};
use crate::event_view::{EventHead, EventView};

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
        // snapshots of a projection stay within ~32 MB per million events.
        // Saving, compressing and writing a snapshot costs a few ns a byte,
        // on both cores a rebuild already uses: at 64 bytes an event the
        // five retail projections' snapshots (190 MB over a million events)
        // cost the rebuild more than its folds did.
        SnapshotPolicy {
            min_interval: 10_000,
            bytes_per_event: 32,
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
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    rebuild_on(source, projections, options, progress, Pace::new(threads))
}

/// How a rebuild spreads over threads.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pace {
    /// At most two: the projections are folded in two groups at most.
    pub(crate) threads: usize,
    /// With two groups, the seqs between two meetings.
    pub(crate) meet_every: u64,
}

impl Pace {
    pub(crate) fn new(threads: usize) -> Pace {
        Pace {
            threads,
            meet_every: MEET_EVERY,
        }
    }
}

/// Two groups meet this often: a few milliseconds of folding, so cancel
/// and progress answer as quickly as on one thread, at no cost to speak of.
const MEET_EVERY: u64 = 16_384;

/// [`rebuild`] with the projections in two groups, each folded on its own
/// thread, both handed the events by one scan
/// ([`EventSource::scan_views_beside`]), when `pace` allows two threads and
/// there are two projections or more. The groups keep in step (see
/// [`Lockstep`]), so the outcome is the one-thread fold's: the same
/// states, the same snapshots, the same error.
pub(crate) fn rebuild_on(
    source: &dyn EventSource,
    projections: &mut [Box<dyn Projection>],
    options: &RebuildOptions<'_>,
    progress: &mut dyn FnMut(Progress),
    pace: Pace,
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
    // A fold of heads reads a few bytes an event: one thread is enough.
    let split = if pace.threads >= 2 && projections.len() >= 2 && reads_heads(projections).is_none()
    {
        projections.len().div_ceil(2)
    } else {
        projections.len()
    };
    // A failure stops the two groups at different seqs; one thread stops
    // every projection at the failing event. To end in the same states,
    // the fold is then done again on one thread, from these.
    let genesis: Option<Vec<Vec<u8>>> =
        (split < projections.len()).then(|| projections.iter().map(|p| p.save()).collect());
    // Both groups read the types that one fold of all would: a snapshot
    // is then taken at the same seq, whichever group the projection is in.
    let types = declared_types(projections);
    let (front, back) = projections.split_at_mut(split);
    let mut runs = vec![Run::new(front, options, shortest_interval, &types)];
    if !back.is_empty() {
        runs.push(Run::new(back, options, shortest_interval, &types));
    }
    let lockstep = Lockstep::new(pace.meet_every);
    let write_failure = std::thread::scope(|scope| {
        let mut writer = None;
        if let Some((store, _)) = options.snapshots {
            // A snapshot is taken (`save`) by the fold, at its seq; it is
            // compressed and written on another thread while the fold goes
            // on, in the order taken.
            let (sender, receiver) = mpsc::sync_channel::<Taken>(SNAPSHOTS_IN_FLIGHT);
            for run in runs.iter_mut() {
                run.taken = Some(sender.clone());
            }
            writer = Some(scope.spawn(move || write_snapshots(store, receiver)));
        }
        // A panic in a projection is caught here only to close the
        // channel first: the writer ends when every sender is gone, and the
        // scope waits for it, so a panic passed on with the senders alive
        // would hang the rebuild. It goes on once the writer has ended.
        let passed = std::panic::catch_unwind(AssertUnwindSafe(|| {
            fold_runs(&mut runs, source, total, started, progress, &lockstep)
        }));
        // Closing the channel lets the writer finish.
        for run in runs.iter_mut() {
            run.taken = None;
        }
        let written = writer.and_then(|writer| {
            writer
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        let passed = passed.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        passed.map(|()| written)
    })?;
    // The fold stops at the first snapshot the writer no longer takes;
    // the write's failure is the one to report.
    if let Some(failure) = write_failure {
        return Err(failure);
    }
    // The first failure in seq order, as one thread would have met it
    // (the front group's projections come first at the same seq).
    let failure = runs
        .iter_mut()
        .filter_map(|run| run.failure.take())
        .min_by_key(|(seq, _)| *seq);
    if let Some((_, failure)) = failure {
        drop(runs);
        if let Some(genesis) = genesis
            && projections
                .iter_mut()
                .zip(&genesis)
                .all(|(projection, bytes)| projection.restore(bytes).is_ok())
        {
            let one_thread = Pace { threads: 1, ..pace };
            // Progress goes on being reported (the fold starts again from
            // genesis); a cancel during it still ends in the failure found.
            return match rebuild_on(source, projections, options, progress, one_thread) {
                Ok(RebuildOutcome::Cancelled(_)) => Err(failure),
                other => other,
            };
        }
        return Err(failure);
    }
    let cancelled = runs.iter().any(|run| run.cancelled);
    let report = RebuildReport {
        done: runs.iter().map(|run| run.done).min().unwrap_or(total),
        total,
        snapshots_saved: runs.iter().map(|run| run.snapshots_saved).sum(),
        elapsed: started.elapsed(),
    };
    if cancelled {
        return Ok(RebuildOutcome::Cancelled(report));
    }
    progress(measure(report.done, total, started));
    Ok(RebuildOutcome::Completed(report))
}

/// Folds one group on this thread, or two beside each other: the back one
/// on a second thread, both handed the same events by one scan.
fn fold_runs<'r>(
    runs: &mut [Run<'r, '_>],
    source: &dyn EventSource,
    total: u64,
    started: Instant,
    progress: &mut dyn FnMut(Progress),
    lockstep: &'r Lockstep,
) -> Result<(), ReplayError> {
    let [front, back] = runs else {
        return runs
            .iter_mut()
            .try_for_each(|run| run.pass(source, total, started, progress));
    };
    // Asked once for both, so that both start (or not) alike.
    if front.cancel_requested() {
        front.cancelled = true;
        back.cancelled = true;
        return Ok(());
    }
    // Both groups read the same types (see `rebuild_on`).
    let types = type_names(front.types);
    // The front group reports progress for both: the back one tells it how
    // far it has folded, every check, until it ends.
    let (publish, behind) = mpsc::channel();
    let mut front = InStep::new(front, lockstep, total, started, progress);
    front.behind = Some(behind);
    let mut back = InStep::new(back, lockstep, total, started, |_| {});
    back.publish = Some(publish);
    source.scan_views_beside(1, total, types.as_deref(), &mut front, &mut back);
    let (here, there) = (front.outcome, back.outcome);
    here.and(there)
}

/// One group of a two-group rebuild, folding the events as a scan hands
/// them over: cancel, progress and a stop for a failure are decided at the
/// meetings, for both groups alike.
struct InStep<'a, 'r, 'o, P: FnMut(Progress)> {
    run: &'a mut Run<'r, 'o>,
    lockstep: &'r Lockstep,
    total: u64,
    reporter: Reporter,
    progress: P,
    /// The back group says how far it has folded here; dropped when it
    /// ends, so that the front group stops listening.
    publish: Option<mpsc::Sender<u64>>,
    /// The front group hears how far the back one is here.
    behind: Option<mpsc::Receiver<u64>>,
    back_done: u64,
    /// The seq after which the groups next meet.
    next_meeting: u64,
    /// A meeting decided to stop.
    stopped: bool,
    /// This group broke off (a failure, a closed snapshot channel, a
    /// source error): it asks to stop at the next meeting.
    halted: bool,
    visited: u64,
    /// How the scan ended for this group.
    outcome: Result<(), ReplayError>,
}

impl<'a, 'r, 'o, P: FnMut(Progress)> InStep<'a, 'r, 'o, P> {
    fn new(
        run: &'a mut Run<'r, 'o>,
        lockstep: &'r Lockstep,
        total: u64,
        started: Instant,
        progress: P,
    ) -> Self {
        let reporter = Reporter::new(run.options.report_every, total, started);
        InStep {
            run,
            lockstep,
            total,
            reporter,
            progress,
            publish: None,
            behind: None,
            back_done: 0,
            next_meeting: lockstep.every,
            stopped: false,
            halted: false,
            visited: 0,
            outcome: Ok(()),
        }
    }

    /// Holds the next meeting; false when it decides to stop there.
    fn meet(&mut self) -> bool {
        let boundary = self.next_meeting;
        self.next_meeting = boundary.saturating_add(self.lockstep.every);
        let stop = self
            .lockstep
            .meet(self.halted || self.run.cancel_requested());
        if stop {
            self.run.cancelled = true;
            self.run.done = boundary;
        }
        self.stopped = stop;
        !stop
    }

    fn fold(&mut self, event: &EventView<'_>) -> ControlFlow<()> {
        while event.seq > self.next_meeting {
            if !self.meet() {
                return ControlFlow::Break(());
            }
        }
        let folded = self.run.fold(event);
        self.halted = folded.is_break();
        self.visited += 1;
        if self.visited.is_multiple_of(CHECK_EVERY) {
            if let Some(publish) = &self.publish {
                // The front group is gone only when the rebuild ends.
                let _ = publish.send(self.run.done);
            } else if let Some(behind) = &self.behind {
                if let Some(done) = behind.try_iter().last() {
                    self.back_done = done;
                }
                // Both groups are at least this far; no report once a
                // cancel is asked for (it takes effect at the next meeting).
                let cancel = self.run.cancel_requested();
                let done = self.run.done.min(self.back_done);
                self.reporter.offer(done, cancel, &mut self.progress);
            }
        }
        folded
    }

    fn finish(&mut self, scanned: anyhow::Result<()>) {
        // Every meeting before the end is held, by both groups, unless one
        // decides to stop: a group that broke off asks to stop at the next.
        self.halted |= scanned.is_err();
        while !self.stopped && self.next_meeting < self.total {
            self.meet();
        }
        // The front group stops waiting for news once this is gone.
        self.publish = None;
        if let Err(error) = scanned {
            self.outcome = Err(ReplayError::Source(error));
            return;
        }
        if !self.run.cancelled && self.run.failure.is_none() {
            self.run.done = self.total;
            // The front group is through: the back one may still be folding,
            // and what it says is how far the rebuild is.
            if let Some(behind) = self.behind.take() {
                for done in behind {
                    let cancel = self.run.cancel_requested();
                    self.reporter.offer(done, cancel, &mut self.progress);
                }
            }
        }
    }
}

/// A group that panics leaves the meetings (the other one stops waiting
/// for it) and says no more, so that the other can end.
struct LeaveOnPanic<'g, 'a, 'r, 'o, P: FnMut(Progress)>(&'g mut InStep<'a, 'r, 'o, P>);

impl<P: FnMut(Progress)> Drop for LeaveOnPanic<'_, '_, '_, '_, P> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.lockstep.abandon();
            self.0.publish = None;
        }
    }
}

impl<P: FnMut(Progress)> Visitor for InStep<'_, '_, '_, P> {
    fn visit(&mut self, event: &EventView<'_>) -> ControlFlow<()> {
        LeaveOnPanic(self).0.fold(event)
    }

    fn end(&mut self, scanned: anyhow::Result<()>) {
        LeaveOnPanic(self).0.finish(scanned);
    }
}

/// Reports a rebuild's progress (on two threads, how far both groups have
/// come): at most every `every`, only forward, never the end (the rebuild
/// reports that once), never after a cancel is asked for.
struct Reporter {
    every: Duration,
    last_report: Instant,
    last_done: u64,
    total: u64,
    started: Instant,
}

impl Reporter {
    fn new(every: Duration, total: u64, started: Instant) -> Reporter {
        Reporter {
            every,
            last_report: started,
            last_done: 0,
            total,
            started,
        }
    }

    fn offer(&mut self, done: u64, cancel_requested: bool, progress: &mut dyn FnMut(Progress)) {
        let now = Instant::now();
        if done > self.last_done
            && done < self.total
            && now.duration_since(self.last_report) >= self.every
            && !cancel_requested
        {
            self.last_report = now;
            self.last_done = done;
            progress(measure(done, self.total, self.started));
        }
    }
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

/// Writes the snapshots as they come, all those waiting at once, until
/// the channel closes or a write fails (then it stops taking them, which
/// stops the fold).
fn write_snapshots(store: &dyn SnapshotStore, taken: mpsc::Receiver<Taken>) -> Option<ReplayError> {
    while let Ok(first) = taken.recv() {
        let mut batch = vec![first];
        batch.extend(taken.try_iter());
        let snapshots: Vec<NewSnapshot<'_>> = batch
            .iter()
            .map(|snapshot| NewSnapshot {
                projection: &snapshot.projection,
                version: snapshot.version,
                seq: snapshot.seq,
                state: &snapshot.bytes,
            })
            .collect();
        if let Err((index, error)) = store.put_all(&snapshots) {
            let projection = batch
                .get(index)
                .map_or_else(String::new, |snapshot| snapshot.projection.clone());
            return Some(ReplayError::Snapshots { projection, error });
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
    /// The first failure, and the seq of the event it met.
    failure: Option<(u64, ReplayError)>,
    cancelled: bool,
    /// The only types read, when every projection names its own.
    types: &'r Option<Vec<String>>,
}

impl<'r, 'o> Run<'r, 'o> {
    fn new(
        projections: &'r mut [Box<dyn Projection>],
        options: &'r RebuildOptions<'o>,
        shortest_interval: u64,
        types: &'r Option<Vec<String>>,
    ) -> Self {
        let next_snapshot = match options.snapshots {
            Some((_, policy)) => {
                let first = policy.min_interval.max(shortest_interval).max(1);
                vec![first; projections.len()]
            }
            None => Vec::new(),
        };
        Run {
            projections,
            options,
            next_snapshot,
            shortest_interval,
            taken: None,
            snapshots_saved: 0,
            done: 0,
            failure: None,
            cancelled: false,
            types,
        }
    }

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
        let mut reporter = Reporter::new(self.options.report_every, total, started);
        self.cancelled = self.cancel_requested();
        if self.cancelled {
            return Ok(());
        }
        // When every projection names the types it reads, the others are
        // skipped through the store without being decoded (still checked).
        let types = type_names(self.types);
        let mut visited = 0u64;
        let scanned = match reads_heads(self.projections) {
            // Projections that read heads alone are folded from the heads.
            Some(streams) => {
                let mut visit = |head: &EventHead<'_>| {
                    self.fold_head(head)?;
                    self.tick(&mut visited, &mut reporter, progress)
                };
                source.scan_heads(1, total, types.as_deref(), streams, &mut visit)
            }
            None => {
                let mut visit = |event: &EventView<'_>| {
                    self.fold(event)?;
                    self.tick(&mut visited, &mut reporter, progress)
                };
                source.scan_views(1, total, types.as_deref(), &mut visit)
            }
        };
        scanned.map_err(ReplayError::Source)?;
        // The events after the last one read were of no type read: the
        // projections are at the end of the log.
        if !self.cancelled && self.failure.is_none() {
            self.done = total;
        }
        Ok(())
    }

    /// Counts one more event folded; every [`CHECK_EVERY`], stops on a
    /// cancel or reports progress.
    fn tick(
        &mut self,
        visited: &mut u64,
        reporter: &mut Reporter,
        progress: &mut dyn FnMut(Progress),
    ) -> ControlFlow<()> {
        *visited += 1;
        if visited.is_multiple_of(CHECK_EVERY) {
            if self.cancel_requested() {
                self.cancelled = true;
                return ControlFlow::Break(());
            }
            reporter.offer(self.done, false, progress);
        }
        ControlFlow::Continue(())
    }

    fn fold(&mut self, event: &EventView<'_>) -> ControlFlow<()> {
        if let Err(failure) = apply_all(self.projections, event) {
            self.failure = Some((event.seq, failure));
            return ControlFlow::Break(());
        }
        self.folded(event.seq)
    }

    /// [`Run::fold`] of an event's head, for projections that read only
    /// heads.
    fn fold_head(&mut self, head: &EventHead<'_>) -> ControlFlow<()> {
        for projection in self.projections.iter_mut() {
            if let Err(error) = projection.apply_head(head) {
                let failure = ReplayError::head(projection.name(), head, error);
                self.failure = Some((head.seq, failure));
                return ControlFlow::Break(());
            }
        }
        self.folded(head.seq)
    }

    /// After the event at `seq` is folded into every projection: saves the
    /// snapshots due.
    fn folded(&mut self, seq: u64) -> ControlFlow<()> {
        // From genesis, an event's seq is the number of events before it and
        // itself, read or skipped.
        self.done = seq;
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
                seq,
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

/// `types` as the scans take them.
fn type_names(types: &Option<Vec<String>>) -> Option<Vec<&str>> {
    types
        .as_ref()
        .map(|types| types.iter().map(String::as_str).collect())
}

/// When every projection reads only the heads of events: whether any of
/// them reads the streams' names.
pub(crate) fn reads_heads(projections: &[Box<dyn Projection>]) -> Option<bool> {
    let mut streams = false;
    for projection in projections {
        match projection.reads() {
            Reads::Heads { streams: named } => streams |= named,
            Reads::Events => return None,
        }
    }
    Some(streams)
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
    event: &EventView<'_>,
) -> Result<(), ReplayError> {
    for projection in projections.iter_mut() {
        projection
            .apply_view(event)
            .map_err(|error| ReplayError::event(projection.name(), event, error))?;
    }
    Ok(())
}

/// Folds the heads of the events from..=to into `projection`, which reads
/// only heads (with the streams' names when `streams`); how many were
/// folded.
pub(crate) fn replay_heads(
    source: &dyn EventSource,
    projection: &mut dyn Projection,
    from: u64,
    to: u64,
    streams: bool,
) -> Result<u64, ReplayError> {
    let mut folded = Folded::default();
    if from > to {
        return folded.end(Ok(()));
    }
    let types = projection.event_types();
    let types = type_names(&types);
    let scanned = source.scan_heads(from, to, types.as_deref(), streams, &mut |head| {
        let applied = projection.apply_head(head);
        folded.took(applied.map_err(|error| ReplayError::head(projection.name(), head, error)))
    });
    folded.end(scanned)
}

/// How many events a replay of a range folded, and the failure that
/// stopped it.
#[derive(Default)]
struct Folded {
    replayed: u64,
    failure: Option<ReplayError>,
}

impl Folded {
    /// Counts one event folded, or keeps why it was not and stops.
    fn took(&mut self, applied: Result<(), ReplayError>) -> ControlFlow<()> {
        match applied {
            Ok(()) => {
                self.replayed += 1;
                ControlFlow::Continue(())
            }
            Err(failure) => {
                self.failure = Some(failure);
                ControlFlow::Break(())
            }
        }
    }

    /// The events folded, once the scan has ended as `scanned`.
    fn end(self, scanned: anyhow::Result<()>) -> Result<u64, ReplayError> {
        scanned.map_err(ReplayError::Source)?;
        match self.failure {
            Some(failure) => Err(failure),
            None => Ok(self.replayed),
        }
    }
}

/// Folds the events from..=to into `projection`, calling `after` with each
/// event once it is applied.
pub(crate) fn replay_range(
    source: &dyn EventSource,
    projection: &mut dyn Projection,
    from: u64,
    to: u64,
    after: &mut dyn FnMut(&dyn Projection, &EventView<'_>),
) -> Result<u64, ReplayError> {
    let mut folded = Folded::default();
    if from > to {
        return folded.end(Ok(()));
    }
    let types = projection.event_types();
    let types = type_names(&types);
    let scanned = source.scan_views(from, to, types.as_deref(), &mut |event| {
        let applied = projection.apply_view(event);
        if applied.is_ok() {
            after(projection, event);
        }
        folded.took(applied.map_err(|error| ReplayError::event(projection.name(), event, error)))
    });
    folded.end(scanned)
}
