//! A fold written in jq: an initial state, then one step per event.
//!
//! Each step reads the state as `.` and the event as `$event`, an object
//! `{seq, stream, version, type, id, time, data, metadata}`, and gives the
//! next state. With `when`, an event of a type it does not name leaves the
//! state as it is, unread.

use std::collections::BTreeMap;
use std::fmt;

use super::Located;
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
    pub(super) fn new(init: Val, step: Step, version: u32) -> Fold {
        Fold {
            init,
            step,
            version,
        }
    }

    /// A fold that reads nothing and stays `{}`.
    pub fn empty() -> Fold {
        Fold {
            init: jq::parse("{}").unwrap_or(Val::Null),
            step: Step::When(BTreeMap::new()),
            version: 0,
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

    /// The state after `event`.
    pub fn apply(&self, state: Val, event: &Event) -> Result<Val, FoldError> {
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
        let event_value = event_value(event).map_err(|e| fail(e.0))?;
        program
            .value
            .one(state, vec![event_value])
            .map_err(|error| fail(error.0))
    }
}

/// The keys of an event as jq sees it, made once: building the object for
/// every event then costs no key allocations.
fn keys() -> &'static [Val; 8] {
    static KEYS: std::sync::OnceLock<[Val; 8]> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        [
            "seq", "stream", "version", "type", "id", "time", "data", "metadata",
        ]
        .map(|key| Val::from(key.to_owned()))
    })
}

/// An event as jq sees it.
pub fn event_value(event: &Event) -> Result<Val, jq::RunError> {
    let [seq, stream, version, event_type, id, time, data, metadata] = keys();
    let metadata_value = match &event.metadata {
        Some(metadata) => jq::parse(metadata.as_str())?,
        None => Val::Null,
    };
    let map: jaq_json::Map = [
        (seq.clone(), number(event.seq)),
        (stream.clone(), Val::from(event.stream.to_string())),
        (version.clone(), number(event.version)),
        (event_type.clone(), Val::from(event.event_type.to_string())),
        (id.clone(), Val::from(event.id.clone())),
        (
            time.clone(),
            event.time.map_or(Val::Null, |t| Val::from(t.to_string())),
        ),
        (data.clone(), jq::parse(event.data.as_str())?),
        (metadata.clone(), metadata_value),
    ]
    .into_iter()
    .collect();
    Ok(Val::obj(map))
}

fn number(n: u64) -> Val {
    match usize::try_from(n) {
        Ok(n) => Val::from(n),
        Err(_) => Val::from(n as f64),
    }
}
