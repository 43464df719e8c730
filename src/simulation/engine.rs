//! The simulation: a virtual clock, the log's events at their times, and the
//! agenda of deliveries, calls and timers between them.
//!
//! Log event `seq` happens at `seq * event_interval_ms`. Events are fed in
//! log order and wait in a queue until the clock reaches them, so a caller
//! can feed one and run up to it (memory stays proportional to customers and
//! open orders) or feed many and step through them one at a time.

use std::borrow::Borrow;
use std::collections::VecDeque;
use std::sync::Arc;

use super::input::{self, Relevant};
use super::notification::NotificationConsumer;
use super::params::{ParamError, SimParams};
use super::record::Change;
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
    /// The source changes a customer and publishes it.
    Change {
        customer: u32,
        change: Change,
        thin_len: u64,
        full_len: u64,
    },
    /// Shipping ships an order of this customer.
    Ship { customer: u32 },
}

/// A deterministic Notification vs StateTransfer simulation.
#[derive(Debug)]
pub struct Simulation {
    pub(super) params: SimParams,
    pub(super) now: u64,
    last_log_at: u64,
    pub(super) log: VecDeque<LogEntry>,
    pub(super) schedule: Schedule,
    pub(super) customer_ids: FastMap<Arc<str>, u32>,
    pub(super) customer_names: Vec<Arc<str>>,
    /// Open orders (placed, not yet shipped or cancelled) -> customer.
    orders: FastMap<Box<str>, u32>,
    pub(super) source: SourceSystem,
    pub(super) changes: ChangeLog,
    pub(super) notification: NotificationConsumer,
    pub(super) state_transfer: StateTransferConsumer,
    pub(super) events_fed: u64,
    pub(super) events_skipped: u64,
}

impl Simulation {
    /// An empty simulation; fails on parameters it cannot run with.
    pub fn new(params: SimParams) -> Result<Simulation, ParamError> {
        params.validate()?;
        let outages = Outages::from_params(&params);
        Ok(Simulation {
            params,
            now: 0,
            last_log_at: 0,
            log: VecDeque::new(),
            schedule: Schedule::default(),
            customer_ids: FastMap::default(),
            customer_names: Vec::new(),
            orders: FastMap::default(),
            source: SourceSystem::new(outages),
            changes: ChangeLog::default(),
            notification: NotificationConsumer::default(),
            state_transfer: StateTransferConsumer::default(),
            events_fed: 0,
            events_skipped: 0,
        })
    }

    /// Runs a whole log through both flows, streaming it, and reports.
    pub fn run<I>(params: SimParams, events: I) -> Result<Report, ParamError>
    where
        I: IntoIterator,
        I::Item: Borrow<Event>,
    {
        let mut simulation = Simulation::new(params)?;
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
        let relevant = match input::read(event) {
            Ok(Some(relevant)) => relevant,
            Ok(None) => return,
            Err(_) => {
                self.events_skipped += 1;
                return;
            }
        };
        // The clock never runs backwards, whatever the seqs say.
        let at = event
            .seq
            .saturating_mul(self.params.event_interval_ms)
            .max(self.last_log_at)
            .max(self.now);
        let action = match relevant {
            Relevant::CustomerChange {
                stream,
                change,
                thin_len,
                full_len,
            } => LogAction::Change {
                customer: self.customer_id(stream),
                change,
                thin_len: thin_len as u64,
                full_len: full_len as u64,
            },
            Relevant::OrderPlaced { order, customer } => {
                let customer = self.customer_id(&customer);
                self.orders.insert(order.into(), customer);
                return;
            }
            Relevant::OrderCancelled { order } => {
                self.orders.remove(order);
                return;
            }
            Relevant::OrderShipped { order } => match self.orders.remove(order) {
                Some(customer) => LogAction::Ship { customer },
                None => {
                    // Shipped without being placed: no customer to look up.
                    self.events_skipped += 1;
                    return;
                }
            },
        };
        self.last_log_at = at;
        self.log.push_back(LogEntry {
            at,
            seq: event.seq,
            action,
        });
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

    fn customer_id(&mut self, stream: &str) -> u32 {
        if let Some(&id) = self.customer_ids.get(stream) {
            return id;
        }
        let id = u32::try_from(self.customer_names.len()).unwrap_or(u32::MAX);
        let name: Arc<str> = Arc::from(stream);
        self.customer_ids.insert(name.clone(), id);
        self.customer_names.push(name);
        self.source.add_customer(stream.len());
        self.changes.ensure(self.customer_names.len());
        self.notification.add_customer();
        self.state_transfer.add_customer();
        id
    }
}
