//! Why a stream's history cannot be folded into a write model: the problem
//! with one event, and where in the log that event is.

use std::fmt;

use crate::event::Event;

/// Why an event cannot be part of a write model's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryProblem {
    /// Not an event of the sample domains.
    UnknownType,
    /// The payload does not have the shape of its type.
    BadPayload(String),
    /// An event of another kind of stream.
    Foreign { kind: &'static str },
    /// A change to something not yet created.
    BeforeCreation { kind: &'static str },
    /// A second creation.
    CreatedTwice { kind: &'static str },
}

impl fmt::Display for HistoryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistoryProblem::UnknownType => f.write_str("is not a retail or bank event"),
            HistoryProblem::BadPayload(problem) => {
                write!(f, "has a payload that does not fit: {problem}")
            }
            HistoryProblem::Foreign { kind } => write!(f, "is not an event of {kind} streams"),
            HistoryProblem::BeforeCreation { kind } => {
                write!(f, "comes before the {kind} was created")
            }
            HistoryProblem::CreatedTwice { kind } => write!(f, "creates the {kind} a second time"),
        }
    }
}

/// A stream whose history a write model cannot be rebuilt from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryError {
    pub stream: String,
    pub version: u64,
    pub event_type: String,
    pub event_id: String,
    pub problem: HistoryProblem,
}

impl HistoryError {
    pub(crate) fn at(event: &Event, problem: HistoryProblem) -> HistoryError {
        HistoryError {
            stream: event.stream.to_string(),
            version: event.version,
            event_type: event.event_type.to_string(),
            event_id: event.id.clone(),
            problem,
        }
    }
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot rebuild {}: event {} ({}, id {}) {}",
            self.stream, self.version, self.event_type, self.event_id, self.problem
        )
    }
}

impl std::error::Error for HistoryError {}
