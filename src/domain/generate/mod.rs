//! Deterministic generators: logs of any size for a domain and a seed.
//!
//! The same domain, seed and count always give the same events, byte for
//! byte, in every release (see [`crate::domain::rng`]). Events are produced
//! one at a time, so a log of millions never sits in memory. Every event
//! carries an id (`evt-<n>`), the version it must get in its stream, a time
//! that moves forward from 2024-01-01 at the pace of a real day, and
//! metadata linking it into its flow: `correlation_id` is `flow-<n>`, and
//! `causation_id` is the event before it in the flow, or `cmd-<n>` for the
//! command that started the flow.

mod bank;
mod envelope;
mod orders;
mod retail;
mod shapes;

#[cfg(test)]
mod tests;

pub use bank::BankEvents;
pub use envelope::START_MILLIS;
pub use retail::RetailEvents;

use super::Domain;
use crate::event::NewEvent;

/// Hands exactly `events` generated events to `sink`, in order, stopping at
/// the first error the sink returns.
pub fn generate<E>(
    domain: Domain,
    events: u64,
    seed: u64,
    mut sink: impl FnMut(NewEvent) -> Result<(), E>,
) -> Result<(), E> {
    let mut stream = DomainEvents::new(domain, seed);
    for _ in 0..events {
        if let Some(event) = stream.next() {
            sink(event)?;
        }
    }
    Ok(())
}

/// An endless stream of generated events for a domain and a seed; take as
/// many as needed.
#[derive(Debug)]
pub enum DomainEvents {
    Retail(RetailEvents),
    Bank(BankEvents),
}

impl DomainEvents {
    pub fn new(domain: Domain, seed: u64) -> DomainEvents {
        match domain {
            Domain::Retail => DomainEvents::Retail(RetailEvents::new(seed)),
            Domain::Bank => DomainEvents::Bank(BankEvents::new(seed)),
        }
    }
}

impl Iterator for DomainEvents {
    type Item = NewEvent;

    fn next(&mut self) -> Option<NewEvent> {
        match self {
            DomainEvents::Retail(events) => events.next(),
            DomainEvents::Bank(events) => events.next(),
        }
    }
}
