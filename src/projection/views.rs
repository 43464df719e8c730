//! Borrowed views of the sample domains' payloads: only the fields the
//! built-in projections read, with strings borrowed from the event's JSON
//! text (owned only when they hold escapes). Shapes follow
//! `domain::retail` and `domain::bank`.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::json_writer::JsonWriter;

#[derive(Deserialize)]
pub struct AddressView<'a> {
    #[serde(borrow)]
    pub street: Cow<'a, str>,
    #[serde(borrow)]
    pub city: Cow<'a, str>,
    #[serde(borrow)]
    pub postcode: Cow<'a, str>,
    #[serde(borrow)]
    pub country: Cow<'a, str>,
}

impl AddressView<'_> {
    pub fn fields(&self) -> [&str; 4] {
        [&self.street, &self.city, &self.postcode, &self.country]
    }
}

/// An address as JSON, from its four fields in [`AddressView`] order.
pub fn address_json([street, city, postcode, country]: [&str; 4]) -> Value {
    json!({"street": street, "city": city, "postcode": postcode, "country": country})
}

/// [`address_json`], written out.
pub fn write_address(out: &mut JsonWriter<'_>, [street, city, postcode, country]: [&str; 4]) {
    out.begin_object();
    for (key, value) in [
        ("street", street),
        ("city", city),
        ("postcode", postcode),
        ("country", country),
    ] {
        out.key(key);
        out.str(value);
    }
    out.end_object();
}

/// CustomerRegistered.
#[derive(Deserialize)]
pub struct RegisteredView<'a> {
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    #[serde(borrow)]
    pub email: Cow<'a, str>,
    #[serde(borrow)]
    pub address: AddressView<'a>,
}

/// CustomerAddressChanged, and OrderShipped.
#[derive(Deserialize)]
pub struct AddressChangedView<'a> {
    #[serde(borrow)]
    pub address: AddressView<'a>,
}

/// CustomerEmailChanged.
#[derive(Deserialize)]
pub struct EmailChangedView<'a> {
    #[serde(borrow)]
    pub email: Cow<'a, str>,
}

/// OrderPlaced, without its items.
#[derive(Deserialize)]
pub struct OrderPlacedView<'a> {
    #[serde(borrow)]
    pub customer: Cow<'a, str>,
    pub total: i64,
}

/// PaymentReceived, MoneyDeposited, MoneyWithdrawn.
#[derive(Deserialize)]
pub struct AmountView {
    pub amount: i64,
}

/// AccountOpened.
#[derive(Deserialize)]
pub struct AccountOpenedView<'a> {
    #[serde(borrow)]
    pub owner: Cow<'a, str>,
}
