//! An entity as the source holds it, what one change to it carries, and
//! the size of each as JSON on the wire.
//!
//! An entity's state is the merge of its events' data: each top-level
//! field takes the value of the latest event that set it. It is active
//! from its first version until an event whose type says it ended (see
//! [`ends_entity`]); that event's data says why it ended and is not part
//! of the state. Only what the simulation needs is kept: the values of the
//! fields the work needs (they are compared), and the JSON lengths of the
//! others (they only cost bytes). Values are shared, not copied, between
//! the source, the messages in flight and the replicas.

use std::sync::Arc;

use super::mapping::Needs;

/// Type-name endings of events that end an entity's life.
const ENDINGS: [&str; 8] = [
    "Deactivated",
    "Closed",
    "Deleted",
    "Removed",
    "Withdrawn",
    "Left",
    "Ended",
    "Archived",
];

/// Whether an event of `event_type` ends its entity (`CustomerDeactivated`,
/// `AccountClosed`).
pub(crate) fn ends_entity(event_type: &str) -> bool {
    ENDINGS.iter().any(|ending| event_type.ends_with(ending))
}

/// One top-level field of an entity's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Field {
    /// The field's name, shared by every entity that has it.
    pub key: Arc<str>,
    /// JSON length of the name, quotes included.
    pub key_len: u32,
    /// JSON length of the value.
    pub len: u32,
    /// The value as compact JSON, kept when the work needs it.
    pub value: Option<Arc<str>>,
    /// The work needs this field (its value is kept).
    pub needed: bool,
}

impl Field {
    /// Length of `,"key":value`.
    fn entry_len(&self) -> usize {
        2 + self.key_len as usize + self.len as usize
    }
}

/// One change to an entity: what a state-carrying event holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Change {
    pub version: u64,
    /// The fields it sets (none for a change that ends the entity).
    pub fields: Vec<Field>,
    /// It ends the entity.
    pub ends: bool,
}

/// An entity's state: the source's truth, or a consumer's copy of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct EntityRecord {
    /// 0 = nothing known yet.
    pub version: u64,
    pub fields: Vec<Field>,
    pub active: Option<bool>,
}

impl EntityRecord {
    /// Takes the fields `change` sets and its version.
    pub(crate) fn apply(&mut self, change: &Change) {
        self.version = change.version;
        for field in &change.fields {
            self.set(field);
        }
        if change.ends {
            self.active = Some(false);
        } else if change.version == 1 {
            self.active = Some(true);
        }
    }

    fn set(&mut self, field: &Field) {
        // Names are shared by one simulation's entities: the same name is
        // the same pointer.
        match self
            .fields
            .iter_mut()
            .find(|f| Arc::ptr_eq(&f.key, &field.key))
        {
            Some(existing) => existing.clone_from(field),
            None => self.fields.push(field.clone()),
        }
    }

    pub(crate) fn is_known(&self) -> bool {
        self.version > 0
    }

    /// Length of `{"id":..,"version":..,<fields>,"active":..}`, the fields
    /// that are known only: the answer of the query API and the size of a
    /// full replica entry.
    pub(crate) fn json_len(&self, stream_len: usize) -> usize {
        let active = self.active.map_or(0, |a| if a { 14 } else { 15 }); // `,"active":true`
        self.entry_len(stream_len) + active
    }

    /// Length of `{"id":..,"version":..,<fields>}`: what a consumer that
    /// keeps only some fields stores.
    pub(crate) fn entry_len(&self, stream_len: usize) -> usize {
        id_and_version_len(stream_len, self.version)
            + self.fields.iter().map(Field::entry_len).sum::<usize>()
    }

    /// What a copy of this record holds in memory, measured by `size`:
    /// nothing until it knows the entity.
    pub(crate) fn held_len(&self, stream_len: usize, size: fn(&Self, usize) -> usize) -> usize {
        if self.is_known() {
            size(self, stream_len)
        } else {
            0
        }
    }

    /// Whether it holds what the work needs: the needed fields, or for the
    /// whole entity, any version of it.
    pub(crate) fn has_needed(&self, needs: &Needs) -> bool {
        match needs {
            Needs::All => self.is_known(),
            // A record holds each name once.
            Needs::Fields(keys) => self.fields.iter().filter(|f| f.needed).count() == keys.len(),
        }
    }

    /// Whether this copy has the version of `truth` and the same values
    /// where the work looks.
    pub(crate) fn agrees_with(&self, truth: &EntityRecord, needs: &Needs) -> bool {
        self.version == truth.version
            && match needs {
                Needs::All => self.fields == truth.fields && self.active == truth.active,
                Needs::Fields(_) => self.needed_values() == truth.needed_values(),
            }
    }

