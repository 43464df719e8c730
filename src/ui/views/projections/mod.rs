//! The projections view: a projection's state at the cursor, what the
//! event there changed, and the engine at work (time travel, blame,
//! rebuild, the snapshot check).
//!
//! ```text
//! ┌ customers at #16 PaymentReceived ───┐┌ What #16 changed ─────────────┐
//! │ ▾customer-1: {                      ││ ~ customer-1.city: "A" -> "B" │
//! │~    city: "Bergen"                  ││                               │
//! │                                     │├ Engine ───────────────────────┤
//! │                                     ││ time travel from snapshot #10 │
//! │                                     ││ rebuild ███████░░░ 70%        │
//! └─────────────────────────────────────┘└───────────────────────────────┘
//! ```
//!
//! Files: `state` holds the view's state; `update` changes it, given only
//! a [`crate::ui::ctx::Ctx`] (what else it needs of the App comes back as
//! a request); `msg` is what its workers answer and `work` what they do
//! (the state at the cursor, rebuilds, blame, the snapshot check);
//! `lazy_state` keeps large maps of a state in part, fetched as they are
//! unfolded; `registry` takes a new set of projections when the domain
//! file is read or saved; `layout` places the panes and `render` draws them.
//!
//! May touch: the log (read; a rebuild writes snapshots), the job spawner,
//! the notice line.

pub mod branch;
pub mod diff_lines;
pub mod layout;
pub mod lazy_state;
pub mod lesson;
pub mod msg;
pub mod registry;
pub mod render;
pub mod skip;
pub mod state;
pub mod update;
pub mod work;

pub use render::*;
