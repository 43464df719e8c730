//! What handling a command did, step by step, for the explorer and the CLI
//! to show: each decision, the events it wrote, and the write model around it.

use std::fmt;

use serde_json::{Value, json};

use super::command::{Command, Origin};
use super::rejection::Rejection;
use crate::event::Event;

/// Everything one command led to: its own step, then one step per command a
/// policy issued in reaction, in the order they ran.
#[derive(Clone, Debug, PartialEq)]
pub struct Handled {
    pub steps: Vec<Step>,
    /// Why the chain stopped before its policies were done, if it did; the
    /// steps before it stay written.
    pub interrupted: Option<String>,
}

/// One command decided and, if accepted, appended in its own batch.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub command: Command,
    /// The command's id: given, or derived from its stream and the version it creates.
    pub command_id: String,
    /// The flow the written events belong to.
    pub correlation_id: String,
    /// What the written events were caused by: the command, or the event a policy reacted to.
    pub causation_id: String,
    /// Each stream read for the decision and its version then; the target first.
    pub streams_read: Vec<(String, u64)>,
    /// The target stream's write model before the step, as JSON.
    pub before: serde_json::Value,
    pub outcome: StepOutcome,
}

/// How one step ended.
#[derive(Clone, Debug, PartialEq)]
pub enum StepOutcome {
    /// The events as stored, and the target's write model after them.
    Accepted { events: Vec<Event>, after: Value },
    /// The write model refused; nothing was written.
    Rejected(Rejection),
    /// The stream moved on between reading and appending (or was not at the
    /// command's expected version); nothing was written.
    Conflict {
        stream: String,
        expected: u64,
        actual: u64,
    },
}

impl Step {
    /// The target stream's version the decision was made at.
    pub fn version(&self) -> u64 {
        self.streams_read.first().map_or(0, |(_, version)| *version)
    }

    /// The target's write model after the step (unchanged unless accepted).
    pub fn after(&self) -> &Value {
        match &self.outcome {
            StepOutcome::Accepted { after, .. } => after,
            _ => &self.before,
        }
    }

    pub fn to_json(&self) -> Value {
        let issued_by = match &self.command.origin {
            Origin::User => json!("user"),
            Origin::Policy { policy, event_id } => json!({"policy": policy, "event": event_id}),
        };
        let outcome = match &self.outcome {
            StepOutcome::Accepted { events, .. } => {
                json!({"accepted": events.iter().map(event_json).collect::<Vec<_>>()})
            }
            StepOutcome::Rejected(rejection) => json!({"rejected": rejection.to_string()}),
            StepOutcome::Conflict {
                stream,
                expected,
                actual,
            } => json!({"conflict": {"stream": stream, "expected": expected, "actual": actual}}),
        };
        let streams_read: Vec<Value> = self
            .streams_read
            .iter()
            .map(|(stream, version)| json!({"stream": stream, "version": version}))
            .collect();
        json!({
            "command": self.command.to_json(),
            "command_id": self.command_id,
            "issued_by": issued_by,
            "correlation_id": self.correlation_id,
            "causation_id": self.causation_id,
            "streams_read": streams_read,
            "before": self.before,
            "outcome": outcome,
            "after": self.after(),
        })
    }
}

impl Handled {
    /// Whether the command itself was accepted (its policies' steps aside).
    pub fn is_accepted(&self) -> bool {
        matches!(
            self.steps.first().map(|step| &step.outcome),
            Some(StepOutcome::Accepted { .. })
        )
    }

    /// Why the command itself was refused, if it was.
    pub fn rejection(&self) -> Option<&Rejection> {
        match self.steps.first().map(|step| &step.outcome) {
            Some(StepOutcome::Rejected(rejection)) => Some(rejection),
            _ => None,
        }
    }

    /// Why the command itself wrote nothing: refused by its write model, or
    /// in conflict with the stream's version. `None` when it was accepted.
    /// A caller that reports only [`Handled::rejection`] would pass a
    /// conflict off as success, so callers ask this.
    pub fn refusal(&self) -> Option<Refusal<'_>> {
        match &self.steps.first()?.outcome {
            StepOutcome::Accepted { .. } => None,
            StepOutcome::Rejected(rejection) => Some(Refusal::Rejected(rejection)),
            StepOutcome::Conflict {
                stream,
                expected,
                actual,
            } => Some(Refusal::Conflict {
                stream,
                expected: *expected,
                actual: *actual,
            }),
        }
    }

    /// Every event written, in the order written.
    pub fn events(&self) -> impl Iterator<Item = &Event> {
        self.steps.iter().flat_map(|step| match &step.outcome {
            StepOutcome::Accepted { events, .. } => events.as_slice(),
            _ => &[],
        })
    }

    pub fn to_json(&self) -> Value {
        let mut value = json!({
            "accepted": self.is_accepted(),
            "steps": self.steps.iter().map(Step::to_json).collect::<Vec<_>>(),
        });
        if let (Some(reason), Value::Object(object)) = (&self.interrupted, &mut value) {
            object.insert("interrupted".into(), reason.as_str().into());
        }
        value
    }
}

/// Why a command wrote nothing, worded for the person who sent it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Refusal<'a> {
    Rejected(&'a Rejection),
    /// The stream was not at the version the command expected.
    Conflict {
        stream: &'a str,
        expected: u64,
        actual: u64,
    },
}

impl fmt::Display for Refusal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Rejected(rejection) => write!(f, "rejected: {rejection}"),
            Refusal::Conflict {
                stream,
                expected,
                actual,
            } => write!(
                f,
                "conflict: {stream} is at version {actual}, not {expected}; nothing written"
            ),
        }
    }
}

/// An event in the native JSON shape.
fn event_json(event: &Event) -> Value {
    let mut value = json!({
        "seq": event.seq,
        "stream": &*event.stream,
        "version": event.version,
        "type": &*event.event_type,
        "id": event.id,
        "time": event.time.map(|time| time.to_string()),
        "data": event.data.value(),
    });
    if let (Some(metadata), Value::Object(object)) = (&event.metadata, &mut value) {
        object.insert("metadata".into(), metadata.value());
    }
    value
}
