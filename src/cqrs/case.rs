//! Given / when / then: one decision kept as a test case in plain JSON —
//! the events the decider saw, the command, and the events it became or
//! the refusal it met — and the way to decide it again.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::command::Command;
use super::handler::CommandHandler;
use super::memory::MemoryStore;
use super::outcome::{Step, StepOutcome};
use super::store::EventStore;
use crate::domain_file::Domain;
use crate::event::{Event, Json, NewEvent, Timestamp};

/// A decision as a test case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// The seq of the log the decision was made at (for the reader only).
    pub at: u64,
    /// The time written on the events the command becomes.
    pub now: Timestamp,
    /// Every event of each stream the decider read, oldest first.
    pub given: Vec<GivenEvent>,
    /// The command, as `exec` reads it in JSON.
    pub when: Value,
    pub then: Then,
}

/// An event the decider saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GivenEvent {
    pub stream: String,
    pub version: u64,
    #[serde(rename = "type")]
    pub event_type: String,
    pub id: String,
    #[serde(default)]
    pub time: Option<Timestamp>,
    pub data: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

/// What the command became.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Then {
    Events(Vec<ThenEvent>),
    Rejected(String),
    Conflict {
        stream: String,
        expected: u64,
        actual: u64,
    },
}

/// An event a command became: what a test compares.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThenEvent {
    pub stream: String,
    pub version: u64,
    #[serde(rename = "type")]
    pub event_type: String,
    pub data: Value,
}

/// Why a case cannot be decided again.
#[derive(Debug)]
pub enum CaseError {
    /// The given events of a stream are not numbered 1, 2, 3 ...
    Given { stream: String, version: u64 },
    /// The command cannot be read.
    Command(String),
    /// The decision itself failed (not a rejection: an error).
    Handle(String),
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaseError::Given { stream, version } => write!(
                f,
                "the given events of {stream} must be numbered 1, 2, 3 ... in order; \
                 version {version} is out of place"
            ),
            CaseError::Command(error) => write!(f, "the case's command: {error}"),
            CaseError::Handle(error) => write!(f, "the case cannot be decided: {error}"),
        }
    }
}

impl std::error::Error for CaseError {}

impl Case {
    /// The case of `step`, decided on `store` at seq `at` at time `now`:
    /// the given events are those of the streams it read, up to the
    /// versions it read them at.
    pub fn of_step(
        store: &dyn EventStore,
        step: &Step,
        at: u64,
        now: Timestamp,
    ) -> anyhow::Result<Case> {
        let mut given: Vec<Event> = Vec::new();
        let mut seen = BTreeSet::new();
        for (stream, version) in &step.streams_read {
            if !seen.insert(stream.as_str()) {
                continue;
            }
            let events = store.read_stream(stream)?;
            given.extend(events.into_iter().filter(|e| e.version <= *version));
        }
        given.sort_by_key(|event| event.seq);
        Ok(Case {
            at,
            now,
            given: given.iter().map(GivenEvent::of).collect(),
            when: step.command.to_json(),
            then: Then::of(&step.outcome),
        })
    }

    /// Decides the case's command again on its given events alone, with
    /// no policies, and says what it became.
    pub fn decide(&self, domain: Option<Arc<Domain>>) -> Result<Then, CaseError> {
        let store = MemoryStore::new();
        let mut next_version = std::collections::HashMap::new();
        let mut batch = Vec::with_capacity(self.given.len());
        for event in &self.given {
            let expected = next_version.entry(event.stream.as_str()).or_insert(1);
            if event.version != *expected {
                return Err(CaseError::Given {
                    stream: event.stream.clone(),
                    version: event.version,
                });
            }
            *expected += 1;
            batch.push(event.to_new());
        }
        store
            .append(batch)
            .map_err(|e| CaseError::Handle(e.to_string()))?;
        let command = Command::from_value_in(&self.when, domain.as_deref())
            .map_err(|e| CaseError::Command(e.to_string()))?;
        let mut handler = CommandHandler::new(&store, self.now);
        if let Some(domain) = domain {
            handler = handler.with_domain(domain);
        }
        let handled = handler
            .handle(command, false)
            .map_err(|e| CaseError::Handle(e.to_string()))?;
        match handled.steps.first() {
            Some(step) => Ok(Then::of(&step.outcome)),
            None => Err(CaseError::Handle("the command took no step".into())),
        }
    }
}

