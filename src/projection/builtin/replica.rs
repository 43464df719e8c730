//! `replica`: every stream's entity as the merge of its events' payloads
//! (JSON Merge Patch, RFC 7386), the way a consumer fed by Event-Carried
//! State Transfer keeps its local copy.
//!
//! An event whose type ends in `Deleted`, `Removed` or `Deactivated` is
//! merged like any other and then marks its entity with `"_deleted": true`.
//! The mark is an ordinary field: a later payload may set or clear it. A
//! payload that is not an object replaces the entity whole, as RFC 7386 says.

use serde_json::Value;

use crate::event::Event;
use crate::event_view::EventView;
use crate::json_writer::JsonWriter;
use crate::projection::codec::{Reader, Writer};
use crate::projection::compact::{Compact, Keys};
use crate::projection::path::Path;
use crate::projection::streams_table::StreamMap;
use crate::projection::traits::{Projection, ProjectionError};

use super::by_stream;

/// The field that marks a deleted entity.
pub const DELETED_FIELD: &str = "_deleted";

const DELETING_SUFFIXES: [&str; 3] = ["Deleted", "Removed", "Deactivated"];

/// Whether events of this type end their entity's life.
pub fn is_deleting(event_type: &str) -> bool {
    DELETING_SUFFIXES
        .iter()
        .any(|suffix| event_type.ends_with(suffix))
}

/// Each stream's merged payloads, kept compact (the replica of a log holds
/// every entity it has: see `compact.rs`).
#[derive(Clone, Debug, Default)]
pub struct Replica {
    entities: StreamMap<Compact>,
    /// The keys of every entity's objects.
    keys: Keys,
}

impl Replica {
    pub const NAME: &'static str = "replica";
}

impl Replica {
    /// One entity as shown.
    fn entry_json(&self, entity: &Compact) -> Value {
        entity.to_value(&self.keys)
    }
}

impl Projection for Replica {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        self.apply_view(&event.view())
    }

    fn apply_view(&mut self, event: &EventView<'_>) -> Result<(), ProjectionError> {
        let patch = Compact::parse(event.data(), &mut self.keys)
            .map_err(|e| ProjectionError::payload("JSON value", e))?;
        let entity = self.entities.entry(event.stream, Compact::empty_object);
        entity.merge_patch(patch);
        if is_deleting(event.event_type) {
            let mark = (self.keys.intern(DELETED_FIELD), Compact::Bool(true));
            entity.merge_patch(Compact::Object(Box::new([mark])));
        }
        Ok(())
    }

    fn state(&self) -> Value {
        Value::Object(
            self.entities
                .iter()
                .map(|(name, entity)| (name, entity.to_value(&self.keys)))
                .collect(),
        )
    }

    /// Each entity made a `Value` as its compact form is let go.
    fn into_state(self: Box<Self>) -> Value {
        let Replica { entities, keys } = *self;
        let entries = entities.into_entries().into_iter();
        Value::Object(
            entries
                .map(|(name, entity)| (name, entity.to_value(&keys)))
                .collect(),
        )
    }

    fn write_state(&self, out: &mut JsonWriter<'_>) {
        by_stream::write_entries(&self.entities, out, |out, entity| {
            entity.write(&self.keys, out)
        });
    }

    by_stream::answers_by_stream!(entities);

    /// Each entity as its JSON text, as a `Value` of it would print.
    fn save(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.entities.save(&mut w, |w, entity| {
            let text = serde_json::to_string(&entity.shown(&self.keys));
            w.str(&text.unwrap_or_default());
        });
        w.finish()
    }

    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError> {
        let mut r = Reader::new(bytes);
        let mut keys = Keys::default();
        let entities = StreamMap::restore(&mut r, |r, _| {
            Compact::parse(r.str()?, &mut keys)
                .map_err(|e| ProjectionError::Snapshot(e.to_string()))
        })?;
        r.finish()?;
        self.entities = entities;
        self.keys = keys;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::json_writer::tests::written_by;
    use crate::projection::testing::LogBuilder;

    #[test]
    fn payloads_merge_per_stream_and_deletions_are_marked() {
        let mut log = LogBuilder::new();
        log.push(
            "customer-1",
            "CustomerRegistered",
            json!({"name": "Ada", "address": {"city": "Paris", "street": "Rue 1"}}),
        )
        .push("customer-2", "CustomerRegistered", json!({"name": "Bob"}))
        .push(
            "customer-1",
            "CustomerAddressChanged",
            json!({"address": {"city": "Lyon"}}),
        )
        .push(
            "customer-2",
            "CustomerDeactivated",
            json!({"reason": "moved away"}),
        );
        let mut replica = Replica::default();
        for event in log.events() {
            replica.apply(event).unwrap();
        }
        assert_eq!(
            replica.state(),
            json!({
                "customer-1": {"name": "Ada", "address": {"city": "Lyon", "street": "Rue 1"}},
                "customer-2": {"name": "Bob", "reason": "moved away", "_deleted": true},
            })
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

        /// Whatever the payloads, the replica is each stream's payloads
        /// merged into a `Value` by `merge_patch`, the deleted mark after
        /// a deleting type: in its state, its output and its snapshot.
        #[test]
        fn the_replica_is_every_stream_s_payloads_merged_into_a_value(events in
            proptest::collection::vec(
                (0u8..3, proptest::bool::weighted(0.2), crate::projection::compact::tests::any_value()),
                1..12,
            )
        ) {
            let mut log = LogBuilder::new();
            let mut expected = serde_json::Map::new();
            for (stream, deleting, data) in events {
                let (stream, event_type) = (format!("thing-{stream}"), if deleting { "ThingRemoved" } else { "ThingChanged" });
                log.push(&stream, event_type, data.clone());
                // As the log holds it: its text, read back.
                let data: Value = serde_json::from_str(&data.to_string()).unwrap();
                let entity = expected.entry(stream).or_insert_with(|| json!({}));
                crate::projection::merge_patch(entity, data);
                if deleting {
                    crate::projection::merge_patch(entity, json!({ DELETED_FIELD: true }));
                }
            }
            let mut replica = Replica::default();
            for event in log.events() {
                replica.apply(event).unwrap();
            }
            // The streams in the replica's order (by name), each entity
            // with its members in theirs.
            let state = replica.state();
            let names: Vec<&String> = state.as_object().unwrap().keys().collect();
            let mut by_name: Vec<&String> = expected.keys().collect();
            by_name.sort_by_key(|name| names.iter().position(|n| n == name));
            proptest::prop_assert_eq!(&names, &by_name);
            let expected = Value::Object(
                by_name.iter().map(|name| ((*name).clone(), expected[*name].clone())).collect(),
            );
            proptest::prop_assert_eq!(state.to_string(), expected.to_string());
            proptest::prop_assert_eq!(
                written_by(|out| replica.write_state(out)),
                written_by(|out| out.value(&expected)),
            );
            let mut restored = Replica::default();
            restored.restore(&replica.save()).unwrap();
            proptest::prop_assert_eq!(restored.state().to_string(), expected.to_string());
        }
    }

    #[test]
    fn deleting_types_are_recognised_by_suffix() {
        assert!(is_deleting("AccountRemoved"));
        assert!(is_deleting("CustomerDeactivated"));
        assert!(!is_deleting("AccountClosed"));
    }
}
