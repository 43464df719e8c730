//! Reading the log through a mapping: which events are changes of the
//! source's entities, which are the consumer's work and which link a
//! stream to its entity, and the few payload fields that takes, read
//! through borrowed views (no JSON trees).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::entity::{Change, Field, ends_entity, event_with_data_len, thin_event_len};
use super::mapping::{Mapping, Needs};
use crate::domain_file::Link;
use crate::event::{Event, Json};

/// A change of a source entity, read.
#[derive(Debug)]
pub(crate) struct ChangeRead {
    pub change: Change,
    /// Bytes of the thin event and of the event carrying its data.
    pub thin_len: usize,
    pub full_len: usize,
}

/// How a work event names its entity.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum WorkTarget<'a> {
    /// This stream, named by the event.
    Entity(Cow<'a, str>),
    /// The entity an earlier event of its own stream named.
    Linked,
    /// The event's own stream (a mapping without a link).
    Own,
}

/// What one event means to the simulation.
#[derive(Debug, Default)]
pub(crate) struct Reading<'a> {
    pub change: Option<ChangeRead>,
    /// The entity an event of the link type names for its stream.
    pub links_to: Option<Cow<'a, str>>,
    pub work: Option<WorkTarget<'a>>,
}

/// Turns field names into shared names, so entities share them.
#[derive(Debug, Default)]
pub(crate) struct FieldNames(rustc_hash::FxHashMap<Box<str>, (Arc<str>, u32)>);

impl FieldNames {
    fn get(&mut self, key: &str) -> (Arc<str>, u32) {
        if let Some((name, len)) = self.0.get(key) {
            return (name.clone(), *len);
        }
        let len = u32::try_from(super::entity::key_json_len(key)).unwrap_or(u32::MAX);
        let name: Arc<str> = Arc::from(key);
        self.0.insert(Box::from(key), (name.clone(), len));
        (name, len)
    }
}

/// What `event` means under `mapping`; an error when a payload lacks what
/// the mapping reads in it.
pub(crate) fn read<'a>(
    mapping: &Mapping,
    names: &mut FieldNames,
    event: &'a Event,
) -> Result<Reading<'a>, serde_json::Error> {
    let stream = &*event.stream;
    let event_type = &*event.event_type;
    let mut reading = Reading::default();
    let source = mapping.is_source(stream);
    if source {
        let ends = ends_entity(event_type);
        let thin_len = thin_event_len(event_type, stream, event.version);
        reading.change = Some(ChangeRead {
            change: Change {
                version: event.version,
                fields: if ends {
                    Vec::new()
                } else {
                    read_fields(mapping, names, &event.data)?
                },
                ends,
            },
            thin_len,
            full_len: event_with_data_len(thin_len, event.data.len()),
        });
    }
    match mapping.link() {
        Some(Link::Earlier {
            event_type: t,
            field,
        }) if **t == *event_type => {
            reading.links_to = Some(text_field(&event.data, field)?);
        }
        _ => {}
    }
    if mapping.is_work(event_type) {
        reading.work = match mapping.link() {
            Some(Link::Field(field)) => Some(WorkTarget::Entity(text_field(&event.data, field)?)),
            Some(Link::Earlier { .. }) => Some(WorkTarget::Linked),
            None if source => Some(WorkTarget::Own),
            // Work outside the source with nothing naming an entity.
            None => return Err(de::Error::custom("work event names no entity")),
        };
    }
    Ok(reading)
}

/// The top-level fields of an entity's data: lengths, and the values the
/// work needs.
fn read_fields(
    mapping: &Mapping,
    names: &mut FieldNames,
    data: &Json,
) -> Result<Vec<Field>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(data.as_str());
    let fields = FieldsSeed {
        names,
        needs: &mapping.needs,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(fields)
}

/// Reads an object's entries straight into [`Field`]s, values unparsed.
struct FieldsSeed<'n> {
    names: &'n mut FieldNames,
    needs: &'n Needs,
}

