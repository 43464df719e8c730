//! Why a command could not be handled at all (as opposed to refused): what
//! the handler and the decision it runs report.

use std::fmt;

use super::error::CommandError;
use super::history::{HistoryError, HistoryProblem};
use crate::domain_file::DecideError;

/// A command that could not be handled at all (as opposed to one refused).
#[derive(Debug)]
pub enum HandleError {
    /// A command built in code for a stream it does not apply to.
    Command(CommandError),
    Read {
        stream: String,
        source: anyhow::Error,
    },
    History(HistoryError),
    Write(anyhow::Error),
    Encode(serde_json::Error),
    /// A decider produced an event its own write model cannot apply.
    Inconsistent {
        stream: String,
        event_type: String,
        problem: HistoryProblem,
    },
    /// A domain file's command could not be judged: it does not fit its
    /// fields, or an expression of the file failed (named by its place).
    Domain(DecideError),
}

impl From<HistoryError> for HandleError {
    fn from(error: HistoryError) -> HandleError {
        HandleError::History(error)
    }
}

impl fmt::Display for HandleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandleError::Command(error) => error.fmt(f),
            HandleError::Read { stream, source } => write!(f, "cannot read {stream}: {source}"),
            HandleError::History(error) => error.fmt(f),
            HandleError::Write(error) => write!(f, "cannot append the events: {error}"),
            HandleError::Encode(error) => write!(f, "cannot encode an event: {error}"),
            HandleError::Inconsistent {
                stream,
                event_type,
                problem,
            } => write!(
                f,
                "the write model of {stream} cannot apply the {event_type} it just decided: \
                 the event {problem} (a bug in the decider)"
            ),
            HandleError::Domain(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for HandleError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HandleError::Read { source, .. } => Some(source.as_ref()),
            HandleError::History(error) => Some(error),
            HandleError::Write(error) => Some(error.as_ref()),
            HandleError::Encode(error) => Some(error),
            HandleError::Command(error) => Some(error),
            HandleError::Domain(error) => Some(error),
            HandleError::Inconsistent { .. } => None,
        }
    }
}
