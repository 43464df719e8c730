//! `customers` (retail): the customer directory. Name, email, address and
//! whether the customer is active, per `customer-<n>` stream.
//!
//! An event for a customer never registered creates an entry with empty
//! texts, so a partial log still shows what it knows.

use super::owned;
use serde_json::{Value, json};

use crate::domain::retail;
use crate::event::Event;
use crate::event_view::EventView;
use crate::json_writer::JsonWriter;
use crate::projection::codec::{Reader, Writer};
use crate::projection::packed::Packed;
use crate::projection::path::Path;
use crate::projection::streams_table::StreamMap;
use crate::projection::traits::{Projection, ProjectionError, read_payload};
use crate::projection::views::{
    AddressChangedView, EmailChangedView, RegisteredView, address_json, write_address,
};

use super::by_stream;

const NAME: usize = 0;
const EMAIL: usize = 1;
const ADDRESS: usize = 2;

#[derive(Clone, Debug, Default)]
struct Customer {
    /// Name, email, street, city, postcode, country.
    texts: Packed<6>,
    active: bool,
}

impl Customer {
    /// [`Customer::json`], written out.
    fn write(&self, out: &mut JsonWriter<'_>) {
        let [name, email, street, city, postcode, country] = self.texts.fields();
        out.begin_object();
        out.key("name");
        out.str(name);
        out.key("email");
        out.str(email);
        out.key("address");
        write_address(out, [street, city, postcode, country]);
        out.key("active");
        out.bool(self.active);
        out.end_object();
    }

    fn json(&self) -> Value {
        let [name, email, street, city, postcode, country] = self.texts.fields();
        json!({
            "name": name,
            "email": email,
            "address": address_json([street, city, postcode, country]),
            "active": self.active,
        })
    }
}

/// The customer directory.
#[derive(Clone, Debug, Default)]
pub struct Customers {
    customers: StreamMap<Customer>,
}

impl Customers {
    pub const NAME: &'static str = "customers";
}

/// The events a customer directory reads.
const CUSTOMER_TYPES: [&str; 4] = [
    retail::CUSTOMER_REGISTERED,
    retail::CUSTOMER_ADDRESS_CHANGED,
    retail::CUSTOMER_EMAIL_CHANGED,
    retail::CUSTOMER_DEACTIVATED,
];

impl Customers {
    /// One customer as shown.
    fn entry_json(&self, customer: &Customer) -> Value {
        customer.json()
    }
}

impl Projection for Customers {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn event_types(&self) -> Option<Vec<String>> {
        Some(owned(&CUSTOMER_TYPES))
    }

    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        self.apply_view(&event.view())
    }

    fn apply_view(&mut self, event: &EventView<'_>) -> Result<(), ProjectionError> {
        let event_type = &**event.event_type;
        if event_type == retail::CUSTOMER_REGISTERED {
            let view: RegisteredView = read_payload(event, retail::CUSTOMER_REGISTERED)?;
            let [street, city, postcode, country] = view.address.fields();
            let texts = Packed::new([&view.name, &view.email, street, city, postcode, country]);
            self.customers.insert(
                event.stream,
                Customer {
                    texts,
                    active: true,
                },
            );
        } else if event_type == retail::CUSTOMER_ADDRESS_CHANGED {
            let view: AddressChangedView = read_payload(event, retail::CUSTOMER_ADDRESS_CHANGED)?;
            let customer = self.customers.entry(event.stream, Customer::default);
            customer.texts = customer.texts.with(ADDRESS, &view.address.fields());
        } else if event_type == retail::CUSTOMER_EMAIL_CHANGED {
            let view: EmailChangedView = read_payload(event, retail::CUSTOMER_EMAIL_CHANGED)?;
            let customer = self.customers.entry(event.stream, Customer::default);
            customer.texts = customer.texts.with(EMAIL, &[&view.email]);
        } else if event_type == retail::CUSTOMER_DEACTIVATED {
            self.customers.entry(event.stream, Customer::default).active = false;
        }
        Ok(())
    }

    fn state(&self) -> Value {
        Value::Object(
            self.customers
                .iter()
                .map(|(name, customer)| (name, customer.json()))
                .collect(),
        )
    }

    fn write_state(&self, out: &mut JsonWriter<'_>) {
        by_stream::write_entries(&self.customers, out, |out, customer| customer.write(out));
    }

    by_stream::answers_by_stream!(customers);

    fn save(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.customers.save(&mut w, |w, customer| {
            customer.texts.save(w);
            w.bool(customer.active);
        });
        w.finish()
    }

    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError> {
        let mut r = Reader::new(bytes);
        let customers = StreamMap::restore(&mut r, |r, _| {
            Ok(Customer {
                texts: Packed::restore(r)?,
                active: r.bool()?,
            })
        })?;
        r.finish()?;
        self.customers = customers;
        Ok(())
    }
}

// Keeps the field order of `Customer::texts` next to its readers.
const _: () = assert!(NAME == 0 && EMAIL == NAME + 1 && ADDRESS == EMAIL + 1);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::testing::LogBuilder;

    fn address(city: &str) -> Value {
        json!({"street": "1 Main St", "city": city, "postcode": "1000", "country": "BE"})
    }

    #[test]
    fn given_a_registration_and_changes_then_the_directory_shows_the_latest() {
        let mut log = LogBuilder::new();
        log.push(
            "customer-1",
            "CustomerRegistered",
            json!({"name": "Ada", "email": "ada@example.org", "address": address("Brussels")}),
        )
        .push(
            "customer-1",
            "CustomerAddressChanged",
            json!({"address": address("Ghent")}),
        )
        .push(
            "customer-1",
            "CustomerEmailChanged",
            json!({"email": "ada@example.com"}),
        )
        .push(
            "order-1",
            "OrderPlaced",
            json!({"customer": "customer-1", "items": [], "total": 0}),
        )
        .push(
            "customer-1",
            "CustomerDeactivated",
            json!({"reason": "asked"}),
        );
        let mut customers = Customers::default();
        for event in log.events() {
            customers.apply(event).unwrap();
        }
        assert_eq!(
            customers.state(),
            json!({"customer-1": {
                "name": "Ada",
                "email": "ada@example.com",
                "address": address("Ghent"),
                "active": false,
            }})
        );
    }

    #[test]
    fn a_payload_without_its_fields_is_named() {
        let mut log = LogBuilder::new();
        log.push("customer-1", "CustomerRegistered", json!({"name": "Ada"}));
        let err = Customers::default().apply(&log.events()[0]).unwrap_err();
        assert!(err.to_string().contains("CustomerRegistered"), "{err}");
        assert!(err.to_string().contains("email"), "{err}");
    }
}
