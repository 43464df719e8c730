//! CQRS, the write side: a command is judged by a write model rebuilt from
//! its stream's own events, and becomes new events or a rejection with a
//! reason. The read side is the projections.
//!
//! The modules read top-down, each using only those listed after it:
//!
//! - [`handler`]: load, decide, append with the expected version, run
//!   [`policy`] reactions; [`outcome`] is what it reports, [`handle_error`]
//!   why it could not.
//! - `decide`: one decision, through the write models and pure deciders of
//!   [`retail`] and [`bank`], folded by [`model`] from [`domain_event`]s;
//!   [`history`] says why a stream cannot be folded, [`rejection`] (with
//!   [`order_status`]) why a command is refused.
//! - `parse`, [`short_form`], [`command`], [`body`]: commands in both
//!   forms, their typed bodies ([`order_line`]), their fields, and the
//!   catalogue [`spec`] that drives parsing and completion; [`error`] says
//!   why one cannot be read.
//! - A domain file's commands run the same path: [`domain_command`] reads
//!   them in both forms by the file's fields, `decide_file` judges them by
//!   the file's write model and rules, [`policy`] runs the file's policies,
//!   and [`catalogue`] lists them beside the built-in ones.
//! - [`store`]: the storage boundary; [`memory`]: an in-memory store;
//!   [`branch`]: the log as it was at a seq, with new events in memory
//!   (what-if commands); [`case`]: one decision as a given/when/then case.

pub mod bank;
pub mod body;
pub mod branch;
pub mod case;
pub mod catalogue;
pub mod command;
mod decide;
mod decide_file;
pub mod domain_command;
pub mod domain_event;
pub mod error;
mod fields;
pub mod handle_error;
pub mod handler;
pub mod history;
pub mod memory;
pub mod model;
pub mod order_line;
pub mod order_status;
pub mod outcome;
mod parse;
pub mod policy;
pub mod rejection;
pub mod retail;
pub mod short_form;
pub mod spec;
pub mod store;

#[cfg(test)]
mod tests;

pub use branch::Branch;
pub use case::{Case, CaseError, Then};
pub use catalogue::{CatalogueEntry, CatalogueField, catalogue, domain_command_specs};
pub use command::{
    AccountCommand, Command, CommandBody, CustomerCommand, DomainCommand, OrderCommand, OrderLine,
    Origin,
};
pub use domain_event::DomainEvent;
pub use error::CommandError;
pub use handle_error::HandleError;
pub use handler::CommandHandler;
pub use history::{HistoryError, HistoryProblem};
pub use memory::MemoryStore;
pub use model::{WriteModel, fold};
pub use outcome::{Handled, Refusal, Step, StepOutcome};
pub use rejection::{ItemProblem, Rejection, money};
pub use spec::{CommandSpec, FieldKind, FieldSpec, command_spec, command_specs};
pub use store::{AppendError, EventStore};
