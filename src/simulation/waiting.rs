//! Work items waiting for an entity's data, oldest first.

use std::collections::VecDeque;

use super::context::Ctx;
use super::metrics::Counters;
use super::schedule::Occurrence;
use super::views::Flow;

/// Deadlines of the work items waiting for one entity.
#[derive(Debug, Default)]
pub(crate) struct Waiting(VecDeque<u64>);

impl Waiting {
    /// A work item starts waiting: it is delayed, and fails at its deadline.
    pub(crate) fn add(&mut self, flow: Flow, entity: u32, counters: &mut Counters, ctx: &mut Ctx) {
        let deadline = ctx.now.saturating_add(ctx.params.work_timeout_ms);
        counters.work_delayed += 1;
        self.0.push_back(deadline);
        ctx.schedule
            .push(deadline, Occurrence::WorkTimeout { flow, entity });
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The data has come: every waiting item is done.
    pub(crate) fn all_done(&mut self, counters: &mut Counters) {
        counters.work_done += self.0.len() as u64;
        self.0.clear();
    }

    /// The data will not come: every waiting item fails.
    pub(crate) fn all_failed(&mut self, counters: &mut Counters) {
        counters.work_failed += self.0.len() as u64;
        self.0.clear();
    }

    /// Items whose deadline has passed fail.
    pub(crate) fn expire(&mut self, now: u64, counters: &mut Counters) {
        while self.0.front().is_some_and(|&deadline| deadline <= now) {
            self.0.pop_front();
            counters.work_failed += 1;
        }
    }
}
