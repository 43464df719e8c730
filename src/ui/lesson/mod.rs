//! The lesson player: a picker of lessons (and how far each got), a
//! narration dock under the scene, next and previous, the step's check,
//! and leaving a lesson with the explorer as it was before.
//!
//! ```text
//! ┌ eventscope  1 Log  2 Projections ...──────────────┐
//! │ the scene the step set (any view)                 │
//! ├ Event Sourcing · step 5 of 7 · Blame ─────────────┤  the dock
//! │ At the end of the log Ada lives in Edinburgh ...  │
//! │ Notice: the engine pane names seq 217 ...         │
//! │ Try: press b on the city          ✓ done          │
//! └ > next  < back  L lessons  X leave ───────────────┘
//! ```
//!
//! Files: `state` holds what is playing and the progress; `scene` sets a
//! step's scene on the App and saves and restores the App around a lesson;
//! `check` judges a step's task against the App as the scene left it;
//! `dock` and `picker` draw.

pub mod check;
pub mod dock;
pub mod picker;
mod play;
pub mod scene;
pub mod state;

pub use state::{CheckState, LessonsState};
