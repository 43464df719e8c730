//! Blame: which event last changed the value at a path of a projection's
//! state.
//!
//! Three ways, fastest first:
//! - the projection names the one stream that decides the path
//!   ([`Projection::stream_of`]): only that stream's events are replayed;
//! - with snapshots: a binary search over them finds a late snapshot where
//!   the value differs from the value at `at`; the last change lies after
//!   it, so replaying from there to `at` finds it;
//! - otherwise: replay from genesis.
//!
//! All three replay every event between their start and `at`, so a value
//! that changed and changed back is blamed on the change back.

use std::collections::HashMap;
use std::ops::ControlFlow;

use serde_json::Value;

use super::error::ReplayError;
use super::path::Path;
use super::replay::replay_range;
use super::source::{EventSource, SnapshotStore};
use super::traits::Projection;
use super::travel::{Start, travel};

/// The answer to "which event last changed this value".
#[derive(Clone, Debug, PartialEq)]
pub struct Blame {
    /// The value at the path as at `at`, None when there is none.
    pub value: Option<Value>,
    /// The seq of the last event that changed it; None if it never changed
    /// (it was never set).
    pub changed_at: Option<u64>,
    /// Where the search replayed from, and how many events it folded in.
    pub start: Start,
    pub replayed: u64,
}

/// Blames `path` in fresh `projection`'s state as at seq `at`.
pub fn blame(
    source: &dyn EventSource,
    snapshots: Option<&dyn SnapshotStore>,
    mut projection: Box<dyn Projection>,
    path: &Path,
    at: u64,
) -> Result<Blame, ReplayError> {
    let last_seq = source.last_seq().map_err(ReplayError::Source)?;
    if at > last_seq {
        return Err(ReplayError::PastEnd { seq: at, last_seq });
    }
    if let Some(stream) = projection.stream_of(path) {
        return blame_in_stream(source, projection.as_mut(), path, &stream, at);
    }
    let genesis = projection.save();
    let start = match snapshots {
        Some(store) => {
            let (at_state, _) = travel(source, Some(store), projection, at)?;
            projection = at_state;
            let target = projection.get(path);
            let start = latest_differing_snapshot(store, projection.as_mut(), path, &target, at)?;
            match &start {
                Some((_, bytes)) => restore(projection.as_mut(), bytes)?,
                None => restore(projection.as_mut(), &genesis)?,
            }
            start.map_or(Start::Genesis, |(seq, _)| Start::Snapshot(seq))
        }
        None => Start::Genesis,
    };
    let from = match start {
        Start::Genesis => 1,
        Start::Snapshot(seq) => seq + 1,
    };
    let mut tracker = Tracker::new(projection.get(path));
    let replayed = replay_range(source, projection.as_mut(), from, at, &mut |p, event| {
        // Only events whose scope meets the path can change its value.
        if p.scope(event).iter().any(|scope| overlaps(scope, path)) {
            tracker.see(event.seq, p.get(path));
        }
    })?;
    Ok(tracker.finish(start, replayed))
}

/// Replays only `stream`'s events up to `at`, which alone decide `path`.
fn blame_in_stream(
    source: &dyn EventSource,
    projection: &mut dyn Projection,
    path: &Path,
    stream: &str,
    at: u64,
) -> Result<Blame, ReplayError> {
    let mut tracker = Tracker::new(projection.get(path));
    let mut replayed = 0;
    let mut failure = None;
    source
        .scan_stream(stream, at, &mut |event| {
            if let Err(error) = projection.apply(event) {
                failure = Some(ReplayError::event(projection.name(), &event.view(), error));
                return ControlFlow::Break(());
            }
            replayed += 1;
            tracker.see(event.seq, projection.get(path));
            ControlFlow::Continue(())
        })
        .map_err(ReplayError::Source)?;
    match failure {
        Some(failure) => Err(failure),
        None => Ok(tracker.finish(Start::Genesis, replayed)),
    }
}

/// Binary search over the snapshots at or below `at` for the latest whose
/// value at `path` differs from `target`. If values never change back, the
/// search finds exactly the latest one; if they do, it may find an earlier
/// one, which only makes the replay longer, never the answer wrong.
fn latest_differing_snapshot(
    store: &dyn SnapshotStore,
    probe: &mut dyn Projection,
    path: &Path,
    target: &Option<Value>,
    at: u64,
) -> Result<Option<(u64, Vec<u8>)>, ReplayError> {
    let name = probe.name().to_owned();
    let version = probe.version();
    let mut differs_at: HashMap<u64, bool> = HashMap::new();
    // Ok(Some(snapshot)) when the snapshot at or below `bound` is a valid
    // start (its value differs), Ok(None) when there is none (genesis is
    // the start), Err(seq) when the one there holds the same value.
    type Probe = Result<Option<(u64, Vec<u8>)>, u64>;
    let mut valid_start = |bound: u64| -> Result<Probe, ReplayError> {
        let nearest =
            store
                .nearest(&name, version, bound)
                .map_err(|error| ReplayError::Snapshots {
                    projection: name.to_owned(),
                    error,
                })?;
        let Some((seq, bytes)) = nearest else {
            return Ok(Ok(None));
        };
        let differs = match differs_at.get(&seq) {
            Some(differs) => *differs,
            None => {
                // An unreadable snapshot cannot be a start.
                let differs = probe.restore(&bytes).is_ok() && probe.get(path) != *target;
                differs_at.insert(seq, differs);
                differs
            }
        };
        Ok(if differs {
            Ok(Some((seq, bytes)))
        } else {
            Err(seq)
        })
    };
    // Invariant: the snapshot at or below `low` is a valid start (genesis
    // counts as one) and is `best`; the one at or below `high` is not.
    let mut high = match valid_start(at)? {
        Ok(found) => return Ok(found),
        Err(seq) => seq,
    };
    let (mut low, mut best) = (0, None);
    while low + 1 < high {
        let middle = low + (high - low) / 2;
        match valid_start(middle)? {
            Ok(found) => (low, best) = (middle, found),
            Err(seq) => high = seq,
        }
    }
    Ok(best)
}

/// Whether one path lies within the other.
fn overlaps(a: &Path, b: &Path) -> bool {
    a.segments().iter().zip(b.segments()).all(|(x, y)| x == y)
}

fn restore(projection: &mut dyn Projection, bytes: &[u8]) -> Result<(), ReplayError> {
    projection
        .restore(bytes)
        .map_err(|error| ReplayError::Snapshots {
            projection: projection.name().to_owned(),
            error: error.into(),
        })
}

/// Follows one value through a replay, remembering when it last changed.
struct Tracker {
    current: Option<Value>,
    changed_at: Option<u64>,
}

impl Tracker {
    fn new(initial: Option<Value>) -> Tracker {
        Tracker {
            current: initial,
            changed_at: None,
        }
    }

    fn see(&mut self, seq: u64, value: Option<Value>) {
        if value != self.current {
            self.current = value;
            self.changed_at = Some(seq);
        }
    }

    fn finish(self, start: Start, replayed: u64) -> Blame {
        Blame {
            value: self.current,
            changed_at: self.changed_at,
            start,
            replayed,
        }
    }
}
