//! What the App tells tools and tests about each view, and the few
//! requests they make of one (the `render` command sets the flows view's
//! parameters and moment).

use std::sync::Arc;

use serde_json::Value;

use crate::projection::Change;
use crate::simulation::{Choice, SimParams, Simulation};
use crate::store::EventLog;
use crate::ui::app::{App, View};
use crate::ui::ctx::ctx;
use crate::ui::json_tree::TreeLine;
use crate::ui::rate::RateChart;
use crate::ui::views::cqrs::complete;
use crate::ui::views::cqrs::state::{Clock, CqrsState};

impl App {
    /// The rate chart as last counted (none before the first count ends).
    pub fn rate_chart(&self) -> Option<&RateChart> {
        self.rate.as_ref()
    }

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

    /// The mapping the flows view runs and where it came from (none on a
    /// log with nothing to propose one from), and how many it offers.
    pub fn flows_mapping(&self) -> (Option<&Choice>, usize) {
        (self.flows.choice(), self.flows.mappings.len())
    }

    /// The entity the flows view compares.
    pub fn flows_entity(&self) -> Option<Arc<str>> {
        self.flows.shown_entity()
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

    /// The projection shown in the projections view.
    pub fn projection_name(&self) -> Option<&str> {
        self.projections.name()
    }

    /// The shown projection's state at the cursor, once computed. When a
    /// map of it is large, that map holds only the entries fetched (those
    /// unfolded, or changed by the event at the cursor); the tree lists
    /// all its keys.
    pub fn projection_state(&self) -> Option<&Value> {
        self.projections.state.as_ref().map(|s| &s.value)
    }

    /// The lines of the projections view's tree, as flattened now.
    pub fn projection_lines(&self) -> &[TreeLine] {
        &self.projections.lines
    }

    /// The index of the selected line of the projections view's tree.
    pub fn projection_cursor(&self) -> usize {
        self.projections.cursor
    }

    /// What the event at the cursor changed in the shown projection.
    pub fn projection_changes(&self) -> &[Change] {
        self.projections
            .state
            .as_ref()
            .map_or(&[], |s| s.changes.as_slice())
    }

    /// What if: the events marked as skipped and the state without them.
    pub fn skip_panel(&self) -> &crate::ui::views::projections::skip::SkipPanel {
        &self.projections.skip
    }

    /// What if: the branch held in the projections view, if any.
    pub fn branch_panel(&self) -> Option<&crate::ui::views::projections::branch::BranchPanel> {
        self.projections.branch.as_ref()
    }

    /// The seq blame found for the selected field, if it has run.
    pub fn blamed_seq(&self) -> Option<u64> {
        match &self.projections.blame {
            Some((_, Ok(seq))) => *seq,
            _ => None,
        }
    }

    /// One event of the log (for tools and tests).
    pub fn event_at(&self, seq: u64) -> Option<crate::event::Event> {
        self.log.get(seq).ok().flatten()
    }

    /// Shows the projection named `name` in the projections view.
    pub fn select_projection(&mut self, name: &str) -> Result<(), String> {
        let index = self
            .projections
            .names
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| {
                format!(
                    "no projection named `{name}` applies to this log; try one of: {}",
                    self.projections.names.join(", ")
                )
            })?;
        let seq = self.selected_seq();
        self.projections.pick(&mut ctx!(self), index, seq);
        Ok(())
    }

    /// Replaces the clock (the system's by default).
    pub fn set_clock(&mut self, clock: Clock) {
        self.cqrs.set_clock(clock);
    }

    /// The log the explorer reads and the CQRS view writes to.
    pub fn event_log(&self) -> &EventLog {
        &self.log
    }

    /// The CQRS view's state.
    pub fn cqrs(&self) -> &CqrsState {
        &self.cqrs
    }

    /// Every stream name of the log in name order, once loaded.
    pub fn stream_list(&self) -> &[String] {
        self.streams.as_deref().unwrap_or(&[])
    }

    /// What Tab could complete the command line with: the first few
    /// candidates and how many there are.
    pub fn command_completions(&self) -> (Vec<String>, usize) {
        let found =
            complete::candidates(&self.cqrs.input, self.stream_list(), &self.cqrs.catalogue);
        (
            found.shown.into_iter().map(|c| c.into_owned()).collect(),
            found.total,
        )
    }

    /// Why the log's statistics (its count of events and types) could not
    /// be read, if they could not (damage, most often): its list is then
    /// unreadable, not "no events".
    pub fn unreadable(&self) -> Option<&str> {
        self.stats.as_ref().err().map(String::as_str)
    }

    /// Whether the view is drawn below the smallest size it is drawn in
    /// (it says so instead): the terminal, less a lesson's dock.
    pub fn too_small(&self) -> bool {
        let (width, height) = self.size;
        width < crate::ui::layout::MIN_WIDTH || height < crate::ui::layout::MIN_HEIGHT
    }

    /// Whether keys go to the CQRS command line.
    pub fn editing_command(&self) -> bool {
        self.view == View::Cqrs && self.cqrs.is_editing()
    }

    /// Whether `job` is running now.
    pub fn job_running(&self, job: crate::ui::msg::Job) -> bool {
        self.jobs.is_running(job)
    }

    /// How many counts of the rate chart have been started: a growing log
    /// must not restart one under way.
    pub fn rate_counts_started(&self) -> u64 {
        self.jobs
            .get(crate::ui::msg::Job::Rate)
            .map_or(0, |slot| slot.generation())
    }
}
