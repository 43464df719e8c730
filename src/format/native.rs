//! The native format: one JSON object per line with the event's own field
//! names (described on the parent module).

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

use super::error::FormatError;
use super::event_text::EventText;
use super::fields::{self, Quoted, present};
use super::json_text::push_json_string;
use super::lines::Chunk;
use crate::event::{Event, NewEvent};

/// One line as written, values left raw so that each is checked (and an
/// error placed) by the field it belongs to.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "an event object")]
struct NativeLine<'a> {
    /// Assigned by the store on import, so only its presence is accepted.
    #[serde(default)]
    #[allow(dead_code)]
    seq: Option<IgnoredAny>,
    #[serde(borrow)]
    stream: &'a RawValue,
    #[serde(default, borrow, deserialize_with = "present")]
    version: Option<&'a RawValue>,
    #[serde(rename = "type", borrow)]
    event_type: &'a RawValue,
    #[serde(default, borrow, deserialize_with = "present")]
    id: Option<&'a RawValue>,
    #[serde(default, borrow)]
    time: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    data: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    metadata: Option<&'a RawValue>,
}

/// Reads one native line.
pub(super) fn parse(chunk: &Chunk<'_>) -> Result<NewEvent, FormatError> {
    parse_text(chunk).map(EventText::into_new_event)
}

/// Reads one native line, borrowing from it every field kept as written.
pub(super) fn parse_text<'a>(chunk: &Chunk<'a>) -> Result<EventText<'a>, FormatError> {
    let line: NativeLine<'a> =
        serde_json::from_str(chunk.text).map_err(|error| chunk.serde_error(&error))?;
    let expected_version = line
        .version
        .map(|raw| fields::version(chunk, "version", raw, Quoted::Refused))
        .transpose()?;
    Ok(EventText {
        stream: fields::name_text(chunk, "stream", line.stream)?,
        event_type: fields::name_text(chunk, "type", line.event_type)?,
        id: line
            .id
            .map(|raw| fields::name_text(chunk, "id", raw))
            .transpose()?,
        // Absent or null: an event with no time.
        time: line
            .time
            .map(|raw| fields::time(chunk, "time", raw))
            .transpose()?,
        data: line
            .data
            .map(|raw| fields::payload_text(chunk, "data", raw))
            .transpose()?
            .unwrap_or(Cow::Borrowed(EMPTY_OBJECT)),
        metadata: line
            .metadata
            .map(|raw| fields::metadata(chunk, raw))
            .transpose()?,
        expected_version,
    })
}

/// The `data` of an event that gives none.
const EMPTY_OBJECT: &str = "{}";

