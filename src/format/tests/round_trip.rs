//! The round-trip laws: export then import gives back every event exactly
//! (all but `seq`, which the store assigns), and exporting that gives the
//! same bytes, for arbitrary events and both formats.

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
        time: Some(Timestamp::parse_rfc3339(T).unwrap()),
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

/// Every name the CloudEvents mapping treats specially.
const ATTRIBUTE_NAMES: [&str; 17] = [
    "specversion",
    "id",
    "source",
    "type",
    "subject",
    "time",
    "datacontenttype",
    "dataschema",
    "data",
    "data_base64",
    "sequence",
    "streamversion",
    "correlationid",
    "causationid",
    "eventscopemetadata",
    "correlation_id",
    "causation_id",
];

/// Keys that hit every branch of the CloudEvents metadata mapping.
fn metadata_key() -> impl Strategy<Value = String> {
    // The names whose values have defaults or change the data, more often.
    const DEFAULTED: [&str; 4] = ["source", "datacontenttype", "data_base64", "correlation_id"];
    prop_oneof![
        2 => prop::sample::select(&DEFAULTED[..]).prop_map(str::to_string),
        2 => prop::sample::select(&ATTRIBUTE_NAMES[..]).prop_map(str::to_string),
        1 => "[a-z0-9]{1,24}",
        1 => any::<String>(),
    ]
}

/// Values that hit the mapping's special cases, or any JSON.
fn metadata_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => prop::sample::select(&["eventscope", "application/json", "", "text/xml", "AAAA"][..])
            .prop_map(Value::from),
        1 => Just(Value::Bool(true)),
        1 => any::<i32>().prop_map(Value::from),
        2 => json_value(),
    ]
}

/// Absent, an object (maybe empty) with keys in any order, or any JSON.
fn metadata() -> impl Strategy<Value = Option<Json>> {
    let object = prop::collection::vec((metadata_key(), metadata_value()), 0..7)
        .prop_map(|members| Value::Object(members.into_iter().collect()));
    prop::option::of(prop_oneof![4 => object, 1 => json_value()].prop_map(|v| Json::from_value(&v)))
}

/// Any JSON, or a string of Base64 (which CloudEvents may carry as binary).
fn data() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => json_value(),
        1 => "([A-Za-z0-9+/]{4}){0,4}".prop_map(Value::from),
    ]
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
        nanos in prop::option::of(any::<i64>()),
        data in data(),
        metadata in metadata(),
    ) -> Event {
        Event {
            seq,
            stream: stream.into(),
            version,
            event_type: event_type.into(),
            id,
            time: nanos.map(Timestamp::from_unix_nanos),
            data: Json::from_value(&data),
            metadata,
        }
    }
}

/// Exports `events`, imports the text, and checks that every event came
/// back exactly (but for `seq`) and that exporting again gives the bytes.
fn assert_cycle_is_lossless(events: &[Event], format: Format) -> Result<(), TestCaseError> {
    let first = export(events, format);
    let back = reimport(&first, format);
    prop_assert_eq!(back.len(), events.len());
    for (read, original) in back.iter().zip(events) {
        prop_assert_eq!(
            read,
            &Event {
                seq: read.seq,
                ..original.clone()
            }
        );
    }
    let renumbered: Vec<Event> = back
        .into_iter()
        .zip(events)
        .map(|(e, o)| Event { seq: o.seq, ..e })
        .collect();
    prop_assert_eq!(export(&renumbered, format), first);
    Ok(())
}

proptest! {
    #[test]
    fn native_cycles_lose_nothing(events in prop::collection::vec(arbitrary_event(), 0..6)) {
        assert_cycle_is_lossless(&events, Format::Native)?;
    }

    #[test]
    fn cloud_events_cycles_lose_nothing(events in prop::collection::vec(arbitrary_event(), 0..6)) {
        assert_cycle_is_lossless(&events, Format::CloudEvents)?;
    }
}
