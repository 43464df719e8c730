//! Write models: the state a decider needs, rebuilt by folding a stream's own
//! events (never read from a read model, which may lag behind).

use serde::Serialize;

use super::domain_event::DomainEvent;
use super::history::{HistoryError, HistoryProblem};
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
