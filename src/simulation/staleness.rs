//! Staleness: for each change at the source, the time until a consumer's
//! view of that entity reaches the change's version.
//!
//! Only changes that some consumer has not yet caught up with are kept (per
//! entity, in version order), so memory follows the backlog, not the log.

use std::collections::VecDeque;

use super::views::Flow;

/// Sum, count and maximum of staleness samples, in ms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Spread {
    total_ms: u128,
    count: u64,
    max_ms: u64,
}

impl Spread {
    fn add(&mut self, ms: u64) {
        self.total_ms += u128::from(ms);
        self.count += 1;
        self.max_ms = self.max_ms.max(ms);
    }

    pub(crate) fn mean_ms(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.total_ms as f64 / self.count as f64
        }
    }

    pub(crate) fn max_ms(&self) -> u64 {
        self.max_ms
    }
}

#[derive(Debug, Default)]
struct EntityChanges {
    /// (version, time of the change) not yet reached by both flows.
    unseen: VecDeque<(u64, u64)>,
    /// Highest version each flow has reached.
    reached: [u64; 2],
}

#[derive(Debug, Default)]
pub(crate) struct ChangeLog {
    entities: Vec<EntityChanges>,
    learnt: [Spread; 2],
}

impl ChangeLog {
    pub(crate) fn ensure(&mut self, entities: usize) {
        if self.entities.len() < entities {
            self.entities.resize_with(entities, EntityChanges::default);
        }
    }

    /// The source changed `entity` to `version` at `at`.
    pub(crate) fn changed(&mut self, entity: u32, version: u64, at: u64) {
        if let Some(c) = self.entities.get_mut(entity as usize) {
            c.unseen.push_back((version, at));
        }
    }

    /// `flow`'s view of `entity` is now at `version`.
    pub(crate) fn reached(&mut self, flow: Flow, entity: u32, version: u64, now: u64) {
        let Some(c) = self.entities.get_mut(entity as usize) else {
            return;
        };
        let f = flow.index();
        if version <= c.reached[f] {
            return;
        }
        let before = c.reached[f];
        for &(v, at) in &c.unseen {
            if v > version {
                break;
            }
            if v > before {
                self.learnt[f].add(now.saturating_sub(at));
            }
        }
        c.reached[f] = version;
        let both = c.reached[0].min(c.reached[1]);
        while c.unseen.front().is_some_and(|&(v, _)| v <= both) {
            c.unseen.pop_front();
        }
    }

    /// Staleness of `flow` at `now`: changes it learnt, plus those it has not
    /// yet learnt counted with their age so far.
    pub(crate) fn spread(&self, flow: Flow, now: u64) -> Spread {
        let f = flow.index();
        let mut spread = self.learnt[f];
        for c in &self.entities {
            for &(v, at) in &c.unseen {
                if v > c.reached[f] {
                    spread.add(now.saturating_sub(at));
                }
            }
        }
        spread
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catching_up_samples_each_change_once() {
        let mut log = ChangeLog::default();
        log.ensure(1);
        log.changed(0, 1, 100);
        log.changed(0, 2, 200);
        log.reached(Flow::StateTransfer, 0, 1, 130);
        log.reached(Flow::StateTransfer, 0, 2, 250);
        log.reached(Flow::StateTransfer, 0, 2, 900);
        let spread = log.spread(Flow::StateTransfer, 1_000);
        assert_eq!((spread.mean_ms(), spread.max_ms()), (40.0, 50));
    }

    #[test]
    fn unlearnt_changes_count_with_their_age() {
        let mut log = ChangeLog::default();
        log.ensure(1);
        log.changed(0, 1, 100);
        log.changed(0, 2, 200);
        log.reached(Flow::Notification, 0, 2, 300);
        let behind = log.spread(Flow::StateTransfer, 1_000);
        assert_eq!((behind.mean_ms(), behind.max_ms()), (850.0, 900));
        let caught_up = log.spread(Flow::Notification, 1_000);
        assert_eq!((caught_up.mean_ms(), caught_up.max_ms()), (150.0, 200));
    }

    #[test]
    fn changes_both_flows_reached_are_forgotten() {
        let mut log = ChangeLog::default();
        log.ensure(1);
        log.changed(0, 1, 0);
        for flow in Flow::ALL {
            log.reached(flow, 0, 1, 10);
        }
        assert!(log.entities[0].unseen.is_empty());
    }
}
