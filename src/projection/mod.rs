//! Projections (read models) and the engine around them: rebuilding from
//! the log with progress, time travel through snapshots, diff and blame.
//!
//! A projection is a pure fold over events ([`Projection`]). The engine reads
//! through two small traits ([`EventSource`], [`SnapshotStore`]) so it knows
//! neither redb nor the terminal.

pub mod blame;
pub mod builtin;
mod codec;
pub mod compact;
pub mod diff;
mod error;
mod lockstep;
mod merge_patch;
mod packed;
pub mod path;
pub mod replay;
pub mod skip;
pub mod source;
mod streams_table;
mod traits;
pub mod travel;
mod type_slots;
mod views;

#[cfg(test)]
pub(crate) mod testing;

pub use blame::{Blame, blame};
pub use builtin::{applicable, builtin, names};
pub use diff::{Change, diff, diff_at, diff_under};
pub use error::ReplayError;
pub use merge_patch::merge_patch;
pub use path::{Path, PathError, Segment};
pub use replay::{
    Progress, RebuildOptions, RebuildOutcome, RebuildReport, SnapshotPolicy, rebuild,
};
pub use skip::{Skip, SkipError, SkipReport, SkipRule, replay_skipping};
pub use source::{EventSource, MemoryLog, MemorySnapshots, SnapshotStore, Visitor};
pub use traits::{Projection, ProjectionError, Reads};
pub use travel::{Start, TravelReport, travel};

#[cfg(test)]
mod tests;
