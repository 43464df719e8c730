//! Commits as events.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::raw::{Commit, FileChange};
use crate::event::{Json, NewEvent, Timestamp};

pub const COMMIT_RECORDED: &str = "CommitRecorded";
pub const FILE_ADDED: &str = "FileAdded";
pub const FILE_CHANGED: &str = "FileChanged";
pub const FILE_DELETED: &str = "FileDeleted";
pub const FILE_RENAMED: &str = "FileRenamed";

pub const EVENT_TYPES: [&str; 5] = [
    COMMIT_RECORDED,
    FILE_ADDED,
    FILE_CHANGED,
    FILE_DELETED,
    FILE_RENAMED,
];

/// The stream of the commit events.
pub const COMMITS_STREAM: &str = "commits";
/// A file's stream is its path after this (which no commit stream has).
pub const FILE_STREAM_PREFIX: &str = "file:";

/// Each commit as a `CommitRecorded` event in the `commits` stream, then
/// one event per changed file in the stream `file:PATH` (a rename in the
/// new path's). Every event carries the commit in its
/// metadata: `commit`, `author`, `message`, the commit as `correlation_id`
/// and its first parent as `causation_id`; its time is the author's.
pub fn history_events(
    commits: &[Commit],
    sizes: &HashMap<String, u64>,
) -> Result<Vec<NewEvent>, String> {
    let mut events = Vec::new();
    for commit in commits {
        let time = Timestamp::parse_rfc3339(&commit.author_time)
            .map_err(|e| format!("commit {}: {e}", commit.id))?;
        let author = format!("{} <{}>", commit.author_name, commit.author_email);
        let mut metadata = Map::new();
        metadata.insert("correlation_id".into(), commit.id.clone().into());
        if let Some(parent) = commit.parents.first() {
            metadata.insert("causation_id".into(), parent.clone().into());
        }
        metadata.insert("commit".into(), commit.id.clone().into());
        metadata.insert("author".into(), author.clone().into());
        metadata.insert("message".into(), commit.message.clone().into());
        let metadata = Json::from_value(&Value::Object(metadata));
        let made = |stream: &str, event_type: &str, n: usize, data: Value| {
            NewEvent::new(stream, event_type, time, Json::from_value(&data))
                .with_id(format!("git:{}/{n}", commit.id))
                .with_metadata(metadata.clone())
        };
        let subject = commit.message.lines().next().unwrap_or("");
        events.push(made(
            COMMITS_STREAM,
            COMMIT_RECORDED,
            0,
            json!({
                "commit": commit.id,
                "parents": commit.parents,
                "author": author,
                "subject": subject,
                "files": commit.changes.len(),
            }),
        ));
        for (n, change) in commit.changes.iter().enumerate() {
            let size = |blob: &str| sizes.get(blob).copied();
            let (stream, event_type, data) = match change {
                FileChange::Added { path, blob, mode } => (
                    path,
                    FILE_ADDED,
                    json!({"path": path, "blob": blob, "size": size(blob), "mode": mode}),
                ),
                FileChange::Changed {
                    path,
                    blob,
                    old_blob,
                    mode,
                } => (
                    path,
                    FILE_CHANGED,
                    json!({"path": path, "blob": blob, "size": size(blob), "mode": mode, "old_blob": old_blob}),
                ),
                FileChange::Deleted { path, old_blob } => (
                    path,
                    FILE_DELETED,
                    json!({"path": path, "old_blob": old_blob}),
                ),
                FileChange::Renamed {
                    from,
                    path,
                    blob,
                    old_blob,
                    mode,
                    similarity,
                } => (
                    path,
                    FILE_RENAMED,
                    json!({"from": from, "path": path, "blob": blob, "size": size(blob), "mode": mode,
                           "old_blob": old_blob, "similarity": similarity}),
                ),
            };
            events.push(made(
                &format!("{FILE_STREAM_PREFIX}{stream}"),
                event_type,
                n + 1,
                data,
            ));
        }
    }
    Ok(events)
}
