//! `orders` (retail): each order's status, total, customer and amount paid,
//! plus revenue per day (UTC) and in all, counted from PaymentReceived.
//!
//! An event for an order never placed creates an entry with no customer and
//! a zero total, so a partial log still shows what it knows.

use super::owned;
use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::domain::retail;
use crate::event::{Event, Timestamp};
use crate::event_view::EventView;
use crate::json_writer::JsonWriter;
use crate::projection::codec::{Reader, Writer};
use crate::projection::path::Path;
use crate::projection::streams_table::{StreamKey, StreamMap};
use crate::projection::traits::{Projection, ProjectionError, read_payload};
use crate::projection::views::{AmountView, OrderPlacedView};

const NANOS_PER_DAY: i64 = 86_400 * 1_000_000_000;

/// Where an order stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OrderStatus {
    #[default]
    Placed,
    AwaitingPayment,
    Paid,
    Shipped,
    Cancelled,
}

impl OrderStatus {
    const ALL: [OrderStatus; 5] = [
        OrderStatus::Placed,
        OrderStatus::AwaitingPayment,
        OrderStatus::Paid,
        OrderStatus::Shipped,
        OrderStatus::Cancelled,
    ];

    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::AwaitingPayment => "awaiting_payment",
            OrderStatus::Paid => "paid",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Cancelled => "cancelled",
        }
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct Order {
    status: OrderStatus,
    total: i64,
    paid: i64,
    /// Interned in `Orders::orders`' names.
    customer: Option<StreamKey>,
}

/// Order totals and revenue.
#[derive(Clone, Debug, Default)]
pub struct Orders {
    orders: StreamMap<Order>,
    /// Day number since the Unix epoch -> cents received.
    revenue_by_day: BTreeMap<i64, i64>,
    revenue_total: i64,
}

impl Orders {
    pub const NAME: &'static str = "orders";

    fn order_json(&self, order: &Order) -> Value {
        json!({
            "status": order.status.label(),
            "total": order.total,
            "paid": order.paid,
            "customer": order.customer.map(|key| self.orders.name(key)),
        })
    }

    /// One top-level member of the state.
    fn section(&self, key: &str) -> Option<Value> {
        match key {
            "orders" => Some(Value::Object(
                self.orders
                    .iter()
                    .map(|(name, order)| (name, self.order_json(order)))
                    .collect(),
            )),
            "revenue_by_day" => {
                let days: Map<String, Value> = self
                    .revenue_by_day
                    .iter()
                    .map(|(day, cents)| {
                        let date =
                            Timestamp::from_unix_nanos(day.saturating_mul(NANOS_PER_DAY)).date();
                        (date, json!(cents))
                    })
                    .collect();
                Some(Value::Object(days))
            }
            "revenue_total" => Some(json!(self.revenue_total)),
            _ => None,
        }
    }

    fn receive(&mut self, event: &EventView<'_>) -> Result<(), ProjectionError> {
        let view: AmountView = read_payload(event, retail::PAYMENT_RECEIVED)?;
        let order = self.orders.entry(event.stream, Order::default);
        order.status = OrderStatus::Paid;
        order.paid = order.paid.saturating_add(view.amount);
        // A payment with no time counts in the total, on no day.
        if let Some(time) = event.time {
            let day = time.unix_nanos().div_euclid(NANOS_PER_DAY);
            let revenue = self.revenue_by_day.entry(day).or_default();
            *revenue = revenue.saturating_add(view.amount);
        }
        self.revenue_total = self.revenue_total.saturating_add(view.amount);
        Ok(())
    }
}

/// The top-level members of the state, in order.
const SECTIONS: [&str; 3] = ["orders", "revenue_by_day", "revenue_total"];

/// The events of an order's life.
const ORDER_TYPES: [&str; 5] = [
    retail::ORDER_PLACED,
    retail::PAYMENT_REQUESTED,
    retail::PAYMENT_RECEIVED,
    retail::ORDER_SHIPPED,
    retail::ORDER_CANCELLED,
];