impl GivenEvent {
    fn of(event: &Event) -> GivenEvent {
        GivenEvent {
            stream: event.stream.to_string(),
            version: event.version,
            event_type: event.event_type.to_string(),
            id: event.id.clone(),
            time: event.time,
            data: event.data.value(),
            metadata: event.metadata.as_ref().map(Json::value),
        }
    }

    fn to_new(&self) -> NewEvent {
        NewEvent {
            stream: self.stream.clone(),
            event_type: self.event_type.clone(),
            id: Some(self.id.clone()),
            time: self.time,
            data: Json::from_value(&self.data),
            metadata: self.metadata.as_ref().map(Json::from_value),
            expected_version: Some(self.version),
        }
    }
}

impl Then {
    pub fn of(outcome: &StepOutcome) -> Then {
        match outcome {
            StepOutcome::Accepted { events, .. } => Then::Events(
                events
                    .iter()
                    .map(|event| ThenEvent {
                        stream: event.stream.to_string(),
                        version: event.version,
                        event_type: event.event_type.to_string(),
                        data: event.data.value(),
                    })
                    .collect(),
            ),
            StepOutcome::Rejected(rejection) => Then::Rejected(rejection.to_string()),
            StepOutcome::Conflict {
                stream,
                expected,
                actual,
            } => Then::Conflict {
                stream: stream.clone(),
                expected: *expected,
                actual: *actual,
            },
        }
    }
}

impl fmt::Display for Then {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Then::Events(events) => {
                let names: Vec<String> = events
                    .iter()
                    .map(|e| format!("{} in {} v{}", e.event_type, e.stream, e.version))
                    .collect();
                match names.len() {
                    0 => f.write_str("no events"),
                    _ => write!(f, "events: {}", names.join(", ")),
                }
            }
            Then::Rejected(reason) => write!(f, "rejected: {reason}"),
            Then::Conflict {
                stream,
                expected,
                actual,
            } => write!(f, "conflict: {stream} at version {actual}, not {expected}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cqrs::branch::Branch;
    use crate::cqrs::tests::fixtures::*;
    use crate::cqrs::tests::harness::{now, store_with};

    fn case_of(store: &MemoryStore, at: u64, text: &str) -> Case {
        let branch = Branch::new(store, at);
        let handled = CommandHandler::new(&branch, now())
            .handle(Command::parse(text).unwrap(), false)
            .unwrap();
        Case::of_step(&branch, &handled.steps[0], at, now()).unwrap()
    }

    #[test]
    fn a_case_decided_again_gives_the_same_events_or_rejection() {
        let store = store_with(vec![
            ("account-3", opened("Ada")),
            ("account-3", deposited(100)),
            ("account-4", opened("Bob")),
            ("account-3", withdrawn(90)),
        ]);
        // At seq 2 the account still holds 100: a withdrawal of 50 goes through.
        let accepted = case_of(&store, 2, "Withdraw account-3 amount=50");
        assert!(matches!(&accepted.then, Then::Events(events) if events.len() == 1));
        assert_eq!(accepted.given.len(), 2);
        assert_eq!(accepted.decide(None).unwrap(), accepted.then);
        // At seq 4 only 10 is left.
        let rejected = case_of(&store, 4, "Withdraw account-3 amount=50");
        assert!(matches!(rejected.then, Then::Rejected(_)));
        assert_eq!(rejected.decide(None).unwrap(), rejected.then);
        let text = serde_json::to_string(&rejected).unwrap();
        let read: Case = serde_json::from_str(&text).unwrap();
        assert_eq!(read, rejected);
    }

    #[test]
    fn given_events_out_of_order_are_refused() {
        let store = store_with(vec![("account-3", opened("Ada"))]);
        let mut case = case_of(&store, 1, "Deposit account-3 amount=5");
        case.given[0].version = 2;
        assert!(matches!(case.decide(None), Err(CaseError::Given { .. })));
    }
}
