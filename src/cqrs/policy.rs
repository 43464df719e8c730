//! Policies: the system's reactions to events, each a command it issues.
//!
//! The command's causation is the event's id and it stays in the event's
//! flow (same correlation id), so the chain order placed -> payment
//! requested -> payment received -> shipped can be followed through the log.

use std::collections::BTreeSet;
use std::sync::{Mutex, PoisonError};

use super::command::{Command, CommandBody, DomainCommand, OrderCommand, Origin};
use crate::domain::retail::{ORDER_PLACED, PAYMENT_RECEIVED};
use crate::domain_file::{DecideError, Domain};
use crate::event::Event;

/// A reaction: when an event of type `on` is written, issue `issues`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub name: &'static str,
    pub on: &'static str,
    pub issues: &'static str,
}

pub const REQUEST_PAYMENT_FOR_PLACED_ORDERS: Policy = Policy {
    name: "request payment for placed orders",
    on: ORDER_PLACED,
    issues: super::spec::REQUEST_PAYMENT,
};

pub const SHIP_PAID_ORDERS: Policy = Policy {
    name: "ship paid orders",
    on: PAYMENT_RECEIVED,
    issues: super::spec::SHIP_ORDER,
};

/// Every policy, for display.
pub const POLICIES: [Policy; 2] = [REQUEST_PAYMENT_FOR_PLACED_ORDERS, SHIP_PAID_ORDERS];

/// The command the system issues in reaction to `event`, if any.
pub fn react(event: &Event) -> Option<Command> {
    let (policy, body) = match &*event.event_type {
        ORDER_PLACED => (
            REQUEST_PAYMENT_FOR_PLACED_ORDERS,
            CommandBody::Order(OrderCommand::RequestPayment),
        ),
        PAYMENT_RECEIVED => (SHIP_PAID_ORDERS, CommandBody::Order(OrderCommand::Ship)),
        _ => return None,
    };
    Some(in_reaction(
        Command::new(&*event.stream, body),
        policy.name,
        event,
    ))
}

/// The commands `domain`'s policies issue in reaction to `event`, in the
/// file's order. An error names the place of the expression that failed.
pub fn react_in(domain: &Domain, event: &Event) -> Result<Vec<Command>, DecideError> {
    let mut commands = Vec::new();
    for policy in &domain.policies {
        if let Some(reaction) = policy.react(event)? {
            let body = CommandBody::Domain(DomainCommand {
                name: reaction.command,
                data: reaction.data,
            });
            let command = Command::new(reaction.stream, body);
            commands.push(in_reaction(command, interned(&reaction.policy), event));
        }
    }
    Ok(commands)
}

/// `command` as issued by `policy` for `event`: caused by the event, in
/// its flow.
fn in_reaction(mut command: Command, policy: &'static str, event: &Event) -> Command {
    command.correlation_id = Some(event.correlation_id().unwrap_or_else(|| event.id.clone()));
    command.origin = Origin::Policy {
        policy,
        event_id: event.id.clone(),
    };
    command
}

/// A domain file's policy name, kept for the life of the process so that
/// [`Origin::Policy`] names file and built-in policies alike. Each distinct
/// name is kept once, so reloading a file costs nothing more.
fn interned(name: &str) -> &'static str {
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(kept) = names.get(name) {
        return kept;
    }
    let kept: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(kept);
    kept
}
