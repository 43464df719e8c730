//! Why a command could not be read.

use std::fmt;

use super::spec::command_specs;

/// A command that could not be read, with a message that says how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandError {
    /// Not JSON, or a short form that cannot be split into words.
    Syntax(String),
    UnknownCommand {
        name: String,
    },
    /// A command neither the built-ins nor the domain file define.
    UnknownInDomain {
        name: String,
        domain: String,
        /// The file's commands, then the built-in ones.
        known: Vec<String>,
    },
    /// A domain file's command that does not fit the file: the stream's
    /// category, a missing, extra or ill-typed field.
    Invalid(String),
    MissingField {
        /// The command's name, or "the command" for top-level fields.
        command: &'static str,
        field: String,
    },
    InvalidField {
        command: &'static str,
        field: String,
        /// What the value should be, e.g. "a whole number of cents".
        expected: &'static str,
        /// The value given, shortened.
        found: String,
    },
    UnknownField {
        command: &'static str,
        field: String,
        known: Vec<&'static str>,
    },
    /// The stream is not of the kind the command changes.
    WrongStream {
        command: &'static str,
        stream: String,
        prefix: &'static str,
    },
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::Syntax(problem) => f.write_str(problem),
            CommandError::UnknownCommand { name } => {
                let known: Vec<&str> = command_specs().iter().map(|spec| spec.name).collect();
                write!(
                    f,
                    "unknown command `{name}`; the known ones are {}",
                    known.join(", ")
                )
            }
            CommandError::UnknownInDomain {
                name,
                domain,
                known,
            } => write!(
                f,
                "unknown command `{name}` in the {domain} domain; the known ones are {}",
                known.join(", ")
            ),
            CommandError::Invalid(problem) => f.write_str(problem),
            CommandError::MissingField { command, field } => {
                write!(f, "{command} needs field `{field}`")
            }
            CommandError::InvalidField {
                command,
                field,
                expected,
                found,
            } => write!(
                f,
                "field `{field}` of {command} must be {expected}, not {found}"
            ),
            CommandError::UnknownField {
                command,
                field,
                known,
            } => {
                write!(f, "{command} has no field `{field}` ")?;
                if known.is_empty() {
                    f.write_str("(it takes none)")
                } else {
                    write!(f, "(its fields: {})", known.join(", "))
                }
            }
            CommandError::WrongStream {
                command,
                stream,
                prefix,
            } => write!(
                f,
                "{command} applies to {prefix}<n> streams, not `{stream}`"
            ),
        }
    }
}

impl std::error::Error for CommandError {}
