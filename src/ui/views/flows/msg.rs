//! What the flows view's worker answers.

use crate::simulation::Choice;
use crate::ui::views::flows::run::SimRun;

/// A worker's answer about the flows simulation.
#[derive(Debug)]
pub enum FlowsMsg {
    /// A restart with new parameters reached the moment asked for; when it
    /// also found the mappings to offer, they come with it (and why the
    /// domain file's is not among them).
    Restarted {
        run: Result<Box<SimRun>, String>,
        found: Option<(Vec<Choice>, Option<String>)>,
    },
}
