//! Everything that can happen to the app arrives as a [`Msg`]: keys from the
//! input thread, ticks, and the results of worker threads.

use ratatui::crossterm::event::KeyEvent;

use crate::ui::chain::Flow;
use crate::ui::keymap::Action;
use crate::ui::rate::RateChart;
use crate::ui::views::cqrs::msg::ReadModelsMsg;
use crate::ui::views::flows::msg::FlowsMsg;
use crate::ui::views::projections::msg::ProjectionMsg;

/// How often the input thread sends a tick while no key arrives.
pub const TICK: std::time::Duration = std::time::Duration::from_millis(250);

/// The kinds of background work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Job {
    /// Counting events over time for the rate chart.
    Rate,
    /// A text search.
    Search,
    /// Finding the flow of the selected event.
    Flow,
    /// Computing a projection's state at the cursor and what it changed.
    Projection,
    /// Rebuilding a projection from scratch.
    Rebuild,
    /// Saving a projection's snapshots for time travel, after a rebuild.
    Snapshots,
    /// Finding which event last set a field.
    Blame,
    /// Checking that the snapshot path and the genesis path agree.
    Check,
    /// Building the CQRS view's read models.
    ReadModels,
    /// Running the flows simulation again with new parameters.
    Flows,
    /// A worker that panics on purpose, started only by debug builds when
    /// `EVENTSCOPE_PANIC_PROBE` is set: the end-to-end test that a worker's
    /// panic is contained.
    PanicProbe,
}

impl Job {
    /// What the job is doing, for a message: "searching failed: ...".
    pub fn describe(self) -> &'static str {
        match self {
            Job::Rate => "counting events over time",
            Job::Search => "searching",
            Job::Flow => "finding the flow",
            Job::Projection => "computing the projection",
            Job::Rebuild => "the rebuild",
            Job::Snapshots => "saving snapshots",
            Job::Blame => "blame",
            Job::Check => "the snapshot check",
            Job::ReadModels => "building the read models",
            Job::Flows => "the flows simulation",
            Job::PanicProbe => "the panic probe",
        }
    }
}

/// A message to the app.
#[derive(Debug)]
pub enum Msg {
    /// A key as the terminal sent it; [`crate::ui::map_key`] turns it into an
    /// action or text input.
    Key(KeyEvent),
    /// A keymap action.
    Action(Action),
    /// A character typed into an open prompt.
    Input(char),
    Resize(u16, u16),
    /// Time passes (redraws gauges and elapsed times).
    Tick,
    /// A worker's progress.
    Progress {
        job: Job,
        generation: u64,
        done: u64,
        total: u64,
    },
    /// A job's worker panicked; its slot is freed and the user told.
    JobFailed {
        job: Job,
        generation: u64,
        problem: String,
    },
    RateReady {
        generation: u64,
        chart: Result<RateChart, String>,
    },
    SearchDone {
        generation: u64,
        /// The seq of the match.
        found: Result<Option<u64>, String>,
        wrapped: bool,
    },
    FlowReady {
        generation: u64,
        flow: Result<Option<Flow>, String>,
    },
    Projection {
        generation: u64,
        msg: ProjectionMsg,
    },
    ReadModels {
        generation: u64,
        msg: ReadModelsMsg,
    },
    Flows {
        generation: u64,
        msg: FlowsMsg,
    },
}
