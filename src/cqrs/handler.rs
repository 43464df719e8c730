//! Command handling: decide on the streams as read, append with the expected
//! version, then (optionally) let policies react to what was written.
//!
//! Each step is its own batch, so a policy's command sees the events before
//! it exactly as any other writer would, and its append is version-checked
//! too. Only the target stream is version-checked: a stream read only to
//! inform the decision (the customer, for an order) may change meanwhile.

use std::collections::VecDeque;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::command::{Command, Origin};
use super::decide::decide;
use super::handle_error::HandleError;
use super::outcome::{Handled, Step, StepOutcome};
use super::policy;
use super::store::{AppendError, EventStore};
use crate::domain_file::{DecideError, Domain};
use crate::event::{Event, Json, NewEvent, Timestamp, derived_id};

/// The most steps one command may lead to; guards against policies that
/// keep reacting to each other.
pub const MAX_STEPS: usize = 32;

/// Handles commands against one store, stamping events with one time;
/// with a domain file, its commands and policies too.
pub struct CommandHandler<'s, S: EventStore + ?Sized> {
    store: &'s S,
    now: Timestamp,
    domain: Option<Arc<Domain>>,
}

impl<'s, S: EventStore + ?Sized> CommandHandler<'s, S> {
    /// `now` is the time written on every event, so tests stay deterministic.
    pub fn new(store: &'s S, now: Timestamp) -> Self {
        CommandHandler {
            store,
            now,
            domain: None,
        }
    }

    /// Decides `domain`'s commands by its file and runs its policies.
    pub fn with_domain(mut self, domain: Arc<Domain>) -> Self {
        self.domain = Some(domain);
        self
    }

    /// Decides `command` and appends its events; with `with_policies`, then
    /// runs the commands policies issue in reaction, in order, until none is
    /// left. Rejections and conflicts are outcomes, not errors. An error means
    /// the command itself could not be read, rebuilt or written, so nothing
    /// was; a failure in a later step is reported in
    /// [`Handled::interrupted`] instead, beside the steps already written.
    pub fn handle(&self, command: Command, with_policies: bool) -> Result<Handled, HandleError> {
        let mut step = self.step(command)?;
        let mut handled = Handled {
            steps: Vec::new(),
            interrupted: None,
        };
        let mut pending = VecDeque::new();
        loop {
            let reactions = match &step.outcome {
                StepOutcome::Accepted { events, .. } if with_policies => self.react(events),
                _ => Ok(Vec::new()),
            };
            handled.steps.push(step);
            match reactions {
                Ok(commands) => pending.extend(commands),
                Err(error) => {
                    handled.interrupted = Some(error.to_string());
                    break;
                }
            }
            let Some(command) = pending.pop_front() else {
                break;
            };
            if handled.steps.len() == MAX_STEPS {
                handled.interrupted = Some(format!(
                    "policies kept issuing commands: stopped after {MAX_STEPS} steps"
                ));
                break;
            }
            step = match self.step(command) {
                Ok(step) => step,
                Err(error) => {
                    handled.interrupted = Some(error.to_string());
                    break;
                }
            };
        }
        Ok(handled)
    }

    /// The commands the built-in policies and the domain file's issue in
    /// reaction to `events`, in order.
    fn react(&self, events: &[Event]) -> Result<Vec<Command>, DecideError> {
        let mut commands = Vec::new();
        for event in events {
            commands.extend(policy::react(event));
            if let Some(domain) = &self.domain {
                commands.extend(policy::react_in(domain, event)?);
            }
        }
        Ok(commands)
    }

    fn step(&self, command: Command) -> Result<Step, HandleError> {
        command.check_stream().map_err(HandleError::Command)?;
        let decided = decide(self.store, &command, self.domain.as_deref(), self.now)?;
        // Appends continue from what the sender saw, so a stale view conflicts.
        let base = command.expected_version.unwrap_or(decided.version());
        let command_id = command
            .id
            .clone()
            .unwrap_or_else(|| format!("cmd:{}", derived_id(&command.stream, base + 1)));
        let (causation_id, correlation_id) = match &command.origin {
            Origin::User => (command_id.clone(), command.correlation_id.clone()),
            Origin::Policy { event_id, .. } => (event_id.clone(), command.correlation_id.clone()),
        };
        let correlation_id = correlation_id.unwrap_or_else(|| causation_id.clone());

        let outcome = match decided.decision {
            // The sender decided on a version the stream has left: refused
            // before anything is appended (or the log opened for writing).
            // A writer that moves the stream between this read and the
            // append is caught by the append's own version check.
            _ if command
                .expected_version
                .is_some_and(|expected| expected != decided.version()) =>
            {
                StepOutcome::Conflict {
                    stream: command.stream.clone(),
                    expected: base,
                    actual: decided.version(),
                }
            }
            Err(rejection) => StepOutcome::Rejected(rejection),
            Ok(events) => {
                let metadata = metadata(command.name(), &correlation_id, &causation_id);
                let mut batch = Vec::with_capacity(events.len());
                for (version, event) in (base + 1..).zip(&events) {
                    let data = event.to_json().map_err(HandleError::Encode)?;
                    batch.push(
                        NewEvent::new(&command.stream, event.event_type(), self.now, data)
                            .with_id(derived_id(&command.stream, version))
                            .with_metadata(metadata.clone())
                            .expecting_version(version),
                    );
                }
                match self.store.append(batch) {
                    Ok(events) => StepOutcome::Accepted {
                        events,
                        after: decided.after,
                    },
                    Err(AppendError::Conflict {
                        stream,
                        expected,
                        actual,
                    }) => StepOutcome::Conflict {
                        stream,
                        expected,
                        actual,
                    },
                    Err(AppendError::Other(error)) => return Err(HandleError::Write(error)),
                }
            }
        };
        Ok(Step {
            command,
            command_id,
            correlation_id,
            causation_id,
            streams_read: decided.streams_read,
            before: decided.before,
            outcome,
        })
    }
}

/// The metadata every written event carries: its flow and its cause, and the
/// command that wrote it (so a flow view can name the step).
fn metadata(command: &str, correlation_id: &str, causation_id: &str) -> Json {
    let mut object = Map::new();
    object.insert("correlation_id".into(), correlation_id.into());
    object.insert("causation_id".into(), causation_id.into());
    object.insert("command".into(), command.into());
    Json::from_value(&Value::Object(object))
}
