//! Reading one CloudEvent (structured JSON) into a [`NewEvent`], following
//! CloudEvents 1.0 both ways: what the spec allows is read, what it forbids
//! is refused at the value that breaks it.

use std::borrow::Cow;
use std::fmt;

use rustc_hash::FxHashSet;
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::{DEFAULT_CONTENT_TYPE, DEFAULT_SOURCE, is_attribute_name, is_base64};
use crate::event::{Json, NewEvent};
use crate::format::error::{FormatError, FormatErrorKind, excerpt};
use crate::format::fields::{self, Quoted};
use crate::format::json_text::{
    Key, check_representable, compact, object_members, push_compact, push_json_string, raw_string,
};
use crate::format::lines::Chunk;

/// The members of one JSON object in order, values left raw.
struct Members<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MembersVisitor)
    }
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Members<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CloudEvent object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
        let mut members = Vec::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            members.push((key, map.next_value::<&'de RawValue>()?));
        }
        Ok(Members(members))
    }
}

/// Where a piece of the event's metadata came from, in input order.
enum MetadataPart<'a> {
    /// An attribute kept under a metadata key, its value raw JSON.
    Member(Cow<'a, str>, &'a str),
    /// The `eventscopemetadata` extension: JSON text to unpack.
    Packed(&'a RawValue),
}

/// The attributes an event is made of, values raw; metadata in order.
#[derive(Default)]
struct Attributes<'a> {
    specversion: Option<&'a RawValue>,
    id: Option<&'a RawValue>,
    source: Option<&'a RawValue>,
    event_type: Option<&'a RawValue>,
    subject: Option<&'a RawValue>,
    time: Option<&'a RawValue>,
    data: Option<&'a RawValue>,
    data_base64: Option<&'a RawValue>,
    streamversion: Option<&'a RawValue>,
    metadata: Vec<MetadataPart<'a>>,
}

/// Reads one CloudEvent object.
pub(in crate::format) fn parse(chunk: &Chunk<'_>) -> Result<NewEvent, FormatError> {
    let Members(members) =
        serde_json::from_str(chunk.text).map_err(|error| chunk.serde_error(&error))?;
    let attributes = sort(chunk, &members)?;
    let required = |raw, name| required(chunk, raw, name);
    let specversion = required(attributes.specversion, "specversion")?;
    if raw_string(specversion).as_deref() != Some("1.0") {
        let found = excerpt(specversion.get());
        return Err(chunk.error_at(
            specversion.get(),
            FormatErrorKind::UnsupportedSpecVersion(found),
        ));
    }
    let id = fields::name(chunk, "id", required(attributes.id, "id")?)?;
    let source = fields::name(chunk, "source", required(attributes.source, "source")?)?;
    let event_type = fields::name(chunk, "type", required(attributes.event_type, "type")?)?;
    // Without a subject the source is the finest grain the event names.
    let stream = match attributes.subject {
        Some(raw) => fields::name(chunk, "subject", raw)?,
        None => source,
    };
    let time = attributes
        .time
        .map(|raw| fields::time(chunk, "time", raw))
        .transpose()?;
    let expected_version = attributes
        .streamversion
        .map(|raw| fields::version(chunk, "streamversion", raw, Quoted::Accepted))
        .transpose()?;
    let data = match (attributes.data, attributes.data_base64) {
        (Some(_), Some(raw)) => return Err(chunk.error_at(raw.get(), FormatErrorKind::DataTwice)),
        (Some(raw), None) => fields::payload(chunk, "data", raw)?,
        (None, Some(raw)) => Json::from_trusted(raw.get()),
        (None, None) => Json::empty_object(),
    };
    Ok(NewEvent {
        stream,
        event_type,
        id: Some(id),
        time,
        data,
        metadata: metadata(chunk, &attributes.metadata)?,
        expected_version,
    })
}

/// A required attribute, or an error placed at the start of the event.
fn required<'a>(
    chunk: &Chunk<'_>,
    raw: Option<&'a RawValue>,
    name: &'static str,
) -> Result<&'a RawValue, FormatError> {
    raw.ok_or_else(|| chunk.error_at(chunk.text, FormatErrorKind::MissingAttribute(name)))
}

/// The text of `eventscopemetadata`: a string holding JSON eventscope can
/// keep as written.
fn packed_text<'a>(chunk: &Chunk<'_>, raw: &'a RawValue) -> Result<Cow<'a, str>, FormatError> {
    let error = |why| chunk.error_at(raw.get(), FormatErrorKind::BadPackedMetadata(why));
    let text = raw_string(raw).ok_or_else(|| error("must be a string holding JSON"))?;
    check_representable(&text)
        .map_err(|_| error("does not hold JSON that eventscope can keep as written"))?;
    Ok(text)
}

