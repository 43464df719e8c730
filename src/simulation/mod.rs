//! Event Notification vs Event-Carried State Transfer, run side by side.
//!
//! A deterministic discrete-event simulation over a virtual clock (ms),
//! driven by the events of a log read through a [`Mapping`]. The source
//! system owns the entities (the streams of one category) and publishes
//! each change on a bus. A consumer needs an entity's current state at each
//! of its moments of work (events of the mapping's work types), and finds
//! the entity through a link: a field of the work event, or of an earlier
//! event of its stream (as an order's `OrderPlaced.customer` is for
//! shipping its `OrderShipped`). Without a link each change of an entity
//! is work on it.
//!
//! - [`Flow::Notification`]: the bus carries thin events; the consumer calls
//!   the source's query API on each, and again when it needs data it lacks.
//! - [`Flow::StateTransfer`]: the bus carries the changed data; the consumer
//!   keeps a replica and never calls the source.
//!
//! Both flows see the same log, the same bus faults (one draw per log
//! position) and the same outages of the source's query API. Nothing in the
//! code favours either: the differences in the [`Report`] come from running
//! the model.
//!
//! ```
//! use eventscope::simulation::{Flow, Mapping, SimParams, Simulation};
//! let mut simulation = Simulation::new(Mapping::retail(), SimParams::default()).unwrap();
//! simulation.finish();
//! assert_eq!(simulation.metrics(Flow::StateTransfer).remote_calls, 0);
//! ```

mod choice;
mod context;
mod engine;
mod entity;
mod faults;
mod happenings;
mod input;
mod mapping;
mod metrics;
mod notification;
mod observe;
mod params;
mod report;
mod schedule;
mod source;
mod staleness;
mod state_transfer;
mod views;
mod waiting;

#[cfg(test)]
mod tests;

pub use choice::{Choice, Origin, PROPOSAL_EVENTS, choices, first_events};
pub use engine::Simulation;
pub use mapping::{Mapping, MappingError};
pub use metrics::FlowMetrics;
pub use params::{ParamError, RetryPolicy, SeqRange, SimParams};
pub use report::Report;
pub use report::grouped;
pub use views::{EntityView, Flow, InFlight, MessageKind, Party};
