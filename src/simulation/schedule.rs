//! The agenda of a discrete-event simulation: what happens next, and when.
//!
//! A binary heap ordered by virtual time, then by the order things were
//! scheduled, so that runs are deterministic.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use super::entity::{Change, EntityRecord};
use super::views::Flow;

/// Something due at a virtual time.
#[derive(Debug)]
pub(crate) enum Occurrence {
    /// A thin event reaches the Notification consumer.
    Notify {
        entity: u32,
        version: u64,
        sent_at: u64,
    },
    /// An event carrying its change reaches the StateTransfer consumer.
    StateEvent {
        entity: u32,
        change: Arc<Change>,
        sent_at: u64,
    },
    /// The answer (or failure) of a call to the source's query API reaches
    /// the Notification consumer.
    Answer {
        entity: u32,
        attempt: u32,
        sent_at: u64,
        reply: Reply,
    },
    /// The Notification consumer calls again after a failure.
    Retry { entity: u32, attempt: u32 },
    /// Work waiting for data may have waited too long.
    WorkTimeout { flow: Flow, entity: u32 },
    /// The replica may have held events behind a gap too long.
    GapTimeout { entity: u32, generation: u32 },
}

/// What the source's query API answered.
#[derive(Debug)]
pub(crate) enum Reply {
    /// The source was down.
    Failed,
    /// The source does not know the entity.
    NotFound { bytes: u32 },
    /// The entity's state as the source held it when called.
    State {
        version: u64,
        /// What the consumer keeps of it: the fields the work needs.
        record: EntityRecord,
        bytes: u32,
    },
}

#[derive(Debug)]
pub(crate) struct Scheduled {
    pub at: u64,
    order: u64,
    pub what: Occurrence,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.order) == (other.at, other.order)
    }
}

impl Eq for Scheduled {}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scheduled {
    /// Reversed: the heap's top is the earliest.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.order).cmp(&(self.at, self.order))
    }
}

#[derive(Debug, Default)]
pub(crate) struct Schedule {
    heap: BinaryHeap<Scheduled>,
    next_order: u64,
}

impl Schedule {
    pub(crate) fn push(&mut self, at: u64, what: Occurrence) {
        let order = self.next_order;
        self.next_order += 1;
        self.heap.push(Scheduled { at, order, what });
    }

    pub(crate) fn next_at(&self) -> Option<u64> {
        self.heap.peek().map(|s| s.at)
    }

    pub(crate) fn pop(&mut self) -> Option<Scheduled> {
        self.heap.pop()
    }

    /// Everything pending, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Scheduled> {
        self.heap.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_then_in_scheduling_order() {
        let mut schedule = Schedule::default();
        for (at, entity) in [(30, 0), (10, 1), (30, 2), (10, 3)] {
            schedule.push(at, Occurrence::Retry { entity, attempt: 1 });
        }
        let mut seen = Vec::new();
        while let Some(s) = schedule.pop() {
            if let Occurrence::Retry { entity, .. } = s.what {
                seen.push((s.at, entity));
            }
        }
        assert_eq!(seen, [(10, 1), (10, 3), (30, 0), (30, 2)]);
    }
}
