//! Reading the log: which events matter to the simulation and the few payload
//! fields it needs, through borrowed views (no JSON trees).

use std::borrow::Cow;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::record::{Change, ChangeKind, event_with_data_len, thin_event_len};
use crate::domain::retail;
use crate::event::Event;

/// An event the simulation acts on.
#[derive(Debug)]
pub(crate) enum Relevant<'a> {
    /// The source changed a customer; it publishes this on the bus.
    CustomerChange {
        stream: &'a str,
        change: Change,
        /// Bytes of the thin event and of the event carrying its data.
        thin_len: usize,
        full_len: usize,
    },
    /// Links an order to its customer.
    OrderPlaced {
        order: &'a str,
        customer: Cow<'a, str>,
    },
    /// Shipping acts: it needs the customer's address now.
    OrderShipped { order: &'a str },
    /// The order will never ship.
    OrderCancelled { order: &'a str },
}

#[derive(Deserialize)]
struct RegisteredView<'a> {
    #[serde(borrow)]
    name: &'a RawValue,
    #[serde(borrow)]
    email: &'a RawValue,
    #[serde(borrow)]
    address: &'a RawValue,
}

#[derive(Deserialize)]
struct AddressView<'a> {
    #[serde(borrow)]
    address: &'a RawValue,
}

#[derive(Deserialize)]
struct EmailView<'a> {
    #[serde(borrow)]
    email: &'a RawValue,
}

#[derive(Deserialize)]
struct OrderPlacedView<'a> {
    #[serde(borrow)]
    customer: Cow<'a, str>,
}

/// What `event` means to the simulation: `Ok(None)` for events it does not
/// use, an error when a payload lacks a field the simulation needs.
pub(crate) fn read(event: &Event) -> Result<Option<Relevant<'_>>, serde_json::Error> {
    let stream = &*event.stream;
    let event_type = &*event.event_type;
    if let Some(kind) = ChangeKind::from_event_type(event_type) {
        let change = read_change(kind, event)?;
        let thin_len = thin_event_len(event_type, stream, event.version);
        return Ok(Some(Relevant::CustomerChange {
            stream,
            change,
            thin_len,
            full_len: event_with_data_len(thin_len, event.data.len()),
        }));
    }
    let relevant = match event_type {
        retail::ORDER_PLACED => {
            let view: OrderPlacedView = event.data.parse_borrowed()?;
            Relevant::OrderPlaced {
                order: stream,
                customer: view.customer,
            }
        }
        retail::ORDER_SHIPPED => Relevant::OrderShipped { order: stream },
        retail::ORDER_CANCELLED => Relevant::OrderCancelled { order: stream },
        _ => return Ok(None),
    };
    Ok(Some(relevant))
}

fn read_change(kind: ChangeKind, event: &Event) -> Result<Change, serde_json::Error> {
    let mut change = Change {
        kind,
        version: event.version,
        name_len: None,
        email_len: None,
        address: None,
    };
    let raw_len = |raw: &RawValue| u32::try_from(raw.get().len()).unwrap_or(u32::MAX);
    match kind {
        ChangeKind::Registered => {
            let view: RegisteredView = event.data.parse_borrowed()?;
            change.name_len = Some(raw_len(view.name));
            change.email_len = Some(raw_len(view.email));
            change.address = Some(Arc::from(view.address.get()));
        }
        ChangeKind::AddressChanged => {
            let view: AddressView = event.data.parse_borrowed()?;
            change.address = Some(Arc::from(view.address.get()));
        }
        ChangeKind::EmailChanged => {
            let view: EmailView = event.data.parse_borrowed()?;
            change.email_len = Some(raw_len(view.email));
        }
        ChangeKind::Deactivated => {}
    }
    Ok(change)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Json, Timestamp};

    fn event(stream: &str, event_type: &str, data: &str) -> Event {
        Event {
            seq: 1,
            stream: stream.into(),
            version: 3,
            event_type: event_type.into(),
            id: "e".into(),
            time: Some(Timestamp::EPOCH),
            data: Json::parse_text(data).unwrap(),
            metadata: None,
        }
    }

    #[test]
    fn a_registration_carries_its_fields() {
        let e = event(
            "customer-1",
            retail::CUSTOMER_REGISTERED,
            r#"{"name":"Ada","email":"a@b.c","address":{"city":"X"}}"#,
        );
        let Ok(Some(Relevant::CustomerChange {
            change, full_len, ..
        })) = read(&e)
        else {
            panic!("not read as a change");
        };
        assert_eq!(change.version, 3);
        assert_eq!(change.name_len, Some(5));
        assert_eq!(change.address.as_deref(), Some(r#"{"city":"X"}"#));
        assert!(full_len > e.data.len());
    }

    #[test]
    fn orders_name_their_customer() {
        let e = event(
            "order-9",
            retail::ORDER_PLACED,
            r#"{"customer":"customer-4","items":[{"sku":"a","qty":1,"price":5}],"total":5}"#,
        );
        let Ok(Some(Relevant::OrderPlaced { order, customer })) = read(&e) else {
            panic!("not read as an order");
        };
        assert_eq!((order, &*customer), ("order-9", "customer-4"));
    }

    #[test]
    fn other_events_are_not_relevant_and_bad_payloads_are_errors() {
        let payment = event("order-9", retail::PAYMENT_RECEIVED, r#"{"amount":5}"#);
        assert!(matches!(read(&payment), Ok(None)));
        let broken = event(
            "customer-1",
            retail::CUSTOMER_ADDRESS_CHANGED,
            r#"{"street":"x"}"#,
        );
        assert!(read(&broken).is_err());
    }
}
