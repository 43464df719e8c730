//! What the player holds: the lessons on offer, the one playing and its
//! step, how far each lesson got, and the App as it was before.

use std::collections::HashMap;

use crate::lesson::{Lesson, LessonError};
use crate::ui::lesson::check::Baseline;
use crate::ui::lesson::scene::Saved;

/// Whether the step's task is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckState {
    /// The step asks nothing.
    NoTask,
    Waiting,
    Passed,
}

/// How far a lesson got: the furthest step reached and the tasks done.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub reached: usize,
    pub passed: Vec<usize>,
}

/// The lesson playing.
pub struct Playing {
    pub lesson: Lesson,
    /// 0-based.
    pub step: usize,
    /// Taken once the scene is set (workers included).
    pub baseline: Option<Baseline>,
    pub passed: bool,
    /// The field of the scene still to select once the projection's
    /// state has arrived (a tree path).
    pub pending_field: Option<String>,
    /// The explorer before the lesson began.
    pub saved: Saved,
}

/// The player's state.
#[derive(Default)]
pub struct LessonsState {
    /// The lessons on offer, or why a file could not be read.
    pub available: Vec<Result<Lesson, LessonError>>,
    /// The bundled sample the open log is, if it is one (`retail`).
    pub sample: Option<String>,
    /// The file the open log was read from, when not the log itself (a
    /// JSONL file imported for this run).
    pub source: Option<std::path::PathBuf>,
    pub playing: Option<Playing>,
    pub progress: HashMap<String, Progress>,
    /// The terminal's size; the views lay out for it less the dock.
    pub screen: Option<(u16, u16)>,
}

impl LessonsState {
    pub fn is_playing(&self) -> bool {
        self.playing.is_some()
    }

    /// Whether `lesson` runs on the open log.
    pub fn fits(&self, lesson: &Lesson, log_path: &std::path::Path) -> bool {
        if self.sample.as_deref() == Some(lesson.log.as_str()) {
            return true;
        }
        // A file is named relative to the lesson file.
        let base = std::path::Path::new(&lesson.file)
            .parent()
            .unwrap_or(std::path::Path::new("."));
        let named = base.join(&lesson.log);
        let same =
            |a: &std::path::Path, b: &std::path::Path| match (a.canonicalize(), b.canonicalize()) {
                (Ok(a), Ok(b)) => a == b,
                _ => false,
            };
        let opened = self.source.as_deref().unwrap_or(log_path);
        crate::lesson::sample(&lesson.log).is_none() && same(&named, opened)
    }

    /// The check's state of the step playing.
    pub fn check_state(&self) -> Option<CheckState> {
        let playing = self.playing.as_ref()?;
        let step = playing.lesson.steps.get(playing.step)?;
        Some(match (&step.try_it, playing.passed) {
            (None, _) => CheckState::NoTask,
            (Some(_), false) => CheckState::Waiting,
            (Some(_), true) => CheckState::Passed,
        })
    }
}

impl LessonsState {
    /// The bundled lessons on offer, none playing.
    pub fn with_bundled() -> LessonsState {
        LessonsState {
            available: crate::lesson::bundled_lessons(),
            ..LessonsState::default()
        }
    }
}
