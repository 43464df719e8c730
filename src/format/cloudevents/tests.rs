use super::*;
use crate::event::{Event, Json, NewEvent, Timestamp};
use crate::format::error::{FormatError, FormatErrorKind};
use crate::format::lines::Chunk;

fn json(text: &str) -> Json {
    Json::parse_text(text).unwrap()
}

fn event(metadata: Option<&str>) -> Event {
    Event {
        seq: 42,
        stream: "customer-1".into(),
        version: 3,
        event_type: "CustomerAddressChanged".into(),
        id: "e-42".into(),
        time: Timestamp::parse_rfc3339("2024-03-01T09:30:00Z").unwrap(),
        data: json(r#"{"city":"Leeds"}"#),
        metadata: metadata.map(json),
    }
}

fn written(event: &Event) -> String {
    let mut out = String::new();
    write(event, &mut out);
    out
}

fn read(text: &str) -> Result<NewEvent, FormatError> {
    parse(&Chunk::line(text.trim_end_matches('\n'), 5))
}

fn read_kind(text: &str) -> FormatErrorKind {
    read(text).unwrap_err().kind
}

/// A minimal valid CloudEvent with `extra` attributes spliced in.
fn cloud_event(extra: &str) -> String {
    format!(
        r#"{{"specversion":"1.0","id":"x-1","source":"https://shop.example","type":"OrderPlaced","subject":"order-9","time":"2024-03-01T09:30:00+01:00"{extra}}}"#
    )
}

#[test]
fn events_without_metadata_get_the_default_source_and_fixed_order() {
    let line = written(&event(None));
    let want = concat!(
        r#"{"specversion":"1.0","id":"e-42","source":"eventscope","type":"CustomerAddressChanged","#,
        r#""subject":"customer-1","time":"2024-03-01T09:30:00Z","datacontenttype":"application/json","#,
        r#""sequence":"00000000000000000042","streamversion":3,"data":{"city":"Leeds"}}"#,
        "\n"
    );
    assert_eq!(line, want);
}

#[test]
fn metadata_maps_to_attributes_and_the_rest_is_packed() {
    let metadata = r#"{"tenant":"acme","correlation_id":"c-1","nested":{"a":1},"source":"https://crm","Big Name":"x","causation_id":7,"retry":true}"#;
    let line = written(&event(Some(metadata)));
    let want = concat!(
        r#"{"specversion":"1.0","id":"e-42","source":"https://crm","type":"CustomerAddressChanged","#,
        r#""subject":"customer-1","time":"2024-03-01T09:30:00Z","datacontenttype":"application/json","#,
        r#""sequence":"00000000000000000042","streamversion":3,"correlationid":"c-1","causationid":7,"#,
        r#""tenant":"acme","retry":true,"eventscopemetadata":"{\"nested\":{\"a\":1},\"Big Name\":\"x\"}","#,
        r#""data":{"city":"Leeds"}}"#,
        "\n"
    );
    assert_eq!(line, want);
}

#[test]
fn importing_an_export_keeps_every_metadata_member() {
    let metadata = r#"{"tenant":"acme","correlation_id":"c-1","nested":{"a":[1,2]},"source":"https://crm","Big Name":"x","causation_id":7,"id":"clash","ratio":0.5}"#;
    let back = read(&written(&event(Some(metadata)))).unwrap();
    let members = back.metadata.unwrap().value();
    let original = json(metadata).value();
    assert_eq!(
        members.as_object().unwrap().len(),
        original.as_object().unwrap().len()
    );
    for (key, value) in original.as_object().unwrap() {
        assert_eq!(members.get(key), Some(value), "{key}");
    }
}

#[test]
fn the_default_source_is_not_kept_as_metadata() {
    let back = read(&written(&event(None))).unwrap();
    assert_eq!(back.metadata, None);
    let back = read(&written(&event(Some(r#"{"correlation_id":"c-1"}"#)))).unwrap();
    assert_eq!(back.metadata, Some(json(r#"{"correlation_id":"c-1"}"#)));
}

#[test]
fn metadata_that_is_not_an_object_travels_whole() {
    for metadata in ["[1,\"a\"]", "null", "\"just text\""] {
        let back = read(&written(&event(Some(metadata)))).unwrap();
        assert_eq!(back.metadata, Some(json(metadata)), "{metadata}");
    }
}

#[test]
fn a_foreign_cloud_event_is_read_with_its_extensions_kept() {
    let text = cloud_event(
        r#","dataschema":"https://schemas/o.json","sequence":"7","streamversion":"2","traceparent":"00-ab","correlationid":"c-9","data":{"total":1200}"#,
    );
    let event = read(&text).unwrap();
    assert_eq!(event.stream, "order-9");
    assert_eq!(event.event_type, "OrderPlaced");
    assert_eq!(event.id.as_deref(), Some("x-1"));
    assert_eq!(event.time.to_string(), "2024-03-01T08:30:00Z");
    assert_eq!(event.expected_version, Some(2));
    assert_eq!(event.data, json(r#"{"total":1200}"#));
    let want = r#"{"source":"https://shop.example","dataschema":"https://schemas/o.json","traceparent":"00-ab","correlation_id":"c-9"}"#;
    assert_eq!(event.metadata, Some(json(want)));
}

#[test]
fn data_defaults_to_an_empty_object_and_json_content_types_are_accepted() {
    for content_type in [
        "application/json",
        "application/json; charset=utf-8",
        "application/vnd.shop+json",
    ] {
        let event = read(&cloud_event(&format!(
            r#","datacontenttype":"{content_type}""#
        )))
        .unwrap();
        assert_eq!(event.data, Json::empty_object(), "{content_type}");
    }
}

#[test]
fn unsupported_events_are_refused_with_a_reason() {
    let old = read_kind(&cloud_event("").replace("\"1.0\"", "\"0.3\""));
    assert_eq!(
        old,
        FormatErrorKind::UnsupportedSpecVersion("\"0.3\"".into())
    );
    assert_eq!(
        read_kind(&cloud_event(r#","data_base64":"AAAA""#)),
        FormatErrorKind::Base64Data
    );
    let xml = read_kind(&cloud_event(r#","datacontenttype":"text/xml""#));
    assert_eq!(
        xml,
        FormatErrorKind::UnsupportedContentType("\"text/xml\"".into())
    );
    let version = read_kind(&cloud_event(r#","streamversion":0"#));
    assert_eq!(
        version,
        FormatErrorKind::BadVersion {
            field: "streamversion",
            found: "0".into()
        }
    );
    let packed = read_kind(&cloud_event(r#","eventscopemetadata":{"a":1}"#));
    assert!(
        matches!(packed, FormatErrorKind::BadPackedMetadata(_)),
        "{packed:?}"
    );
    let mixed = read_kind(&cloud_event(r#","tenant":"a","eventscopemetadata":"[1]""#));
    assert!(
        matches!(mixed, FormatErrorKind::BadPackedMetadata(_)),
        "{mixed:?}"
    );
}

#[test]
fn missing_attributes_are_named() {
    let no_subject = read(&cloud_event("").replace(r#""subject":"order-9","#, "")).unwrap_err();
    assert_eq!(no_subject.line, 5);
    assert!(
        no_subject
            .to_string()
            .contains("missing attribute `subject`"),
        "{no_subject}"
    );
    let no_time =
        read(&cloud_event("").replace(r#","time":"2024-03-01T09:30:00+01:00""#, "")).unwrap_err();
    assert!(
        no_time.to_string().contains("missing attribute `time`"),
        "{no_time}"
    );
    let no_source =
        read(&cloud_event("").replace(r#""source":"https://shop.example","#, "")).unwrap_err();
    assert!(
        no_source.to_string().contains("missing field `source`"),
        "{no_source}"
    );
    let twice = read(&cloud_event(r#","type":"Again""#)).unwrap_err();
    assert!(
        twice.to_string().contains("duplicate field `type`"),
        "{twice}"
    );
}

#[test]
fn bad_values_are_placed_at_their_column() {
    let text = cloud_event("").replace("2024-03-01T09:30:00+01:00", "soon");
    let error = read(&text).unwrap_err();
    let column = text.find("\"soon\"").unwrap() as u64 + 1;
    assert_eq!((error.line, error.column), (5, Some(column)));
    assert!(
        error.to_string().contains("`soon` is not an RFC 3339 time"),
        "{error}"
    );
}
