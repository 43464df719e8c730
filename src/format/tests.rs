//! Reading whole inputs; the round-trip laws for both formats are in
//! `round_trip`.

mod fuzz;
mod round_trip;

use std::sync::Arc;

use super::*;

pub(super) fn read_all(input: &str, format: Format) -> Result<Vec<NewEvent>, ReadError<String>> {
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
pub(super) fn stored(new: NewEvent, seq: u64) -> Event {
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

pub(super) fn export(events: &[Event], format: Format) -> String {
    let mut writer = EventWriter::new(Vec::new(), format);
    for event in events {
        writer.write(event).unwrap();
    }
    assert_eq!(writer.written(), events.len() as u64);
    String::from_utf8(writer.finish().unwrap()).unwrap()
}

/// Import then store: seq by position, as the store assigns it.
pub(super) fn reimport(text: &str, format: Format) -> Vec<Event> {
    let events = read_all(text, format).unwrap();
    events
        .into_iter()
        .zip(1..)
        .map(|(new, seq)| stored(new, seq))
        .collect()
}

pub(super) const T: &str = "2024-03-01T09:30:00Z";

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
        (b"{\"stream\":\"s\",\"type\":\"A\",\"time\":5}", true),
        (b"{\"stream\":\"s\",\"type\":\"A\",\"time\":\"yesterday\"}", true),
        (b"{\"stream\":\"s\",\"version\":0,\"type\":\"A\",\"time\":\"2024-03-01T09:30:00Z\"}", true),
        (b"{\"stream\":\"s\",\"version\":-1,\"type\":\"A\",\"time\":\"2024-03-01T09:30:00Z\"}", true),
        (b"{\"stream\":\"s\",\"version\":\"1\",\"type\":\"A\",\"time\":\"2024-03-01T09:30:00Z\"}", true),
        (b"{\"stream\":\"s\",\"type\":\"A\",\"x\":1,\"time\":\"2024-03-01T09:30:00Z\"}", true),
        (b"{\"stream\":\"s\xFF\",\"type\":\"A\",\"time\":\"2024-03-01T09:30:00Z\"}", true),
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
    assert_eq!(error.to_string(), "line 2, column 12: invalid UTF-8");
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

pub(super) fn cloud_event(id: u32) -> String {
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
        error.to_string().contains("missing attribute `type`"),
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
fn sink_errors_in_an_array_name_the_element() {
    let input = format!("[\n{},\n{}\n]", cloud_event(1), cloud_event(2));
    let result = read_events(input.as_bytes(), Format::CloudEvents, |event| {
        if event.id.as_deref() == Some("e2") {
            Err("duplicate id")
        } else {
            Ok(())
        }
    });
    let Err(ReadError::Sink { line, element, .. }) = result else {
        panic!("{result:?}")
    };
    assert_eq!((line, element), (3, Some(2)));
}

#[test]
fn an_unclosed_element_before_the_final_bracket_is_placed_in_it() {
    // The first event's object is never closed: the `]` on line 3 is where
    // its `}` should be, not a missing bracket.
    let open = cloud_event(1);
    let open = open.strip_suffix('}').unwrap();
    let input = format!("[\n{open}\n]\n");
    let error = format_error(&input, Format::CloudEvents);
    assert_eq!(
        (error.line, error.column, error.element),
        (3, Some(1), Some(1)),
        "{error}"
    );
    assert!(!error.to_string().contains("is missing"), "{error}");
    assert!(error.to_string().contains("expected `,` or `}`"), "{error}");
}

/// What the import keeps must show as it is: JSON that a `Value` cannot
/// hold is refused, placed at the value that breaks it.
#[test]
fn json_no_tree_can_hold_is_refused_where_it_breaks() {
    let deep = format!("{}1{}", "[".repeat(128), "]".repeat(128));
    for (payload, why) in [
        ("{\"big\":1e400}", "number out of range"),
        ("[\"\\ud800\"]", "escape"),
        (deep.as_str(), "recursion limit exceeded"),
    ] {
        for field in ["data", "metadata"] {
            let native = format!(
                "{{\"stream\":\"s\",\"type\":\"T\",\"time\":\"{T}\"}}\n{{\"stream\":\"s\",\"type\":\"T\",\"time\":\"{T}\",\"{field}\":{payload}}}\n"
            );
            let error = format_error(&native, Format::Native);
            let message = error.to_string();
            assert_eq!(error.line, 2, "{message}");
            let start = native.lines().nth(1).unwrap().find(payload).unwrap() as u64 + 1;
            let column = error.column.expect("a column");
            assert!(
                column >= start && column <= start + payload.len() as u64,
                "{field} {payload}: {message}"
            );
            assert!(
                message.contains(&format!("`{field}` cannot be kept as written: "))
                    && message.contains(why),
                "{message}"
            );
        }
        let cloud = format!(
            "[{},\n{}]",
            cloud_event(1),
            cloud_event(2).replace("{\"n\":2}", payload)
        );
        let error = format_error(&cloud, Format::CloudEvents);
        assert_eq!((error.line, error.element), (2, Some(2)), "{error}");
        assert!(error.column.is_some(), "{error}");
        assert!(error.to_string().contains(why), "{error}");
    }
}

/// Events lent with borrowed fields are the events read the owned way:
/// escapes undone, payloads compacted, defaults filled, in both formats.
#[test]
fn lent_events_are_the_events_read() {
    let native = concat!(
        r#"{"stream":"a\u002d1","type":"T","id":"x\"y","time":"2024-03-01T09:30:00Z","data":{ "k" : [1, 2] },"metadata":{"c":"d"}}"#,
        "\n\n",
        r#"{"stream":"b","version":2,"type":"U","data":{"s":"a b"}}"#,
        "\n",
        r#"{"stream":"c","type":"V","time":null}"#,
        "\n",
    );
    let array = concat!(
        "[\n",
        r#"{"specversion":"1.0","id":"e-1","source":"s","type":"T","subject":"x","data":{"a": 1}},"#,
        "\n",
        r#"{"specversion":"1.0","id":"e-2","source":"eventscope","type":"U","correlationid":"c"}"#,
        "\n]\n",
    );
    for (input, format) in [(native, Format::Native), (array, Format::CloudEvents)] {
        let mut lent = Vec::new();
        let count = read_located_texts(input.as_bytes(), format, |at, event| {
            lent.push((at, event.clone().into_new_event()));
            Ok::<(), String>(())
        })
        .unwrap();
        let mut read = Vec::new();
        read_located_events(input.as_bytes(), format, |at, event| {
            read.push((at, event));
            Ok::<(), String>(())
        })
        .unwrap();
        assert_eq!(count, read.len() as u64);
        assert_eq!(lent, read, "{format}");
    }
}

/// Lending stops at a bad line with the same error, and a sink's refusal
/// names the line it was refused at.
#[test]
fn lent_events_stop_where_reading_stops() {
    let input =
        "{\"stream\":\"a\",\"type\":\"T\"}\n{\"stream\":\"a\",\"type\":\"T\",\"data\":1e400}\n";
    let lent = read_located_texts(
        input.as_bytes(),
        Format::Native,
        |_, _| Ok::<(), String>(()),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(lent, format_error(input, Format::Native).to_string());
    let refused = read_located_texts(input.as_bytes(), Format::Native, |_, _| {
        Err::<(), String>("no".into())
    })
    .unwrap_err();
    assert!(
        matches!(refused, ReadError::Sink { line: 1, .. }),
        "{refused:?}"
    );
}