/// Appends `event` as one native line, `\n` included.
pub(super) fn write(event: &Event, out: &mut String) {
    // Writing to a String cannot fail.
    let _ = write!(out, "{{\"seq\":{},\"stream\":", event.seq);
    push_json_string(out, &event.stream);
    let _ = write!(out, ",\"version\":{},\"type\":", event.version);
    push_json_string(out, &event.event_type);
    out.push_str(",\"id\":");
    push_json_string(out, &event.id);
    if let Some(time) = event.time {
        let _ = write!(out, ",\"time\":\"{time}\"");
    }
    out.push_str(",\"data\":");
    out.push_str(event.data.as_str());
    if let Some(metadata) = &event.metadata {
        out.push_str(",\"metadata\":");
        out.push_str(metadata.as_str());
    }
    out.push_str("}\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Json, Timestamp};

    fn read(text: &str) -> Result<NewEvent, FormatError> {
        parse(&Chunk::line(text, 7))
    }

    fn message(text: &str) -> String {
        read(text).unwrap_err().to_string()
    }

    const LINE: &str = r#"{"seq":1,"stream":"customer-1","version":1,"type":"CustomerRegistered","id":"e-1","time":"2024-03-01T09:30:00Z","data":{"name":"Ada Lovelace"},"metadata":{"correlation_id":"c-1"}}"#;

    #[test]
    fn a_full_line_becomes_a_new_event() {
        let event = read(LINE).unwrap();
        let time = Timestamp::parse_rfc3339("2024-03-01T09:30:00Z").unwrap();
        let want = NewEvent::new(
            "customer-1",
            "CustomerRegistered",
            time,
            Json::parse_text(r#"{"name":"Ada Lovelace"}"#).unwrap(),
        )
        .with_id("e-1")
        .with_metadata(Json::parse_text(r#"{"correlation_id":"c-1"}"#).unwrap())
        .expecting_version(1);
        assert_eq!(event, want);
    }

    #[test]
    fn optional_fields_may_be_left_out() {
        let event =
            read(r#"{"stream":"s","type":"T","time":"2024-03-01T09:30:00+02:00"}"#).unwrap();
        assert_eq!(
            (event.id, event.expected_version, event.metadata),
            (None, None, None)
        );
        assert_eq!(event.data, Json::empty_object());
        assert_eq!(event.time.unwrap().to_string(), "2024-03-01T07:30:00Z");
    }

    #[test]
    fn missing_and_unknown_fields_are_named_with_a_column() {
        let missing = read(r#"{"stream":"s","time":"2024-03-01T09:30:00Z"}"#).unwrap_err();
        assert_eq!(missing.line, 7);
        assert!(missing.column.is_some());
        assert!(
            missing.to_string().contains("missing field `type`"),
            "{missing}"
        );
        let unknown =
            message(r#"{"stream":"s","type":"T","colour":1,"time":"2024-03-01T09:30:00Z"}"#);
        assert!(unknown.starts_with("line 7, column "), "{unknown}");
        assert!(
            unknown.contains(": unknown field `colour`, expected one of"),
            "{unknown}"
        );
    }

    #[test]
    fn bad_json_names_line_and_column() {
        let error = read(r#"{"stream":"s",}"#).unwrap_err();
        assert_eq!((error.line, error.column), (7, Some(15)));
        assert!(message("[1]").contains("expected an event object"));
    }

    #[test]
    fn bad_values_are_placed_at_the_value() {
        let time = message(r#"{"stream":"s","type":"T","time":"yesterday"}"#);
        assert!(
            time.starts_with("line 7, column 33: `yesterday` is not an RFC 3339 time"),
            "{time}"
        );
        for (version, found) in [("0", "0"), ("-2", "-2"), ("\"3\"", "\"3\"")] {
            let text = format!(
                r#"{{"stream":"s","version":{version},"type":"T","time":"2024-03-01T09:30:00Z"}}"#
            );
            let error = message(&text);
            let want =
                format!("line 7, column 25: `version` must be a positive integer, not `{found}`");
            assert_eq!(error, want);
        }
        let stream = message(r#"{"stream":7,"type":"T","time":"2024-03-01T09:30:00Z"}"#);
        assert_eq!(stream, "line 7, column 11: `stream` must be a string");
        let empty = message(r#"{"stream":"s","type":"","time":"2024-03-01T09:30:00Z"}"#);
        assert_eq!(empty, "line 7, column 22: `type` must not be empty");
    }

    #[test]
    fn written_lines_have_fixed_keys_in_order() {
        let event = Event {
            seq: 3,
            stream: "order-1".into(),
            version: 2,
            event_type: "OrderShipped".into(),
            id: "id \"quoted\"\n".into(),
            time: Some(Timestamp::parse_rfc3339("2024-03-01T09:30:00.5Z").unwrap()),
            data: Json::parse_text(r#"{"a":1}"#).unwrap(),
            metadata: None,
        };
        let mut out = String::new();
        write(&event, &mut out);
        assert_eq!(
            out,
            "{\"seq\":3,\"stream\":\"order-1\",\"version\":2,\"type\":\"OrderShipped\",\
             \"id\":\"id \\\"quoted\\\"\\n\",\"time\":\"2024-03-01T09:30:00.5Z\",\"data\":{\"a\":1}}\n"
        );
    }
}
