//! Kafka records as kcat prints them with `-J`: one JSON object a line,
//!
//! ```text
//! {"topic":"orders","partition":0,"offset":42,"tstype":"create",
//!  "ts":1700000000123,"broker":1,"headers":["k","v"],"key":"order-7",
//!  "payload":"{\"type\":\"OrderPlaced\",\"data\":{...}}"}
//! ```
//!
//! (`payload` and `key` are the record's bytes as text, or null; with a
//! schema registry kcat may print a payload as JSON instead.) The mapping:
//!
//! - the payload is the event: an event of its own (native, or a
//!   CloudEvent with `specversion`) gives its type, id, data and
//!   metadata; any other payload is the data of an event whose type is
//!   the topic;
//! - the stream is the key (a null key: `<topic>-<partition>`), unless
//!   [`StreamFrom`] says otherwise, or the payload names its own stream;
//! - the time is `ts` (milliseconds since the epoch);
//! - the id, unless the payload has one, is `<topic>/<partition>/<offset>`;
//! - `metadata.kafka` keeps topic, partition, offset, key and headers.

use serde::Deserialize;
use serde_json::Value;

use super::record::StreamFrom;
use crate::event::{Json, NewEvent, Timestamp};
use crate::format::{self, Format};

/// kcat's envelope; fields it may add later are ignored.
#[derive(Debug, Deserialize)]
pub struct Envelope {
    pub topic: String,
    pub partition: i64,
    pub offset: i64,
    #[serde(default)]
    pub ts: Option<i64>,
    #[serde(default)]
    pub key: Option<Value>,
    #[serde(default)]
    pub payload: Option<Value>,
    #[serde(default)]
    pub headers: Option<Value>,
}

/// Whether a JSON object has the envelope's own fields.
pub fn looks_like_envelope(object: &serde_json::Map<String, Value>) -> bool {
    ["topic", "partition", "offset"]
        .iter()
        .all(|field| object.contains_key(*field))
        && (object.contains_key("payload") || object.contains_key("key"))
}

/// The event a kcat record carries. Errors say what is wrong with it.
pub fn to_event(envelope: Envelope, stream_from: StreamFrom) -> Result<NewEvent, String> {
    let key = match &envelope.key {
        Some(Value::String(key)) => Some(key.clone()),
        Some(Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    };
    let stream = match stream_from {
        StreamFrom::Key => key
            .clone()
            .unwrap_or_else(|| format!("{}-{}", envelope.topic, envelope.partition)),
        StreamFrom::Topic => envelope.topic.clone(),
        StreamFrom::Partition => format!("{}-{}", envelope.topic, envelope.partition),
    };
    // A payload given as text is JSON if it parses, else a string.
    let payload = match envelope.payload.clone() {
        Some(Value::String(text)) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
        Some(value) => value,
        None => Value::Null,
    };
    let mut event = match inner_event(&payload) {
        Some(inner) => {
            let mut inner = inner?;
            if stream_from != StreamFrom::Key || !payload_names_stream(&payload) {
                inner.stream = stream;
            }
            // Kafka has no stream versions: a version in the payload is
            // not a claim this log can check.
            inner.expected_version = None;
            inner
        }
        None => NewEvent {
            stream,
            event_type: envelope.topic.clone(),
            id: None,
            time: None,
            data: Json::from_value(&payload),
            metadata: None,
            expected_version: None,
        },
    };
    if event.id.is_none() {
        event.id = Some(format!(
            "{}/{}/{}",
            envelope.topic, envelope.partition, envelope.offset
        ));
    }
    if let Some(ts) = envelope.ts {
        event.time = Some(Timestamp::from_unix_millis(ts));
    }
    let mut metadata = match event.metadata.as_ref().map(Json::value) {
        Some(Value::Object(map)) => map,
        Some(other) => {
            let mut map = serde_json::Map::new();
            map.insert("payload_metadata".into(), other);
            map
        }
        None => serde_json::Map::new(),
    };
    let mut kafka = serde_json::Map::new();
    kafka.insert("topic".into(), envelope.topic.into());
    kafka.insert("partition".into(), envelope.partition.into());
    kafka.insert("offset".into(), envelope.offset.into());
    kafka.insert("key".into(), key.map_or(Value::Null, Value::String));
    if let Some(headers) = envelope.headers {
        kafka.insert("headers".into(), headers);
    }
    metadata.insert("kafka".into(), Value::Object(kafka));
    event.metadata = Some(Json::from_value(&Value::Object(metadata)));
    Ok(event)
}

/// The payload as an event of its own, if it is one.
fn inner_event(payload: &Value) -> Option<Result<NewEvent, String>> {
    let object = payload.as_object()?;
    let format = if object.contains_key("specversion") {
        Format::CloudEvents
    } else if object.get("type").is_some_and(Value::is_string) && object.contains_key("data") {
        Format::Native
    } else {
        return None;
    };
    let mut object = object.clone();
    if format == Format::Native && !object.contains_key("stream") {
        // Given its stream by the envelope; the parser wants one.
        object.insert("stream".into(), Value::String("-".into()));
    }
    if format == Format::CloudEvents && !object.contains_key("subject") {
        object.insert("subject".into(), Value::String("-".into()));
    }
    let text = Value::Object(object).to_string();
    Some(
        format::parse_line(&text, 1, format)
            .map_err(|error| format!("its payload: {}", error.kind)),
    )
}

fn payload_names_stream(payload: &Value) -> bool {
    payload.get("stream").is_some_and(Value::is_string)
        || payload.get("subject").is_some_and(Value::is_string)
}
