//! Reading one CloudEvent (structured JSON) into a [`NewEvent`].

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::{DEFAULT_SOURCE, PACKED_METADATA};
use crate::event::{Json, NewEvent};
use crate::format::error::{FormatError, FormatErrorKind, excerpt};
use crate::format::fields::{self, Quoted};
use crate::format::json_text::{
    Key, compact, object_members, push_compact, push_json_string, raw_string,
};
use crate::format::lines::Chunk;

/// Where a piece of the event's metadata came from, in input order.
enum MetadataPart<'a> {
    /// An attribute kept under a metadata key.
    Member(Cow<'a, str>, &'a RawValue),
    /// The `eventscopemetadata` extension: JSON text to unpack.
    Packed(&'a RawValue),
}

/// The attributes of one CloudEvent, values left raw; required ones present.
struct CloudEvent<'a> {
    specversion: &'a RawValue,
    id: &'a RawValue,
    event_type: &'a RawValue,
    subject: &'a RawValue,
    time: &'a RawValue,
    datacontenttype: Option<&'a RawValue>,
    data: Option<&'a RawValue>,
    data_base64: Option<&'a RawValue>,
    streamversion: Option<&'a RawValue>,
    metadata: Vec<MetadataPart<'a>>,
}

#[derive(Default)]
struct Seen<'a> {
    specversion: Option<&'a RawValue>,
    id: Option<&'a RawValue>,
    source: Option<&'a RawValue>,
    event_type: Option<&'a RawValue>,
    subject: Option<&'a RawValue>,
    time: Option<&'a RawValue>,
    datacontenttype: Option<&'a RawValue>,
    data: Option<&'a RawValue>,
    data_base64: Option<&'a RawValue>,
    sequence: Option<&'a RawValue>,
    streamversion: Option<&'a RawValue>,
    packed: Option<&'a RawValue>,
}

fn once<'a, E: de::Error>(
    slot: &mut Option<&'a RawValue>,
    name: &'static str,
    raw: &'a RawValue,
) -> Result<(), E> {
    if slot.replace(raw).is_some() {
        return Err(E::duplicate_field(name));
    }
    Ok(())
}

impl<'de> Deserialize<'de> for CloudEvent<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(CloudEventVisitor)
    }
}

struct CloudEventVisitor;

impl<'de> Visitor<'de> for CloudEventVisitor {
    type Value = CloudEvent<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CloudEvent object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CloudEvent<'de>, A::Error> {
        let mut seen = Seen::default();
        let mut metadata = Vec::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let raw: &'de RawValue = map.next_value()?;
            let (slot, name) = match key.as_ref() {
                "specversion" => (&mut seen.specversion, "specversion"),
                "id" => (&mut seen.id, "id"),
                "type" => (&mut seen.event_type, "type"),
                "subject" => (&mut seen.subject, "subject"),
                "time" => (&mut seen.time, "time"),
                "datacontenttype" => (&mut seen.datacontenttype, "datacontenttype"),
                "data" => (&mut seen.data, "data"),
                "data_base64" => (&mut seen.data_base64, "data_base64"),
                // The store assigns positions, so an incoming one is only accepted.
                "sequence" => (&mut seen.sequence, "sequence"),
                "streamversion" => (&mut seen.streamversion, "streamversion"),
                "source" => {
                    once(&mut seen.source, "source", raw)?;
                    if raw_string(raw).as_deref() != Some(DEFAULT_SOURCE) {
                        metadata.push(MetadataPart::Member(key, raw));
                    }
                    continue;
                }
                "eventscopemetadata" => {
                    once(&mut seen.packed, PACKED_METADATA, raw)?;
                    metadata.push(MetadataPart::Packed(raw));
                    continue;
                }
                "correlationid" => {
                    metadata.push(MetadataPart::Member(Cow::Borrowed("correlation_id"), raw));
                    continue;
                }
                "causationid" => {
                    metadata.push(MetadataPart::Member(Cow::Borrowed("causation_id"), raw));
                    continue;
                }
                _ => {
                    metadata.push(MetadataPart::Member(key, raw));
                    continue;
                }
            };
            once(slot, name, raw)?;
        }
        fn required<'a, E: de::Error>(
            value: Option<&'a RawValue>,
            name: &'static str,
        ) -> Result<&'a RawValue, E> {
            value.ok_or_else(|| E::missing_field(name))
        }
        let specversion = required(seen.specversion, "specversion")?;
        let id = required(seen.id, "id")?;
        required(seen.source, "source")?;
        let event_type = required(seen.event_type, "type")?;
        let subject = seen.subject.ok_or_else(|| {
            de::Error::custom(
                "missing attribute `subject`: eventscope takes the event's stream from it",
            )
        })?;
        let time = seen.time.ok_or_else(|| {
            de::Error::custom("missing attribute `time`: eventscope needs every event's time")
        })?;
        Ok(CloudEvent {
            specversion,
            id,
            event_type,
            subject,
            time,
            datacontenttype: seen.datacontenttype,
            data: seen.data,
            data_base64: seen.data_base64,
            streamversion: seen.streamversion,
            metadata,
        })
    }
}

