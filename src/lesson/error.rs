//! What is wrong with a lesson file, said once, with its place.

use std::fmt;

/// An error in a lesson: the file, the line (1-based; 0 when the file as a
/// whole is meant), the step (1-based) if one is at fault, and what is
/// wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonError {
    pub file: String,
    pub line: usize,
    pub step: Option<usize>,
    pub message: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if let Some(step) = self.step {
            write!(f, ": step {step}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for LessonError {}
