//! Why a rebuild, time travel, diff or blame could not finish.

use std::fmt;

use super::traits::ProjectionError;
use crate::event_view::{EventHead, EventView};

/// An engine failure, naming the event or the part that failed.
#[derive(Debug)]
pub enum ReplayError {
    /// A projection could not fold an event in.
    Event {
        projection: String,
        seq: u64,
        event_type: String,
        /// `None` when the fold read the event's head without its stream.
        stream: Option<String>,
        error: ProjectionError,
    },
    /// The event log could not be read.
    Source(anyhow::Error),
    /// The snapshot store could not be read or written.
    Snapshots {
        projection: String,
        error: anyhow::Error,
    },
    /// A seq after the end of the log was asked for.
    PastEnd { seq: u64, last_seq: u64 },
}

impl ReplayError {
    pub(crate) fn head(projection: &str, head: &EventHead<'_>, error: ProjectionError) -> Self {
        ReplayError::Event {
            projection: projection.to_owned(),
            seq: head.seq,
            event_type: head.event_type.to_string(),
            stream: head.stream.map(str::to_owned),
            error,
        }
    }

    pub(crate) fn event(projection: &str, event: &EventView<'_>, error: ProjectionError) -> Self {
        ReplayError::Event {
            projection: projection.to_owned(),
            seq: event.seq,
            event_type: event.event_type.to_string(),
            stream: Some(event.stream.to_string()),
            error,
        }
    }
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::Event {
                projection,
                seq,
                event_type,
                stream,
                error,
            } => match stream {
                Some(stream) => write!(
                    f,
                    "projection `{projection}` stopped at event {seq} ({event_type} in {stream}): {error}"
                ),
                None => write!(
                    f,
                    "projection `{projection}` stopped at event {seq} ({event_type}): {error}"
                ),
            },
            ReplayError::Source(error) => write!(f, "the event log cannot be read: {error:#}"),
            ReplayError::Snapshots { projection, error } => {
                write!(
                    f,
                    "the snapshots of `{projection}` cannot be used: {error:#}"
                )
            }
            ReplayError::PastEnd { seq, last_seq } => {
                write!(
                    f,
                    "seq {seq} is past the end of the log (the last is {last_seq})"
                )
            }
        }
    }
}

impl std::error::Error for ReplayError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReplayError::Event { error, .. } => Some(error),
            _ => None,
        }
    }
}
