//! eventscope: a terminal explorer that makes event-driven architecture
//! visible.
//!
//! The layers, from the bottom; each uses only those above it in this list
//! (tests aside):
//!
//! - [`event`] (plain data, borrowed as an [`EventView`]), and four helpers
//!   that know nothing of it: [`escape`] (text made safe for a terminal),
//!   [`json_writer`] (indented JSON escaped that way, written as it goes),
//!   [`varint`] (LEB128), and
//!   [`jq`] (jq expressions, run by jaq).
//! - [`format`](mod@format): logs as text (native JSONL, CloudEvents).
//! - [`domain`]: the built-in sample domains, their event shapes and
//!   generators.
//! - [`git`]: a git history as events, read through git's own plumbing.
//! - [`projection`]: read models, replay, time travel, diff, blame, over the
//!   `EventSource` and `SnapshotStore` traits it defines.
//! - [`store`]: the redb log, which is such a source and snapshot store.
//! - [`domain_file`]: domains described as data (projections, commands,
//!   policies, flows) and the registry of built-in and file projections.
//! - [`cqrs`]: commands, write models, deciders, handling, policies, for the
//!   built-in domains and a domain file's alike.
//! - [`simulation`]: Notification vs StateTransfer over a virtual clock.
//! - [`ingest`]: importing text into the store, all or nothing.
//! - [`lesson`]: lessons as data, read and checked against a log.
//! - [`tail`]: following a growing text log (a file, a pipe, kcat's
//!   Kafka records).
//! - [`message_db`]: copying a Message DB event store on PostgreSQL into a
//!   log, once or as it grows.
//! - [`ui`]: the terminal front end, over all of the above.
//!
//! Only `store` knows redb; only `ui` knows the terminal.

pub mod cqrs;
pub mod domain;
pub mod domain_file;
pub mod escape;
pub mod event;
pub mod event_view;
pub mod format;
pub mod git;
pub mod ingest;
pub mod jq;
pub mod json_writer;
pub mod lesson;
pub mod message_db;
pub mod projection;
pub mod simulation;
pub mod store;
pub mod tail;
pub mod text_file;
pub mod ui;
pub mod varint;

pub use event::{Event, Json, NewEvent, Timestamp};
pub use event_view::EventView;
