//! Writing one event as a CloudEvent (structured JSON, one object per line),
//! attributes in a fixed order so that output is deterministic.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{DEFAULT_SOURCE, PACKED_METADATA};
use crate::event::{Event, Json};
use crate::format::json_text::{object_members, push_json_string, push_object};

/// Names that never carry a metadata member as-is: the spec's own
/// attributes and the extensions eventscope writes itself.
const RESERVED: [&str; 15] = [
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
    PACKED_METADATA,
];

/// A CloudEvents attribute name: `a-z`, `0-9`, at most 20 characters.
fn is_attribute_name(name: &str) -> bool {
    (1..=20).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// A CloudEvents string: no escapes needed (so no control characters), and
/// none of the C1 controls the spec also excludes.
fn is_attribute_string(raw: &str) -> bool {
    raw.starts_with('"')
        && !raw.contains('\\')
        && !raw.chars().any(|c| ('\u{7f}'..='\u{9f}').contains(&c))
}

/// A value an attribute can hold: a string, a boolean or a 32-bit integer.
fn is_attribute_value(raw: &str) -> bool {
    is_attribute_string(raw) || raw == "true" || raw == "false" || raw.parse::<i32>().is_ok()
}

/// An event's metadata sorted into the attributes that will carry it.
/// Values are raw compact JSON text.
#[derive(Default)]
struct MetadataAttributes<'a> {
    source: Option<&'a str>,
    dataschema: Option<&'a str>,
    correlation: Option<&'a str>,
    causation: Option<&'a str>,
    extensions: Vec<(Cow<'a, str>, &'a str)>,
    /// What no attribute can carry, for `eventscopemetadata`.
    rest: Vec<(Cow<'a, str>, &'a str)>,
    /// Metadata that is not an object travels whole.
    whole: Option<&'a str>,
}

fn take<'a>(slot: &mut Option<&'a str>, value: &'a str, fits: bool) -> bool {
    let taken = fits && slot.is_none();
    if taken {
        *slot = Some(value);
    }
    taken
}

impl<'a> MetadataAttributes<'a> {
    fn of(metadata: Option<&'a Json>) -> Self {
        let mut sorted = MetadataAttributes::default();
        let Some(metadata) = metadata else {
            return sorted;
        };
        let Some(members) = object_members(metadata.as_str()) else {
            sorted.whole = Some(metadata.as_str());
            return sorted;
        };
        for (key, raw) in members {
            let value = raw.get();
            let carried = match key.as_ref() {
                "source" => take(
                    &mut sorted.source,
                    value,
                    is_attribute_string(value) && value != "\"\"",
                ),
                "dataschema" => take(&mut sorted.dataschema, value, is_attribute_string(value)),
                "correlation_id" => take(&mut sorted.correlation, value, is_attribute_value(value)),
                "causation_id" => take(&mut sorted.causation, value, is_attribute_value(value)),
                name => {
                    !RESERVED.contains(&name)
                        && is_attribute_name(name)
                        && is_attribute_value(value)
                        && !sorted.extensions.iter().any(|(taken, _)| taken == name)
                }
            };
            if !carried {
                sorted.rest.push((key, value));
            } else if !matches!(
                key.as_ref(),
                "source" | "dataschema" | "correlation_id" | "causation_id"
            ) {
                sorted.extensions.push((key, value));
            }
        }
        sorted
    }
}

fn push_attribute(out: &mut String, name: &str, raw_value: &str) {
    out.push(',');
    push_json_string(out, name);
    out.push(':');
    out.push_str(raw_value);
}

/// Appends `event` as one CloudEvent line, `\n` included.
pub(in crate::format) fn write(event: &Event, out: &mut String) {
    let metadata = MetadataAttributes::of(event.metadata.as_ref());
    out.push_str("{\"specversion\":\"1.0\",\"id\":");
    push_json_string(out, &event.id);
    out.push_str(",\"source\":");
    match metadata.source {
        Some(source) => out.push_str(source),
        None => push_json_string(out, DEFAULT_SOURCE),
    }
    out.push_str(",\"type\":");
    push_json_string(out, &event.event_type);
    out.push_str(",\"subject\":");
    push_json_string(out, &event.stream);
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        ",\"time\":\"{}\",\"datacontenttype\":\"application/json\"",
        event.time
    );
    if let Some(dataschema) = metadata.dataschema {
        push_attribute(out, "dataschema", dataschema);
    }
    // Zero-padded: the sequence extension orders values as strings.
    let _ = write!(
        out,
        ",\"sequence\":\"{:020}\",\"streamversion\":{}",
        event.seq, event.version
    );
    if let Some(correlation) = metadata.correlation {
        push_attribute(out, "correlationid", correlation);
    }
    if let Some(causation) = metadata.causation {
        push_attribute(out, "causationid", causation);
    }
    for (name, value) in &metadata.extensions {
        push_attribute(out, name, value);
    }
    let packed = match metadata.whole {
        Some(whole) => Some(Cow::Borrowed(whole)),
        None if metadata.rest.is_empty() => None,
        None => {
            let mut object = String::new();
            push_object(
                &mut object,
                metadata
                    .rest
                    .iter()
                    .map(|(key, value)| (key.as_ref(), *value)),
            );
            Some(Cow::Owned(object))
        }
    };
    if let Some(packed) = packed {
        out.push(',');
        push_json_string(out, PACKED_METADATA);
        out.push(':');
        push_json_string(out, &packed);
    }
    out.push_str(",\"data\":");
    out.push_str(event.data.as_str());
    out.push_str("}\n");
}
