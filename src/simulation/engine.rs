//! The simulation: a virtual clock, the log's events at their times (read
//! through a [`Mapping`]), and the agenda of deliveries, calls and timers
//! between them.
//!
//! Log event `seq` happens at `seq * event_interval_ms`. Events are fed in
//! log order and wait in a queue until the clock reaches them, so a caller
//! can feed one and run up to it (memory stays proportional to entities and
//! linked streams) or feed many and step through them one at a time.

use std::borrow::Borrow;
use std::collections::VecDeque;
use std::sync::Arc;

use super::entity::Change;
use super::input::{self, ChangeRead, FieldNames, WorkTarget};
use super::mapping::Mapping;
use super::notification::NotificationConsumer;
use super::params::{ParamError, SimParams};
use super::report::Report;
use super::schedule::Schedule;
use super::source::{Outages, SourceSystem};
use super::staleness::ChangeLog;
use super::state_transfer::StateTransferConsumer;
use crate::event::Event;
use rustc_hash::FxHashMap as FastMap;

/// A log event waiting for its time.
#[derive(Debug)]
pub(super) struct LogEntry {
    pub at: u64,
    pub seq: u64,
    pub action: LogAction,
}

#[derive(Debug)]
pub(super) enum LogAction {
    /// The source changes an entity and publishes it.
    Change {
        entity: u32,
        change: Arc<Change>,
        thin_len: u64,
        full_len: u64,
    },
    /// The consumer works with this entity's data.
    Work { entity: u32 },
}

/// A deterministic Notification vs StateTransfer simulation.
#[derive(Debug)]
pub struct Simulation {
    pub(super) params: SimParams,
    pub(super) mapping: Mapping,
    field_names: FieldNames,
    pub(super) now: u64,
    last_log_at: u64,
    pub(super) log: VecDeque<LogEntry>,
    pub(super) schedule: Schedule,
    pub(super) entity_ids: FastMap<Arc<str>, u32>,
    pub(super) entity_names: Vec<Arc<str>>,
    /// Streams an event of the link type named an entity for -> entity.
    linked: FastMap<Arc<str>, u32>,
    pub(super) source: SourceSystem,
    pub(super) changes: ChangeLog,
    pub(super) notification: NotificationConsumer,
    pub(super) state_transfer: StateTransferConsumer,
    pub(super) events_fed: u64,
    pub(super) events_skipped: u64,
}

impl Simulation {
    /// An empty simulation of `mapping`; fails on parameters it cannot run
    /// with.
    pub fn new(mapping: Mapping, params: SimParams) -> Result<Simulation, ParamError> {
        params.validate()?;
        let outages = Outages::from_params(&params);
        Ok(Simulation {
            params,
            mapping,
            field_names: FieldNames::default(),
            now: 0,
            last_log_at: 0,
            log: VecDeque::new(),
            schedule: Schedule::default(),
            entity_ids: FastMap::default(),
            entity_names: Vec::new(),
            linked: FastMap::default(),
            source: SourceSystem::new(outages),
            changes: ChangeLog::default(),
            notification: NotificationConsumer::default(),
            state_transfer: StateTransferConsumer::default(),
            events_fed: 0,
            events_skipped: 0,
        })
    }

    /// Runs a whole log through both flows, streaming it, and reports.
    pub fn run<I>(mapping: Mapping, params: SimParams, events: I) -> Result<Report, ParamError>
    where
        I: IntoIterator,
        I::Item: Borrow<Event>,
    {
        let mut simulation = Simulation::new(mapping, params)?;
        for event in events {
            simulation.feed(event.borrow());
            simulation.run_until(simulation.last_log_at);
        }
        simulation.finish();
        Ok(simulation.report())
    }

    /// Queues the next log event (in log order) to happen at its time.
    /// Events the simulation has no use for are counted and dropped here;
    /// so are those it needs but cannot read (see `events_skipped`).
    pub fn feed(&mut self, event: &Event) {
        self.events_fed += 1;
        let reading = match input::read(&self.mapping, &mut self.field_names, event) {
            Ok(reading) => reading,
            Err(_) => {
                self.events_skipped += 1;
                return;
            }
        };
        // A link to a stream that is not the source's links to nothing.
        if let Some(target) = reading.links_to.filter(|t| self.mapping.is_source(t)) {
            let entity = self.entity_id(&target);
            self.linked.insert(event.stream.clone(), entity);
        }
        let change = reading.change.map(|read| {
            let ChangeRead {
                change,
                thin_len,
                full_len,
            } = read;
            LogAction::Change {
                entity: self.entity_id(&event.stream),
                change: Arc::new(change),
                thin_len: thin_len as u64,
                full_len: full_len as u64,
            }
        });
        let work = match reading.work {
            None => None,
            Some(WorkTarget::Own) => Some(self.entity_id(&event.stream)),
            Some(WorkTarget::Entity(name)) if self.mapping.is_source(&name) => {
                Some(self.entity_id(&name))
            }
            Some(WorkTarget::Linked) => match self.linked.get(&*event.stream) {
                Some(&entity) => Some(entity),
                None => {
                    // No earlier event named its entity: nothing to look up.
                    self.events_skipped += 1;
                    None
                }
            },
            Some(WorkTarget::Entity(_)) => {
                // It names a stream that is not one of the source's.
                self.events_skipped += 1;
                None
            }
        };
        if change.is_none() && work.is_none() {
            return;
        }
        // The clock never runs backwards, whatever the seqs say.
        let at = event
            .seq
            .saturating_mul(self.params.event_interval_ms)
            .max(self.last_log_at)
            .max(self.now);
        self.last_log_at = at;
        let seq = event.seq;
        // A change is published before the work it may also be.
        let actions = change
            .into_iter()
            .chain(work.map(|entity| LogAction::Work { entity }));
        for action in actions {
            self.log.push_back(LogEntry { at, seq, action });
        }
    }

    /// Virtual time now, in ms.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// When the next thing happens, if anything is left.
    pub fn next_at(&self) -> Option<u64> {
        let log_at = self.log.front().map(|e| e.at);
        match (log_at, self.schedule.next_at()) {
            (Some(l), Some(s)) => Some(l.min(s)),
            (l, s) => l.or(s),
        }
    }

    /// Does the next thing; false when nothing is left. At equal times a log
    /// event goes before deliveries.
    pub fn step(&mut self) -> bool {
        let log_at = self.log.front().map(|e| e.at);
        match (log_at, self.schedule.next_at()) {
            (Some(l), Some(s)) if s < l => self.run_scheduled(),
            (Some(_), _) => self.run_log_entry(),
            (None, Some(_)) => self.run_scheduled(),
            (None, None) => return false,
        }
        true
    }

    /// Does everything due up to `time`, then sets the clock to `time`.
    pub fn run_until(&mut self, time: u64) {
        while self.next_at().is_some_and(|t| t <= time) {
            self.step();
        }
        self.now = self.now.max(time);
    }

    /// Runs until nothing is left: every message delivered, every call
    /// answered, every timer fired.
    pub fn finish(&mut self) {
        while self.step() {}
    }

    fn entity_id(&mut self, stream: &str) -> u32 {
        if let Some(&id) = self.entity_ids.get(stream) {
            return id;
        }
        let id = u32::try_from(self.entity_names.len()).unwrap_or(u32::MAX);
        let name: Arc<str> = Arc::from(stream);
        self.entity_ids.insert(name.clone(), id);
        self.entity_names.push(name);
        self.source.add_entity(stream.len());
        self.changes.ensure(self.entity_names.len());
        self.notification.add_entity();
        self.state_transfer.add_entity();
        id
    }
}
