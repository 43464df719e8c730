//! The retail generator: customers register, move, change e-mail and are
//! sometimes deactivated; active customers place orders that are paid and
//! shipped (or cancelled), many at once, interleaved in time.
//!
//! Memory grows with the number of customers (a few bytes each, so orders
//! can ship to the current address) and with the orders in flight, never
//! with the number of events.

use super::envelope::{Cause, Envelope, Header, Pace};
use super::shapes::{ItemJson, Placed, Registered, WithAddress};
use crate::domain::catalogue::PRODUCTS;
use crate::domain::people::{FIRST_NAMES, LAST_NAMES, PersonName};
use crate::domain::places::{AddressCode, NumberStyle, PLACES};
use crate::domain::retail;
use crate::domain::rng::SplitMix64;
use crate::event::NewEvent;

/// Relative weights of the new actions: register, place an order, change
/// address, change e-mail, deactivate. With about 2.8 more events per order
/// this gives one customer per ~9 events and ~2 orders per customer.
const ACTION_WEIGHTS: [u64; 5] = [270, 550, 120, 45, 15];

/// Balances the orders in flight against new actions: the more orders are
/// open, the likelier the next event advances one. About 1.5 times this many
/// orders are open at once once the log has warmed up.
const IN_FLIGHT_BALANCE: u64 = 200;

const DEACTIVATION_REASONS: [&str; 4] = [
    "customer asked to close the account",
    "no activity for two years",
    "duplicate account merged",
    "suspected fraud",
];
const CANCELLED_BEFORE_PAYMENT: [&str; 3] = [
    "customer changed their mind",
    "item out of stock",
    "duplicate order",
];
const CANCELLED_AT_PAYMENT: [&str; 2] = ["payment declined", "payment not received within 7 days"];
const CANCELLED_AFTER_PAYMENT: &str = "item out of stock; payment refunded";
const CANCELLED_CUSTOMER_GONE: &str = "customer account deactivated";

#[derive(Clone, Copy, Debug)]
struct Customer {
    name: PersonName,
    email_variant: u8,
    address: AddressCode,
    version: u32,
    /// Index in the list of active customers; `None` once deactivated.
    active_slot: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Placed,
    PaymentRequested,
    PaymentReceived,
}

#[derive(Clone, Copy, Debug)]
struct OpenOrder {
    number: u64,
    customer: u32,
    version: u64,
    stage: Stage,
    total: i64,
    flow: u64,
    last_event: u64,
}

/// An endless, deterministic stream of retail events for one seed.
#[derive(Debug)]
pub struct RetailEvents {
    rng: SplitMix64,
    envelope: Envelope,
    /// Customer `n` is at index `n - 1`.
    customers: Vec<Customer>,
    /// Numbers of the active customers, in no particular order.
    active: Vec<u32>,
    open_orders: Vec<OpenOrder>,
    orders_placed: u64,
    flows: u64,
}

impl RetailEvents {
    pub fn new(seed: u64) -> RetailEvents {
        RetailEvents {
            rng: SplitMix64::new(seed),
            envelope: Envelope::new(),
            customers: Vec::new(),
            active: Vec::new(),
            open_orders: Vec::new(),
            orders_placed: 0,
            flows: 0,
        }
    }

    fn next_event(&mut self) -> NewEvent {
        let open = self.open_orders.len() as u64;
        if open > 0 && self.rng.below(open + IN_FLIGHT_BALANCE) < open {
            return self.advance_order();
        }
        if self.active.len() < 10 {
            return self.register();
        }
        // While the shop is young, people register rather than move within
        // minutes of registering.
        let young = self.active.len() < 100;
        match self.rng.weighted(&ACTION_WEIGHTS) {
            0 => self.register(),
            1 => self.place_order(),
            _ if young => self.register(),
            2 => self.change_address(),
            3 => self.change_email(),
            _ => self.deactivate(),
        }
    }

    fn new_flow(&mut self) -> u64 {
        self.flows += 1;
        self.flows
    }

    fn random_address(&mut self) -> AddressCode {
        let place = self.rng.index(PLACES.len());
        let streets = PLACES[place].streets.len();
        let highest = match PLACES[place].style {
            NumberStyle::Before => 240,
            NumberStyle::After => 120,
        };
        AddressCode {
            place: place as u8,
            street: self.rng.index(streets) as u8,
            number: self.rng.between(1, highest) as u16,
        }
    }

