//! Sample events and addresses for the tests.

use crate::cqrs::DomainEvent;
use crate::domain::bank::{AccountClosed, AccountOpened, MoneyDeposited, MoneyWithdrawn};
use crate::domain::retail::{
    Address, CustomerAddressChanged, CustomerDeactivated, CustomerEmailChanged, CustomerRegistered,
    Item, OrderCancelled, OrderPlaced, OrderShipped, PaymentReceived, PaymentRequested,
};

pub fn leeds() -> Address {
    address("1 Main St", "Leeds", "LS1 1AA", "UK")
}

pub fn york() -> Address {
    address("9 Stonegate", "York", "YO1 8AS", "UK")
}

pub fn address(street: &str, city: &str, postcode: &str, country: &str) -> Address {
    Address {
        street: street.into(),
        city: city.into(),
        postcode: postcode.into(),
        country: country.into(),
    }
}

/// Ada, ada@example.com, living in Leeds.
pub fn registered() -> DomainEvent {
    DomainEvent::CustomerRegistered(CustomerRegistered {
        name: "Ada".into(),
        email: "ada@example.com".into(),
        address: leeds(),
    })
}

pub fn moved(address: Address) -> DomainEvent {
    DomainEvent::CustomerAddressChanged(CustomerAddressChanged { address })
}

pub fn email_changed(email: &str) -> DomainEvent {
    DomainEvent::CustomerEmailChanged(CustomerEmailChanged {
        email: email.into(),
    })
}

pub fn deactivated(reason: &str) -> DomainEvent {
    DomainEvent::CustomerDeactivated(CustomerDeactivated {
        reason: reason.into(),
    })
}

pub fn item(sku: &str, qty: u32, price: i64) -> Item {
    Item {
        sku: sku.into(),
        qty,
        price,
    }
}

/// customer-7's order of two books at 15.00: total 30.00.
pub fn placed() -> DomainEvent {
    DomainEvent::OrderPlaced(OrderPlaced {
        customer: "customer-7".into(),
        items: vec![item("BOOK", 2, 1500)],
        total: 3000,
    })
}

pub fn payment_requested(amount: i64) -> DomainEvent {
    DomainEvent::PaymentRequested(PaymentRequested { amount })
}

pub fn paid(amount: i64) -> DomainEvent {
    DomainEvent::PaymentReceived(PaymentReceived { amount })
}

pub fn shipped(address: Address) -> DomainEvent {
    DomainEvent::OrderShipped(OrderShipped { address })
}

pub fn cancelled(reason: &str) -> DomainEvent {
    DomainEvent::OrderCancelled(OrderCancelled {
        reason: reason.into(),
    })
}

pub fn opened(owner: &str) -> DomainEvent {
    DomainEvent::AccountOpened(AccountOpened {
        owner: owner.into(),
    })
}

pub fn deposited(amount: i64) -> DomainEvent {
    DomainEvent::MoneyDeposited(MoneyDeposited { amount })
}

pub fn withdrawn(amount: i64) -> DomainEvent {
    DomainEvent::MoneyWithdrawn(MoneyWithdrawn { amount })
}

pub fn closed() -> DomainEvent {
    DomainEvent::AccountClosed(AccountClosed {})
}
