//! The order write model (`order-<n>` streams) and its decider.
//!
//! Two commands need the customer's state as well as the order's: placing an
//! order (the customer must exist and be active) and shipping it (to the
//! address the customer has now). [`customer_stream`] says which customer
//! stream to load; the handler folds it and passes it to [`decide`].
//!
//! A paid order may still be cancelled (refunds are out of scope); a
//! deactivated customer's paid order still ships.

use serde::Serialize;

use super::customer::{self, Customer};
use crate::cqrs::command::{OrderCommand, OrderLine};
use crate::cqrs::domain_event::DomainEvent;
use crate::cqrs::history::HistoryProblem;
use crate::cqrs::model::WriteModel;
pub use crate::cqrs::order_status::OrderStatus;
use crate::cqrs::rejection::{ItemProblem, Rejection};
use crate::cqrs::spec::PLACE_ORDER;
use crate::domain::retail::{
    Address, Item, OrderCancelled, OrderPlaced, OrderShipped, PaymentReceived, PaymentRequested,
};

/// An order as the write side knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Order {
    /// The customer's stream.
    pub customer: String,
    pub items: Vec<Item>,
    pub total: i64,
    pub status: OrderStatus,
    /// Where it went, once shipped.
    pub shipped_to: Option<Address>,
    /// Why, once cancelled.
    pub cancel_reason: Option<String>,
}

/// `None` until the order is placed.
impl WriteModel for Option<Order> {
    const KIND: &'static str = "order";

    fn evolve(&mut self, event: &DomainEvent) -> Result<(), HistoryProblem> {
        const KIND: &str = <Option<Order> as WriteModel>::KIND;
        if let DomainEvent::OrderPlaced(placed) = event {
            if self.is_some() {
                return Err(HistoryProblem::CreatedTwice { kind: KIND });
            }
            *self = Some(Order {
                customer: placed.customer.clone(),
                items: placed.items.clone(),
                total: placed.total,
                status: OrderStatus::Placed,
                shipped_to: None,
                cancel_reason: None,
            });
            return Ok(());
        }
        let is_order_event = matches!(
            event,
            DomainEvent::PaymentRequested(_)
                | DomainEvent::PaymentReceived(_)
                | DomainEvent::OrderShipped(_)
                | DomainEvent::OrderCancelled(_)
        );
        let order = match self.as_mut() {
            Some(order) if is_order_event => order,
            None if is_order_event => return Err(HistoryProblem::BeforeCreation { kind: KIND }),
            _ => return Err(HistoryProblem::Foreign { kind: KIND }),
        };
        match event {
            DomainEvent::PaymentRequested(_) => order.status = OrderStatus::PaymentRequested,
            DomainEvent::PaymentReceived(_) => order.status = OrderStatus::Paid,
            DomainEvent::OrderShipped(shipped) => {
                order.status = OrderStatus::Shipped;
                order.shipped_to = Some(shipped.address.clone());
            }
            DomainEvent::OrderCancelled(cancelled) => {
                order.status = OrderStatus::Cancelled;
                order.cancel_reason = Some(cancelled.reason.clone());
            }
            _ => {}
        }
        Ok(())
    }
}

/// The customer stream a decision on this order needs, if any.
pub fn customer_stream<'a>(order: Option<&'a Order>, command: &'a OrderCommand) -> Option<&'a str> {
    match command {
        OrderCommand::Place { customer, .. } => Some(customer),
        OrderCommand::Ship => order.map(|order| order.customer.as_str()),
        _ => None,
    }
}

/// Decides an order command on `stream`, given the order as folded from that
/// stream and the customer named by [`customer_stream`] (`None`: no events,
/// or none needed).
pub fn decide(
    stream: &str,
    order: Option<&Order>,
    customer: Option<&Customer>,
    command: &OrderCommand,
) -> Result<Vec<DomainEvent>, Rejection> {
    use OrderStatus::{Paid, PaymentRequested as Requested, Placed};
    let event = match command {
        OrderCommand::Place {
            customer: customer_stream,
            items,
        } => {
            if order.is_some() {
                return Err(Rejection::AlreadyExists {
                    stream: stream.into(),
                    command: PLACE_ORDER,
                });
            }
            customer::active(customer_stream, customer, "place an order")?;
            let (items, total) = checked_items(stream, items)?;
            DomainEvent::OrderPlaced(OrderPlaced {
                customer: customer_stream.clone(),
                items,
                total,
            })
        }
        OrderCommand::RequestPayment => {
            let order = in_status(stream, order, "request payment", &[Placed])?;
            DomainEvent::PaymentRequested(PaymentRequested {
                amount: order.total,
            })
        }
        OrderCommand::Pay { amount } => {
            let order = in_status(stream, order, "pay", &[Requested])?;
            if *amount != order.total {
                return Err(Rejection::PaymentMismatch {
                    order: stream.into(),
                    amount: *amount,
                    total: order.total,
                });
            }
            DomainEvent::PaymentReceived(PaymentReceived { amount: *amount })
        }
        OrderCommand::Ship => {
            let order = in_status(stream, order, "ship", &[Paid])?;
            let customer = customer.ok_or_else(|| Rejection::NotFound {
                stream: order.customer.clone(),
                action: "ship to it",
            })?;
            DomainEvent::OrderShipped(OrderShipped {
                address: customer.address.clone(),
            })
        }
        OrderCommand::Cancel { reason } => {
            in_status(stream, order, "cancel", &[Placed, Requested, Paid])?;
            DomainEvent::OrderCancelled(OrderCancelled {
                reason: reason.clone(),
            })
        }
    };
    Ok(vec![event])
}

/// The order, if it exists and is in one of the `allowed` states; else why
/// `action` is refused.
fn in_status<'o>(
    stream: &str,
    order: Option<&'o Order>,
    action: &'static str,
    allowed: &[OrderStatus],
) -> Result<&'o Order, Rejection> {
    let order = order.ok_or_else(|| Rejection::NotFound {
        stream: stream.into(),
        action,
    })?;
    if allowed.contains(&order.status) {
        Ok(order)
    } else {
        Err(Rejection::OrderInWrongState {
            order: stream.into(),
            status: order.status,
            action,
        })
    }
}

/// Checks each line and sums the total, refusing what does not add up.
fn checked_items(order: &str, lines: &[OrderLine]) -> Result<(Vec<Item>, i64), Rejection> {
    if lines.is_empty() {
        return Err(Rejection::NoItems {
            order: order.into(),
        });
    }
    let too_large = || Rejection::TooLarge {
        stream: order.into(),
        what: "the total",
    };
    let mut items = Vec::with_capacity(lines.len());
    let mut total: i64 = 0;
    for (index, line) in lines.iter().enumerate() {
        let invalid = |problem| Rejection::InvalidItem {
            order: order.into(),
            position: index + 1,
            sku: line.sku.clone(),
            problem,
        };
        if line.qty <= 0 {
            return Err(invalid(ItemProblem::QuantityNotPositive(line.qty)));
        }
        let qty = u32::try_from(line.qty)
            .map_err(|_| invalid(ItemProblem::QuantityTooLarge(line.qty)))?;
        if line.price <= 0 {
            return Err(invalid(ItemProblem::PriceNotPositive(line.price)));
        }
        let line_total = line.price.checked_mul(line.qty).ok_or_else(too_large)?;
        total = total.checked_add(line_total).ok_or_else(too_large)?;
        items.push(Item {
            sku: line.sku.clone(),
            qty,
            price: line.price,
        });
    }
    Ok((items, total))
}
