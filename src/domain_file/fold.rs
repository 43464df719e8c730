//! A fold written in jq: an initial state, then one step per event.
//!
//! Each step reads the state as `.` and the event as `$event`, an object
//! `{seq, stream, version, type, id, time, data, metadata}`, and gives the
//! next state. With `when`, an event of a type it does not name leaves the
//! state as it is, unread.

use std::collections::BTreeMap;
use std::fmt;

use super::Located;
use super::event_value::{EventFields, EventValues};
use crate::event::Event;
use crate::jq::{self, Program, Val};

/// How a fold takes in an event.
pub enum Step {
    /// One expression over every event.
    Reduce(Located<Program>),
    /// One expression per event type.
    When(BTreeMap<String, Located<Program>>),
}

pub struct Fold {
    init: Val,
    step: Step,
    version: u32,
    /// The fields of `$event` the steps use: the only ones built.
    fields: EventFields,
}

/// A step that failed: where in the file, at which event, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoldError {
    /// `file:line:column` of the expression.
    pub place: String,
    pub seq: u64,
    pub event_type: String,
    pub message: String,
}

impl fmt::Display for FoldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: at seq {} ({}): {}",
            self.place, self.seq, self.event_type, self.message
        )
    }
}

impl std::error::Error for FoldError {}

impl Fold {
    /// `fields` are the fields of `$event` the steps' text uses
    /// ([`EventFields::read_by`]).
    pub(super) fn new(init: Val, step: Step, version: u32, fields: EventFields) -> Fold {
        Fold {
            init,
            step,
            version,
            fields,
        }
    }

    /// A fold that reads nothing and stays `{}`.
    pub fn empty() -> Fold {
        Fold {
            init: jq::parse("{}").unwrap_or(Val::Null),
            step: Step::When(BTreeMap::new()),
            version: 0,
            fields: EventFields::NONE,
        }
    }

    /// The state before any event.
    pub fn init(&self) -> Val {
        self.init.clone()
    }

    /// Changes whenever the fold's text changes: snapshots of another
    /// version are not this fold's.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The event types the fold reads, when it names them (`when`); `None`
    /// when it reads every event (`reduce`).
    pub fn event_types(&self) -> Option<Vec<&str>> {
        match &self.step {
            Step::Reduce(_) => None,
            Step::When(steps) => Some(steps.keys().map(String::as_str).collect()),
        }
    }

    /// Whether `event_type` can change the state.
    pub fn reads(&self, event_type: &str) -> bool {
        match &self.step {
            Step::Reduce(_) => true,
            Step::When(steps) => steps.contains_key(event_type),
        }
    }

    /// A builder of this fold's events, to keep across the events of a
    /// run.
    pub fn event_values(&self) -> EventValues {
        EventValues::new(self.fields)
    }

    /// The state after `event`.
    pub fn apply(&self, state: Val, event: &Event) -> Result<Val, FoldError> {
        self.apply_with(state, event, &mut self.event_values())
    }

    /// The state after `event`, built by `values` (from
    /// [`Fold::event_values`]).
    pub fn apply_with(
        &self,
        state: Val,
        event: &Event,
        values: &mut EventValues,
    ) -> Result<Val, FoldError> {
        let program = match &self.step {
            Step::Reduce(program) => program,
            Step::When(steps) => match steps.get(&*event.event_type) {
                Some(program) => program,
                None => return Ok(state),
            },
        };
        let fail = |message: String| FoldError {
            place: program.place.clone(),
            seq: event.seq,
            event_type: event.event_type.to_string(),
            message,
        };
        let event_value = values.build(event).map_err(|e| fail(e.0))?;
        program
            .value
            .one(state, vec![event_value])
            .map_err(|error| fail(error.0))
    }
}
