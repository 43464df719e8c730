//! What the projections view's workers answer.

use serde_json::Value;

use crate::projection::{Change, Progress, Projection, RebuildOutcome, Start};
use crate::ui::json_tree::LazyMaps;

/// A projection's state at one seq, and what the event there changed.
pub struct StateAt {
    pub name: String,
    pub seq: u64,
    /// The projection itself, kept to step on from cheaply.
    pub projection: Box<dyn Projection>,
    /// The state whole when small; else with each map of `lazy` holding
    /// only the entries fetched (see [`lazy_state`]).
    pub value: Value,
    /// The large maps of `value`, by tree path, with all their keys.
    pub lazy: LazyMaps,
    pub changes: Vec<Change>,
    /// How the state was reached: from which snapshot, how many events.
    pub how: String,
}

impl std::fmt::Debug for StateAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StateAt")
            .field("name", &self.name)
            .field("seq", &self.seq)
            .field("changes", &self.changes.len())
            .finish()
    }
}

/// Whether the snapshot path and the genesis path reach the same state.
#[derive(Clone, Debug, PartialEq)]
pub enum Agreement {
    Agree {
        start: Start,
        replayed: u64,
        genesis_replayed: u64,
    },
    Differ(Vec<String>),
}

/// A worker's answer about projections.
#[derive(Debug)]
pub enum ProjectionMsg {
    State(Result<Box<StateAt>, String>),
    RebuildProgress(Progress),
    Rebuilt(Result<RebuildOutcome, String>),
    /// The snapshot pass after a rebuild, under way and done.
    SnapshotProgress(Progress),
    SnapshotsSaved(Result<RebuildOutcome, String>),
    Blamed {
        path: String,
        result: Result<Option<u64>, String>,
    },
    Checked(Result<Agreement, String>),
}
