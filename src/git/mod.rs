//! A git history as an event log: each commit of the first-parent line of
//! HEAD becomes a `CommitRecorded` event and one event per file it
//! changed against its first parent (`FileAdded`, `FileChanged`,
//! `FileDeleted`, `FileRenamed`), oldest first, as
//! `git log --reverse --first-parent` gives them.
//!
//! The first-parent line is the history as the branch lived it: a merge
//! brings the side branch's work in as one step, so the log stays a line
//! and the tree after each commit's events is exactly that commit's tree.
//! Read through git's own plumbing (`git log --raw -z`, `git cat-file
//! --batch-check`), so nothing beyond git itself is needed.

mod events;
mod raw;
mod run;

pub use events::{
    COMMIT_RECORDED, COMMITS_STREAM, EVENT_TYPES, FILE_ADDED, FILE_CHANGED, FILE_DELETED,
    FILE_RENAMED, FILE_STREAM_PREFIX, history_events,
};
pub use raw::{Commit, FileChange, RawError, parse_log};
pub use run::{GitError, read_history};
