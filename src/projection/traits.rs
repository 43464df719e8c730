//! The [`Projection`] trait: a read model as a pure fold over events.

use std::fmt;

use serde_json::Value;

use super::path::Path;
use crate::event::Event;
use crate::event_view::{EventHead, EventView};
use crate::json_writer::JsonWriter;

/// A read model built by folding events in seq order.
///
/// Object safe, so the engine can rebuild a mix of projections in one pass.
pub trait Projection: Send {
    /// The registry name, e.g. `customers`.
    fn name(&self) -> &str;

    /// Bumped whenever `apply` or the snapshot encoding changes, which makes
    /// older snapshots unusable.
    fn version(&self) -> u32;

    /// Folds one event in. An event this projection reads but cannot
    /// understand (a malformed payload) is an error; events it does not
    /// care about are ignored.
    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError>;

    /// [`Projection::apply`] for an event borrowed from the log, which is
    /// how rebuilds and time travel fold. The default makes the owned event;
    /// a projection that overrides it (and has `apply` call it through
    /// [`Event::view`]) folds a scan without allocating per event.
    fn apply_view(&mut self, event: &EventView<'_>) -> Result<(), ProjectionError> {
        self.apply(&event.to_event())
    }

    /// What of each event the projection reads. [`Reads::Heads`] promises
    /// that it reads nothing but an event's head (stream, version, type,
    /// time), and that [`Projection::apply_head`] folds it as
    /// [`Projection::apply_view`] does: a rebuild or time travel of such
    /// projections alone then reads only the heads, which a store keeps
    /// apart from the events' texts.
    fn reads(&self) -> Reads {
        Reads::Events
    }

    /// Folds one event's head in, for a projection that [`Reads::Heads`];
    /// the same state as [`Projection::apply_view`] of the whole event.
    /// The default, for those that read more, refuses.
    fn apply_head(&mut self, _head: &EventHead<'_>) -> Result<(), ProjectionError> {
        Err(ProjectionError::NotAHeadFold)
    }

    /// The only event types that can change the state, when the
    /// projection reads a few; `None` (the default) for any type. Replays
    /// then skip the other events unread, through the store's type index.
    fn event_types(&self) -> Option<Vec<String>> {
        None
    }

    /// The whole state as JSON, for display. Maps are in a stable order.
    fn state(&self) -> Value;

    /// [`Projection::state`], consuming the projection: a large state can
    /// then be handed over without a copy.
    fn into_state(self: Box<Self>) -> Value {
        self.state()
    }

    /// Writes [`Projection::state`] as [`JsonWriter`] lays it out, the
    /// same text byte for byte. Built-ins write from their own structures,
    /// without building the `Value`, which is most of printing a large
    /// state.
    fn write_state(&self, out: &mut JsonWriter<'_>) {
        out.value(&self.state());
    }

    /// The value at `path` in [`Projection::state`], or None when there is
    /// none. Built-ins answer without building the whole state, which keeps
    /// blame fast.
    fn get(&self, path: &Path) -> Option<Value> {
        path.lookup(&self.state()).cloned()
    }

    /// The keys of the object at `path`, in [`Projection::state`]'s order,
    /// without building their values; `None` when not supported or when
    /// nothing is there. Lets a viewer list a map of many entries and
    /// fetch only the few it shows (through [`Projection::get`]).
    fn keys_at(&self, _path: &Path) -> Option<Vec<String>> {
        None
    }

    /// The one stream whose events alone decide the value at `path`, if
    /// there is one (e.g. `customer-7` for `customer-7.email`). Lets blame
    /// read only that stream.
    fn stream_of(&self, _path: &Path) -> Option<String> {
        None
    }

    /// Paths of the state under which `event` may change anything, disjoint
    /// from one another; computed from the event alone. The default, the
    /// root, is always right; narrower answers make diffs and blame cheap.
    fn scope(&self, _event: &EventView<'_>) -> Vec<Path> {
        vec![Path::root()]
    }

    /// The state in a compact form for snapshots.
    fn save(&self) -> Vec<u8>;

    /// Replaces the whole state with one produced by [`Projection::save`]
    /// of the same name and version.
    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError>;
}

/// What of each event a projection reads (see [`Projection::reads`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reads {
    /// The whole event: its texts (id, payload, metadata) too.
    Events,
    /// Only its head; with the stream's name when `streams`.
    Heads { streams: bool },
}

/// Why a projection could not go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectionError {
    /// The payload does not have the shape of the event type it claims.
    Payload {
        expected: &'static str,
        reason: String,
    },
    /// A snapshot could not be read back (damaged, or from other code).
    Snapshot(String),
    /// A projection written as data failed: the place of its expression
    /// (`file:line:column`) and what went wrong.
    Code { place: Box<str>, message: Box<str> },
    /// Asked to fold an event's head alone, which it cannot (it does not
    /// [`Reads::Heads`]).
    NotAHeadFold,
}

impl ProjectionError {
    pub fn payload(expected: &'static str, reason: impl fmt::Display) -> ProjectionError {
        ProjectionError::Payload {
            expected,
            reason: reason.to_string(),
        }
    }
}

impl fmt::Display for ProjectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProjectionError::Payload { expected, reason } => {
                write!(f, "the payload is not a valid {expected}: {reason}")
            }
            ProjectionError::Snapshot(reason) => write!(f, "the snapshot cannot be read: {reason}"),
            ProjectionError::Code { place, message } => write!(f, "{place}: {message}"),
            ProjectionError::NotAHeadFold => {
                write!(f, "it reads whole events and cannot fold their heads alone")
            }
        }
    }
}

impl std::error::Error for ProjectionError {}

/// Reads an event's payload as the borrowed view `T` of `expected`.
pub(crate) fn read_payload<'a, T: serde::Deserialize<'a>>(
    event: &EventView<'a>,
    expected: &'static str,
) -> Result<T, ProjectionError> {
    event
        .parse_data()
        .map_err(|e| ProjectionError::payload(expected, e))
}
