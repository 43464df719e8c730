//! One decision by a domain file: the target stream folded by the
//! command's jq write model, its rules asked, its events built. The same
//! [`Decided`] as the built-in deciders give, so the handler appends,
//! version-checks and links it exactly as it does theirs.

use std::sync::Arc;

use serde_json::Value;

use super::body::DomainCommand;
use super::decide::Decided;
use super::domain_event::DomainEvent;
use super::error::CommandError;
use super::handle_error::HandleError;
use super::rejection::Rejection;
use super::store::EventStore;
use crate::domain_file::{CommandDef, DecideError, Domain, Verdict};
use crate::event::{Event, Json, Timestamp};
use crate::jq::{self, Val};

/// Loads the target stream of `command` and lets `domain`'s file judge it.
pub(crate) fn decide<S: EventStore + ?Sized>(
    store: &S,
    stream: &str,
    command: &DomainCommand,
    domain: Option<&Domain>,
    now: Timestamp,
) -> Result<Decided, HandleError> {
    let def = domain
        .and_then(|domain| domain.command(&command.name))
        .ok_or_else(|| {
            HandleError::Command(super::domain_command::unknown(command.name.clone(), domain))
        })?;
    let history = store
        .read_stream(stream)
        .map_err(|source| HandleError::Read {
            stream: stream.to_string(),
            source,
        })?;
    let version = history.last().map_or(0, |event| event.version);
    let model = def.model(&history).map_err(HandleError::Domain)?;
    let before = json_of(def, &model)?;
    let verdict = def
        .decide(&model, stream, &command.data)
        .map_err(|error| match error {
            DecideError::Invalid(why) => HandleError::Command(CommandError::Invalid(why)),
            other => HandleError::Domain(other),
        })?;
    let (decision, after) = match verdict {
        Verdict::Rejected(reason) => (
            Err(Rejection::Rule {
                stream: stream.to_owned(),
                command: def.name.clone(),
                reason,
            }),
            before.clone(),
        ),
        Verdict::Accepted(events) => {
            let events: Vec<DomainEvent> = events
                .into_iter()
                .map(|(event_type, data)| DomainEvent::Recorded {
                    event_type,
                    data: Json::from_value(&data),
                })
                .collect();
            let after = evolve(def, model, stream, version, &events, now)?;
            (Ok(events), json_of(def, &after)?)
        }
    };
    Ok(Decided {
        streams_read: vec![(stream.to_owned(), version)],
        before,
        decision,
        after,
    })
}

/// The write model with the decided events applied, as they will be stored.
fn evolve(
    def: &CommandDef,
    mut model: Val,
    stream: &str,
    version: u64,
    events: &[DomainEvent],
    now: Timestamp,
) -> Result<Val, HandleError> {
    let stream: Arc<str> = Arc::from(stream);
    for (version, event) in (version + 1..).zip(events) {
        let event = Event {
            seq: 0,
            stream: stream.clone(),
            version,
            event_type: Arc::from(event.event_type()),
            id: crate::event::derived_id(&stream, version),
            time: Some(now),
            data: event.to_json().map_err(HandleError::Encode)?,
            metadata: None,
        };
        // Not yet in the log, so not "at seq N": the file's own events do
        // not fit its own write model.
        model = def.model.apply(model, &event).map_err(|error| {
            HandleError::Domain(DecideError::Expression {
                place: error.place,
                message: format!(
                    "the write model cannot apply the {} that {} decides: {}",
                    error.event_type, def.name, error.message
                ),
            })
        })?;
    }
    Ok(model)
}

fn json_of(def: &CommandDef, model: &Val) -> Result<Value, HandleError> {
    jq::to_json(model).map_err(|error| {
        HandleError::Domain(DecideError::Invalid(format!(
            "the write model of {} is not JSON: {}",
            def.name, error.0
        )))
    })
}
