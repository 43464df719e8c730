//! A domain file's projection as a [`Projection`] like any built-in one:
//! rebuilt by the same engine, with the same snapshots, time travel, diff
//! and blame.
//!
//! The state stays a jaq value between events; it becomes JSON only when
//! it is shown or compared. A snapshot is the state's JSON text, and the
//! version is the fold's text's checksum, so an edited file never restores
//! a state the old text built.

use std::sync::Arc;

use serde_json::Value;

use super::{EventValues, Fold, ProjectionDef};
use crate::event::Event;
use crate::jq::{self, Val};
use crate::projection::{Projection, ProjectionError};

/// A running instance of a domain file's projection.
pub struct JqProjection {
    name: String,
    fold: Arc<Fold>,
    state: Val,
    /// Kept across events: it keeps the values of the type names.
    values: EventValues,
}

impl ProjectionDef {
    /// A fresh instance, at the state before any event.
    pub fn instance(&self) -> JqProjection {
        JqProjection {
            name: self.name.clone(),
            state: self.fold.init(),
            values: self.fold.event_values(),
            fold: Arc::clone(&self.fold),
        }
    }
}

impl Projection for JqProjection {
    fn name(&self) -> &str {
        &self.name
    }

    fn version(&self) -> u32 {
        self.fold.version()
    }

    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        // The state is moved into jq, not copied: a shared state would make
        // jq copy the whole map on every update. After a failure the
        // projection is stopped (the engine reports the event), so the state
        // it had is not needed again.
        let state = std::mem::take(&mut self.state);
        self.state = self
            .fold
            .apply_with(state, event, &mut self.values)
            .map_err(|error| ProjectionError::Code {
                place: error.place.into(),
                message: error.message.into(),
            })?;
        Ok(())
    }

    fn event_types(&self) -> Option<Vec<String>> {
        self.fold
            .event_types()
            .map(|types| types.into_iter().map(str::to_owned).collect())
    }

    fn state(&self) -> Value {
        match jq::to_json(&self.state) {
            Ok(value) => value,
            // What a jq program can build but JSON cannot hold (a key that
            // is not a string, a byte string) is shown as jaq writes it,
            // marked, never as null.
            Err(_) => Value::String(format!("(not JSON) {}", self.state)),
        }
    }

    fn save(&self) -> Vec<u8> {
        self.state.to_string().into_bytes()
    }

    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| ProjectionError::Snapshot("the saved state is not UTF-8".into()))?;
        self.state = jq::parse(text).map_err(|e| ProjectionError::Snapshot(e.0))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn projections_and_their_folds_cross_threads() {
        // Rebuilds run on worker threads and share one compiled fold.
        assert_send_sync::<Fold>();
        assert_send_sync::<JqProjection>();
    }
}
