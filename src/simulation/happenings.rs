//! What happens at each moment: a log event (a change the source publishes,
//! or the consumer's work), or something on the agenda reaching its
//! consumer.

use std::sync::Arc;

use super::context::Ctx;
use super::engine::{LogAction, Simulation};
use super::entity::Change;
use super::faults::Fate;
use super::schedule::Occurrence;
use super::views::Flow;

/// A consumer's view of the rest of the simulation, borrowing only the
/// fields the consumers do not own.
macro_rules! ctx {
    ($sim:ident) => {
        Ctx {
            now: $sim.now,
            params: &$sim.params,
            needs: &$sim.mapping.needs,
            schedule: &mut $sim.schedule,
            source: &$sim.source,
            changes: &mut $sim.changes,
        }
    };
}

impl Simulation {
    pub(super) fn run_log_entry(&mut self) {
        let Some(entry) = self.log.pop_front() else {
            return;
        };
        self.now = self.now.max(entry.at);
        match entry.action {
            LogAction::Change {
                entity,
                change,
                thin_len,
                full_len,
            } => self.publish(entry.seq, entity, change, thin_len, full_len),
            LogAction::Work { entity } => {
                let mut ctx = ctx!(self);
                self.notification.on_work(entity, &mut ctx);
                let mut ctx = ctx!(self);
                self.state_transfer.on_work(entity, &mut ctx);
            }
        }
    }

    /// The source applies the change and publishes it on both buses; the
    /// bus treats both messages alike (one fate per log position).
    fn publish(
        &mut self,
        seq: u64,
        entity: u32,
        change: Arc<Change>,
        thin_len: u64,
        full_len: u64,
    ) {
        let now = self.now;
        self.source.apply(entity, &change);
        self.changes.changed(entity, change.version, now);
        let fate = Fate::of(&self.params, seq);
        let copies = fate.copies_sent();
        for (counters, len) in [
            (&mut self.notification.counters, thin_len),
            (&mut self.state_transfer.counters, full_len),
        ] {
            counters.bus_messages += copies;
            counters.bus_bytes += copies * len;
        }
        if fate.dropped {
            return;
        }
        let arrival = now + self.params.bus_latency_ms;
        let deliveries = std::iter::once(arrival + fate.extra_delay_ms)
            .chain(fate.duplicate_delay_ms.map(|d| arrival + d));
        for at in deliveries {
            self.schedule.push(
                at,
                Occurrence::Notify {
                    entity,
                    version: change.version,
                    sent_at: now,
                },
            );
            self.schedule.push(
                at,
                Occurrence::StateEvent {
                    entity,
                    change: change.clone(),
                    sent_at: now,
                },
            );
        }
    }

    pub(super) fn run_scheduled(&mut self) {
        let Some(scheduled) = self.schedule.pop() else {
            return;
        };
        self.now = self.now.max(scheduled.at);
        let mut ctx = ctx!(self);
        match scheduled.what {
            Occurrence::Notify {
                entity, version, ..
            } => self.notification.on_thin_event(entity, version, &mut ctx),
            Occurrence::StateEvent { entity, change, .. } => {
                self.state_transfer.on_event(entity, change, &mut ctx)
            }
            Occurrence::Answer {
                entity,
                attempt,
                reply,
                ..
            } => self
                .notification
                .on_answer(entity, attempt, reply, &mut ctx),
            Occurrence::Retry { entity, attempt } => {
                self.notification.on_retry(entity, attempt, &mut ctx)
            }
            Occurrence::WorkTimeout { flow, entity } => match flow {
                Flow::Notification => self.notification.on_work_timeout(entity, ctx.now),
                Flow::StateTransfer => self.state_transfer.on_work_timeout(entity, ctx.now),
            },
            Occurrence::GapTimeout { entity, generation } => self
                .state_transfer
                .on_gap_timeout(entity, generation, &mut ctx),
        }
    }
}
