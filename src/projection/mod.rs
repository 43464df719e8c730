//! Projections (read models) and the engine around them: rebuilding from
//! the log with progress, time travel through snapshots, diff and blame.
//!
//! A projection is a pure fold over events ([`Projection`]). The engine reads
//! through two small traits ([`EventSource`], [`SnapshotStore`]) so it knows
//! neither redb nor the terminal.

pub mod builtin;
mod codec;
mod merge_patch;
mod packed;
pub mod path;
pub mod source;
mod streams_table;
mod traits;
mod views;

#[cfg(test)]
mod testing;

pub use builtin::{applicable, builtin, names};
pub use merge_patch::merge_patch;
pub use path::{Path, PathError, Segment};
pub use source::{EventSource, MemoryLog, MemorySnapshots, SnapshotStore};
pub use traits::{Projection, ProjectionError};