/// Checks each member's name and value and sorts it into the attribute or
/// the metadata member it carries.
fn sort<'a>(
    chunk: &Chunk<'_>,
    members: &'a [(Cow<'a, str>, &'a RawValue)],
) -> Result<Attributes<'a>, FormatError> {
    let mut seen = FxHashSet::default();
    let mut attributes = Attributes::default();
    for (key, raw) in members {
        let at = |kind| chunk.error_at(raw.get(), kind);
        if !seen.insert(key.as_ref()) {
            return Err(at(FormatErrorKind::DuplicateAttribute(excerpt(key))));
        }
        let value = raw.get();
        if key == "data" {
            attributes.data = Some(raw);
            continue;
        }
        if !is_attribute_name(key) && key != "data_base64" {
            return Err(at(FormatErrorKind::BadAttributeName(excerpt(key))));
        }
        // The spec: an attribute set to null is unset.
        if value == "null" {
            continue;
        }
        let member = |name: &'static str| MetadataPart::Member(Cow::Borrowed(name), value);
        match key.as_ref() {
            "specversion" => attributes.specversion = Some(raw),
            "id" => attributes.id = Some(raw),
            "type" => attributes.event_type = Some(raw),
            "subject" => attributes.subject = Some(raw),
            "time" => attributes.time = Some(raw),
            "streamversion" => attributes.streamversion = Some(raw),
            // The store assigns positions: an incoming one is checked only
            // for its type.
            "sequence" => {
                fields::name(chunk, "sequence", raw)?;
            }
            "source" => {
                attributes.source = Some(raw);
                if raw_string(raw).as_deref() != Some(DEFAULT_SOURCE) {
                    attributes.metadata.push(member("source"));
                }
            }
            "datacontenttype" => {
                let content_type = fields::name(chunk, "datacontenttype", raw)?;
                if content_type != DEFAULT_CONTENT_TYPE {
                    attributes.metadata.push(member("datacontenttype"));
                }
            }
            "dataschema" => {
                fields::name(chunk, "dataschema", raw)?;
                attributes.metadata.push(member("dataschema"));
            }
            "data_base64" => {
                if !raw_string(raw).is_some_and(|text| is_base64(&text)) {
                    return Err(at(FormatErrorKind::BadBase64));
                }
                attributes.data_base64 = Some(raw);
                attributes.metadata.push(member_true("data_base64"));
            }
            "eventscopemetadata" => attributes.metadata.push(MetadataPart::Packed(raw)),
            name => {
                if !is_attribute_value(value) || check_representable(value).is_err() {
                    return Err(at(FormatErrorKind::BadAttributeValue {
                        name: name.to_string(),
                        found: excerpt(value),
                    }));
                }
                let name = match name {
                    "correlationid" => Cow::Borrowed("correlation_id"),
                    "causationid" => Cow::Borrowed("causation_id"),
                    _ => key.clone(),
                };
                attributes.metadata.push(MetadataPart::Member(name, value));
            }
        }
    }
    Ok(attributes)
}

/// The metadata member that marks data read from `data_base64`.
fn member_true(name: &'static str) -> MetadataPart<'static> {
    MetadataPart::Member(Cow::Borrowed(name), "true")
}

/// A value an attribute may hold: a string, a boolean, or an integer in
/// the spec's 32-bit range (digits only, no fraction or exponent).
fn is_attribute_value(raw: &str) -> bool {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    let integer = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && raw.parse::<i32>().is_ok();
    raw.starts_with('"') || raw == "true" || raw == "false" || integer
}

/// The metadata object rebuilt from the attributes that carry it, members
/// in the order the attributes came; `None` when none carries any.
fn metadata(chunk: &Chunk<'_>, parts: &[MetadataPart<'_>]) -> Result<Option<Json>, FormatError> {
    let packed_error =
        |raw: &RawValue, why| chunk.error_at(raw.get(), FormatErrorKind::BadPackedMetadata(why));
    let packed_text = |raw| packed_text(chunk, raw);
    if parts.is_empty() {
        return Ok(None);
    }
    if let [MetadataPart::Packed(raw)] = parts {
        // Metadata that is not an object travels whole.
        let text = packed_text(raw)?;
        if object_members(&text).is_none() {
            let whole: &RawValue = serde_json::from_str(&text)
                .map_err(|_| packed_error(raw, "does not hold valid JSON"))?;
            return Ok(Some(compact(whole.get())));
        }
    }
    let mut out = String::with_capacity(64);
    out.push('{');
    let mut keys = FxHashSet::default();
    let mut push_member = |key: &str, value: &str| {
        if !keys.insert(key.to_string()) {
            return false;
        }
        if out.len() > 1 {
            out.push(',');
        }
        push_json_string(&mut out, key);
        out.push(':');
        push_compact(&mut out, value);
        true
    };
    for part in parts {
        match part {
            MetadataPart::Member(key, value) => {
                if !push_member(key, value) {
                    let found = excerpt(key);
                    return Err(chunk.error_at(value, FormatErrorKind::DuplicateAttribute(found)));
                }
            }
            MetadataPart::Packed(raw) => {
                let text = packed_text(raw)?;
                let members = object_members(&text).ok_or_else(|| {
                    packed_error(
                        raw,
                        "must hold a JSON object when the event has other metadata attributes",
                    )
                })?;
                for (key, value) in members {
                    if !push_member(&key, value.get()) {
                        return Err(packed_error(
                            raw,
                            "holds a member that another attribute also gives",
                        ));
                    }
                }
            }
        }
    }
    out.push('}');
    Ok(Some(Json::from_trusted(out)))
}
