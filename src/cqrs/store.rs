//! The storage boundary of the write side: read one stream, append a batch.
//! The redb log implements it; the in-memory store of the `memory` module
//! does for tests.

use std::fmt;

use crate::event::{Event, NewEvent};

/// What command handling needs from an event log.
pub trait EventStore {
    /// The events of `stream`, oldest first (empty for a new stream).
    fn read_stream(&self, stream: &str) -> anyhow::Result<Vec<Event>>;

    /// Appends a batch, all or nothing, and returns the stored events in
    /// order. `NewEvent::expected_version`, when set, is the version that
    /// event must receive in its stream; otherwise the batch is refused
    /// with [`AppendError::Conflict`] and nothing is written.
    fn append(&self, events: Vec<NewEvent>) -> Result<Vec<Event>, AppendError>;
}

/// Why an append wrote nothing.
#[derive(Debug)]
pub enum AppendError {
    /// Another writer moved the stream on. `expected` is the stream version
    /// the writer assumed (the event's expected version minus one); `actual`
    /// is the version the stream had.
    Conflict {
        stream: String,
        expected: u64,
        actual: u64,
    },
    Other(anyhow::Error),
}

impl fmt::Display for AppendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppendError::Conflict {
                stream,
                expected,
                actual,
            } => write!(
                f,
                "{stream} changed meanwhile: expected version {expected}, found {actual}; \
                 read it again and retry"
            ),
            AppendError::Other(error) => write!(f, "the append failed: {error}"),
        }
    }
}

impl std::error::Error for AppendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AppendError::Conflict { .. } => None,
            AppendError::Other(error) => Some(error.as_ref()),
        }
    }
}

impl From<anyhow::Error> for AppendError {
    fn from(error: anyhow::Error) -> AppendError {
        AppendError::Other(error)
    }
}

/// The redb log is the write side's store.
impl EventStore for crate::store::EventLog {
    fn read_stream(&self, stream: &str) -> anyhow::Result<Vec<Event>> {
        Ok(crate::store::EventLog::read_stream(self, stream)?)
    }

    fn append(&self, events: Vec<NewEvent>) -> Result<Vec<Event>, AppendError> {
        match crate::store::EventLog::append(self, events) {
            Ok(written) => Ok(written),
            // The store names the version the event expected to receive
            // and the one it would have; the write side speaks of the
            // stream version before the event.
            Err(crate::store::StoreError::Conflict {
                stream,
                expected,
                actual,
            }) => Err(AppendError::Conflict {
                stream,
                expected: expected.saturating_sub(1),
                actual: actual.saturating_sub(1),
            }),
            Err(other) => Err(AppendError::Other(other.into())),
        }
    }
}
