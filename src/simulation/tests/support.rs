//! A small retail log builder: customers, address moves, orders that ship.

use std::collections::HashMap;

use serde_json::json;

use crate::domain::retail;
use crate::event::{Event, Json, Timestamp};

#[derive(Default)]
pub(super) struct LogBuilder {
    events: Vec<Event>,
    versions: HashMap<String, u64>,
    orders: u32,
}

pub(super) fn customer(n: u32) -> String {
    format!("{}{n}", retail::CUSTOMER_PREFIX)
}

pub(super) fn address(city: &str) -> serde_json::Value {
    json!({"street": "1 High St", "city": city, "postcode": "AB1 2CD", "country": "GB"})
}

impl LogBuilder {
    pub(super) fn new() -> LogBuilder {
        LogBuilder::default()
    }

    fn push(&mut self, stream: &str, event_type: &str, data: serde_json::Value) -> &mut Self {
        let version = self.versions.entry(stream.to_string()).or_default();
        *version += 1;
        let seq = self.events.len() as u64 + 1;
        self.events.push(Event {
            seq,
            stream: stream.into(),
            version: *version,
            event_type: event_type.into(),
            id: format!("{stream}/{version}"),
            time: Some(Timestamp::from_unix_millis(seq as i64 * 1_000)),
            data: Json::from_value(&data),
            metadata: None,
        });
        self
    }

    /// The seq the next event will get.
    pub(super) fn next_seq(&self) -> u64 {
        self.events.len() as u64 + 1
    }

    pub(super) fn register(&mut self, n: u32, city: &str) -> &mut Self {
        let data = json!({"name": format!("Customer {n}"), "email": format!("c{n}@example.com"),
            "address": address(city)});
        self.push(&customer(n), retail::CUSTOMER_REGISTERED, data)
    }

    pub(super) fn move_to(&mut self, n: u32, city: &str) -> &mut Self {
        let data = json!({"address": address(city)});
        self.push(&customer(n), retail::CUSTOMER_ADDRESS_CHANGED, data)
    }

    pub(super) fn change_email(&mut self, n: u32) -> &mut Self {
        let data = json!({"email": format!("new{n}@example.com")});
        self.push(&customer(n), retail::CUSTOMER_EMAIL_CHANGED, data)
    }

    /// Places, pays and ships an order of customer `n`.
    pub(super) fn order_and_ship(&mut self, n: u32) -> &mut Self {
        let order = self.place(n);
        self.push(&order, retail::PAYMENT_RECEIVED, json!({"amount": 500}));
        self.push(
            &order,
            retail::ORDER_SHIPPED,
            json!({"address": address("?")}),
        )
    }

    /// Places an order of customer `n`.
    fn place(&mut self, n: u32) -> String {
        self.orders += 1;
        let order = format!("{}{}", retail::ORDER_PREFIX, self.orders);
        let data = json!({"customer": customer(n), "items": [{"sku": "A-1", "qty": 1, "price": 500}],
            "total": 500});
        self.push(&order, retail::ORDER_PLACED, data);
        order
    }

    /// `n` events the simulation does not act on, to let time pass.
    pub(super) fn pause(&mut self, n: usize) -> &mut Self {
        for _ in 0..n {
            self.push("order-0", retail::PAYMENT_REQUESTED, json!({"amount": 1}));
        }
        self
    }

    pub(super) fn build(&self) -> Vec<Event> {
        self.events.clone()
    }

    pub(super) fn count(&self, event_type: &str) -> u64 {
        self.events
            .iter()
            .filter(|e| &*e.event_type == event_type)
            .count() as u64
    }

    pub(super) fn customer_changes(&self) -> u64 {
        self.events
            .iter()
            .filter(|e| e.stream.starts_with(retail::CUSTOMER_PREFIX))
            .count() as u64
    }
}

/// A busy log: `customers` customers register, then the steps move them,
/// change emails and ship their orders (step = (customer, what)).
pub(super) fn busy_log(customers: u32, steps: &[(u32, u8)]) -> LogBuilder {
    let mut log = LogBuilder::new();
    for n in 1..=customers {
        log.register(n, "Leeds");
    }
    log.pause(10);
    for (i, &(who, what)) in steps.iter().enumerate() {
        let n = who % customers + 1;
        match what % 4 {
            0 => log.move_to(n, &format!("City {i}")),
            1 => log.change_email(n),
            2 => log.order_and_ship(n),
            _ => log.pause(3),
        };
    }
    log
}
