//! Looking into a running simulation: metrics, messages in flight, and each
//! side's view of an entity beside the truth.

use std::sync::Arc;

use super::engine::Simulation;
use super::mapping::Mapping;
use super::metrics::{Counters, FlowMetrics};
use super::params::SimParams;
use super::report::Report;
use super::schedule::{Occurrence, Reply};
use super::views::{EntityView, Flow, InFlight, MessageKind, Party};

impl Simulation {
    /// The mapping this run reads the log through.
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// The parameters this run was given.
    pub fn params(&self) -> &SimParams {
        &self.params
    }

    /// Events fed so far.
    pub fn events_fed(&self) -> u64 {
        self.events_fed
    }

    /// Events the simulation needed but could not use: a change whose data
    /// is not an object, a link or work event without the field that names
    /// its entity, work on a stream no earlier event linked.
    pub fn events_skipped(&self) -> u64 {
        self.events_skipped
    }

    /// One flow's measurements as of now.
    pub fn metrics(&self, flow: Flow) -> FlowMetrics {
        let (counters, converged): (&Counters, bool) = match flow {
            Flow::Notification => (
                &self.notification.counters,
                self.notification
                    .converged(&self.source, &self.mapping.needs),
            ),
            Flow::StateTransfer => (
                &self.state_transfer.counters,
                self.state_transfer
                    .converged(&self.source, &self.mapping.needs),
            ),
        };
        let staleness = self.changes.spread(flow, self.now);
        FlowMetrics {
            bus_messages: counters.bus_messages,
            bus_bytes: counters.bus_bytes,
            remote_calls: counters.remote_calls,
            failed_calls: counters.failed_calls,
            fetched_bytes: counters.fetched_bytes,
            work_done: counters.work_done,
            work_delayed: counters.work_delayed,
            work_failed: counters.work_failed,
            mean_staleness_ms: staleness.mean_ms(),
            max_staleness_ms: staleness.max_ms(),
            replica_bytes: counters.replica_bytes,
            converged,
        }
    }

    /// Both flows side by side, as of now.
    pub fn report(&self) -> Report {
        Report {
            notification: self.metrics(Flow::Notification),
            state_transfer: self.metrics(Flow::StateTransfer),
            events: self.events_fed,
            skipped_events: self.events_skipped,
            params: self.params.clone(),
            mapping: self.mapping.def().clone(),
        }
    }

    /// The entities seen so far, in order of first appearance.
    pub fn entities(&self) -> impl Iterator<Item = &str> {
        self.entity_names.iter().map(|name| &**name)
    }

    /// The source's truth about an entity.
    pub fn source_view(&self, entity: &str) -> Option<EntityView> {
        self.source.view(self.lookup(entity)?, &self.mapping.needs)
    }

    /// What one flow's consumer believes about an entity.
    pub fn consumer_view(&self, flow: Flow, entity: &str) -> Option<EntityView> {
        let id = self.lookup(entity)?;
        match flow {
            Flow::Notification => self.notification.view(id),
            Flow::StateTransfer => self.state_transfer.view(id),
        }
    }

    /// How many entities `flow`'s consumer holds a copy of (any version).
    pub fn copies_held(&self, flow: Flow) -> usize {
        self.entities()
            .filter(|entity| {
                self.consumer_view(flow, entity)
                    .is_some_and(|view| view.version > 0)
            })
            .count()
    }

    /// Messages on their way now, earliest arrival first. A call shows as a
    /// request to the source for the first half of its round trip and as
    /// the answer (or failure) for the second.
    pub fn in_flight(&self) -> Vec<InFlight> {
        let mut messages: Vec<InFlight> = self
            .schedule
            .iter()
            .filter_map(|s| self.describe(&s.what, s.at))
            .collect();
        messages.sort_by_key(|m| (m.arrives_at, m.sent_at, m.flow.index(), m.version));
        messages
    }

    fn describe(&self, what: &Occurrence, arrives_at: u64) -> Option<InFlight> {
        use MessageKind::{EventWithData, QueryAnswer, QueryCall, QueryFailure, ThinEvent};
        let to_consumer = (Party::Source, Party::Consumer);
        let (flow, kind, entity, version, (from, to), sent_at, arrives_at) = match what {
            Occurrence::Notify {
                entity,
                version,
                sent_at,
            } => (
                Flow::Notification,
                ThinEvent,
                *entity,
                *version,
                to_consumer,
                *sent_at,
                arrives_at,
            ),
            Occurrence::StateEvent {
                entity,
                change,
                sent_at,
            } => (
                Flow::StateTransfer,
                EventWithData,
                *entity,
                change.version,
                to_consumer,
                *sent_at,
                arrives_at,
            ),
            Occurrence::Answer {
                entity,
                sent_at,
                reply,
                ..
            } => {
                let at_source = *sent_at + arrives_at.saturating_sub(*sent_at) / 2;
                let (kind, version) = match reply {
                    _ if self.now < at_source => (QueryCall, 0),
                    Reply::Failed => (QueryFailure, 0),
                    Reply::NotFound { .. } => (QueryAnswer, 0),
                    Reply::State { version, .. } => (QueryAnswer, *version),
                };
                if kind == QueryCall {
                    let to_source = (Party::Consumer, Party::Source);
                    (
                        Flow::Notification,
                        kind,
                        *entity,
                        0,
                        to_source,
                        *sent_at,
                        at_source,
                    )
                } else {
                    let leg = (at_source, arrives_at);
                    (
                        Flow::Notification,
                        kind,
                        *entity,
                        version,
                        to_consumer,
                        leg.0,
                        leg.1,
                    )
                }
            }
            Occurrence::Retry { .. }
            | Occurrence::WorkTimeout { .. }
            | Occurrence::GapTimeout { .. } => return None,
        };
        Some(InFlight {
            flow,
            kind,
            stream: self.name(entity),
            version,
            from,
            to,
            sent_at,
            arrives_at,
        })
    }

    fn lookup(&self, entity: &str) -> Option<u32> {
        self.entity_ids.get(entity).copied()
    }

    fn name(&self, entity: u32) -> Arc<str> {
        self.entity_names
            .get(entity as usize)
            .cloned()
            .unwrap_or_else(|| Arc::from("?"))
    }
}
