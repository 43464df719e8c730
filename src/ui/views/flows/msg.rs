//! What the flows view's worker answers.

use crate::ui::views::flows::run::SimRun;

/// A worker's answer about the flows simulation.
#[derive(Debug)]
pub enum FlowsMsg {
    /// A restart with new parameters reached the moment asked for.
    Restarted(Result<Box<SimRun>, String>),
}
