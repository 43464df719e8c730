//! The flows view's part of `update`: the clock, playback, the parameters
//! and restarts.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::domain_file::Domain;
use crate::simulation::{SeqRange, SimParams};
use crate::ui::ctx::Ctx;
use crate::ui::keymap::Action;
use crate::ui::msg::Job;
use crate::ui::views::flows::msg::FlowsMsg;
use crate::ui::views::flows::run::AdvanceError;
use crate::ui::views::flows::state::*;
use crate::ui::views::flows::work;

impl FlowsState {
    /// Sets the simulation's parameters (as given on the command line) and
    /// restarts it at the current moment.
    pub fn set_params(&mut self, ctx: &mut Ctx, params: SimParams) -> Result<(), String> {
        params.validate().map_err(|e| e.to_string())?;
        self.base = params;
        self.toggled.clear();
        self.open_outage = None;
        self.restart(ctx);
        Ok(())
    }

    /// Moves the flows clock to the time of log position `seq`.
    pub fn seek(&mut self, ctx: &mut Ctx, seq: u64) {
        let seq = seq.min(self.run.last_seq());
        self.clock_us = self.run.time_of(seq).saturating_mul(1_000);
        if self.clock_ms() < self.run.now() {
            self.restart(ctx);
        } else {
            self.advance(ctx);
        }
    }

    pub fn action(&mut self, ctx: &mut Ctx, action: Action) {
        let flows = &mut *self;
        let moves_clock = matches!(
            action,
            Action::StepForward | Action::StepBack | Action::TogglePlay
        );
        if flows.restarting && moves_clock {
            ctx.info("restarting the simulation; a moment…");
            return;
        }
        match action {
            Action::StepForward => {
                flows.playing = false;
                self.step(ctx);
            }
            Action::StepBack => {
                flows.playing = false;
                let seq = flows.run.seq().saturating_sub(1);
                self.seek(ctx, seq);
            }
            Action::TogglePlay => {
                // A live log's end is where the next events will come.
                let over = flows.run.is_over() && !flows.live;
                flows.playing = !flows.playing && !over;
                if over {
                    ctx.info("the run is over: 0 restarts it");
                }
            }
            Action::Faster => flows.speed = (flows.speed + 1).min(SPEEDS.len() - 1),
            Action::Slower => flows.speed = flows.speed.saturating_sub(1),
            Action::Restart => {
                flows.playing = false;
                flows.clock_us = 0;
                self.restart(ctx);
            }
            Action::ToggleOutage => self.toggle_outage(ctx),
            Action::CycleDrop => {
                flows.base.drop_rate = next_rate(flows.base.drop_rate);
                self.restart(ctx);
            }
            Action::CycleDuplicate => {
                flows.base.duplicate_rate = next_rate(flows.base.duplicate_rate);
                self.restart(ctx);
            }
            Action::CycleReorder => {
                flows.base.reorder_rate = next_rate(flows.base.reorder_rate);
                self.restart(ctx);
            }
            Action::ToggleVersionChecks => {
                flows.base.version_checks = !flows.base.version_checks;
                self.restart(ctx);
            }
            Action::NextCustomer => self.pick_entity(true),
            Action::PreviousCustomer => self.pick_entity(false),
            Action::FollowCustomer => flows.entity = EntityChoice::Follow,
            Action::NextMapping => self.next_mapping(ctx),
            _ => {}
        }
    }

    /// Time passes: while playing, the clock moves by `speed` events a
    /// second of wall time. On a live log that has been played to its end
    /// the clock waits at the end, so each new event is played at its own
    /// time as it comes, not all at once at a clock that ran on without
    /// them.
    pub fn tick(&mut self, ctx: &mut Ctx, shown: bool) {
        let flows = &mut *self;
        if !shown || !flows.playing || flows.restarting {
            return;
        }
        if flows.live && flows.run.is_over() {
            return;
        }
        let interval = flows.run.params().event_interval_ms;
        let step_us = flows
            .speed()
            .saturating_mul(interval)
            .saturating_mul(TICK_MS);
        flows.clock_us = flows.clock_us.saturating_add(step_us);
        self.advance(ctx);
        if self.run.is_over() && !self.live {
            self.playing = false;
            ctx.info("the end of the log: everything sent has arrived");
        }
    }

    pub fn on_msg(&mut self, ctx: &mut Ctx, generation: u64, msg: FlowsMsg) {
        let slot = ctx.jobs.slot(Job::Flows);
        if !slot.is_current(generation) {
            return;
        }
        slot.finish();
        self.restarting = false;
        let FlowsMsg::Restarted { run, found } = msg;
        if let Some((mappings, problem)) = found {
            self.mappings = mappings;
            self.mapping = 0;
            self.mapping_problem = problem;
            self.finding_mappings = false;
        }
        match run {
            Ok(run) => {
                self.run = *run;
                // The log may have grown while the worker ran from the
                // length it had when the restart began.
                if let Ok(last) = ctx.log.last_seq() {
                    self.run.follow_log(last);
                }
                // The clock may have been moved on while the worker ran.
                self.advance(ctx);
            }
            Err(problem) => ctx.error(problem),
        }
    }