impl Projection for Orders {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn event_types(&self) -> Option<Vec<String>> {
        Some(owned(&ORDER_TYPES))
    }

    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        self.apply_view(&event.view())
    }

    fn apply_view(&mut self, event: &EventView<'_>) -> Result<(), ProjectionError> {
        let status = match &**event.event_type {
            retail::ORDER_PLACED => {
                let view: OrderPlacedView = read_payload(event, retail::ORDER_PLACED)?;
                let customer = Some(self.orders.names.key(&view.customer));
                let order = self.orders.entry(event.stream, Order::default);
                order.customer = customer;
                order.total = view.total;
                OrderStatus::Placed
            }
            retail::PAYMENT_REQUESTED => OrderStatus::AwaitingPayment,
            retail::PAYMENT_RECEIVED => return self.receive(event),
            retail::ORDER_SHIPPED => OrderStatus::Shipped,
            retail::ORDER_CANCELLED => OrderStatus::Cancelled,
            _ => return Ok(()),
        };
        self.orders.entry(event.stream, Order::default).status = status;
        Ok(())
    }

    fn state(&self) -> Value {
        Value::Object(
            SECTIONS
                .into_iter()
                .filter_map(|key| Some((key.to_string(), self.section(key)?)))
                .collect(),
        )
    }

    fn write_state(&self, out: &mut JsonWriter<'_>) {
        out.begin_object();
        out.key("orders");
        out.begin_object();
        let mut customer = String::new();
        self.orders.for_each_named(|name, order| {
            out.key(name);
            out.begin_object();
            out.key("status");
            out.str(order.status.label());
            out.key("total");
            out.i64(order.total);
            out.key("paid");
            out.i64(order.paid);
            out.key("customer");
            match order.customer {
                Some(key) => {
                    self.orders.names.name_into(key, &mut customer);
                    out.str(&customer);
                }
                None => out.null(),
            }
            out.end_object();
        });
        out.end_object();
        out.key("revenue_by_day");
        out.begin_object();
        for (day, cents) in &self.revenue_by_day {
            out.key(&Timestamp::from_unix_nanos(day.saturating_mul(NANOS_PER_DAY)).date());
            out.i64(*cents);
        }
        out.end_object();
        out.key("revenue_total");
        out.i64(self.revenue_total);
        out.end_object();
    }

    fn get(&self, path: &Path) -> Option<Value> {
        match (path.first_key(), path.key_at(1)) {
            (Some("orders"), Some(order)) => {
                let order = self.order_json(self.orders.get(order)?);
                path.skip(2).lookup(&order).cloned()
            }
            (Some(section), _) => path.skip(1).lookup(&self.section(section)?).cloned(),
            (None, _) => path.lookup(&self.state()).cloned(),
        }
    }

    fn keys_at(&self, path: &Path) -> Option<Vec<String>> {
        match (path.first_key(), path.segments().len()) {
            (None, _) => Some(SECTIONS.iter().map(|key| key.to_string()).collect()),
            (Some("orders"), 1) => Some(self.orders.iter().map(|(name, _)| name).collect()),
            (Some("revenue_by_day"), 1) => Some(
                self.revenue_by_day
                    .keys()
                    .map(|day| Timestamp::from_unix_nanos(day.saturating_mul(NANOS_PER_DAY)).date())
                    .collect(),
            ),
            _ => None,
        }
    }

    fn stream_of(&self, path: &Path) -> Option<String> {
        match (path.first_key(), path.key_at(1)) {
            (Some("orders"), Some(order)) => Some(order.to_string()),
            _ => None,
        }
    }

    fn scope(&self, event: &EventView<'_>) -> Vec<Path> {
        vec![
            Path::keys(["orders", event.stream]),
            Path::keys(["revenue_by_day"]),
            Path::keys(["revenue_total"]),
        ]
    }

    fn save(&self) -> Vec<u8> {
        let mut w = Writer::new();
        let names = &self.orders.names;
        self.orders.save(&mut w, |w, order| {
            w.u64(order.status as u64);
            w.i64(order.total);
            w.i64(order.paid);
            w.bool(order.customer.is_some());
            if let Some(customer) = order.customer {
                names.save_key(w, customer);
            }
        });
        w.u64(self.revenue_by_day.len() as u64);
        for (day, cents) in &self.revenue_by_day {
            w.i64(*day);
            w.i64(*cents);
        }
        w.i64(self.revenue_total);
        w.finish()
    }

    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError> {
        let mut r = Reader::new(bytes);
        let orders = StreamMap::restore(&mut r, |r, names| {
            let status = r.u64()?;
            let status = *OrderStatus::ALL.get(status as usize).ok_or_else(|| {
                ProjectionError::Snapshot(format!("order status {status} is unknown"))
            })?;
            let total = r.i64()?;
            let paid = r.i64()?;
            let customer = if r.bool()? {
                Some(names.restore_key(r)?)
            } else {
                None
            };
            Ok(Order {
                status,
                total,
                paid,
                customer,
            })
        })?;
        let mut revenue_by_day = BTreeMap::new();
        for _ in 0..r.count()? {
            revenue_by_day.insert(r.i64()?, r.i64()?);
        }
        let revenue_total = r.i64()?;
        r.finish()?;
        *self = Orders {
            orders,
            revenue_by_day,
            revenue_total,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::testing::LogBuilder;

    #[test]
    fn given_orders_paid_over_two_days_then_revenue_is_per_day() {
        let placed = |customer: &str, total: i64| json!({"customer": customer, "items": [{"sku": "A", "qty": 1, "price": total}], "total": total});
        let day = 86_400;
        let mut log = LogBuilder::new();
        log.push_at("order-1", "OrderPlaced", placed("customer-1", 500), 0)
            .push_at("order-1", "PaymentRequested", json!({"amount": 500}), 10)
            .push_at("order-1", "PaymentReceived", json!({"amount": 500}), 20)
            .push_at("order-2", "OrderPlaced", placed("customer-2", 700), day)
            .push_at(
                "order-2",
                "PaymentReceived",
                json!({"amount": 700}),
                day + 1,
            )
            .push_at("order-1", "OrderShipped", json!({"address": {}}), day + 2)
            .push_at("order-3", "OrderPlaced", placed("customer-1", 100), day + 3)
            .push_at(
                "order-3",
                "OrderCancelled",
                json!({"reason": "changed mind"}),
                day + 4,
            );
        let mut orders = Orders::default();
        for event in log.events() {
            orders.apply(event).unwrap();
        }
        assert_eq!(
            orders.state(),
            json!({
                "orders": {
                    "order-1": {"status": "shipped", "total": 500, "paid": 500, "customer": "customer-1"},
                    "order-2": {"status": "paid", "total": 700, "paid": 700, "customer": "customer-2"},
                    "order-3": {"status": "cancelled", "total": 100, "paid": 0, "customer": "customer-1"},
                },
                "revenue_by_day": {"2024-01-01": 500, "2024-01-02": 700},
                "revenue_total": 1200,
            })
        );
        let path = Path::parse("orders.order-2.status").unwrap();
        assert_eq!(orders.get(&path), Some(json!("paid")));
        assert_eq!(orders.stream_of(&path).as_deref(), Some("order-2"));
    }
}
