//! One line of a followed log as an event, whatever its shape.

use serde_json::Value;

use super::kcat;
use crate::event::NewEvent;
use crate::format::{self, Format};

/// What a Kafka record's stream is (see [`kcat`]).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum StreamFrom {
    /// The record's key (a null key: `<topic>-<partition>`).
    #[default]
    Key,
    /// The topic: one stream for the whole topic.
    Topic,
    /// `<topic>-<partition>`: one stream a partition.
    Partition,
}

/// The shapes a line can have.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Record {
    /// eventscope's own JSONL.
    Native,
    /// CloudEvents 1.0, structured JSON, one a line.
    Cloudevents,
    /// kcat's `-J` envelope.
    Kcat,
}

/// The event on line `line`; `shape` if given, else told from the line.
/// `None` for a blank line. Errors name the line (and column, where the
/// JSON says).
pub fn parse_record(
    text: &str,
    line: u64,
    shape: Option<Record>,
    stream_from: StreamFrom,
) -> Result<Option<NewEvent>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let shape = match shape {
        Some(shape) => shape,
        None => sniff(text),
    };
    match shape {
        Record::Native => format::parse_line(text, line, Format::Native)
            .map(Some)
            .map_err(|e| e.to_string()),
        Record::Cloudevents => format::parse_line(text, line, Format::CloudEvents)
            .map(Some)
            .map_err(|e| e.to_string()),
        Record::Kcat => {
            let envelope: kcat::Envelope = serde_json::from_str(text).map_err(|e| {
                format!("line {line}, column {}: not a kcat record: {e}", e.column())
            })?;
            kcat::to_event(envelope, stream_from)
                .map(Some)
                .map_err(|why| format!("line {line}: {why}"))
        }
    }
}

/// The shape of one line: a kcat envelope, a CloudEvent, or native (whose
/// parser then says what is wrong, if anything).
fn sniff(text: &str) -> Record {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) if kcat::looks_like_envelope(&object) => Record::Kcat,
        Ok(Value::Object(object)) if object.contains_key("specversion") => Record::Cloudevents,
        _ => Record::Native,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As kcat 1.7 prints them with `-C -J`.
    const KCAT_EVENT: &str = r#"{"topic":"orders","partition":2,"offset":41,"tstype":"create","ts":1700000000123,"broker":1,"headers":["trace","t-1"],"key":"order-7","payload":"{\"type\":\"OrderPlaced\",\"data\":{\"total\":12},\"metadata\":{\"correlation_id\":\"c-7\"}}"}"#;
    const KCAT_PLAIN: &str = r#"{"topic":"clicks","partition":0,"offset":3,"tstype":"create","ts":1700000000000,"broker":0,"key":null,"payload":"{\"page\":\"/\"}"}"#;
    const KCAT_TEXT: &str = r#"{"topic":"logs","partition":1,"offset":0,"tstype":"logappend","ts":5,"broker":0,"key":"k","payload":"hello"}"#;
    const KCAT_CLOUDEVENT: &str = r#"{"topic":"ce","partition":0,"offset":9,"tstype":"create","ts":1,"broker":0,"key":"cart-1","payload":"{\"specversion\":\"1.0\",\"id\":\"e-9\",\"source\":\"/shop\",\"type\":\"CartOpened\",\"subject\":\"cart-9\",\"data\":{}}"}"#;

    fn parse(line: &str, stream_from: StreamFrom) -> NewEvent {
        parse_record(line, 1, None, stream_from).unwrap().unwrap()
    }

    #[test]
    fn a_kcat_record_is_its_payloads_event_on_the_keys_stream() {
        let event = parse(KCAT_EVENT, StreamFrom::Key);
        assert_eq!(event.stream, "order-7");
        assert_eq!(event.event_type, "OrderPlaced");
        assert_eq!(event.data.as_str(), r#"{"total":12}"#);
        assert_eq!(event.id.as_deref(), Some("orders/2/41"));
        assert_eq!(event.time.unwrap().to_string(), "2023-11-14T22:13:20.123Z");
        let metadata = event.metadata.unwrap().value();
        assert_eq!(metadata["correlation_id"], "c-7");
        assert_eq!(metadata["kafka"]["topic"], "orders");
        assert_eq!(metadata["kafka"]["partition"], 2);
        assert_eq!(metadata["kafka"]["offset"], 41);
        assert_eq!(metadata["kafka"]["key"], "order-7");
        assert_eq!(metadata["kafka"]["headers"][1], "t-1");
        assert_eq!(event.expected_version, None);
    }

    #[test]
    fn the_stream_can_be_the_topic_or_the_partition() {
        assert_eq!(parse(KCAT_EVENT, StreamFrom::Topic).stream, "orders");
        assert_eq!(parse(KCAT_EVENT, StreamFrom::Partition).stream, "orders-2");
        // No key: the partition is the stream.
        assert_eq!(parse(KCAT_PLAIN, StreamFrom::Key).stream, "clicks-0");
    }

    #[test]
    fn a_payload_that_is_not_an_event_is_the_data_of_one_named_for_the_topic() {
        let event = parse(KCAT_PLAIN, StreamFrom::Key);
        assert_eq!(event.event_type, "clicks");
        assert_eq!(event.data.as_str(), r#"{"page":"/"}"#);
        let text = parse(KCAT_TEXT, StreamFrom::Key);
        assert_eq!(text.data.as_str(), r#""hello""#);
        assert_eq!(text.stream, "k");
    }

    #[test]
    fn a_cloudevent_payload_keeps_its_own_subject_and_id() {
        let event = parse(KCAT_CLOUDEVENT, StreamFrom::Key);
        assert_eq!(event.stream, "cart-9");
        assert_eq!(event.id.as_deref(), Some("e-9"));
        assert_eq!(event.event_type, "CartOpened");
        assert_eq!(parse(KCAT_CLOUDEVENT, StreamFrom::Topic).stream, "ce");
    }

    #[test]
    fn native_and_cloudevents_lines_are_told_apart() {
        let native = r#"{"stream":"a-1","type":"Opened","time":"2024-01-01T00:00:00Z","data":{}}"#;
        assert_eq!(parse(native, StreamFrom::Key).stream, "a-1");
        let cloud = r#"{"specversion":"1.0","id":"x","source":"/s","type":"T","subject":"s-1"}"#;
        assert_eq!(parse(cloud, StreamFrom::Key).stream, "s-1");
        assert_eq!(parse_record("  ", 4, None, StreamFrom::Key), Ok(None));
    }

    #[test]
    fn a_bad_line_names_its_line() {
        let error = parse_record("{\"stream\":", 7, None, StreamFrom::Key).unwrap_err();
        assert!(error.starts_with("line 7"), "{error}");
        let error = parse_record("{}", 3, Some(Record::Kcat), StreamFrom::Key).unwrap_err();
        assert!(error.starts_with("line 3, column"), "{error}");
    }
}
