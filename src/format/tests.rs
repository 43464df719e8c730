//! Reading whole inputs, and the round-trip laws for both formats.

use std::sync::Arc;

use proptest::prelude::*;
use serde_json::Value;

use super::*;
use crate::event::{Json, Timestamp};

fn read_all(input: &str, format: Format) -> Result<Vec<NewEvent>, ReadError<String>> {
    let mut events = Vec::new();
    let count = read_events(input.as_bytes(), format, |event| {
        events.push(event);
        Ok::<(), String>(())
    })?;
    assert_eq!(count, events.len() as u64);
    Ok(events)
}

fn format_error(input: &str, format: Format) -> FormatError {
    match read_all(input, format) {
        Err(ReadError::Format(error)) => error,
        other => panic!("expected a format error, got {other:?}"),
    }
}

/// The event the store would make of `new` at `seq` (version as expected).
fn stored(new: NewEvent, seq: u64) -> Event {
    Event {
        seq,
        stream: Arc::from(new.stream.as_str()),
        version: new.expected_version.unwrap_or(1),
        event_type: Arc::from(new.event_type.as_str()),
        id: new.id.unwrap_or_default(),
        time: new.time,
        data: new.data,
        metadata: new.metadata,
    }
}

fn export(events: &[Event], format: Format) -> String {
    let mut writer = EventWriter::new(Vec::new(), format);
    for event in events {
        writer.write(event).unwrap();
    }
    assert_eq!(writer.written(), events.len() as u64);
    String::from_utf8(writer.finish().unwrap()).unwrap()
}

/// Import then store: seq by position, as the store assigns it.
fn reimport(text: &str, format: Format) -> Vec<Event> {
    let events = read_all(text, format).unwrap();
    events
        .into_iter()
        .zip(1..)
        .map(|(new, seq)| stored(new, seq))
        .collect()
}

const T: &str = "2024-03-01T09:30:00Z";

#[test]
fn formats_are_named_and_parsed() {
    for format in Format::ALL {
        assert_eq!(format.name().parse::<Format>(), Ok(format));
    }
    assert_eq!("CloudEvents".parse::<Format>(), Ok(Format::CloudEvents));
    let unknown = "xml".parse::<Format>().unwrap_err().to_string();
    assert!(
        unknown.contains("`xml`") && unknown.contains("cloudevents"),
        "{unknown}"
    );
}

#[test]
fn blank_lines_and_crlf_endings_are_accepted() {
    let input = format!(
        "\r\n{{\"stream\":\"s\",\"type\":\"A\",\"time\":\"{T}\"}}\r\n   \n{{\"stream\":\"s\",\"type\":\"B\",\"time\":\"{T}\"}}"
    );
    let events = read_all(&input, Format::Native).unwrap();
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types, ["A", "B"]);
}

#[test]
fn every_error_names_its_line() {
    let good = format!("{{\"stream\":\"s\",\"type\":\"A\",\"time\":\"{T}\"}}\n\n");
    let cases: [(&[u8], bool); 10] = [
        (b"{\"stream\":", true),
        (b"{\"stream\":\"s\",\"time\":\"2024-03-01T09:30:00Z\"}", true),
        (b"{\"type\":\"A\",\"time\":\"2024-03-01T09:30:00Z\"}", true),
        (b"{\"stream\":\"s\",\"type\":\"A\"}", true),
        (b"{\"stream\":\"s\",\"type\":\"A\",\"time\":\"yesterday\"}", true),
        (b"{\"stream\":\"s\",\"version\":0,\"type\":\"A\",\"time\":\"2024-03-01T09:30:00Z\"}", true),
        (b"{\"stream\":\"s\",\"version\":-1,\"type\":\"A\",\"time\":\"2024-03-01T09:30:00Z\"}", true),
        (b"{\"stream\":\"s\",\"version\":\"1\",\"type\":\"A\",\"time\":\"2024-03-01T09:30:00Z\"}", true),
        (b"{\"stream\":\"s\",\"type\":\"A\",\"x\":1,\"time\":\"2024-03-01T09:30:00Z\"}", true),
        (b"{\"stream\":\"s\xFF\",\"type\":\"A\",\"time\":\"2024-03-01T09:30:00Z\"}", false),
    ];
    for (bad, has_column) in cases {
        let mut input = good.clone().into_bytes();
        input.extend_from_slice(bad);
        input.extend_from_slice(b"\n");
        input.extend_from_slice(good.as_bytes());
        let result = read_events(input.as_slice(), Format::Native, |_| Ok::<(), ()>(()));
        let Err(ReadError::Format(error)) = result else {
            panic!(
                "{}: expected a format error, got {result:?}",
                String::from_utf8_lossy(bad)
            );
        };
        assert_eq!(error.line, 3, "{error}");
        assert_eq!(error.column.is_some(), has_column, "{error}");
        assert!(error.to_string().starts_with("line 3"), "{error}");
    }
}