/// `application/json`, `text/json` or any `+json` type, parameters aside.
fn is_json_media_type(text: &str) -> bool {
    let base = text
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    base == "application/json" || base == "text/json" || base.ends_with("+json")
}

/// Reads one CloudEvent object.
pub(in crate::format) fn parse(chunk: &Chunk<'_>) -> Result<NewEvent, FormatError> {
    let event: CloudEvent<'_> =
        serde_json::from_str(chunk.text).map_err(|error| chunk.serde_error(&error))?;
    if raw_string(event.specversion).as_deref() != Some("1.0") {
        let found = excerpt(event.specversion.get());
        return Err(chunk.error_at(
            event.specversion.get(),
            FormatErrorKind::UnsupportedSpecVersion(found),
        ));
    }
    if let Some(raw) = event.data_base64 {
        return Err(chunk.error_at(raw.get(), FormatErrorKind::Base64Data));
    }
    if let Some(raw) = event.datacontenttype
        && !raw_string(raw).is_some_and(|text| is_json_media_type(&text))
    {
        let found = excerpt(raw.get());
        return Err(chunk.error_at(raw.get(), FormatErrorKind::UnsupportedContentType(found)));
    }
    let expected_version = event
        .streamversion
        .map(|raw| fields::version(chunk, "streamversion", raw, Quoted::Accepted))
        .transpose()?;
    Ok(NewEvent {
        stream: fields::name(chunk, "subject", event.subject)?,
        event_type: fields::name(chunk, "type", event.event_type)?,
        id: Some(fields::name(chunk, "id", event.id)?),
        time: fields::time(chunk, "time", event.time)?,
        data: event
            .data
            .map_or_else(Json::empty_object, |raw| compact(raw.get())),
        metadata: metadata(chunk, &event.metadata)?,
        expected_version,
    })
}

/// The metadata object rebuilt from the attributes that carry it.
fn metadata(chunk: &Chunk<'_>, parts: &[MetadataPart<'_>]) -> Result<Option<Json>, FormatError> {
    let packed_error =
        |raw: &RawValue, why| chunk.error_at(raw.get(), FormatErrorKind::BadPackedMetadata(why));
    if parts.is_empty() {
        return Ok(None);
    }
    if let [MetadataPart::Packed(raw)] = parts {
        // Metadata that is not an object travels whole.
        let text =
            raw_string(raw).ok_or_else(|| packed_error(raw, "must be a string holding JSON"))?;
        if object_members(&text).is_none() {
            let whole: &RawValue = serde_json::from_str(&text)
                .map_err(|_| packed_error(raw, "does not hold valid JSON"))?;
            return Ok(Some(compact(whole.get())));
        }
    }
    let mut out = String::with_capacity(64);
    out.push('{');
    let mut push_member = |key: &str, value: &str| {
        if out.len() > 1 {
            out.push(',');
        }
        push_json_string(&mut out, key);
        out.push(':');
        push_compact(&mut out, value);
    };
    for part in parts {
        match part {
            MetadataPart::Member(key, value) => push_member(key, value.get()),
            MetadataPart::Packed(raw) => {
                let text = raw_string(raw)
                    .ok_or_else(|| packed_error(raw, "must be a string holding JSON"))?;
                let members = object_members(&text).ok_or_else(|| {
                    packed_error(
                        raw,
                        "must hold a JSON object when the event has other metadata attributes",
                    )
                })?;
                for (key, value) in members {
                    push_member(&key, value.get());
                }
            }
        }
    }
    out.push('}');
    Ok(Some(Json::from_trusted(out)))
}
