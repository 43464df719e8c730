//! Time travel: a projection's state as at any seq, from the nearest
//! snapshot at or below it plus the events after.

use super::error::ReplayError;
use super::replay::replay_range;
use super::source::{EventSource, SnapshotStore};
use super::traits::Projection;

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
    let replayed = replay_range(source, projection.as_mut(), from, at, &mut |_, _| {})?;
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
