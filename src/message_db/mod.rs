//! Message DB, the Eventide project's event store on PostgreSQL, as a
//! source of events: its `message_store.messages` table copied into a log,
//! once or while it grows.
//!
//! A message maps to an event as: `global_position` order -> seq,
//! `stream_name` -> stream, `position + 1` -> version (checked as the
//! expected version, so a stream with a hole is refused), `type`, `id`,
//! `time`, `data`, and `metadata` with two fields added for the flow links:
//! `correlation_id` (Message DB's `correlationStreamName`) and
//! `causation_id` (the id of the message at
//! `causationMessageGlobalPosition`).
//!
//! The log keeps a source mark beside the events (the server's identity,
//! the last global position and that message's id), written in the same
//! transaction: a later copy continues from there, and refuses another
//! server, a store that no longer holds that message, or a log that has
//! been written to since.

mod connect;
mod copy;
mod error;
mod mark;
mod read;

pub use connect::{Server, is_url};
pub use copy::{CopyEvent, copy, follow};
pub use error::MessageDbError;
pub use mark::SourceMark;
pub use read::Message;
