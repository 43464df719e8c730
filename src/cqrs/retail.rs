//! Retail write models and deciders: customers, and orders that need their
//! customer's state (to place an order for an active customer, to ship it to
//! the address the customer has now).

pub mod customer;
pub mod order;

pub use customer::Customer;
pub use order::{Order, OrderStatus};
