//! `git-authors`: each author's commits, files changed, first and last
//! commit time, and commits per month.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::snapshot_error;
use crate::event::Event;
use crate::git::COMMIT_RECORDED;
use crate::projection::builtin::owned;
use crate::projection::traits::{Projection, ProjectionError, read_payload};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Activity {
    commits: u64,
    files_changed: u64,
    first: Option<String>,
    last: Option<String>,
    by_month: BTreeMap<String, u64>,
}

#[derive(Deserialize)]
struct CommitPayload {
    author: String,
    #[serde(default)]
    files: u64,
}

#[derive(Clone, Debug, Default)]
pub struct GitAuthors {
    authors: BTreeMap<String, Activity>,
}

impl GitAuthors {
    pub const NAME: &'static str = "git-authors";
}

impl Projection for GitAuthors {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn event_types(&self) -> Option<Vec<String>> {
        Some(owned(&[COMMIT_RECORDED]))
    }

    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        if &*event.event_type != COMMIT_RECORDED {
            return Ok(());
        }
        let payload: CommitPayload = read_payload(&event.view(), "CommitRecorded")?;
        let activity = self.authors.entry(payload.author).or_default();
        activity.commits += 1;
        activity.files_changed += payload.files;
        if let Some(time) = event.time {
            let text = time.to_string();
            // First parents come before their children, not always before
            // in time: keep the earliest and the latest seen.
            if activity.first.as_ref().is_none_or(|first| text < *first) {
                activity.first = Some(text.clone());
            }
            if activity.last.as_ref().is_none_or(|last| text > *last) {
                activity.last = Some(text.clone());
            }
            let month = text.get(..7).unwrap_or(&text).to_string();
            *activity.by_month.entry(month).or_default() += 1;
        }
        Ok(())
    }

    fn state(&self) -> Value {
        json!(self.authors)
    }

    fn save(&self) -> Vec<u8> {
        serde_json::to_vec(&self.authors).unwrap_or_default()
    }

    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError> {
        self.authors = serde_json::from_slice(bytes).map_err(snapshot_error)?;
        Ok(())
    }
}
