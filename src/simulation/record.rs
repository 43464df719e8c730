//! A customer as the source holds it, what one change to it carries, and the
//! size of each as JSON on the wire.
//!
//! Only what the simulation needs is kept: the address text (shipping uses
//! it, and views compare it) and the JSON lengths of the other fields (they
//! only cost bytes). Address texts are shared, not copied, between the
//! source, the messages in flight and the replicas.

use std::sync::Arc;

use serde::Serialize;

use crate::domain::retail;

/// The kinds of change the source publishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum ChangeKind {
    /// `CustomerRegistered`: name, email and address.
    Registered,
    /// `CustomerAddressChanged`: the address.
    AddressChanged,
    /// `CustomerEmailChanged`: the email.
    EmailChanged,
    /// `CustomerDeactivated`: nothing shipping keeps but the fact.
    Deactivated,
}

impl ChangeKind {
    /// The kind of a retail event type, if it is a customer change.
    pub fn from_event_type(event_type: &str) -> Option<ChangeKind> {
        match event_type {
            retail::CUSTOMER_REGISTERED => Some(ChangeKind::Registered),
            retail::CUSTOMER_ADDRESS_CHANGED => Some(ChangeKind::AddressChanged),
            retail::CUSTOMER_EMAIL_CHANGED => Some(ChangeKind::EmailChanged),
            retail::CUSTOMER_DEACTIVATED => Some(ChangeKind::Deactivated),
            _ => None,
        }
    }

    /// The event type this kind is published as.
    pub fn event_type(self) -> &'static str {
        match self {
            ChangeKind::Registered => retail::CUSTOMER_REGISTERED,
            ChangeKind::AddressChanged => retail::CUSTOMER_ADDRESS_CHANGED,
            ChangeKind::EmailChanged => retail::CUSTOMER_EMAIL_CHANGED,
            ChangeKind::Deactivated => retail::CUSTOMER_DEACTIVATED,
        }
    }
}

/// One change to a customer: what a state-carrying event holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Change {
    pub kind: ChangeKind,
    pub version: u64,
    /// JSON length of the name, when the change sets it.
    pub name_len: Option<u32>,
    pub email_len: Option<u32>,
    /// The address as compact JSON, when the change sets it.
    pub address: Option<Arc<str>>,
}

/// A customer's state: the source's truth, or a replica's copy of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CustomerRecord {
    /// 0 = nothing known yet.
    pub version: u64,
    pub name_len: Option<u32>,
    pub email_len: Option<u32>,
    pub address: Option<Arc<str>>,
    pub active: Option<bool>,
}

impl CustomerRecord {
    /// Takes the fields `change` sets and its version.
    pub(crate) fn apply(&mut self, change: &Change) {
        self.version = change.version;
        if change.name_len.is_some() {
            self.name_len = change.name_len;
        }
        if change.email_len.is_some() {
            self.email_len = change.email_len;
        }
        if change.address.is_some() {
            self.address.clone_from(&change.address);
        }
        match change.kind {
            ChangeKind::Registered => self.active = Some(true),
            ChangeKind::Deactivated => self.active = Some(false),
            ChangeKind::AddressChanged | ChangeKind::EmailChanged => {}
        }
    }

    pub(crate) fn is_known(&self) -> bool {
        self.version > 0
    }

    /// Length of `{"id":..,"version":..,"name":..,"email":..,"address":..,"active":..}`,
    /// the fields that are known only: the answer of the query API and the
    /// size of a full replica entry.
    pub(crate) fn json_len(&self, stream_len: usize) -> usize {
        let field = |key_len: usize, value_len: Option<usize>| {
            value_len.map_or(0, |len| key_len + 4 + len) // `,"key":` + value
        };
        id_and_version_len(stream_len, self.version)
            + field(4, self.name_len.map(|n| n as usize))
            + field(5, self.email_len.map(|n| n as usize))
            + field(7, self.address.as_ref().map(|a| a.len()))
            + field(6, self.active.map(|a| if a { 4 } else { 5 }))
    }

    /// What a copy of this record holds in memory, measured by `size`:
    /// nothing until it knows the customer.
    pub(crate) fn held_len(&self, stream_len: usize, size: fn(&Self, usize) -> usize) -> usize {
        if self.is_known() {
            size(self, stream_len)
        } else {
            0
        }
    }

    /// Whether this copy has the version and address of `truth`.
    pub(crate) fn matches(&self, truth: &CustomerRecord) -> bool {
        self.version == truth.version && self.address == truth.address
    }

