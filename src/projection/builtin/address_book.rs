//! `address-book` (retail): what shipping needs, each customer's current
//! address. Deactivated customers keep theirs: orders already placed may
//! still ship.

use super::owned;
use serde_json::Value;

use crate::domain::retail;
use crate::event::Event;
use crate::event_view::EventView;
use crate::json_writer::JsonWriter;
use crate::projection::codec::{Reader, Writer};
use crate::projection::packed::Packed;
use crate::projection::path::Path;
use crate::projection::streams_table::StreamMap;
use crate::projection::traits::{Projection, ProjectionError, read_payload};
use crate::projection::views::{AddressChangedView, address_json, write_address};

use super::by_stream;

/// Customer stream -> street, city, postcode, country.
#[derive(Clone, Debug, Default)]
pub struct AddressBook {
    addresses: StreamMap<Packed<4>>,
}

impl AddressBook {
    pub const NAME: &'static str = "address-book";

    /// The current address of `customer`: street, city, postcode, country.
    pub fn address(&self, customer: &str) -> Option<[&str; 4]> {
        self.addresses.get(customer).map(Packed::fields)
    }
}

/// The events that move an address.
const ADDRESS_TYPES: [&str; 2] = [
    retail::CUSTOMER_REGISTERED,
    retail::CUSTOMER_ADDRESS_CHANGED,
];

impl AddressBook {
    /// One address as shown.
    fn entry_json(&self, address: &Packed<4>) -> Value {
        address_json(address.fields())
    }
}

impl Projection for AddressBook {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn event_types(&self) -> Option<Vec<String>> {
        Some(owned(&ADDRESS_TYPES))
    }

    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        self.apply_view(&event.view())
    }

    fn apply_view(&mut self, event: &EventView<'_>) -> Result<(), ProjectionError> {
        let expected = match &**event.event_type {
            retail::CUSTOMER_REGISTERED => retail::CUSTOMER_REGISTERED,
            retail::CUSTOMER_ADDRESS_CHANGED => retail::CUSTOMER_ADDRESS_CHANGED,
            _ => return Ok(()),
        };
        let view: AddressChangedView = read_payload(event, expected)?;
        self.addresses
            .insert(event.stream, Packed::new(view.address.fields()));
        Ok(())
    }

    fn state(&self) -> Value {
        Value::Object(
            self.addresses
                .iter()
                .map(|(name, address)| (name, address_json(address.fields())))
                .collect(),
        )
    }

    fn write_state(&self, out: &mut JsonWriter<'_>) {
        by_stream::write_entries(&self.addresses, out, |out, address| {
            write_address(out, address.fields())
        });
    }

    by_stream::answers_by_stream!(addresses);

    fn save(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.addresses.save(&mut w, |w, address| address.save(w));
        w.finish()
    }

    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError> {
        let mut r = Reader::new(bytes);
        let addresses = StreamMap::restore(&mut r, |r, _| Packed::restore(r))?;
        r.finish()?;
        self.addresses = addresses;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::testing::LogBuilder;
    use serde_json::json;

    #[test]
    fn given_moves_then_shipping_sees_the_latest_address() {
        let home = json!({"street": "1 A St", "city": "Leeds", "postcode": "LS1", "country": "GB"});
        let new = json!({"street": "2 B Rd", "city": "York", "postcode": "YO1", "country": "GB"});
        let mut log = LogBuilder::new();
        log.push(
            "customer-1",
            "CustomerRegistered",
            json!({"name": "A", "email": "a@x", "address": home}),
        )
        .push(
            "customer-2",
            "CustomerRegistered",
            json!({"name": "B", "email": "b@x", "address": home}),
        )
        .push(
            "customer-2",
            "CustomerAddressChanged",
            json!({"address": new}),
        )
        .push(
            "customer-2",
            "CustomerEmailChanged",
            json!({"email": "b@y"}),
        );
        let mut book = AddressBook::default();
        for event in log.events() {
            book.apply(event).unwrap();
        }
        assert_eq!(book.state(), json!({"customer-1": home, "customer-2": new}));
        assert_eq!(book.address("customer-2").map(|a| a[1]), Some("York"));
    }
}
