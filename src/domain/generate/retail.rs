//! The retail generator: customers register, move, change e-mail and are
//! sometimes deactivated; active customers place orders that are paid and
//! shipped (or cancelled), many at once, interleaved in time.
//!
//! Memory grows with the number of customers (a few bytes each, so orders
//! can ship to the current address) and with the orders in flight, never
//! with the number of events.

use super::envelope::{Cause, Envelope, Header, Pace};
use super::orders::{OpenOrder, Stage, Step, random_items};
use super::shapes::{ItemJson, Placed, Registered, WithAddress};
use crate::domain::people::PersonName;
use crate::domain::places::AddressCode;
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
#[derive(Clone, Copy, Debug)]
struct Customer {
    name: PersonName,
    email_variant: u8,
    address: AddressCode,
    version: u32,
    /// Index in the list of active customers; `None` once deactivated.
    active_slot: Option<u32>,
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
        let name = PersonName::random(&mut self.rng);
        let email_variant = self.rng.below(4) as u8;
        let address = AddressCode::random(&mut self.rng);
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
                ..AddressCode::random(&mut self.rng)
            }
        } else {
            AddressCode::random(&mut self.rng)
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
        let count = random_items(&mut self.rng, &mut items);
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
        let order = self.open_orders[slot];
        let customer = self.customers[(order.customer as usize).saturating_sub(1)];
        let step = order.next_step(customer.active_slot.is_some(), &mut self.rng);
        let number = self.envelope.next_number();
        match order.after(step, number) {
            Some(advanced) => self.open_orders[slot] = advanced,
            None => {
                self.open_orders.swap_remove(slot);
            }
        }
        let header = |event_type| Header {
            stream: retail::order_stream(order.number),
            event_type,
            version: order.version + 1,
            flow: order.flow,
            cause: Cause::Event(order.last_event),
        };
        let (rng, envelope, pace) = (&mut self.rng, &mut self.envelope, Pace::Independent);
        match step {
            Step::RequestPayment => {
                let payload = retail::PaymentRequested {
                    amount: order.total,
                };
                envelope.seal(rng, pace, header(retail::PAYMENT_REQUESTED), &payload)
            }
            Step::ReceivePayment => {
                let payload = retail::PaymentReceived {
                    amount: order.total,
                };
                envelope.seal(rng, pace, header(retail::PAYMENT_RECEIVED), &payload)
            }
            Step::Ship => {
                let payload = WithAddress(customer.address);
                envelope.seal(rng, pace, header(retail::ORDER_SHIPPED), &payload)
            }
            Step::Cancel(reason) => {
                let payload = retail::OrderCancelled {
                    reason: reason.to_string(),
                };
                envelope.seal(rng, pace, header(retail::ORDER_CANCELLED), &payload)
            }
        }
    }
}

impl Iterator for RetailEvents {
    type Item = NewEvent;

    fn next(&mut self) -> Option<NewEvent> {
        Some(self.next_event())
    }
}
