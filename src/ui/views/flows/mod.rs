//! The flows view: the same log through Event Notification and
//! Event-Carried State Transfer, side by side, as it happens.
//!
//! ```text
//! ┌ Notification  m mapping 1/4 file library.domain.toml: source member…┐
//! │ Source DOWN ──•──•────────────•─────────────▶ Consumer               │
//! │ query API ✗ ╌╌╌╌╌╌◁╌╌╌╌╌╌╌╌✗╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌ 2 calls open           │
//! ├ State transfer ──────────────────────────────────────────────────────┤
//! │ Source DOWN ──■────■─■────────────────────▶ Consumer: replica 30     │
//! ├ Metrics ──────────── Notification ─────────── StateTransfer ─────────┤
//! │ bus bytes           2,711 ███▊               8,692 ████████████      │
//! │ remote calls           48 ████████████           0                   │
//! ├ customer (follow) ─ source truth ──── Notification ─── StateTransfer ┤
//! │ customer-7          Leeds v4          Manchester v3 STALE  Leeds v4  │
//! ├ What to notice ──────────────────────────────────────────────────────┤
//! │ • thin event  ■ event with data  ◁ call  ◆ answer  ✗ failed call     │
//! └ outage 120..=179 · drop 5% · dup 0% · reorder 0% · versions on ──────┘
//! ```
//! The top border names the flows mapping the simulation runs (the domain
//! file's beside the log, else the log's own proposal; `m` moves to the
//! next, see [`mapping`]). Captions under the lanes and the notes (the
//! first says where the mapping came from, in full) appear when the
//! screen is tall enough; the metrics shrink before the lanes do.
//!
//! "Flows" here means the two integration styles, Notification and
//! StateTransfer, and nothing else (a correlation chain is
//! [`crate::ui::chain`]).
//!
//! Files: `state` holds the view's state; `update` changes it, given only
//! a [`crate::ui::ctx::Ctx`]; `run` steps the simulation along the log
//! clock (over any event source); `work` restarts it on a worker, answering
//! with `msg`; `notes` are the texts that explain what to notice; `mapping`
//! finds the mappings to offer; `render` draws the mapping, lanes, metrics
//! and entity; `present` draws the two lanes side by side for presenter
//! mode.
//!
//! May touch: the log (read only), the job spawner (a restart runs on a
//! worker), the notice line.

pub mod mapping;
pub mod msg;
pub mod notes;
pub mod present;
pub mod render;
pub mod run;
pub mod state;
pub mod update;
pub mod work;

pub use render::*;
