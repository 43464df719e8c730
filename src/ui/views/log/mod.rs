//! The log view: the event list, the selected event, its flow, the rate of
//! events over time and the counts by type.
//!
//! ```text
//! ┌ Log 1..1,000 ───────────────┐┌ Event #12 ────────────────┐
//! │  seq time     stream   type ││ seq     12                │
//! │▶  12 09:30:00 order-3  Ord… ││ data {                    │
//! │   13 09:30:01 order-3  Pay… ││   total: 1200             │
//! │                             │├ Flow c-7 ─────────────────┤
//! │                             ││ #12 OrderPlaced ◀         │
//! └─────────────────────────────┘└───────────────────────────┘
//! ┌ Events over time ───────────────────┐┌ Types ─────────────┐
//! │ ▁▂▃▅▇▅▃▂▁                           ││   400 OrderPlaced  │
//! │      ▲                              ││   300 PaymentRece… │
//! └─────────────────────────────────────┘└────────────────────┘
//! ```
//!
//! Files: `layout` places the panes; `render` draws the list, the detail
//! and the flow, `rate_pane` and `types_pane` the two charts; `list` is the
//! list of positions (all events, or those of a filter) and the rows on
//! screen; `prompt` holds the jump, stream and search prompts and the type
//! picker; `work` is the background work of this view (the rate chart,
//! search, the flow of the selected event).
//!
//! May touch: the log (read only), the job spawner, the notice line. The
//! selection itself (cursor, list, detail) is the App's, as every view
//! follows it.

pub mod layout;
pub mod list;
pub mod prompt;
pub mod rate_pane;
pub mod render;
pub mod types_pane;
pub mod work;

pub use render::*;
