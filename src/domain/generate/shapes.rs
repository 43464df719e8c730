//! Borrowed mirrors of the retail payloads, for writing JSON without first
//! building owned strings: the generator writes millions of addresses and
//! item lists. Each serialises to exactly the text the public shape in
//! [`crate::domain::retail`] would (checked in the tests below).

use std::fmt;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::domain::people::PersonName;
use crate::domain::places::{AddressCode, NumberStyle};
use crate::domain::retail::CUSTOMER_PREFIX;

/// An address, written from its code.
#[derive(Clone, Copy, Debug)]
pub struct AddressJson(pub AddressCode);

/// The street line of an address, e.g. "221 Baker Street".
struct StreetLine(AddressCode);

impl fmt::Display for StreetLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.0;
        let place = code.place();
        let name = place.streets[usize::from(code.street) % place.streets.len()];
        match place.style {
            NumberStyle::Before => write!(f, "{} {name}", code.number),
            NumberStyle::After => write!(f, "{name} {}", code.number),
        }
    }
}

impl Serialize for AddressJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let code = self.0;
        let place = code.place();
        let street_index = usize::from(code.street) % place.streets.len();
        let mut out = serializer.serialize_struct("Address", 4)?;
        out.serialize_field("street", &Displayed(StreetLine(code)))?;
        out.serialize_field("city", place.city)?;
        out.serialize_field(
            "postcode",
            place.postcodes[street_index % place.postcodes.len()],
        )?;
        out.serialize_field("country", place.country)?;
        out.end()
    }
}

/// Serialises anything `Display` as a JSON string, without a `String`.
struct Displayed<T>(T);

impl<T: fmt::Display> Serialize for Displayed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

struct FullName(PersonName);

impl fmt::Display for FullName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0.first(), self.0.last())
    }
}

struct CustomerStream(u32);

impl fmt::Display for CustomerStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{CUSTOMER_PREFIX}{}", self.0)
    }
}

/// `CustomerRegistered`.
pub struct Registered<'a> {
    pub name: PersonName,
    pub email: &'a str,
    pub address: AddressCode,
}

impl Serialize for Registered<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("CustomerRegistered", 3)?;
        out.serialize_field("name", &Displayed(FullName(self.name)))?;
        out.serialize_field("email", self.email)?;
        out.serialize_field("address", &AddressJson(self.address))?;
        out.end()
    }
}

/// `CustomerAddressChanged` and `OrderShipped`: just an address.
pub struct WithAddress(pub AddressCode);

impl Serialize for WithAddress {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("WithAddress", 1)?;
        out.serialize_field("address", &AddressJson(self.0))?;
        out.end()
    }
}

/// One line of an order.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct ItemJson {
    pub sku: &'static str,
    pub qty: u32,
    pub price: i64,
}

/// `OrderPlaced`.
pub struct Placed<'a> {
    pub customer: u32,
    pub items: &'a [ItemJson],
    pub total: i64,
}

impl Serialize for Placed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("OrderPlaced", 3)?;
        out.serialize_field("customer", &Displayed(CustomerStream(self.customer)))?;
        out.serialize_field("items", self.items)?;
        out.serialize_field("total", &self.total)?;
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::places::PLACES;
    use crate::domain::retail;

    fn json<T: Serialize>(value: &T) -> String {
        serde_json::to_string(value).unwrap()
    }

    #[test]
    fn addresses_serialise_like_the_public_shape() {
        for place in 0..PLACES.len() {
            for street in 0..6 {
                let code = AddressCode {
                    place: place as u8,
                    street,
                    number: 17,
                };
                let public = retail::OrderShipped {
                    address: code.address(),
                };
                assert_eq!(json(&WithAddress(code)), json(&public));
            }
        }
    }

    #[test]
    fn registrations_and_orders_serialise_like_the_public_shapes() {
        let name = PersonName {
            first: 19,
            last: 39,
        };
        let code = AddressCode {
            place: 4,
            street: 1,
            number: 3,
        };
        let email = name.email(2, 5);
        let public = retail::CustomerRegistered {
            name: name.full(),
            email: email.clone(),
            address: code.address(),
        };
        let borrowed = Registered {
            name,
            email: &email,
            address: code,
        };
        assert_eq!(json(&borrowed), json(&public));

        let items = [
            ItemJson {
                sku: "BOOK-SICP",
                qty: 2,
                price: 4_750,
            },
            ItemJson {
                sku: "MUG-ENAMEL-300ML",
                qty: 1,
                price: 1_499,
            },
        ];
        let public = retail::OrderPlaced {
            customer: retail::customer_stream(12),
            items: items
                .iter()
                .map(|i| retail::Item {
                    sku: i.sku.into(),
                    qty: i.qty,
                    price: i.price,
                })
                .collect(),
            total: 10_999,
        };
        let borrowed = Placed {
            customer: 12,
            items: &items,
            total: 10_999,
        };
        assert_eq!(json(&borrowed), json(&public));
    }
}
