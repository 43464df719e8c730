//! Lessons: guided walks through a log, one TOML file each, under
//! `sample-data/lessons/`.
//!
//! A lesson names the log it runs on and holds steps. A step narrates (a
//! few sentences for a projector), sets a scene (the view, the cursor, the
//! projection and field, the flows settings, a command typed ready), says
//! what to notice in the figures on screen, names the claims of the
//! patterns it shows, and may ask the learner to do something, with a check
//! that passes only once they have.
//!
//! TOML, as the domain files are: a teacher writes it by hand, it takes
//! comments, `"""` strings hold a paragraph of narration as it reads, and
//! `[[step]]` tables keep a lesson readable top to bottom like slides.
//!
//! [`load`] reads a file (syntax and shape, with file, line and step);
//! [`Lesson::check_against`] checks it against the log it is opened on
//! (seqs in range, projections and commands that exist).

mod bundled;
mod check_log;
pub mod claims;
mod error;
mod format;
mod load;

pub use bundled::{BUNDLED, SAMPLES, Sample, bundled_lessons, sample};
pub use check_log::LogFacts;
pub use error::LessonError;
pub use format::{Check, FlowsScene, Lag, Lesson, Scene, SceneView, Step, TryIt};
pub use load::{load, load_file};

#[cfg(test)]
mod tests;
