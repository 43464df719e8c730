//! `git-tree`: every file of the working copy after the events so far, with
//! its blob, size, mode and the commit that last set it; at a commit's last
//! event it is that commit's `git ls-tree -r`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{FILE_EVENTS, FileStep, file_step, snapshot_error};
use crate::event::Event;
use crate::event_view::EventView;
use crate::projection::builtin::owned;
use crate::projection::path::Path;
use crate::projection::traits::{Projection, ProjectionError};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Entry {
    blob: Option<String>,
    size: Option<u64>,
    mode: Option<String>,
    commit: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct GitTree {
    files: BTreeMap<String, Entry>,
}

impl GitTree {
    pub const NAME: &'static str = "git-tree";

    fn entry_json(entry: &Entry) -> Value {
        json!({"blob": entry.blob, "size": entry.size, "mode": entry.mode, "commit": entry.commit})
    }
}

impl Projection for GitTree {
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
        let Some(step) = file_step(&event.view())? else {
            return Ok(());
        };
        let commit = event.metadata_str("commit");
        let entry = |payload: super::FilePayload| Entry {
            blob: payload.blob,
            size: payload.size,
            mode: payload.mode,
            commit,
        };
        match step {
            FileStep::Set(payload) => {
                self.files.insert(payload.path.clone(), entry(payload));
            }
            FileStep::Removed(path) => {
                self.files.remove(&path);
            }
            FileStep::Moved(payload) => {
                if let Some(from) = &payload.from {
                    self.files.remove(from);
                }
                self.files.insert(payload.path.clone(), entry(payload));
            }
        }
        Ok(())
    }

    fn state(&self) -> Value {
        let files: Map<String, Value> = self
            .files
            .iter()
            .map(|(path, entry)| (path.clone(), Self::entry_json(entry)))
            .collect();
        Value::Object(files)
    }

    fn get(&self, path: &Path) -> Option<Value> {
        let Some(file) = path.first_key() else {
            return Some(self.state());
        };
        let entry = Self::entry_json(self.files.get(file)?);
        path.skip(1).lookup(&entry).cloned()
    }

    fn keys_at(&self, path: &Path) -> Option<Vec<String>> {
        path.segments()
            .is_empty()
            .then(|| self.files.keys().cloned().collect())
    }

    fn scope(&self, event: &EventView<'_>) -> Vec<Path> {
        match file_step(event) {
            Ok(Some(FileStep::Set(payload))) => vec![Path::keys([payload.path.as_str()])],
            Ok(Some(FileStep::Removed(path))) => vec![Path::keys([path.as_str()])],
            Ok(Some(FileStep::Moved(payload))) => {
                let mut paths = vec![Path::keys([payload.path.as_str()])];
                if let Some(from) = payload.from.filter(|from| *from != payload.path) {
                    paths.push(Path::keys([from.as_str()]));
                }
                paths
            }
            Ok(None) => Vec::new(),
            Err(_) => vec![Path::root()],
        }
    }

    fn save(&self) -> Vec<u8> {
        serde_json::to_vec(&self.files).unwrap_or_default()
    }

    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError> {
        self.files = serde_json::from_slice(bytes).map_err(snapshot_error)?;
        Ok(())
    }
}
