//! The CQRS view: a command goes to the write side; the read side follows,
//! maybe late.
//!
//! ```text
//! ┌ Command · policies on ────────────────────────────────────────┐
//! │ > ChangeCustomerAddress customer-7 city=Leeds …█              │ ┌ completions ┐
//! │ ChangeCustomerAddress customer-<n> street=<text> …            │ └─────────────┘
//! ├ Write model: customer-7 (v4) ───┬ Decision ───────────────────┤
//! │ ~ address: {"city":"Leeds",…}   │ ✓ CustomerAddressChanged v4 │
//! ├ Read models ────────────────────┴─────────────────────────────┤
//! │ ▶ address-book  lag 2  #40/42  STALE customer-7 {…}           │
//! │     address.city: "Oslo" here, "Leeds" in the write model     │
//! ├ Flow cmd:customer-7/4 ────────────────────────────────────────┤
//! │ cmd PlaceOrder order-9 └ #41 OrderPlaced └ #42 PaymentRequested│
//! └───────────────────────────────────────────────────────────────┘
//! ```
//!
//! Files: `state` holds the command line, the decision and the command's
//! chain of events; `update` changes it, given only a
//! [`crate::ui::ctx::Ctx`] and the stream names (what else it needs of the
//! App comes back as a request); `write_model` rebuilds the stream a
//! command names; `complete` is Tab completion as pure functions;
//! `read_models` and `read_rows` are the read side that may trail, built by
//! `work` (answering with `msg`); `render` draws it all; `followed` says
//! why a log that follows its source takes no commands.
//!
//! May touch: the log (commands append to it; read models read it), the
//! job spawner, the notice line, the stream names.

pub mod complete;
pub mod followed;
pub mod lesson;
pub mod msg;
pub mod read_models;
pub mod read_rows;
pub mod render;
pub mod state;
pub mod update;
pub mod work;
pub mod write_model;
pub mod writers;

pub use render::*;
