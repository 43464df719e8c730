//! A domain file's commands and policies, judged: pure functions of the
//! command, the target stream's events, and the file.
//!
//! A command is checked against its fields, its write model is folded from
//! the target stream's own events, each rule is asked in file order (the
//! first that holds rejects, with its reason), and otherwise each `emit`
//! builds one event's data. Nothing here writes: the caller appends the
//! events with the expected version it read.

use std::fmt;

use serde_json::Value;

use super::{CommandDef, FieldKind, FoldError, Located, PolicyDef};
use crate::event::Event;
use crate::jq::{self, Program, Val};

/// What a command becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The events, in order: (type, data).
    Accepted(Vec<(String, Value)>),
    /// A rule held; its reason, for a person to read.
    Rejected(String),
}

/// Why a command could not be judged at all (as opposed to rejected by a
/// rule): it does not fit its fields, or the file's code failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecideError {
    /// The command does not have the shape its fields give.
    Invalid(String),
    /// The write model's fold failed on one of the stream's events.
    Model(FoldError),
    /// An expression failed or gave a value of the wrong kind; `place` is
    /// `file:line:column`.
    Expression { place: String, message: String },
}

impl fmt::Display for DecideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecideError::Invalid(why) => f.write_str(why),
            DecideError::Model(error) => write!(f, "the write model failed: {error}"),
            DecideError::Expression { place, message } => write!(f, "{place}: {message}"),
        }
    }
}

impl std::error::Error for DecideError {}

impl CommandDef {
    /// Whether `stream` is one this command may target.
    pub fn targets(&self, stream: &str) -> bool {
        in_category(stream, &self.stream_category)
    }

    /// `data` checked against the command's fields: every field there, of
    /// its kind, and nothing else.
    pub fn check(&self, stream: &str, data: &Value) -> Result<(), DecideError> {
        let invalid = |why: String| Err(DecideError::Invalid(why));
        if !self.targets(stream) {
            return invalid(format!(
                "{} targets {}-<id> streams, not `{}`",
                self.name, self.stream_category, stream
            ));
        }
        let Some(object) = data.as_object() else {
            return invalid(format!("{}'s data must be an object", self.name));
        };
        for field in &self.fields {
            let Some(value) = object.get(&field.name) else {
                return invalid(format!("{} needs `{}`", self.name, field.name));
            };
            if let Err(why) = check_kind(&field.kind, value) {
                return invalid(format!("`{}` {why}", field.name));
            }
        }
        if let Some(extra) = object
            .keys()
            .find(|key| !self.fields.iter().any(|f| &f.name == *key))
        {
            return invalid(format!("{} takes no field `{extra}`", self.name));
        }
        Ok(())
    }

    /// The write model after `history`, the target stream's events in
    /// version order.
    pub fn model(&self, history: &[Event]) -> Result<Val, DecideError> {
        history.iter().try_fold(self.model.init(), |model, event| {
            self.model.apply(model, event).map_err(DecideError::Model)
        })
    }

    /// Judges the command on the write model `model`.
    pub fn decide(&self, model: &Val, stream: &str, data: &Value) -> Result<Verdict, DecideError> {
        self.check(stream, data)?;
        let vars = || vec![jq::from_json(data), Val::from(stream.to_owned())];
        for rule in &self.rules {
            let holds = run_one(&rule.reject_if, model.clone(), vars())?;
            match holds {
                Val::Bool(true) => {
                    let reason = run_one(&rule.reason, model.clone(), vars())?;
                    return Ok(Verdict::Rejected(text_of(&reason)));
                }
                Val::Bool(false) => {}
                other => {
                    return Err(DecideError::Expression {
                        place: rule.reject_if.place.clone(),
                        message: format!("reject_if must give true or false, gave {other}"),
                    });
                }
            }
        }
        let mut events = Vec::with_capacity(self.emits.len());
        for emit in &self.emits {
            let data = run_one(&emit.data, model.clone(), vars())?;
            let data = jq::to_json(&data).map_err(|e| DecideError::Expression {
                place: emit.data.place.clone(),
                message: e.0,
            })?;
            events.push((emit.event_type.clone(), data));
        }
        Ok(Verdict::Accepted(events))
    }
}

/// A command a policy issues: its name, target stream and data.
#[derive(Debug, Clone, PartialEq)]
pub struct Reaction {
    pub policy: String,
    pub command: String,
    pub stream: String,
    pub data: Value,
}

impl PolicyDef {
    /// The command this policy issues for `event`, if it reacts to it.
    pub fn react(&self, event: &Event) -> Result<Option<Reaction>, DecideError> {
        if *event.event_type != *self.when {
            return Ok(None);
        }
        let event_value = super::event_value(event).map_err(|e| DecideError::Expression {
            place: self.stream.place.clone(),
            message: e.0,
        })?;
        let run = |program: &Located<Program>| {
            run_one(program, event_value.clone(), vec![event_value.clone()])
        };
        if let Some(condition) = &self.condition {
            match run(condition)? {
                Val::Bool(true) => {}
                Val::Bool(false) => return Ok(None),
                other => {
                    return Err(DecideError::Expression {
                        place: condition.place.clone(),
                        message: format!("`if` must give true or false, gave {other}"),
                    });
                }
            }
        }
        let stream = match run(&self.stream)? {
            value @ (Val::TStr(_) | Val::BStr(_)) => text_of(&value),
            other => {
                return Err(DecideError::Expression {
                    place: self.stream.place.clone(),
                    message: format!("`stream` must give a stream name, gave {other}"),
                });
            }
        };
        let data = jq::to_json(&run(&self.data)?).map_err(|e| DecideError::Expression {
            place: self.data.place.clone(),
            message: e.0,
        })?;
        Ok(Some(Reaction {
            policy: self.name.clone(),
            command: self.then.clone(),
            stream,
            data,
        }))
    }
}

fn run_one(program: &Located<Program>, input: Val, vars: Vec<Val>) -> Result<Val, DecideError> {
    program
        .value
        .one(input, vars)
        .map_err(|error| DecideError::Expression {
            place: program.place.clone(),
            message: error.0,
        })
}

/// A value as a person reads it: a string as itself, anything else as JSON.
fn text_of(value: &Val) -> String {
    match jq::to_json(value) {
        Ok(Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => value.to_string(),
    }
}

/// Whether `stream` is `<category>-<something>`.
pub fn in_category(stream: &str, category: &str) -> bool {
    stream
        .strip_prefix(category)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|id| !id.is_empty())
}

fn check_kind(kind: &FieldKind, value: &Value) -> Result<(), String> {
    let text = value.as_str();
    match kind {
        FieldKind::Text => match text {
            Some(t) if !t.trim().is_empty() => Ok(()),
            _ => Err("must be text that is not blank".into()),
        },
        FieldKind::Email => match text {
            Some(t)
                if t.split_once('@')
                    .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty()) =>
            {
                Ok(())
            }
            _ => Err("must be an e-mail address, like someone@example.org".into()),
        },
        FieldKind::Cents => match value.as_u64() {
            Some(_) => Ok(()),
            None => Err("must be a whole number of cents".into()),
        },
        FieldKind::Number => match value.is_number() {
            true => Ok(()),
            false => Err("must be a number".into()),
        },
        FieldKind::Stream(category) => match text {
            Some(t) if in_category(t, category) => Ok(()),
            _ => Err(format!("must name a {category}-<id> stream")),
        },
        FieldKind::Json => Ok(()),
    }
}
