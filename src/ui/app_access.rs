//! What the App tells tools and tests about each view, and the few
//! requests they make of one (the `render` command sets the flows view's
//! parameters and moment).

use std::sync::Arc;

use crate::simulation::{SimParams, Simulation};
use crate::ui::app::App;
use crate::ui::ctx::ctx;

impl App {
    /// The flows simulation as it stands now.
    pub fn flows_simulation(&self) -> &Simulation {
        self.flows.run.simulation()
    }

    /// The latest log position whose time has come in the flows view.
    pub fn flows_seq(&self) -> u64 {
        self.flows.run.seq()
    }

    /// Whether the flows view is playing.
    pub fn flows_playing(&self) -> bool {
        self.flows.playing
    }

    /// The customer the flows view compares.
    pub fn flows_customer(&self) -> Option<Arc<str>> {
        self.flows.shown_customer()
    }

    /// Whether the source is down at the flows view's moment.
    pub fn flows_source_down(&self) -> bool {
        self.flows.run.source_down_at(self.flows.run.seq())
    }

    /// Sets the flows simulation's parameters (as given on the command
    /// line) and restarts it at the current moment.
    pub fn set_flows_params(&mut self, params: SimParams) -> Result<(), String> {
        self.flows.set_params(&mut ctx!(self), params)
    }

    /// Moves the flows clock to the time of log position `seq`.
    pub fn seek_flows(&mut self, seq: u64) {
        self.flows.seek(&mut ctx!(self), seq);
    }
}
