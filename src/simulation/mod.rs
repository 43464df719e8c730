//! Event Notification vs Event-Carried State Transfer, run side by side.
//!
//! A deterministic discrete-event simulation over a virtual clock (ms),
//! driven by the events of a retail log. The source system owns the
//! customers (`Customer*` events) and publishes each change on a bus. A
//! consumer, shipping, needs the customer's current address for every order
//! it ships; the log's `OrderShipped` is the moment it acts (an order's
//! customer comes from its `OrderPlaced`). `PaymentReceived` would also do as
//! a trigger, but not every paid order ships, and `OrderShipped` is where the
//! log says the address was used.
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
//! use eventscope::simulation::{Flow, SimParams, Simulation};
//! let mut simulation = Simulation::new(SimParams::default()).unwrap();
//! simulation.finish();
//! assert_eq!(simulation.metrics(Flow::StateTransfer).remote_calls, 0);
//! ```

mod context;
mod engine;
mod faults;
mod happenings;
mod input;
mod metrics;
mod notification;
mod observe;
mod params;
mod record;
mod report;
mod schedule;
mod source;
mod staleness;
mod state_transfer;
mod views;
mod waiting;

#[cfg(test)]
mod tests;

pub use engine::Simulation;
pub use metrics::FlowMetrics;
pub use params::{ParamError, RetryPolicy, SeqRange, SimParams};
pub use record::ChangeKind;
pub use report::Report;
pub use report::grouped;
pub use views::{CustomerView, Flow, InFlight, MessageKind, Party};
