//! Projections of a git history imported with `import --git`: the tree
//! (files and sizes at any seq), activity by author over time, and the
//! most-changed files.
//!
//! In Rust rather than a domain file's jq: a domain file's projection
//! names no scope and answers no path itself, so a diff or blame of one
//! path would turn the whole tree into JSON after every event; these name
//! the paths an event touches and answer a path directly.

mod authors;
mod hot_files;
mod tree;

pub use authors::GitAuthors;
pub use hot_files::GitHotFiles;
pub use tree::GitTree;

use serde::Deserialize;

use crate::event_view::EventView;
use crate::git::{FILE_ADDED, FILE_CHANGED, FILE_DELETED, FILE_RENAMED};
use crate::projection::traits::{ProjectionError, read_payload};

/// A file event's payload, as far as these projections read it.
#[derive(Deserialize)]
struct FilePayload {
    path: String,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    blob: Option<String>,
    #[serde(default)]
    size: Option<u64>,
    #[serde(default)]
    mode: Option<String>,
}

/// What a file event did to the tree.
enum FileStep {
    /// The path holds this content now (added or changed).
    Set(FilePayload),
    Removed(String),
    Moved(FilePayload),
}

/// The event types `file_step` reads, for the projections built on it.
const FILE_EVENTS: [&str; 4] = [FILE_ADDED, FILE_CHANGED, FILE_DELETED, FILE_RENAMED];

fn file_step(event: &EventView<'_>) -> Result<Option<FileStep>, ProjectionError> {
    let read = || read_payload::<FilePayload>(event, "git file event");
    Ok(Some(match &**event.event_type {
        FILE_ADDED | FILE_CHANGED => FileStep::Set(read()?),
        FILE_DELETED => FileStep::Removed(read()?.path),
        FILE_RENAMED => {
            let payload = read()?;
            if payload.from.is_none() {
                return Err(ProjectionError::payload(
                    "git file event",
                    "a rename names no `from`",
                ));
            }
            FileStep::Moved(payload)
        }
        _ => return Ok(None),
    }))
}

fn snapshot_error(error: serde_json::Error) -> ProjectionError {
    ProjectionError::Snapshot(error.to_string())
}
