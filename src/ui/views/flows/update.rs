//! The flows view's part of `update`: the clock, playback, the parameters
//! and restarts.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::simulation::{SeqRange, SimParams, Simulation};
use crate::ui::app::{App, Notice, View};
use crate::ui::keymap::Action;
use crate::ui::msg::Job;
use crate::ui::views::flows::msg::FlowsMsg;
use crate::ui::views::flows::run::AdvanceError;
use crate::ui::views::flows::state::*;
use crate::ui::views::flows::work;

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

    /// Sets the simulation's parameters (as given on the command line) and
    /// restarts it at the current moment.
    pub fn set_flows_params(&mut self, params: SimParams) -> Result<(), String> {
        params.validate().map_err(|e| e.to_string())?;
        self.flows.base = params;
        self.flows.toggled.clear();
        self.flows.open_outage = None;
        self.restart_flows();
        Ok(())
    }

    /// Moves the flows clock to the time of log position `seq`.
    pub fn seek_flows(&mut self, seq: u64) {
        let seq = seq.min(self.flows.run.last_seq());
        self.flows.clock_us = self.flows.run.time_of(seq).saturating_mul(1_000);
        if self.flows.clock_ms() < self.flows.run.now() {
            self.restart_flows();
        } else {
            self.advance_flows();
        }
    }

    pub(crate) fn flows_action(&mut self, action: Action) {
        let flows = &mut self.flows;
        let moves_clock = matches!(
            action,
            Action::StepForward | Action::StepBack | Action::TogglePlay
        );
        if flows.restarting && moves_clock {
            self.notice = Some(Notice::Info("restarting the simulation; a moment…".into()));
            return;
        }
        match action {
            Action::StepForward => {
                flows.playing = false;
                self.step_flows();
            }
            Action::StepBack => {
                flows.playing = false;
                let seq = flows.run.seq().saturating_sub(1);
                self.seek_flows(seq);
            }
            Action::TogglePlay => {
                flows.playing = !flows.playing && !flows.run.is_over();
                if flows.run.is_over() {
                    self.notice = Some(Notice::Info("the run is over: 0 restarts it".into()));
                }
            }
            Action::Faster => flows.speed = (flows.speed + 1).min(SPEEDS.len() - 1),
            Action::Slower => flows.speed = flows.speed.saturating_sub(1),
            Action::Restart => {
                flows.playing = false;
                flows.clock_us = 0;
                self.restart_flows();
            }
            Action::ToggleOutage => self.toggle_outage(),
            Action::CycleDrop => {
                flows.base.drop_rate = next_rate(flows.base.drop_rate);
                self.restart_flows();
            }
            Action::CycleDuplicate => {
                flows.base.duplicate_rate = next_rate(flows.base.duplicate_rate);
                self.restart_flows();
            }
            Action::CycleReorder => {
                flows.base.reorder_rate = next_rate(flows.base.reorder_rate);
                self.restart_flows();
            }
            Action::ToggleVersionChecks => {
                flows.base.version_checks = !flows.base.version_checks;
                self.restart_flows();
            }
            Action::NextCustomer => self.pick_customer(true),
            Action::PreviousCustomer => self.pick_customer(false),
            Action::FollowCustomer => flows.customer = CustomerChoice::Follow,
            _ => {}
        }
    }

    /// Time passes: while playing, the clock moves by `speed` events a
    /// second of wall time.
    pub(crate) fn flows_tick(&mut self) {
        let flows = &mut self.flows;
        if self.view != View::Flows || !flows.playing || flows.restarting {
            return;
        }
        let interval = flows.run.params().event_interval_ms;
        let step_us = flows
            .speed()
            .saturating_mul(interval)
            .saturating_mul(TICK_MS);
        flows.clock_us = flows.clock_us.saturating_add(step_us);
        self.advance_flows();
        if self.flows.run.is_over() {
            self.flows.playing = false;
            self.notice = Some(Notice::Info(
                "the end of the log: everything sent has arrived".into(),
            ));
        }
    }

    pub(crate) fn flows_msg(&mut self, generation: u64, msg: FlowsMsg) {
        let slot = self.jobs.slot(Job::Flows);
        if !slot.is_current(generation) {
            return;
        }
        slot.finish();
        self.flows.restarting = false;
        match msg {
            FlowsMsg::Restarted(Ok(run)) => {
                self.flows.run = *run;
                // The clock may have been moved on while the worker ran.
                self.advance_flows();
            }
            FlowsMsg::Restarted(Err(problem)) => self.notice = Some(Notice::Error(problem)),
        }
    }

    /// One log event on, or after the last one, the next delivery.
    fn step_flows(&mut self) {
        let run = &self.flows.run;
        let target = if run.seq() < run.last_seq() {
            run.time_of(run.seq() + 1)
        } else if let Some(next) = run.simulation().next_at() {
            next
        } else {
            self.notice = Some(Notice::Info("the run is over: 0 restarts it".into()));
            return;
        };
        self.flows.clock_us = target.saturating_mul(1_000);
        self.advance_flows();
    }

    /// Runs the simulation up to the clock, on this thread: a step or a
    /// tick reads only a few events.
    fn advance_flows(&mut self) {
        let ms = self.flows.clock_ms();
        let never = AtomicBool::new(false);
        if let Err(AdvanceError::Log(problem)) =
            self.flows.run.advance_to(&self.log, ms, &never, |_| {})
        {
            self.flows.playing = false;
            self.notice = Some(Notice::Error(problem));
        }
    }

    /// Starts the simulation again from the first event with the current
    /// parameters, up to the clock, on a worker.
    pub(crate) fn restart_flows(&mut self) {
        let params = self.flows.params();
        let last_seq = self.flows.run.last_seq();
        let ms = self.flows.clock_ms();
        self.flows.restarting = true;
        let log = self.log.clone();
        self.jobs.spawn(Job::Flows, move |worker| {
            work::restart(&log, worker, params, last_seq, ms)
        });
    }

    /// `o`: starts an outage of the source at the current seq, or ends the
    /// one running here.
    fn toggle_outage(&mut self) {
        let flows = &mut self.flows;
        let seq = flows.run.seq().max(1);
        match flows.open_outage.take() {
            None => flows.open_outage = Some(seq),
            Some(first) => {
                // Ended at `seq`: the source is up again from `seq` on.
                let last = seq.saturating_sub(1).max(first);
                flows.toggled.push(SeqRange::new(first, last));
            }
        }
        self.restart_flows();
    }

    fn pick_customer(&mut self, forward: bool) {
        let flows = &mut self.flows;
        let simulation = flows.run.simulation();
        let count = simulation.customers().count();
        if count == 0 {
            return;
        }
        let shown = flows.shown_customer();
        let at = shown
            .as_deref()
            .and_then(|name| simulation.customers().position(|c| c == name));
        let next = match (at, forward) {
            (None, _) => 0,
            (Some(i), true) => (i + 1) % count,
            (Some(i), false) => (i + count - 1) % count,
        };
        if let Some(name) = simulation.customers().nth(next) {
            flows.customer = CustomerChoice::Picked(Arc::from(name));
        }
    }
}
