//! `git-hot-files`: how many commits changed each path (a rename carries
//! the count to the new path), and the most-changed ones first.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{FILE_EVENTS, FileStep, file_step, snapshot_error};
use crate::event::Event;
use crate::projection::builtin::owned;
use crate::projection::traits::{Projection, ProjectionError};

/// How many paths the ranking shows.
pub const TOP: usize = 20;

#[derive(Clone, Debug, Default)]
pub struct GitHotFiles {
    changes: BTreeMap<String, u64>,
}

impl GitHotFiles {
    pub const NAME: &'static str = "git-hot-files";

    fn top(&self) -> Vec<(&String, u64)> {
        let mut ranked: Vec<(&String, u64)> = self.changes.iter().map(|(p, n)| (p, *n)).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        ranked.truncate(TOP);
        ranked
    }
}

impl Projection for GitHotFiles {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn event_types(&self) -> Option<Vec<String>> {
        Some(owned(&FILE_EVENTS))
    }

    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        match file_step(&event.view())? {
            Some(FileStep::Set(payload)) => *self.changes.entry(payload.path).or_default() += 1,
            Some(FileStep::Removed(path)) => *self.changes.entry(path).or_default() += 1,
            Some(FileStep::Moved(payload)) => {
                let before = payload
                    .from
                    .as_ref()
                    .and_then(|from| self.changes.remove(from))
                    .unwrap_or(0);
                *self.changes.entry(payload.path).or_default() += before + 1;
            }
            None => {}
        }
        Ok(())
    }

    fn state(&self) -> Value {
        let top: Vec<Value> = self
            .top()
            .into_iter()
            .map(|(path, changes)| json!({"path": path, "changes": changes}))
            .collect();
        json!({"top": top, "changes": self.changes})
    }

    fn save(&self) -> Vec<u8> {
        serde_json::to_vec(&self.changes).unwrap_or_default()
    }

    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError> {
        self.changes = serde_json::from_slice(bytes).map_err(snapshot_error)?;
        Ok(())
    }
}