impl<'de> DeserializeSeed<'de> for FieldsSeed<'_> {
    type Value = Vec<Field>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<Field>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FieldsSeed<'_> {
    type Value = Vec<Field>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Field>, A::Error> {
        let mut fields: Vec<Field> = Vec::with_capacity(4);
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let value: &'de RawValue = map.next_value()?;
            let (key_name, key_len) = self.names.get(&key);
            let needed = self.needs.includes(&key);
            let field = Field {
                key: key_name,
                key_len,
                len: u32::try_from(value.get().len()).unwrap_or(u32::MAX),
                value: needed.then(|| Arc::from(value.get())),
                needed,
            };
            // A name given twice: the last value counts, as in a merge.
            match fields.iter_mut().find(|f| Arc::ptr_eq(&f.key, &field.key)) {
                Some(earlier) => *earlier = field,
                None => fields.push(field),
            }
        }
        Ok(fields)
    }
}

/// The text of the top-level field `field` of `data`; an error when it is
/// missing or not text.
fn text_field<'a>(data: &'a Json, field: &str) -> Result<Cow<'a, str>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(data.as_str());
    let found = OneField(field).deserialize(&mut deserializer)?;
    found.ok_or_else(|| de::Error::custom(format!("no text field `{field}`")))
}

/// Looks for one text field of an object, skipping the rest unparsed.
struct OneField<'f>(&'f str);

impl<'de> DeserializeSeed<'de> for OneField<'_> {
    type Value = Option<Cow<'de, str>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OneField<'_> {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if found.is_none() && key == self.0 {
                // Not text: the field does not name a stream.
                found = map.next_value::<Cow<'de, str>>().ok();
                if found.is_none() {
                    return Ok(None);
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Timestamp;

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
    fn a_change_carries_its_fields_and_keeps_the_needed_values() {
        let e = event(
            "customer-1",
            "CustomerRegistered",
            r#"{"name":"Ada","email":"a@b.c","address":{"city":"X"}}"#,
        );
        let mut names = FieldNames::default();
        let reading = read(&Mapping::retail(), &mut names, &e).unwrap();
        let ChangeRead {
            change, full_len, ..
        } = reading.change.unwrap();
        assert_eq!(change.version, 3);
        let name = change.fields.iter().find(|f| &*f.key == "name").unwrap();
        assert_eq!((name.len, &name.value), (5, &None));
        let address = change.fields.iter().find(|f| &*f.key == "address").unwrap();
        assert_eq!(address.value.as_deref(), Some(r#"{"city":"X"}"#));
        assert!(full_len > e.data.len());
        assert!(reading.work.is_none());
    }

    #[test]
    fn orders_name_their_customer_and_shipments_are_work() {
        let mut names = FieldNames::default();
        let placed = event(
            "order-9",
            "OrderPlaced",
            r#"{"items":[{"customer":"no"}],"customer":"customer-4","total":5}"#,
        );
        let reading = read(&Mapping::retail(), &mut names, &placed).unwrap();
        assert_eq!(reading.links_to.as_deref(), Some("customer-4"));
        assert!(reading.change.is_none() && reading.work.is_none());
        let shipped = event("order-9", "OrderShipped", r#"{"address":{}}"#);
        let reading = read(&Mapping::retail(), &mut names, &shipped).unwrap();
        assert_eq!(reading.work, Some(WorkTarget::Linked));
    }

    #[test]
    fn other_events_mean_nothing_and_bad_payloads_are_errors() {
        let mut names = FieldNames::default();
        let payment = event("order-9", "PaymentReceived", r#"{"amount":5}"#);
        let reading = read(&Mapping::retail(), &mut names, &payment).unwrap();
        assert!(reading.change.is_none() && reading.work.is_none() && reading.links_to.is_none());
        let not_an_object = event("customer-1", "CustomerAddressChanged", r#"[1]"#);
        assert!(read(&Mapping::retail(), &mut names, &not_an_object).is_err());
        let no_customer = event("order-1", "OrderPlaced", r#"{"customer":7}"#);
        assert!(read(&Mapping::retail(), &mut names, &no_customer).is_err());
    }
}
