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
        time: Some(Timestamp::parse_rfc3339("2024-03-01T09:30:00Z").unwrap()),
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
    let metadata = r#"{"source":"https://crm","correlation_id":"c-1","causation_id":7,"tenant":"acme","retry":true,"nested":{"a":1},"Big Name":"x"}"#;
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

/// Reading rebuilds metadata in attribute order, so a member an attribute
/// could carry only out of its place is packed, with all after it.
#[test]
fn metadata_out_of_attribute_order_is_packed_to_keep_its_order() {
    let metadata =
        r#"{"tenant":"acme","correlation_id":"c-1","source":"https://crm","retry":true}"#;
    let line = written(&event(Some(metadata)));
    let want = concat!(
        r#"{"specversion":"1.0","id":"e-42","source":"eventscope","type":"CustomerAddressChanged","#,
        r#""subject":"customer-1","time":"2024-03-01T09:30:00Z","datacontenttype":"application/json","#,
        r#""sequence":"00000000000000000042","streamversion":3,"tenant":"acme","#,
        r#""eventscopemetadata":"{\"correlation_id\":\"c-1\",\"source\":\"https://crm\",\"retry\":true}","#,
        r#""data":{"city":"Leeds"}}"#,
        "\n"
    );
    assert_eq!(line, want);
    let back = read(&line).unwrap();
    assert_eq!(back.metadata.unwrap().as_str(), metadata);
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

/// What a cycle used to lose: a `source` member equal to the default, an
/// empty metadata object, a content type equal to the default.
#[test]
fn metadata_that_looks_like_a_default_survives_a_cycle() {
    for metadata in [
        r#"{"source":"eventscope"}"#,
        "{}",
        r#"{"datacontenttype":"application/json","source":""}"#,
        r#"{"a":1,"source":"eventscope","correlation_id":"c"}"#,
    ] {
        let back = read(&written(&event(Some(metadata)))).unwrap();
        assert_eq!(back.metadata, Some(json(metadata)), "{metadata}");
    }
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
    assert_eq!(event.time.unwrap().to_string(), "2024-03-01T08:30:00Z");
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
fn valid_cloud_events_without_optional_attributes_are_read() {
    let minimal = r#"{"specversion":"1.0","id":"x-1","source":"/shop","type":"OrderPlaced"}"#;
    let event = read(minimal).unwrap();
    assert_eq!(event.time, None, "no time is kept as none");
    assert_eq!(
        event.stream, "/shop",
        "without a subject, the source is the stream"
    );
    assert_eq!(event.metadata, Some(json(r#"{"source":"/shop"}"#)));
    let nulls = read(
        &cloud_event(r#","subject":null,"time":null,"unset":null"#).replace(
            r#""subject":"order-9","time":"2024-03-01T09:30:00+01:00","#,
            "",
        ),
    )
    .unwrap();
    assert_eq!(
        (nulls.stream.as_str(), nulls.time),
        ("https://shop.example", None),
        "null attributes are unset"
    );
}

#[test]
fn binary_and_non_json_data_are_read_and_written_back() {
    let binary = read(&cloud_event(
        r#","datacontenttype":"image/png","data_base64":"iVBORw0KGgo=""#,
    ))
    .unwrap();
    assert_eq!(binary.data, json(r#""iVBORw0KGgo=""#));
    let want =
        r#"{"source":"https://shop.example","datacontenttype":"image/png","data_base64":true}"#;
    assert_eq!(binary.metadata, Some(json(want)));
    let xml = read(&cloud_event(
        r#","datacontenttype":"text/xml","data":"<a x=\"1\"/>""#,
    ))
    .unwrap();
    assert_eq!(xml.data, json(r#""<a x=\"1\"/>""#));
    for new in [binary, xml] {
        let stored = Event::stored(new.clone(), 1, 1);
        let line = written(&stored);
        assert_eq!(
            read(&line).unwrap(),
            NewEvent {
                expected_version: Some(1),
                ..new
            }
        );
    }
    let line = written(&Event::stored(
        read(&cloud_event(r#","data_base64":"AAAA""#)).unwrap(),
        1,
        1,
    ));
    assert!(line.contains(r#","data_base64":"AAAA"}"#), "{line}");
    assert!(!line.contains("datacontenttype"), "{line}");
}

#[test]
fn invalid_cloud_events_are_refused_at_the_value() {
    let cases: [(String, FormatErrorKind); 11] = [
        (
            cloud_event("").replace("\"1.0\"", "\"0.3\""),
            FormatErrorKind::UnsupportedSpecVersion("\"0.3\"".into()),
        ),
        (
            cloud_event("").replace("\"https://shop.example\"", "null"),
            FormatErrorKind::MissingAttribute("source"),
        ),
        (
            cloud_event("").replace("\"https://shop.example\"", "7"),
            FormatErrorKind::NotAString { field: "source" },
        ),
        (
            cloud_event("").replace("\"https://shop.example\"", "\"\""),
            FormatErrorKind::Empty { field: "source" },
        ),
        (
            cloud_event(r#","Tenant":"a""#),
            FormatErrorKind::BadAttributeName("Tenant".into()),
        ),
        (
            cloud_event(r#","trace_id":"a""#),
            FormatErrorKind::BadAttributeName("trace_id".into()),
        ),
        (
            cloud_event(r#","tenant":"a","tenant":"b""#),
            FormatErrorKind::DuplicateAttribute("tenant".into()),
        ),
        (
            cloud_event(r#","tenant":{"a":1}"#),
            FormatErrorKind::BadAttributeValue {
                name: "tenant".into(),
                found: r#"{"a":1}"#.into(),
            },
        ),
        (
            cloud_event(r#","data_base64":"not base64!""#),
            FormatErrorKind::BadBase64,
        ),
        (
            cloud_event(r#","data":{},"data_base64":"AAAA""#),
            FormatErrorKind::DataTwice,
        ),
        (
            cloud_event(r#","streamversion":0"#),
            FormatErrorKind::BadVersion {
                field: "streamversion",
                found: "0".into(),
            },
        ),
    ];
    for (text, kind) in cases {
        let error = read(&text).unwrap_err();
        assert_eq!(error.kind, kind, "{text}");
        assert!(error.column.is_some(), "{text}: {error}");
    }
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
    // An attribute and a packed member naming the same metadata member.
    let clash = read_kind(&cloud_event(
        r#","tenant":"a","eventscopemetadata":"{\"tenant\":\"b\"}""#,
    ));
    assert!(
        matches!(clash, FormatErrorKind::BadPackedMetadata(_)),
        "{clash:?}"
    );
    let correlation = read_kind(&cloud_event(
        r#","correlationid":"a","eventscopemetadata":"{\"correlation_id\":\"b\"}""#,
    ));
    assert!(
        matches!(correlation, FormatErrorKind::BadPackedMetadata(_)),
        "{correlation:?}"
    );
}

#[test]
fn missing_attributes_are_named() {
    for (name, attribute) in [
        ("source", r#""source":"https://shop.example","#),
        ("id", r#""id":"x-1","#),
        ("type", r#""type":"OrderPlaced","#),
        ("specversion", r#""specversion":"1.0","#),
    ] {
        let error = read(&cloud_event("").replace(attribute, "")).unwrap_err();
        assert_eq!(error.line, 5);
        assert_eq!(error.kind, FormatErrorKind::MissingAttribute(name));
        assert!(
            error
                .to_string()
                .contains(&format!("missing attribute `{name}`")),
            "{error}"
        );
    }
    let twice = read(&cloud_event(r#","type":"Again""#)).unwrap_err();
    assert!(
        twice
            .to_string()
            .contains("attribute `type` is given twice"),
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