    /// A random active customer's number (there is always one: new actions
    /// register customers until there are several).
    fn pick_active(&mut self) -> u32 {
        let slot = self.rng.index(self.active.len());
        self.active.get(slot).copied().unwrap_or(1)
    }

    fn customer_mut(&mut self, number: u32) -> &mut Customer {
        let index = (number as usize).saturating_sub(1);
        &mut self.customers[index]
    }

    /// The customer's next version, recorded.
    fn bump_customer(&mut self, number: u32) -> u64 {
        let customer = self.customer_mut(number);
        customer.version += 1;
        u64::from(customer.version)
    }

    fn customer_header(&mut self, number: u32, event_type: &'static str) -> Header<'static> {
        let version = self.bump_customer(number);
        let flow = self.new_flow();
        Header {
            stream: retail::customer_stream(u64::from(number)),
            event_type,
            version,
            flow,
            cause: Cause::Command(flow),
        }
    }

    fn register(&mut self) -> NewEvent {
        let number = self.customers.len() as u32 + 1;
        let name = PersonName {
            first: self.rng.index(FIRST_NAMES.len()) as u8,
            last: self.rng.index(LAST_NAMES.len()) as u8,
        };
        let email_variant = self.rng.below(4) as u8;
        let address = self.random_address();
        self.customers.push(Customer {
            name,
            email_variant,
            address,
            version: 0,
            active_slot: Some(self.active.len() as u32),
        });
        self.active.push(number);
        let header = self.customer_header(number, retail::CUSTOMER_REGISTERED);
        let email = name.email(email_variant, u64::from(number));
        let payload = Registered {
            name,
            email: &email,
            address,
        };
        self.envelope
            .seal(&mut self.rng, Pace::Independent, header, &payload)
    }

    fn change_address(&mut self) -> NewEvent {
        let number = self.pick_active();
        let old = self.customer_mut(number).address;
        let mut new = if self.rng.chance(650) {
            // A move within the same city.
            AddressCode {
                place: old.place,
                ..self.random_address()
            }
        } else {
            self.random_address()
        };
        if new == old {
            new.number = new.number % 200 + 1;
        }
        self.customer_mut(number).address = new;
        let header = self.customer_header(number, retail::CUSTOMER_ADDRESS_CHANGED);
        let payload = WithAddress(new);
        self.envelope
            .seal(&mut self.rng, Pace::Independent, header, &payload)
    }

    fn change_email(&mut self) -> NewEvent {
        let number = self.pick_active();
        // A step of 1 to 3 always changes the form of the address.
        let step = self.rng.between(1, 3) as u8;
        let customer = self.customer_mut(number);
        customer.email_variant = (customer.email_variant + step) % 8;
        let email = customer
            .name
            .email(customer.email_variant, u64::from(number));
        let header = self.customer_header(number, retail::CUSTOMER_EMAIL_CHANGED);
        let payload = retail::CustomerEmailChanged { email };
        self.envelope
            .seal(&mut self.rng, Pace::Independent, header, &payload)
    }

    fn deactivate(&mut self) -> NewEvent {
        let number = self.pick_active();
        if let Some(slot) = self.customer_mut(number).active_slot.take() {
            self.active.swap_remove(slot as usize);
            if let Some(&moved) = self.active.get(slot as usize) {
                self.customer_mut(moved).active_slot = Some(slot);
            }
        }
        let reason = self
            .rng
            .pick(&DEACTIVATION_REASONS)
            .copied()
            .unwrap_or_default();
        let header = self.customer_header(number, retail::CUSTOMER_DEACTIVATED);
        let payload = retail::CustomerDeactivated {
            reason: reason.to_string(),
        };
        self.envelope
            .seal(&mut self.rng, Pace::Independent, header, &payload)
    }

    /// One to four different products, mostly one of each; returns how
    /// many of `items` are filled.
    fn random_items(&mut self, items: &mut [ItemJson; 4]) -> usize {
        let count = 1 + self.rng.weighted(&[45, 30, 17, 8]);
        let mut filled = 0;
        while filled < count {
            let product = PRODUCTS[self.rng.index(PRODUCTS.len())];
            if items[..filled].iter().any(|item| item.sku == product.sku) {
                continue;
            }
            items[filled] = ItemJson {
                sku: product.sku,
                qty: 1 + self.rng.weighted(&[75, 18, 7]) as u32,
                price: product.price,
            };
            filled += 1;
        }
        filled
    }

    fn place_order(&mut self) -> NewEvent {
        let customer = self.pick_active();
        self.orders_placed += 1;
        let number = self.orders_placed;
        let flow = self.new_flow();
        let mut items = [ItemJson {
            sku: "",
            qty: 0,
            price: 0,
        }; 4];
        let count = self.random_items(&mut items);
        let items = &items[..count];
        let total = items
            .iter()
            .map(|item| i64::from(item.qty) * item.price)
            .sum();
        self.open_orders.push(OpenOrder {
            number,
            customer,
            version: 1,
            stage: Stage::Placed,
            total,
            flow,
            last_event: self.envelope.next_number(),
        });
        let header = Header {
            stream: retail::order_stream(number),
            event_type: retail::ORDER_PLACED,
            version: 1,
            flow,
            cause: Cause::Command(flow),
        };
        let payload = Placed {
            customer,
            items,
            total,
        };
        self.envelope
            .seal(&mut self.rng, Pace::Independent, header, &payload)
    }

    fn advance_order(&mut self) -> NewEvent {
        let slot = self.rng.index(self.open_orders.len());
        let mut order = self.open_orders[slot];
        let customer = self.customers[(order.customer as usize).saturating_sub(1)];
        let header = |event_type| Header {
            stream: retail::order_stream(order.number),
            event_type,
            version: order.version + 1,
            flow: order.flow,
            cause: Cause::Event(order.last_event),
        };
        let cancel_reason = if customer.active_slot.is_none() {
            Some(CANCELLED_CUSTOMER_GONE)
        } else {
            match order.stage {
                Stage::Placed if self.rng.chance(70) => {
                    self.rng.pick(&CANCELLED_BEFORE_PAYMENT).copied()
                }
                Stage::PaymentRequested if self.rng.chance(80) => {
                    self.rng.pick(&CANCELLED_AT_PAYMENT).copied()
                }
                Stage::PaymentReceived if self.rng.chance(30) => Some(CANCELLED_AFTER_PAYMENT),
                _ => None,
            }
        };
        let rng = &mut self.rng;
        let event = match (cancel_reason, order.stage) {
            (Some(reason), _) => {
                let payload = retail::OrderCancelled {
                    reason: reason.to_string(),
                };
                let header = header(retail::ORDER_CANCELLED);
                self.envelope.seal(rng, Pace::Independent, header, &payload)
            }
            (None, Stage::Placed) => {
                let payload = retail::PaymentRequested {
                    amount: order.total,
                };
                let header = header(retail::PAYMENT_REQUESTED);
                self.envelope.seal(rng, Pace::Independent, header, &payload)
            }
            (None, Stage::PaymentRequested) => {
                let payload = retail::PaymentReceived {
                    amount: order.total,
                };
                let header = header(retail::PAYMENT_RECEIVED);
                self.envelope.seal(rng, Pace::Independent, header, &payload)
            }
            (None, Stage::PaymentReceived) => {
                let payload = WithAddress(customer.address);
                let header = header(retail::ORDER_SHIPPED);
                self.envelope.seal(rng, Pace::Independent, header, &payload)
            }
        };
        let next_stage = match (cancel_reason, order.stage) {
            (None, Stage::Placed) => Some(Stage::PaymentRequested),
            (None, Stage::PaymentRequested) => Some(Stage::PaymentReceived),
            _ => None,
        };
        match next_stage {
            Some(stage) => {
                order.stage = stage;
                order.version += 1;
                order.last_event = self.envelope.next_number() - 1;
                self.open_orders[slot] = order;
            }
            None => {
                self.open_orders.swap_remove(slot);
            }
        }
        event
    }
}

impl Iterator for RetailEvents {
    type Item = NewEvent;

    fn next(&mut self) -> Option<NewEvent> {
        Some(self.next_event())
    }
}
