//! The flows view's state: a Notification vs StateTransfer simulation run
//! over the log on a virtual clock the learner moves (step, play, speed,
//! restart) and the parameters they change as it runs (an outage of the
//! source, drop, duplicate and reorder rates, version checks).
//!
//! Changing a parameter restarts the simulation from the first event with
//! the new parameters, up to the same moment, on a worker thread (a big log
//! takes a moment; the sample none). Playback advances the clock on each
//! `Tick`, which stands for a fixed [`TICK_MS`] of wall time, so the state
//! machine never reads a clock.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::simulation::{SeqRange, SimParams, Simulation};
use crate::store::EventLog;
use crate::ui::app::{App, Notice, View};
use crate::ui::jobs::Worker;
use crate::ui::keymap::Action;
use crate::ui::msg::{Job, Msg};
use crate::ui::views::flows::run::{AdvanceError, SimRun};

/// The wall time a `Tick` stands for.
pub const TICK_MS: u64 = crate::ui::run::TICK.as_millis() as u64;

/// Playback speeds, in log events per second of wall time.
pub const SPEEDS: [u64; 8] = [1, 2, 4, 8, 16, 32, 64, 128];
const DEFAULT_SPEED: usize = 2;

/// The fault rates `d`, `u` and `r` cycle through.
pub const RATES: [f64; 4] = [0.0, 0.01, 0.05, 0.2];

/// A worker's answer about the flows simulation.
#[derive(Debug)]
pub enum FlowsMsg {
    /// A restart with new parameters reached the moment asked for.
    Restarted(Result<Box<SimRun>, String>),
}

/// Which customer the comparison shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomerChoice {
    /// The customer of the latest customer event.
    Follow,
    /// One the learner picked.
    Picked(Arc<str>),
}

/// The flows view.
#[derive(Debug)]
pub struct FlowsState {
    pub(crate) run: SimRun,
    /// The parameters given on the command line (outages included).
    base: SimParams,
    /// Outages started and ended with `o`.
    toggled: Vec<SeqRange>,
    /// The seq an outage was started at, still running.
    pub(crate) open_outage: Option<u64>,
    /// The clock in virtual microseconds: ticks at low speed move it by
    /// fractions of a ms.
    clock_us: u64,
    pub(crate) playing: bool,
    speed: usize,
    pub(crate) customer: CustomerChoice,
    /// A restart is running on a worker.
    pub(crate) restarting: bool,
}

impl FlowsState {
    /// A run of default parameters over a log of `last_seq` events, at 0.
    pub fn new(last_seq: u64) -> FlowsState {
        let params = SimParams::default();
        let run = match SimRun::new(params.clone(), last_seq) {
            Ok(run) => run,
            // The defaults are valid; a failure here is a bug in them.
            Err(problem) => unreachable!("default simulation parameters rejected: {problem}"),
        };
        FlowsState {
            run,
            base: params,
            toggled: Vec::new(),
            open_outage: None,
            clock_us: 0,
            playing: false,
            speed: DEFAULT_SPEED,
            customer: CustomerChoice::Follow,
            restarting: false,
        }
    }

    /// Playback speed in log events per second.
    pub fn speed(&self) -> u64 {
        SPEEDS[self.speed.min(SPEEDS.len() - 1)]
    }

    /// The parameters in force: the base ones plus the toggled outages.
    pub fn params(&self) -> SimParams {
        let mut params = self.base.clone();
        params.outages.extend(self.toggled.iter().copied());
        if let Some(first) = self.open_outage {
            params.outages.push(SeqRange::new(first, u64::MAX));
        }
        params
    }

    /// The customer the comparison shows, if any.
    pub fn shown_customer(&self) -> Option<Arc<str>> {
        match &self.customer {
            CustomerChoice::Follow => self.run.latest_customer().cloned(),
            CustomerChoice::Picked(name) => Some(name.clone()),
        }
    }

    fn clock_ms(&self) -> u64 {
        self.clock_us / 1_000
    }
}

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
            restart(&log, worker, params, last_seq, ms)
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

/// The rate after `rate` in [`RATES`]: the next higher one (from any
/// value, also one given on the command line), or back to 0.
pub fn next_rate(rate: f64) -> f64 {
    RATES
        .iter()
        .copied()
        .find(|&r| r > rate + 1e-9)
        .unwrap_or(0.0)
}

/// Runs the simulation from the first event up to `ms`, reporting how far.
fn restart(log: &EventLog, worker: &Worker, params: SimParams, last_seq: u64, ms: u64) {
    let total = (ms / params.event_interval_ms.max(1)).min(last_seq);
    let result = SimRun::new(params, last_seq).and_then(|mut run| {
        match run.advance_to(log, ms, worker.cancel_flag(), |done| {
            worker.progress(done, total)
        }) {
            Ok(()) => Ok(Box::new(run)),
            Err(AdvanceError::Cancelled) => Err("cancelled".to_string()),
            Err(AdvanceError::Log(problem)) => Err(problem),
        }
    });
    worker.send(Msg::Flows {
        generation: worker.generation(),
        msg: FlowsMsg::Restarted(result),
    });
}
