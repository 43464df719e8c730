//! Write models: the state a decider needs, rebuilt by folding a stream's own
//! events (never read from a read model, which may lag behind).

use std::fmt;

use serde::Serialize;

use super::domain_event::DomainEvent;
use crate::event::Event;

/// State rebuilt from one stream's events. `Default` is the state of a
/// stream with no events.
pub trait WriteModel: Default + Serialize {
    /// What the stream holds, e.g. "customer", for messages.
    const KIND: &'static str;

    /// Applies one past event. History is not judged by today's rules; this
    /// fails only when the event cannot belong to this kind of stream here.
    fn evolve(&mut self, event: &DomainEvent) -> Result<(), HistoryProblem>;
}

/// Rebuilds a write model from a stream's events, oldest first.
pub fn fold<M: WriteModel>(events: &[Event]) -> Result<M, HistoryError> {
    let mut model = M::default();
    for event in events {
        DomainEvent::decode(&event.event_type, &event.data)
            .and_then(|decoded| model.evolve(&decoded))
            .map_err(|problem| HistoryError::at(event, problem))?;
    }
    Ok(model)
}

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
    fn at(event: &Event, problem: HistoryProblem) -> HistoryError {
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
