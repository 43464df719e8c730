//! Where an order is in its life: kept by the order write model, and named
//! by the rejections that depend on it.

use serde::Serialize;

/// Where an order is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Placed,
    PaymentRequested,
    Paid,
    Shipped,
    Cancelled,
}

impl OrderStatus {
    /// Words that complete "the order is ...".
    pub fn describe(self) -> &'static str {
        match self {
            OrderStatus::Placed => "waiting for a payment request",
            OrderStatus::PaymentRequested => "waiting for payment",
            OrderStatus::Paid => "paid",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Cancelled => "cancelled",
        }
    }
}
