//! A simulation driven by the log: events are read from the store and fed
//! just ahead of the virtual clock, so memory stays proportional to the
//! entities, not to the log. Used by the flows view on the UI thread (a
//! step, a tick) and on a worker thread (a restart with new parameters).

use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::projection::EventSource;
use crate::simulation::{Mapping, SimParams, Simulation};

/// How often a long advance checks for cancellation and reports progress.
const CHECK_EVERY: u64 = 20_000;

/// Why an advance stopped early.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdvanceError {
    /// A newer request made this one pointless.
    Cancelled,
    /// The log could not be read.
    Log(String),
}

/// A simulation and how far into the log it has read.
#[derive(Debug)]
pub struct SimRun {
    simulation: Simulation,
    /// The next seq to feed.
    next_seq: u64,
    /// The log's last seq when the run started.
    last_seq: u64,
    /// The stream of the latest change at the source whose time has come.
    latest_entity: Option<Arc<str>>,
}

impl SimRun {
    /// A run of `mapping` at time 0 over a log of `last_seq` events.
    pub fn new(mapping: Mapping, params: SimParams, last_seq: u64) -> Result<SimRun, String> {
        let simulation = Simulation::new(mapping, params).map_err(|e| e.to_string())?;
        Ok(SimRun {
            simulation,
            next_seq: 1,
            last_seq,
            latest_entity: None,
        })
    }

    pub fn simulation(&self) -> &Simulation {
        &self.simulation
    }

    pub fn params(&self) -> &SimParams {
        self.simulation.params()
    }

    /// Virtual ms now.
    pub fn now(&self) -> u64 {
        self.simulation.now()
    }

    /// The log's last seq.
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    /// The log grew to `last_seq`: the run goes on into the new events
    /// (read from the store as the clock reaches them), no restart needed.
    pub fn follow_log(&mut self, last_seq: u64) {
        self.last_seq = self.last_seq.max(last_seq);
    }

    /// The latest log position whose time has come (0 before the first).
    pub fn seq(&self) -> u64 {
        (self.now() / self.interval()).min(self.last_seq)
    }

    /// The time of log position `seq`.
    pub fn time_of(&self, seq: u64) -> u64 {
        seq.saturating_mul(self.interval())
    }

    /// The entity of the latest change at the source so far.
    pub fn latest_entity(&self) -> Option<&Arc<str>> {
        self.latest_entity.as_ref()
    }

    /// Whether every event has been fed and everything sent has arrived.
    pub fn is_over(&self) -> bool {
        self.next_seq > self.last_seq && self.simulation.next_at().is_none()
    }

    /// Whether log position `seq` lies in one of the run's outages.
    pub fn source_down_at(&self, seq: u64) -> bool {
        seq > 0 && self.params().outages.iter().any(|r| r.contains(seq))
    }

    /// Feeds the log's events whose time is at most `ms` and runs the clock
    /// to `ms`. `progress` hears the seq reached now and then.
    pub fn advance_to(
        &mut self,
        log: &dyn EventSource,
        ms: u64,
        cancel: &AtomicBool,
        mut progress: impl FnMut(u64),
    ) -> Result<(), AdvanceError> {
        let due = (ms / self.interval()).min(self.last_seq);
        if self.next_seq <= due {
            let mut outcome = Ok(());
            let interval = self.interval();
            log.scan(self.next_seq, due, &mut |event| {
                self.simulation.feed(event);
                self.simulation
                    .run_until(event.seq.saturating_mul(interval));
                if self.simulation.source_view(&event.stream).is_some() {
                    self.latest_entity = Some(event.stream.clone());
                }
                self.next_seq = event.seq + 1;
                if event.seq.is_multiple_of(CHECK_EVERY) {
                    if cancel.load(Ordering::Relaxed) {
                        outcome = Err(AdvanceError::Cancelled);
                        return ControlFlow::Break(());
                    }
                    progress(event.seq);
                }
                ControlFlow::Continue(())
            })
            .map_err(|e| AdvanceError::Log(e.to_string()))?;
            outcome?;
            // The log is gapless; should it not be, nothing is waiting there.
            self.next_seq = self.next_seq.max(due + 1);
        }
        self.simulation.run_until(ms);
        Ok(())
    }

    fn interval(&self) -> u64 {
        self.params().event_interval_ms.max(1)
    }
}
