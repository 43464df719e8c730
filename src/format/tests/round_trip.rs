//! The round-trip laws: export, import, export gives the same bytes, for
//! arbitrary events and both formats.

use proptest::prelude::*;
use serde_json::Value;

use super::{T, export, reimport};
use crate::event::{Event, Json, Timestamp};
use crate::format::Format;

#[test]
fn control_characters_and_escapes_survive_exactly() {
    let tricky = "tab\t nl\n cr\r nul\u{0} esc\u{1b} quote\" backslash\\ slash/ del\u{7f} é 😀";
    let data = Value::from(tricky);
    let event = Event {
        seq: 1,
        stream: tricky.into(),
        version: 1,
        event_type: "Odd\u{1}Type".into(),
        id: tricky.into(),
        time: Timestamp::parse_rfc3339(T).unwrap(),
        data: Json::from_value(&serde_json::json!({ "text": data, "raw": "\\u0041" })),
        metadata: Some(Json::from_value(
            &serde_json::json!({ "note": tricky, "correlation_id": tricky }),
        )),
    };
    for format in Format::ALL {
        let back = reimport(&export(std::slice::from_ref(&event), format), format);
        assert_eq!(back, vec![event.clone()], "{format}");
    }
}

/// JSON values: scalars (strings with any characters), arrays and objects.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::vec((metadata_key(), inner), 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// Keys that hit every branch of the CloudEvents metadata mapping.
fn metadata_key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("correlation_id".to_string()),
        Just("causation_id".to_string()),
        Just("source".to_string()),
        Just("dataschema".to_string()),
        Just("id".to_string()),
        Just("eventscopemetadata".to_string()),
        "[a-z0-9]{1,24}",
        any::<String>(),
    ]
}

fn metadata() -> impl Strategy<Value = Option<Json>> {
    let object = prop::collection::vec((metadata_key(), json_value()), 0..6)
        .prop_map(|members| Value::Object(members.into_iter().collect()));
    prop::option::of(prop_oneof![4 => object, 1 => json_value()].prop_map(|v| Json::from_value(&v)))
}

fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 1..12).prop_map(String::from_iter)
}

prop_compose! {
    fn arbitrary_event()(
        seq in 1..u64::MAX,
        stream in name(),
        version in 1..u64::MAX,
        event_type in name(),
        id in name(),
        nanos in any::<i64>(),
        data in json_value(),
        metadata in metadata(),
    ) -> Event {
        Event {
            seq,
            stream: stream.into(),
            version,
            event_type: event_type.into(),
            id,
            time: Timestamp::from_unix_nanos(nanos),
            data: Json::from_value(&data),
            metadata,
        }
    }
}

proptest! {
    #[test]
    fn native_export_import_export_is_byte_identical(events in prop::collection::vec(arbitrary_event(), 0..6)) {
        let first = export(&events, Format::Native);
        let back = reimport(&first, Format::Native);
        // Everything but seq travels exactly; seq is the store's to assign.
        for (read, original) in back.iter().zip(&events) {
            prop_assert_eq!(read, &Event { seq: read.seq, ..original.clone() });
        }
        let renumbered: Vec<Event> = back.into_iter().zip(&events).map(|(e, o)| Event { seq: o.seq, ..e }).collect();
        prop_assert_eq!(export(&renumbered, Format::Native), first);
    }

    #[test]
    fn cloud_events_export_import_export_is_byte_identical(events in prop::collection::vec(arbitrary_event(), 0..6)) {
        let first = export(&events, Format::CloudEvents);
        let back = reimport(&first, Format::CloudEvents);
        prop_assert_eq!(back.len(), events.len());
        for (read, original) in back.iter().zip(&events) {
            let without_metadata = |e: &Event| Event { seq: 0, metadata: None, ..e.clone() };
            prop_assert_eq!(without_metadata(read), without_metadata(original));
        }
        let renumbered: Vec<Event> = back.into_iter().zip(&events).map(|(e, o)| Event { seq: o.seq, ..e }).collect();
        prop_assert_eq!(export(&renumbered, Format::CloudEvents), first);
    }

    #[test]
    fn cloud_events_lose_no_metadata_member(event in arbitrary_event()) {
        let back = reimport(&export(std::slice::from_ref(&event), Format::CloudEvents), Format::CloudEvents);
        let read = back[0].metadata.as_ref().map(Json::value);
        let original = event.metadata.as_ref().map(Json::value);
        match (original, read) {
            (Some(Value::Object(original)), read) => {
                let read = read.and_then(|v| v.as_object().cloned()).unwrap_or_default();
                for (key, value) in &original {
                    if key == "source" && value == "eventscope" {
                        continue;
                    }
                    prop_assert_eq!(read.get(key), Some(value), "{}", key);
                }
                prop_assert!(read.len() <= original.len());
            }
            (original, read) => prop_assert_eq!(read, original),
        }
    }
}
