//! Writing one event as a CloudEvent (structured JSON, one object per line),
//! attributes in a fixed order so that output is deterministic, and chosen
//! so that reading it back gives the event exactly: every metadata member,
//! in its order.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{DEFAULT_CONTENT_TYPE, DEFAULT_SOURCE, PACKED_METADATA, is_attribute_name, is_base64};
use crate::event::{Event, Json};
use crate::format::json_text::{object_members, push_json_string, push_object};

/// Names that never carry a metadata member as an extension: the spec's
/// own attributes and the extensions eventscope writes itself.
const RESERVED: [&str; 14] = [
    "specversion",
    "id",
    "source",
    "type",
    "subject",
    "time",
    "datacontenttype",
    "dataschema",
    "data",
    "sequence",
    "streamversion",
    "correlationid",
    "causationid",
    PACKED_METADATA,
];

/// Extension names are kept short, as the spec recommends.
const MAX_EXTENSION_NAME: usize = 20;

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

/// Where a metadata member goes, in the order the attributes are written.
/// Reading rebuilds metadata in the order its attributes come, so a member
/// is carried by an attribute only if that keeps it in its place; from the
/// first that cannot be, the rest is packed.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Source,
    ContentType,
    DataSchema,
    Correlation,
    Causation,
    Extension,
    Packed,
    /// `"data_base64": true` with string data: the data is written as
    /// `data_base64`, which comes last.
    Base64,
}

/// An event's metadata sorted into the attributes that will carry it.
/// Values are raw compact JSON text.
#[derive(Default)]
struct MetadataAttributes<'a> {
    source: Option<&'a str>,
    content_type: Option<&'a str>,
    dataschema: Option<&'a str>,
    correlation: Option<&'a str>,
    causation: Option<&'a str>,
    extensions: Vec<(Cow<'a, str>, &'a str)>,
    /// What no attribute can carry, for `eventscopemetadata`.
    rest: Vec<(Cow<'a, str>, &'a str)>,
    /// Metadata that is not an object (or an empty one) travels whole.
    whole: Option<&'a str>,
    base64: bool,
}

impl<'a> MetadataAttributes<'a> {
    fn of(metadata: Option<&'a Json>, data: &Json) -> Self {
        let mut sorted = MetadataAttributes::default();
        let Some(metadata) = metadata else {
            return sorted;
        };
        let members = match object_members(metadata.as_str()) {
            Some(members) if !members.is_empty() => members,
            _ => {
                sorted.whole = Some(metadata.as_str());
                return sorted;
            }
        };
        let count = members.len();
        let mut reached = Slot::Source;
        for (index, (key, raw)) in members.into_iter().enumerate() {
            let value = raw.get();
            let slot = sorted.slot_for(&key, value, data, index + 1 == count);
            match slot {
                Some(slot) if slot >= reached => {
                    reached = slot;
                    sorted.carry(slot, key, value);
                }
                _ => {
                    reached = Slot::Packed;
                    sorted.rest.push((key, value));
                }
            }
        }
        sorted
    }

    /// The attribute that could carry `key`, if it is still free.
    fn slot_for(&self, key: &str, value: &str, data: &Json, last: bool) -> Option<Slot> {
        let named = |text: &str| is_attribute_string(text) && text != "\"\"";
        let quoted = |text: &str| format!("\"{text}\"");
        let slot = match key {
            "source" if named(value) && value != quoted(DEFAULT_SOURCE) => Slot::Source,
            "datacontenttype" if named(value) && value != quoted(DEFAULT_CONTENT_TYPE) => {
                Slot::ContentType
            }
            "dataschema" if named(value) => Slot::DataSchema,
            "correlation_id" if is_attribute_value(value) => Slot::Correlation,
            "causation_id" if is_attribute_value(value) => Slot::Causation,
            "data_base64" if value == "true" && last && is_base64_string(data.as_str()) => {
                Slot::Base64
            }
            name if !RESERVED.contains(&name)
                && is_attribute_name(name)
                && name.len() <= MAX_EXTENSION_NAME
                && is_attribute_value(value)
                && !self.extensions.iter().any(|(taken, _)| taken == name) =>
            {
                Slot::Extension
            }
            _ => return None,
        };
        let taken = match slot {
            Slot::Source => self.source.is_some(),
            Slot::ContentType => self.content_type.is_some(),
            Slot::DataSchema => self.dataschema.is_some(),
            Slot::Correlation => self.correlation.is_some(),
            Slot::Causation => self.causation.is_some(),
            Slot::Base64 => self.base64,
            Slot::Extension | Slot::Packed => false,
        };
        (!taken).then_some(slot)
    }

    fn carry(&mut self, slot: Slot, key: Cow<'a, str>, value: &'a str) {
        match slot {
            Slot::Source => self.source = Some(value),
            Slot::ContentType => self.content_type = Some(value),
            Slot::DataSchema => self.dataschema = Some(value),
            Slot::Correlation => self.correlation = Some(value),
            Slot::Causation => self.causation = Some(value),
            Slot::Extension => self.extensions.push((key, value)),
            Slot::Packed => self.rest.push((key, value)),
            Slot::Base64 => self.base64 = true,
        }
    }
}

/// JSON text that is one string holding Base64, without escapes.
fn is_base64_string(json: &str) -> bool {
    is_attribute_string(json)
        && json
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .is_some_and(is_base64)
}

fn push_attribute(out: &mut String, name: &str, raw_value: &str) {
    out.push(',');
    push_json_string(out, name);
    out.push(':');
    out.push_str(raw_value);
}

/// Appends `event` as one CloudEvent line, `\n` included.
pub(in crate::format) fn write(event: &Event, out: &mut String) {
    let metadata = MetadataAttributes::of(event.metadata.as_ref(), &event.data);
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
    if let Some(time) = event.time {
        let _ = write!(out, ",\"time\":\"{time}\"");
    }
    match metadata.content_type {
        Some(content_type) => push_attribute(out, "datacontenttype", content_type),
        // Binary data of no named type claims none.
        None if metadata.base64 => {}
        None => {
            out.push_str(",\"datacontenttype\":");
            push_json_string(out, DEFAULT_CONTENT_TYPE);
        }
    }
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
    out.push_str(if metadata.base64 {
        ",\"data_base64\":"
    } else {
        ",\"data\":"
    });
    out.push_str(event.data.as_str());
    out.push_str("}\n");
}
