//! One decision: load the target stream and any other stream the decision
//! needs, fold each into its write model, and let the pure decider judge;
//! a domain file's command is judged by its file (`decide_file`).

use serde::Serialize;
use serde_json::Value;

use super::bank::{self, Account};
use super::command::{Command, CommandBody};
use super::domain_event::DomainEvent;
use super::handle_error::HandleError;
use super::model::{WriteModel, fold};
use super::rejection::Rejection;
use super::retail::{Customer, Order, customer, order};
use super::store::EventStore;
use crate::domain_file::Domain;
use crate::event::Timestamp;

/// A decision and the target's write model around it.
pub(crate) struct Decided {
    /// Each stream read, with the version it was at; the target first.
    pub streams_read: Vec<(String, u64)>,
    pub before: Value,
    pub decision: Result<Vec<DomainEvent>, Rejection>,
    /// The target's state with the decided events applied (`before` when rejected).
    pub after: Value,
}

impl Decided {
    /// The target stream's version the decision was made at.
    pub fn version(&self) -> u64 {
        self.streams_read.first().map_or(0, |(_, version)| *version)
    }
}

/// Loads what `command` needs from `store` and decides it. Writes nothing.
pub(crate) fn decide<S: EventStore + ?Sized>(
    store: &S,
    command: &Command,
    domain: Option<&Domain>,
    now: Timestamp,
) -> Result<Decided, HandleError> {
    let stream = command.stream.as_str();
    let mut streams_read = Vec::new();
    match &command.body {
        CommandBody::Customer(command) => {
            let model: Option<Customer> = load(store, stream, &mut streams_read)?;
            let decision = customer::decide(stream, model.as_ref(), command);
            conclude(stream, streams_read, model, decision)
        }
        CommandBody::Order(command) => {
            let model: Option<Order> = load(store, stream, &mut streams_read)?;
            let customer: Option<Customer> = match order::customer_stream(model.as_ref(), command) {
                Some(customer_stream) => load(store, customer_stream, &mut streams_read)?,
                None => None,
            };
            let decision = order::decide(stream, model.as_ref(), customer.as_ref(), command);
            conclude(stream, streams_read, model, decision)
        }
        CommandBody::Account(command) => {
            let model: Option<Account> = load(store, stream, &mut streams_read)?;
            let decision = bank::decide(stream, model.as_ref(), command);
            conclude(stream, streams_read, model, decision)
        }
        CommandBody::Domain(command) => {
            super::decide_file::decide(store, stream, command, domain, now)
        }
    }
}

/// Reads `stream` and folds it into `M`, noting the version it was at.
fn load<M: WriteModel, S: EventStore + ?Sized>(
    store: &S,
    stream: &str,
    streams_read: &mut Vec<(String, u64)>,
) -> Result<M, HandleError> {
    let events = store
        .read_stream(stream)
        .map_err(|source| HandleError::Read {
            stream: stream.to_string(),
            source,
        })?;
    streams_read.push((stream.to_string(), events.last().map_or(0, |e| e.version)));
    Ok(fold(&events)?)
}

fn conclude<M: WriteModel>(
    stream: &str,
    streams_read: Vec<(String, u64)>,
    mut model: M,
    decision: Result<Vec<DomainEvent>, Rejection>,
) -> Result<Decided, HandleError> {
    let before = to_json(&model)?;
    if let Ok(events) = &decision {
        for event in events {
            model
                .evolve(event)
                .map_err(|problem| HandleError::Inconsistent {
                    stream: stream.to_string(),
                    event_type: event.event_type().to_owned(),
                    problem,
                })?;
        }
    }
    let after = to_json(&model)?;
    Ok(Decided {
        streams_read,
        before,
        decision,
        after,
    })
}

fn to_json<T: Serialize>(model: &T) -> Result<Value, HandleError> {
    serde_json::to_value(model).map_err(HandleError::Encode)
}
