//! The customer write model (`customer-<n>` streams) and its decider.
//!
//! Changing the address or email to the value it already has is rejected:
//! an event records a change, and a no-op change would still wake every
//! consumer that reacts to it.

use serde::Serialize;

use crate::cqrs::command::CustomerCommand;
use crate::cqrs::domain_event::DomainEvent;
use crate::cqrs::history::HistoryProblem;
use crate::cqrs::model::WriteModel;
use crate::cqrs::rejection::Rejection;
use crate::cqrs::spec::REGISTER_CUSTOMER;
use crate::domain::retail::{
    Address, CustomerAddressChanged, CustomerDeactivated, CustomerEmailChanged, CustomerRegistered,
};

/// A registered customer as the write side knows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Customer {
    pub name: String,
    pub email: String,
    pub address: Address,
    /// The reason, once deactivated.
    pub deactivated: Option<String>,
}

/// `None` until the customer is registered.
impl WriteModel for Option<Customer> {
    const KIND: &'static str = "customer";

    fn evolve(&mut self, event: &DomainEvent) -> Result<(), HistoryProblem> {
        const KIND: &str = <Option<Customer> as WriteModel>::KIND;
        if let DomainEvent::CustomerRegistered(registered) = event {
            if self.is_some() {
                return Err(HistoryProblem::CreatedTwice { kind: KIND });
            }
            *self = Some(Customer {
                name: registered.name.clone(),
                email: registered.email.clone(),
                address: registered.address.clone(),
                deactivated: None,
            });
            return Ok(());
        }
        let customer = self.as_mut();
        match (event, customer) {
            (DomainEvent::CustomerAddressChanged(changed), Some(customer)) => {
                customer.address = changed.address.clone();
            }
            (DomainEvent::CustomerEmailChanged(changed), Some(customer)) => {
                customer.email = changed.email.clone();
            }
            (DomainEvent::CustomerDeactivated(deactivated), Some(customer)) => {
                customer.deactivated = Some(deactivated.reason.clone());
            }
            (
                DomainEvent::CustomerAddressChanged(_)
                | DomainEvent::CustomerEmailChanged(_)
                | DomainEvent::CustomerDeactivated(_),
                None,
            ) => return Err(HistoryProblem::BeforeCreation { kind: KIND }),
            _ => return Err(HistoryProblem::Foreign { kind: KIND }),
        }
        Ok(())
    }
}

/// Decides a customer command on `stream`, given the customer as folded
/// from that stream (`None`: no events yet).
pub fn decide(
    stream: &str,
    customer: Option<&Customer>,
    command: &CustomerCommand,
) -> Result<Vec<DomainEvent>, Rejection> {
    let event = match command {
        CustomerCommand::Register {
            name,
            email,
            address,
        } => {
            if customer.is_some() {
                return Err(Rejection::AlreadyExists {
                    stream: stream.into(),
                    command: REGISTER_CUSTOMER,
                });
            }
            DomainEvent::CustomerRegistered(CustomerRegistered {
                name: name.clone(),
                email: email.clone(),
                address: address.clone(),
            })
        }
        CustomerCommand::ChangeAddress { address } => {
            let current = active(stream, customer, "change the address")?;
            unchanged_if(current.address == *address, stream, "address")?;
            DomainEvent::CustomerAddressChanged(CustomerAddressChanged {
                address: address.clone(),
            })
        }
        CustomerCommand::ChangeEmail { email } => {
            let current = active(stream, customer, "change the email")?;
            unchanged_if(current.email == *email, stream, "email")?;
            DomainEvent::CustomerEmailChanged(CustomerEmailChanged {
                email: email.clone(),
            })
        }
        CustomerCommand::Deactivate { reason } => {
            let current = existing(stream, customer, "deactivate it")?;
            if current.deactivated.is_some() {
                return Err(Rejection::CustomerDeactivated {
                    customer: stream.into(),
                    action: "deactivate it again",
                });
            }
            DomainEvent::CustomerDeactivated(CustomerDeactivated {
                reason: reason.clone(),
            })
        }
    };
    Ok(vec![event])
}

/// The customer, if registered and not deactivated; else why `action` is refused.
pub(crate) fn active<'c>(
    stream: &str,
    customer: Option<&'c Customer>,
    action: &'static str,
) -> Result<&'c Customer, Rejection> {
    let customer = existing(stream, customer, action)?;
    match customer.deactivated {
        Some(_) => Err(Rejection::CustomerDeactivated {
            customer: stream.into(),
            action,
        }),
        None => Ok(customer),
    }
}

fn existing<'c>(
    stream: &str,
    customer: Option<&'c Customer>,
    action: &'static str,
) -> Result<&'c Customer, Rejection> {
    customer.ok_or_else(|| Rejection::NotFound {
        stream: stream.into(),
        action,
    })
}

fn unchanged_if(same: bool, stream: &str, what: &'static str) -> Result<(), Rejection> {
    if same {
        Err(Rejection::Unchanged {
            stream: stream.into(),
            what,
        })
    } else {
        Ok(())
    }
}
