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

use crate::domain_file::Domain;
use crate::simulation::{Choice, Mapping, SeqRange, SimParams};
use crate::ui::views::flows::mapping;
use crate::ui::views::flows::run::SimRun;

/// The wall time a `Tick` stands for.
pub const TICK_MS: u64 = crate::ui::msg::TICK.as_millis() as u64;

/// Playback speeds, in log events per second of wall time.
pub const SPEEDS: [u64; 8] = [1, 2, 4, 8, 16, 32, 64, 128];
pub(super) const DEFAULT_SPEED: usize = 2;

/// The fault rates `d`, `u` and `r` cycle through.
pub const RATES: [f64; 4] = [0.0, 0.01, 0.05, 0.2];

/// Which entity the comparison shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntityChoice {
    /// The entity of the latest change at the source.
    Follow,
    /// One the learner picked.
    Picked(Arc<str>),
}

/// The flows view.
#[derive(Debug)]
pub struct FlowsState {
    pub(crate) run: SimRun,
    /// The parameters given on the command line (outages included).
    pub(super) base: SimParams,
    /// Outages started and ended with `o`.
    pub(super) toggled: Vec<SeqRange>,
    /// The seq an outage was started at, still running.
    pub(crate) open_outage: Option<u64>,
    /// The clock in virtual microseconds: ticks at low speed move it by
    /// fractions of a ms.
    pub(super) clock_us: u64,
    pub(crate) playing: bool,
    pub(super) speed: usize,
    pub(crate) entity: EntityChoice,
    /// The mappings `m` cycles through, the one running first.
    pub(crate) mappings: Vec<Choice>,
    /// Which of them runs.
    pub(crate) mapping: usize,
    /// Why the domain file's mapping is not among them, if it is not.
    pub(crate) mapping_problem: Option<String>,
    /// The mappings are being found (with the first run) on a worker.
    pub(crate) finding_mappings: bool,
    /// A restart is running on a worker.
    pub(crate) restarting: bool,
    /// The explorer's domain file, whose `[flows]` table heads the mappings.
    pub(crate) domain: Option<Arc<Domain>>,
    /// The log grows while shown (a follower writes into it): playing on
    /// reaching its end waits there for the next events instead of
    /// stopping.
    pub(crate) live: bool,
}

impl FlowsState {
    /// A run of default parameters over a log of `last_seq` events, at 0,
    /// with the first of `mappings`.
    pub fn new(last_seq: u64, mappings: Vec<Choice>) -> FlowsState {
        let params = SimParams::default();
        let first = mappings
            .first()
            .map_or_else(mapping::idle, |c| c.mapping.clone());
        let run = match SimRun::new(first, params.clone(), last_seq) {
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
            entity: EntityChoice::Follow,
            mappings,
            mapping: 0,
            mapping_problem: None,
            finding_mappings: false,
            restarting: false,
            domain: None,
            live: false,
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

    /// The entity the comparison shows, if any.
    pub fn shown_entity(&self) -> Option<Arc<str>> {
        match &self.entity {
            EntityChoice::Follow => self.run.latest_entity().cloned(),
            EntityChoice::Picked(name) => Some(name.clone()),
        }
    }

    /// The mapping running, and where it came from (none for a log with
    /// nothing to propose a mapping from).
    pub fn choice(&self) -> Option<&Choice> {
        self.mappings.get(self.mapping)
    }

    /// The mapping the run reads the log through.
    pub fn running_mapping(&self) -> &Mapping {
        self.run.simulation().mapping()
    }

    pub(super) fn clock_ms(&self) -> u64 {
        self.clock_us / 1_000
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::testing::LogBuilder;
    use serde_json::json;
    use std::sync::atomic::AtomicBool;

    fn retail() -> Vec<Choice> {
        vec![Choice {
            mapping: Mapping::retail(),
            origin: crate::simulation::Origin::Proposed("test".into()),
        }]
    }

    fn registered(n: u32) -> serde_json::Value {
        json!({"name": format!("C {n}"), "email": format!("c{n}@example.com"),
               "address": {"street": "1 Main St", "city": "Oslo", "postcode": "0150", "country": "NO"}})
    }

    /// The view's state on an in-memory log: no store, no App.
    #[test]
    fn the_state_follows_its_clock_along_the_log_and_shows_the_latest_entity() {
        let mut builder = LogBuilder::new();
        builder
            .push("customer-1", "CustomerRegistered", registered(1))
            .push("customer-2", "CustomerRegistered", registered(2))
            .push("customer-3", "CustomerRegistered", registered(3));
        let log = builder.build();
        let mut state = FlowsState::new(3, retail());
        assert_eq!(state.shown_entity(), None);
        state.clock_us = state.run.time_of(2).saturating_mul(1_000);
        let never = AtomicBool::new(false);
        assert!(
            state
                .run
                .advance_to(&log, state.clock_ms(), &never, |_| {})
                .is_ok()
        );
        assert_eq!(state.run.seq(), 2);
        assert_eq!(state.shown_entity().as_deref(), Some("customer-2"));
        state.entity = EntityChoice::Picked(Arc::from("customer-1"));
        assert_eq!(state.shown_entity().as_deref(), Some("customer-1"));
    }

    #[test]
    fn an_open_outage_runs_to_the_end_in_the_parameters() {
        let mut state = FlowsState::new(10, retail());
        state.toggled.push(SeqRange::new(2, 3));
        state.open_outage = Some(7);
        let outages = state.params().outages;
        assert!(outages.contains(&SeqRange::new(2, 3)));
        assert!(outages.contains(&SeqRange::new(7, u64::MAX)));
        assert_eq!(next_rate(0.0), 0.01);
        assert_eq!(next_rate(0.2), 0.0);
    }
}
