//! eventscope: a terminal explorer that makes event-driven architecture
//! visible.
//!
//! The layers, from the bottom: [`event`] (plain data), [`format`](mod@format) (logs as
//! text), [`store`] (the redb log), [`projection`] (read models, replay, time
//! travel), [`cqrs`] (commands and write models), [`simulation`]
//! (notification vs state transfer), [`domain`] (the sample domains), and
//! [`ui`] (the terminal front end). Only `store` knows redb; only `ui` knows
//! the terminal.

pub mod cqrs;
pub mod domain;
pub mod domain_file;
pub mod escape;
pub mod event;
pub mod format;
pub mod ingest;
pub mod jq;
pub mod projection;
pub mod simulation;
pub mod store;
pub mod ui;

pub use event::{Event, Json, NewEvent, Timestamp};
