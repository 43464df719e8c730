//! Commands: what a person (or a policy) asks the write side to do.
//!
//! The JSON form is `{"type": "Deposit", "stream": "account-3", "data":
//! {"amount": 500}, "expected_version": 3}`; `expected_version`, `id` and
//! `correlation_id` are optional, and `data` may be left out when the command
//! takes no fields. The short form for typing is read by the `short_form`
//! module, and `parse` reads either.

use serde_json::{Map, Value};

pub use super::body::{
    AccountCommand, CommandBody, CustomerCommand, DomainCommand, OrderCommand, OrderLine,
};
use super::error::CommandError;
use super::fields::{DataFields, describe, optional_text};
use super::spec::{CommandSpec, command_spec};
use crate::domain_file::Domain;

/// A request to change one stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The stream the command changes, e.g. `order-5`.
    pub stream: String,
    pub body: CommandBody,
    /// The stream version the sender saw; the append fails if it moved on.
    pub expected_version: Option<u64>,
    /// Given by the sender, else derived from the stream and version.
    pub id: Option<String>,
    /// The flow this command belongs to; when absent it starts a new one.
    pub correlation_id: Option<String>,
    pub origin: Origin,
}

/// Who issued a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A person, through the CLI or the explorer.
    User,
    /// A policy, reacting to the event with id `event_id`.
    Policy {
        policy: &'static str,
        event_id: String,
    },
}

const TOP_LEVEL_KEYS: [&str; 6] = [
    "type",
    "stream",
    "data",
    "expected_version",
    "id",
    "correlation_id",
];
pub(crate) const THE_COMMAND: &str = "the command";

impl Command {
    /// A command issued by a person, with no expected version or ids.
    pub fn new(stream: impl Into<String>, body: CommandBody) -> Command {
        Command {
            stream: stream.into(),
            body,
            expected_version: None,
            id: None,
            correlation_id: None,
            origin: Origin::User,
        }
    }

    pub fn expecting_version(mut self, version: u64) -> Command {
        self.expected_version = Some(version);
        self
    }

    pub fn with_id(mut self, id: impl Into<String>) -> Command {
        self.id = Some(id.into());
        self
    }

    pub fn with_correlation_id(mut self, correlation_id: impl Into<String>) -> Command {
        self.correlation_id = Some(correlation_id.into());
        self
    }

    /// The command's name, e.g. `PlaceOrder`.
    pub fn name(&self) -> &str {
        self.body.name()
    }

    /// Checks that the stream is of the kind the command changes (parsing
    /// does this; a command built in code may not have been).
    pub fn check_stream(&self) -> Result<(), CommandError> {
        if let CommandBody::Domain(_) = self.body {
            // Checked against its file's category when it is decided.
            return Ok(());
        }
        match self.body.spec() {
            Some(spec) => check_stream(spec, &self.stream),
            None => Err(CommandError::UnknownCommand {
                name: self.name().to_string(),
            }),
        }
    }

    /// Reads the JSON form of a built-in command.
    pub fn from_json(text: &str) -> Result<Command, CommandError> {
        Command::from_json_in(text, None)
    }

    /// Reads the JSON form of a built-in command or one of `domain`'s.
    pub fn from_json_in(text: &str, domain: Option<&Domain>) -> Result<Command, CommandError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| CommandError::Syntax(format!("the command is not valid JSON: {e}")))?;
        Command::from_value_in(&value, domain)
    }

    /// Reads the JSON form of a built-in command from a parsed tree.
    pub fn from_value(value: &Value) -> Result<Command, CommandError> {
        Command::from_value_in(value, None)
    }

    /// Reads the JSON form from a parsed tree; a command `domain` defines
    /// is read by its file's fields (the file's name wins over a built-in
    /// one: the person chose the file).
    pub fn from_value_in(value: &Value, domain: Option<&Domain>) -> Result<Command, CommandError> {
        let Value::Object(object) = value else {
            return Err(CommandError::Syntax(format!(
                "a command is a JSON object, not {}",
                describe(value)
            )));
        };
        reject_unknown_keys(object)?;
        let name = required_text(object, "type")?;
        let (mut command, named) = match domain.and_then(|domain| domain.command(&name)) {
            Some(def) => {
                let stream = required_text(object, "stream")?;
                let body = super::domain_command::body(def, &stream, object.get("data"))?;
                (Command::new(stream, body), THE_COMMAND)
            }
            None => {
                let spec = command_spec(&name)
                    .ok_or_else(|| super::domain_command::unknown(name, domain))?;
                let stream = required_text(object, "stream")?;
                check_stream(spec, &stream)?;
                let body =
                    CommandBody::from_data(spec, &DataFields::new(spec, object.get("data"))?)?;
                (Command::new(stream, body), spec.name)
            }
        };
        command.expected_version = expected_version(named, object.get("expected_version"))?;
        command.id = optional_text(THE_COMMAND, "id", object.get("id"))?;
        command.correlation_id =
            optional_text(THE_COMMAND, "correlation_id", object.get("correlation_id"))?;
        Ok(command)
    }

    /// The JSON form; [`Command::from_value`] reads it back unchanged.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("type".into(), self.name().into());
        object.insert("stream".into(), self.stream.clone().into());
        object.insert("data".into(), self.body.data());
        if let Some(version) = self.expected_version {
            object.insert("expected_version".into(), version.into());
        }
        if let Some(id) = &self.id {
            object.insert("id".into(), id.clone().into());
        }
        if let Some(correlation_id) = &self.correlation_id {
            object.insert("correlation_id".into(), correlation_id.clone().into());
        }
        Value::Object(object)
    }
}

/// Checks that `stream` is one the command applies to.
pub(crate) fn check_stream(spec: &'static CommandSpec, stream: &str) -> Result<(), CommandError> {
    if spec.fits(stream) {
        Ok(())
    } else {
        Err(CommandError::WrongStream {
            command: spec.name,
            stream: stream.to_string(),
            prefix: spec.stream_prefix,
        })
    }
}

/// Reads `expected_version`: absent, null, or a whole number.
pub(crate) fn expected_version(
    command: &'static str,
    value: Option<&Value>,
) -> Result<Option<u64>, CommandError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_u64()
            .map(Some)
            .ok_or_else(|| CommandError::InvalidField {
                command,
                field: "expected_version".into(),
                expected: "a whole number (0 for a new stream)",
                found: describe(value),
            }),
    }
}

fn reject_unknown_keys(object: &Map<String, Value>) -> Result<(), CommandError> {
    match object
        .keys()
        .find(|key| !TOP_LEVEL_KEYS.contains(&key.as_str()))
    {
        Some(key) => Err(CommandError::UnknownField {
            command: THE_COMMAND,
            field: key.clone(),
            known: TOP_LEVEL_KEYS.to_vec(),
        }),
        None => Ok(()),
    }
}

fn required_text(object: &Map<String, Value>, key: &'static str) -> Result<String, CommandError> {
    optional_text(THE_COMMAND, key, object.get(key))?.ok_or(CommandError::MissingField {
        command: THE_COMMAND,
        field: key.into(),
    })
}