    /// Length of `{"id":..,"version":..,"address":..}`: what a consumer that
    /// keeps only the address stores.
    pub(crate) fn address_entry_len(&self, stream_len: usize) -> usize {
        let address = self.address.as_ref().map_or(0, |a| 11 + a.len()); // `,"address":`
        id_and_version_len(stream_len, self.version) + address
    }
}

/// `{"id":"<stream>","version":<v>}`
fn id_and_version_len(stream_len: usize, version: u64) -> usize {
    r#"{"id":"","version":}"#.len() + stream_len + decimal_len(version)
}

/// `{"type":"<type>","stream":"<stream>","version":<v>}`: a thin event.
pub(crate) fn thin_event_len(event_type: &str, stream: &str, version: u64) -> usize {
    r#"{"type":"","stream":"","version":}"#.len()
        + event_type.len()
        + stream.len()
        + decimal_len(version)
}

/// A thin event plus `,"data":<data>`: an event that carries the change.
pub(crate) fn event_with_data_len(thin_len: usize, data_len: usize) -> usize {
    thin_len + r#","data":"#.len() + data_len
}

pub(crate) fn decimal_len(mut n: u64) -> usize {
    let mut digits = 1;
    while n >= 10 {
        n /= 10;
        digits += 1;
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Map, Value, json};

    fn text(len: usize) -> String {
        "x".repeat(len)
    }

    proptest! {
        #[test]
        fn record_sizes_match_serialised_json(
            stream_len in 1usize..20,
            version in 1u64..u64::MAX,
            name in proptest::option::of(0usize..30),
            email in proptest::option::of(0usize..30),
            street in proptest::option::of(0usize..30),
            active in proptest::option::of(any::<bool>()),
        ) {
            let stream = text(stream_len);
            let address = street.map(|n| json!({"street": text(n), "city": "c"}).to_string());
            let mut object = Map::new();
            object.insert("id".into(), json!(stream));
            object.insert("version".into(), json!(version));
            if let Some(n) = name { object.insert("name".into(), json!(text(n))); }
            if let Some(n) = email { object.insert("email".into(), json!(text(n))); }
            if let Some(a) = &address {
                object.insert("address".into(), serde_json::from_str(a).unwrap());
            }
            if let Some(a) = active { object.insert("active".into(), json!(a)); }
            let record = CustomerRecord {
                version,
                name_len: name.map(|n| n as u32 + 2),
                email_len: email.map(|n| n as u32 + 2),
                address: address.clone().map(Arc::from),
                active,
            };
            prop_assert_eq!(record.json_len(stream_len), Value::Object(object).to_string().len());

            let mut entry = Map::new();
            entry.insert("id".into(), json!(stream));
            entry.insert("version".into(), json!(version));
            if let Some(a) = &address {
                entry.insert("address".into(), serde_json::from_str(a).unwrap());
            }
            prop_assert_eq!(record.address_entry_len(stream_len), Value::Object(entry).to_string().len());
        }

        #[test]
        fn event_sizes_match_serialised_json(version in 0u64..u64::MAX, data_len in 0usize..50) {
            let thin = json!({"type": "CustomerEmailChanged", "stream": "customer-12", "version": version});
            let thin_len = thin_event_len("CustomerEmailChanged", "customer-12", version);
            prop_assert_eq!(thin_len, thin.to_string().len());
            let data = json!({"email": text(data_len)}).to_string();
            let full = json!({"type": "CustomerEmailChanged", "stream": "customer-12",
                "version": version, "data": serde_json::from_str::<Value>(&data).unwrap()});
            prop_assert_eq!(event_with_data_len(thin_len, data.len()), full.to_string().len());
        }
    }

    #[test]
    fn applying_a_change_sets_only_what_it_carries() {
        let mut record = CustomerRecord::default();
        let registered = Change {
            kind: ChangeKind::Registered,
            version: 1,
            name_len: Some(5),
            email_len: Some(9),
            address: Some(Arc::from(r#"{"city":"A"}"#)),
        };
        record.apply(&registered);
        let moved = Change {
            kind: ChangeKind::AddressChanged,
            version: 2,
            name_len: None,
            email_len: None,
            address: Some(Arc::from(r#"{"city":"B"}"#)),
        };
        record.apply(&moved);
        assert_eq!(record.version, 2);
        assert_eq!(record.name_len, Some(5));
        assert_eq!(record.address.as_deref(), Some(r#"{"city":"B"}"#));
        assert_eq!(record.active, Some(true));
        for kind in [ChangeKind::Registered, ChangeKind::Deactivated] {
            assert_eq!(ChangeKind::from_event_type(kind.event_type()), Some(kind));
        }
    }
}
