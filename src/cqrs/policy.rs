//! Policies: the system's reactions to events, each a command it issues.
//!
//! The command's causation is the event's id and it stays in the event's
//! flow (same correlation id), so the chain order placed -> payment
//! requested -> payment received -> shipped can be followed through the log.

use super::command::{Command, CommandBody, OrderCommand, Origin};
use crate::domain::retail::{ORDER_PLACED, PAYMENT_RECEIVED};
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
    let mut command = Command::new(&*event.stream, body);
    command.correlation_id = Some(event.correlation_id().unwrap_or_else(|| event.id.clone()));
    command.origin = Origin::Policy {
        policy: policy.name,
        event_id: event.id.clone(),
    };
    Some(command)
}