    /// The needed fields' names and values, by name.
    fn needed_values(&self) -> Vec<(&str, Option<&Arc<str>>)> {
        let mut values: Vec<(&str, Option<&Arc<str>>)> = self
            .fields
            .iter()
            .filter(|f| f.needed)
            .map(|f| (&*f.key, f.value.as_ref()))
            .collect();
        values.sort();
        values
    }

    /// What a consumer that keeps only what the work needs keeps of it.
    pub(crate) fn needed_part(&self, needs: &Needs) -> EntityRecord {
        match needs {
            Needs::All => self.clone(),
            Needs::Fields(keys) => {
                let mut fields = Vec::with_capacity(keys.len());
                fields.extend(self.fields.iter().filter(|f| f.needed).cloned());
                EntityRecord {
                    version: self.version,
                    fields,
                    active: None,
                }
            }
        }
    }

    /// The value of the field called `key`, if known.
    #[cfg(test)]
    pub(crate) fn value(&self, key: &str) -> Option<&Arc<str>> {
        self.fields
            .iter()
            .find(|f| &*f.key == key)
            .and_then(|f| f.value.as_ref())
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

/// JSON length of `key` as an object key, quotes included.
pub(crate) fn key_json_len(key: &str) -> usize {
    let plain = key
        .chars()
        .all(|c| c != '"' && c != '\\' && !c.is_control());
    if plain {
        key.len() + 2
    } else {
        serde_json::to_string(key).map_or(key.len() + 2, |text| text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Map, Value, json};

    fn text(len: usize) -> String {
        "x".repeat(len)
    }

    fn field(key: &str, value: &Value) -> Field {
        let value = value.to_string();
        Field {
            key: Arc::from(key),
            key_len: key_json_len(key) as u32,
            len: value.len() as u32,
            value: Some(Arc::from(value)),
            needed: true,
        }
    }

    proptest! {
        #[test]
        fn record_sizes_match_serialised_json(
            stream_len in 1usize..20,
            version in 1u64..u64::MAX,
            // Not the record's own keys: the map below would keep one of
            // two such entries where the record has both.
            values in proptest::collection::btree_map(
                "[a-z\"\\\\]{1,8}".prop_filter("a key of the record's own", |key| {
                    !["id", "version", "active"].contains(&key.as_str())
                }),
                0usize..30,
                0..5,
            ),
            active in proptest::option::of(any::<bool>()),
        ) {
            let stream = text(stream_len);
            let mut object = Map::new();
            object.insert("id".into(), json!(stream));
            object.insert("version".into(), json!(version));
            let mut record = EntityRecord { version, fields: Vec::new(), active };
            for (key, n) in &values {
                let value = json!({"street": text(*n)});
                record.fields.push(field(key, &value));
                object.insert(key.clone(), value);
            }
            let entry = Value::Object(object.clone()).to_string().len();
            prop_assert_eq!(record.entry_len(stream_len), entry);
            if let Some(a) = active { object.insert("active".into(), json!(a)); }
            prop_assert_eq!(record.json_len(stream_len), Value::Object(object).to_string().len());
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
        let mut record = EntityRecord::default();
        let address = field("address", &json!({"city": "A"}));
        let registered = Change {
            version: 1,
            fields: vec![field("name", &json!("Ada")), address.clone()],
            ends: false,
        };
        record.apply(&registered);
        let moved = Change {
            version: 2,
            fields: vec![Field {
                value: Some(Arc::from(r#"{"city":"B"}"#)),
                ..address
            }],
            ends: false,
        };
        record.apply(&moved);
        assert_eq!(record.version, 2);
        assert_eq!(record.value("name").map(|v| &**v), Some(r#""Ada""#));
        assert_eq!(
            record.value("address").map(|v| &**v),
            Some(r#"{"city":"B"}"#)
        );
        assert_eq!(record.active, Some(true));
        record.apply(&Change {
            version: 3,
            fields: Vec::new(),
            ends: true,
        });
        assert_eq!((record.version, record.active), (3, Some(false)));
        assert_eq!(record.fields.len(), 2);
    }

    #[test]
    fn closing_events_end_their_entity() {
        assert!(ends_entity("CustomerDeactivated") && ends_entity("AccountClosed"));
        assert!(!ends_entity("CustomerRegistered") && !ends_entity("MoneyDeposited"));
    }
}