#[test]
fn invalid_utf8_names_the_byte() {
    let mut input = format!("{{\"stream\":\"s\",\"type\":\"A\",\"time\":\"{T}\"}}\n").into_bytes();
    input.extend_from_slice(b"{\"stream\":\"\xC3\x28\"}\n");
    let result = read_events(input.as_slice(), Format::Native, |_| Ok::<(), ()>(()));
    let Err(ReadError::Format(error)) = result else {
        panic!("{result:?}")
    };
    assert_eq!(error.to_string(), "line 2: invalid UTF-8 at byte 12");
}

#[test]
fn sink_errors_name_the_line_and_stop_the_read() {
    let input = format!(
        "{{\"stream\":\"s\",\"type\":\"A\",\"time\":\"{T}\"}}\n\n{{\"stream\":\"s\",\"type\":\"B\",\"time\":\"{T}\"}}\nnot json\n"
    );
    let mut seen = 0;
    let result = read_events(input.as_bytes(), Format::Native, |event| {
        seen += 1;
        if event.event_type == "B" {
            Err("version conflict")
        } else {
            Ok(())
        }
    });
    let Err(ReadError::Sink {
        line,
        element,
        error,
    }) = result
    else {
        panic!("{result:?}")
    };
    assert_eq!(
        (line, element, error, seen),
        (3, None, "version conflict", 2)
    );
}

fn cloud_event(id: u32) -> String {
    format!(
        "{{\"specversion\":\"1.0\",\"id\":\"e{id}\",\"source\":\"eventscope\",\"type\":\"T\",\"subject\":\"s\",\"time\":\"{T}\",\"data\":{{\"n\":{id}}}}}"
    )
}

#[test]
fn a_cloud_events_array_reads_like_lines() {
    let lines = format!(
        "{}\n{}\n{}\n",
        cloud_event(1),
        cloud_event(2),
        cloud_event(3)
    );
    let array = format!(
        "\n  [\n  {},\n  {}, {}\n]\n\n",
        cloud_event(1),
        cloud_event(2).replace(",", ",\n    "),
        cloud_event(3)
    );
    let from_lines = read_all(&lines, Format::CloudEvents).unwrap();
    assert_eq!(from_lines.len(), 3);
    assert_eq!(read_all(&array, Format::CloudEvents).unwrap(), from_lines);
    assert_eq!(read_all("[]", Format::CloudEvents).unwrap(), vec![]);
}

#[test]
fn errors_in_an_array_name_line_column_and_element() {
    let broken = cloud_event(2).replace(",\"type\":\"T\"", "");
    let input = format!("[\n{},\n  {},\n{}]", cloud_event(1), broken, cloud_event(3));
    let error = format_error(&input, Format::CloudEvents);
    assert_eq!((error.line, error.element), (3, Some(2)));
    assert!(
        error.to_string().contains("missing field `type`"),
        "{error}"
    );

    let bad_time = format!(
        "[{},\n {}]",
        cloud_event(1),
        cloud_event(2).replace(T, "later")
    );
    let error = format_error(&bad_time, Format::CloudEvents);
    let column = cloud_event(2).find(T).unwrap() as u64 + 1;
    assert_eq!(
        (error.line, error.column, error.element),
        (2, Some(column), Some(2))
    );

    let unclosed = format!("[\n{},\n", cloud_event(1));
    let mut count = 0;
    let result = read_events(unclosed.as_bytes(), Format::CloudEvents, |_| {
        count += 1;
        Ok::<(), ()>(())
    });
    let Err(ReadError::Format(error)) = result else {
        panic!("{result:?}")
    };
    assert_eq!(
        (error.kind, error.line, count),
        (FormatErrorKind::UnclosedArray, 2, 1)
    );
}

#[test]
fn an_array_opens_only_on_the_first_line() {
    let input = format!("{}\n[{}]\n", cloud_event(1), cloud_event(2));
    let error = format_error(&input, Format::CloudEvents);
    assert_eq!(error.line, 2);
    assert!(
        error.to_string().contains("expected a CloudEvent object"),
        "{error}"
    );
    let native = format_error("[]", Format::Native);
    assert!(
        native.to_string().contains("expected an event object"),
        "{native}"
    );
}

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