    /// One log event on, or after the last one, the next delivery.
    fn step(&mut self, ctx: &mut Ctx) {
        let run = &self.run;
        let target = if run.seq() < run.last_seq() {
            run.time_of(run.seq() + 1)
        } else if let Some(next) = run.simulation().next_at() {
            next
        } else {
            ctx.info("the run is over: 0 restarts it");
            return;
        };
        self.clock_us = target.saturating_mul(1_000);
        self.advance(ctx);
    }

    /// Runs the simulation up to the clock, on this thread: a step or a
    /// tick reads only a few events.
    fn advance(&mut self, ctx: &mut Ctx) {
        let ms = self.clock_ms();
        let never = AtomicBool::new(false);
        if let Err(AdvanceError::Log(problem)) = self.run.advance_to(&**ctx.log, ms, &never, |_| {})
        {
            self.playing = false;
            ctx.error(problem);
        }
    }

    /// Starts the simulation again from the first event with the current
    /// parameters, up to the clock, on a worker.
    pub fn restart(&mut self, ctx: &mut Ctx) {
        let params = self.params();
        // Until the mappings are found, each run finds them first.
        let mapping = if self.finding_mappings {
            None
        } else {
            Some(self.choice().map_or_else(
                || self.running_mapping().clone(),
                |choice| choice.mapping.clone(),
            ))
        };
        let last_seq = self.run.last_seq();
        let ms = self.clock_ms();
        self.restarting = true;
        let log = ctx.log.clone();
        let domain = self.domain.clone();
        ctx.jobs.spawn(Job::Flows, move |worker| {
            work::restart(&log, worker, mapping, domain, params, last_seq, ms)
        });
    }

    /// `o`: starts an outage of the source at the current seq, or ends the
    /// one running here.
    fn toggle_outage(&mut self, ctx: &mut Ctx) {
        let flows = &mut *self;
        let seq = flows.run.seq().max(1);
        match flows.open_outage.take() {
            None => flows.open_outage = Some(seq),
            // Ended at `seq`: the source is up again from `seq` on. Ended
            // where it began (at the end of the log, say), it kept no event
            // from the source, and nothing is recorded: an outage of one
            // event there would keep the source down for good.
            Some(first) if seq > first => flows.toggled.push(SeqRange::new(first, seq - 1)),
            Some(_) => {
                ctx.info("the outage ended before the next event: the source was never down")
            }
        }
        self.restart(ctx);
    }

    /// Finds the mappings to offer for the log (the domain file's beside
    /// it, then the log's proposals) and runs the first, on a worker: a
    /// proposal reads the log's first events.
    pub fn find_mappings(&mut self, ctx: &mut Ctx) {
        self.finding_mappings = true;
        self.restart(ctx);
    }

    /// The explorer's domain file was read (or read again after a save):
    /// its `[flows]` table heads the mappings, found again and run.
    pub fn use_domain(&mut self, ctx: &mut Ctx, domain: Option<Arc<Domain>>) {
        let same = match (&self.domain, &domain) {
            (Some(a), Some(b)) => a.flows == b.flows,
            (None, None) => true,
            _ => false,
        };
        self.domain = domain;
        if !same {
            self.find_mappings(ctx);
        }
    }

    /// `m`: the next mapping, run again from the start to the same moment.
    fn next_mapping(&mut self, ctx: &mut Ctx) {
        if self.finding_mappings {
            ctx.info("finding the mappings in the log; a moment…");
            return;
        }
        if self.mappings.len() < 2 {
            ctx.info("no other mapping: the domain file's [flows] or flags choose another");
            return;
        }
        self.mapping = (self.mapping + 1) % self.mappings.len();
        self.entity = EntityChoice::Follow;
        self.restart(ctx);
    }

    fn pick_entity(&mut self, forward: bool) {
        let flows = &mut *self;
        let simulation = flows.run.simulation();
        let count = simulation.entities().count();
        if count == 0 {
            return;
        }
        let shown = flows.shown_entity();
        let at = shown
            .as_deref()
            .and_then(|name| simulation.entities().position(|c| c == name));
        let next = match (at, forward) {
            (None, _) => 0,
            (Some(i), true) => (i + 1) % count,
            (Some(i), false) => (i + count - 1) % count,
        };
        if let Some(name) = simulation.entities().nth(next) {
            flows.entity = EntityChoice::Picked(Arc::from(name));
        }
    }
}
