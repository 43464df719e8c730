//! Retail: a customer service (streams `customer-<n>`) and an order service
//! (streams `order-<n>`) whose orders need the customer's address.

use serde::{Deserialize, Serialize};

pub const CUSTOMER_REGISTERED: &str = "CustomerRegistered";
pub const CUSTOMER_ADDRESS_CHANGED: &str = "CustomerAddressChanged";
pub const CUSTOMER_EMAIL_CHANGED: &str = "CustomerEmailChanged";
pub const CUSTOMER_DEACTIVATED: &str = "CustomerDeactivated";
pub const ORDER_PLACED: &str = "OrderPlaced";
pub const PAYMENT_REQUESTED: &str = "PaymentRequested";
pub const PAYMENT_RECEIVED: &str = "PaymentReceived";
pub const ORDER_SHIPPED: &str = "OrderShipped";
pub const ORDER_CANCELLED: &str = "OrderCancelled";

pub const EVENT_TYPES: [&str; 9] = [
    CUSTOMER_REGISTERED,
    CUSTOMER_ADDRESS_CHANGED,
    CUSTOMER_EMAIL_CHANGED,
    CUSTOMER_DEACTIVATED,
    ORDER_PLACED,
    PAYMENT_REQUESTED,
    PAYMENT_RECEIVED,
    ORDER_SHIPPED,
    ORDER_CANCELLED,
];

pub const CUSTOMER_PREFIX: &str = "customer-";
pub const ORDER_PREFIX: &str = "order-";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub sku: String,
    pub qty: u32,
    /// Unit price in cents.
    pub price: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRegistered {
    pub name: String,
    pub email: String,
    pub address: Address,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerAddressChanged {
    pub address: Address,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerEmailChanged {
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDeactivated {
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPlaced {
    /// The customer's stream, `customer-<n>`.
    pub customer: String,
    pub items: Vec<Item>,
    /// Sum of qty * price over the items, in cents.
    pub total: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRequested {
    pub amount: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentReceived {
    pub amount: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderShipped {
    pub address: Address,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCancelled {
    pub reason: String,
}

/// The total of an order's items, in cents.
pub fn order_total(items: &[Item]) -> i64 {
    items
        .iter()
        .map(|item| i64::from(item.qty).saturating_mul(item.price))
        .fold(0, i64::saturating_add)
}

/// The stream of customer `n`: `customer-<n>`.
pub fn customer_stream(n: u64) -> String {
    format!("{CUSTOMER_PREFIX}{n}")
}

/// The stream of order `n`: `order-<n>`.
pub fn order_stream(n: u64) -> String {
    format!("{ORDER_PREFIX}{n}")
}
