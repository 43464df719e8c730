//! CQRS, the write side: a command is judged by a write model rebuilt from
//! its stream's own events, and becomes new events or a rejection with a
//! reason. The read side is the projections.
//!
//! - [`command`], [`short_form`], [`spec`]: commands, their JSON and typed
//!   forms, and the catalogue that drives parsing and completion.
//! - [`retail`], [`bank`]: write models (folds) and pure deciders.
//! - [`handler`]: load, decide, append with the expected version, run
//!   [`policy`] reactions; [`outcome`] is what it reports.
//! - [`store`]: the storage boundary; [`memory`]: an in-memory store.

pub mod bank;
pub mod body;
pub mod command;
mod decide;
pub mod domain_event;
pub mod error;
mod fields;
pub mod handler;
pub mod memory;
pub mod model;
pub mod outcome;
pub mod policy;
pub mod rejection;
pub mod retail;
pub mod short_form;
pub mod spec;
pub mod store;

#[cfg(test)]
mod tests;

pub use command::{
    AccountCommand, Command, CommandBody, CustomerCommand, OrderCommand, OrderLine, Origin,
};
pub use domain_event::DomainEvent;
pub use error::CommandError;
pub use handler::{CommandHandler, HandleError};
pub use memory::MemoryStore;
pub use model::{HistoryError, HistoryProblem, WriteModel, fold};
pub use outcome::{Handled, Refusal, Step, StepOutcome};
pub use rejection::{ItemProblem, Rejection, money};
pub use spec::{CommandSpec, FieldKind, FieldSpec, command_spec, command_specs};
pub use store::{AppendError, EventStore};
