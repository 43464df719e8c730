//! Checks on single fields shared by both formats: each turns a raw JSON value
//! into the typed value an event needs, or an error placed at that value.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::error::{FormatError, FormatErrorKind, excerpt};
use super::json_text::{
    positive_integer, raw_string, representable_compact, representable_compact_text,
};
use super::lines::Chunk;
use super::repeated_key::first_repeated_member;
use crate::event::{Json, Timestamp};

/// Deserializes an optional raw value, keeping an explicit `null` as
/// `Some("null")` so that it is checked rather than taken as absent.
pub(super) fn present<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(deserializer).map(Some)
}

/// A non-empty string field.
pub(super) fn name(
    chunk: &Chunk<'_>,
    field: &'static str,
    raw: &RawValue,
) -> Result<String, FormatError> {
    name_text(chunk, field, raw).map(Cow::into_owned)
}

/// [`name`], borrowed from the raw value when it holds no escapes.
pub(super) fn name_text<'a>(
    chunk: &Chunk<'_>,
    field: &'static str,
    raw: &'a RawValue,
) -> Result<Cow<'a, str>, FormatError> {
    let text = raw_string(raw)
        .ok_or_else(|| chunk.error_at(raw.get(), FormatErrorKind::NotAString { field }))?;
    if text.is_empty() {
        return Err(chunk.error_at(raw.get(), FormatErrorKind::Empty { field }));
    }
    Ok(text)
}

/// An RFC 3339 time, converted to UTC.
pub(super) fn time(
    chunk: &Chunk<'_>,
    field: &'static str,
    raw: &RawValue,
) -> Result<Timestamp, FormatError> {
    let text = raw_string(raw)
        .ok_or_else(|| chunk.error_at(raw.get(), FormatErrorKind::NotAString { field }))?;
    Timestamp::parse_rfc3339(&text)
        .map_err(|error| chunk.error_at(raw.get(), FormatErrorKind::BadTime(error.to_string())))
}

/// A JSON payload (`data`, `metadata`), compacted, if every part of it can
/// be shown as written; else an error placed where it cannot.
pub(super) fn payload(
    chunk: &Chunk<'_>,
    field: &'static str,
    raw: &RawValue,
) -> Result<Json, FormatError> {
    representable_compact(raw.get()).map_err(|error| unrepresentable(chunk, field, raw, &error))
}

/// [`payload`] as text, borrowed from the raw value when it is compact.
pub(super) fn payload_text<'a>(
    chunk: &Chunk<'_>,
    field: &'static str,
    raw: &'a RawValue,
) -> Result<Cow<'a, str>, FormatError> {
    representable_compact_text(raw.get())
        .map_err(|error| unrepresentable(chunk, field, raw, &error))
}

fn unrepresentable(
    chunk: &Chunk<'_>,
    field: &'static str,
    raw: &RawValue,
    error: &serde_json::Error,
) -> FormatError {
    chunk.serde_error_in(raw.get(), error, |why| FormatErrorKind::Unrepresentable {
        field,
        why,
    })
}

/// Event metadata: a payload whose top-level members, when it is an
/// object, are named once each (as a CloudEvent must carry them).
/// Kept as text, borrowed from the raw value when it is compact.
pub(super) fn metadata<'a>(
    chunk: &Chunk<'_>,
    raw: &'a RawValue,
) -> Result<Cow<'a, str>, FormatError> {
    let json = payload_text(chunk, "metadata", raw)?;
    if let Some((key, value)) = first_repeated_member(raw.get()) {
        let key = excerpt(&key);
        return Err(chunk.error_at(
            value.get(),
            FormatErrorKind::DuplicateKey {
                field: "metadata",
                key,
            },
        ));
    }
    Ok(json)
}

/// Whether a version may also be written as a string of digits, as
/// CloudEvents producers often write extension values.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Quoted {
    Refused,
    Accepted,
}

/// A stream version: a positive integer.
pub(super) fn version(
    chunk: &Chunk<'_>,
    field: &'static str,
    raw: &RawValue,
    quoted: Quoted,
) -> Result<u64, FormatError> {
    let text = raw.get();
    let digits = match (
        quoted,
        text.strip_prefix('"').and_then(|t| t.strip_suffix('"')),
    ) {
        (Quoted::Accepted, Some(inner)) => inner,
        _ => text,
    };
    positive_integer(digits).ok_or_else(|| {
        chunk.error_at(
            text,
            FormatErrorKind::BadVersion {
                field,
                found: excerpt(text),
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).unwrap()
    }

    fn kind<T: std::fmt::Debug>(result: Result<T, FormatError>) -> FormatErrorKind {
        result.unwrap_err().kind
    }

    #[test]
    fn names_must_be_non_empty_strings() {
        let chunk = Chunk::line("", 1);
        assert_eq!(name(&chunk, "stream", &raw("\"s-1\"")).unwrap(), "s-1");
        assert_eq!(
            kind(name(&chunk, "stream", &raw("1"))),
            FormatErrorKind::NotAString { field: "stream" }
        );
        assert_eq!(
            kind(name(&chunk, "type", &raw("\"\""))),
            FormatErrorKind::Empty { field: "type" }
        );
    }

    #[test]
    fn versions_are_positive_integers_and_strings_only_when_allowed() {
        let chunk = Chunk::line("", 1);
        assert_eq!(
            version(&chunk, "version", &raw("3"), Quoted::Refused).unwrap(),
            3
        );
        assert_eq!(
            version(&chunk, "v", &raw("\"3\""), Quoted::Accepted).unwrap(),
            3
        );
        for bad in ["0", "-1", "\"3\"", "1.5", "null"] {
            let error = kind(version(&chunk, "version", &raw(bad), Quoted::Refused));
            assert_eq!(
                error,
                FormatErrorKind::BadVersion {
                    field: "version",
                    found: bad.into()
                }
            );
        }
    }

    #[test]
    fn metadata_naming_a_member_twice_is_refused_at_the_second() {
        let many: String = (0..20).map(|n| format!("\"k{n}\":{n},")).collect();
        for (text, key) in [
            (r#"{"a":1,"b":2,"a":3}"#.to_string(), "a"),
            (r#"{"a":1,"\u0061":3}"#.to_string(), "a"),
            (format!("{{{many}\"k7\":3}}"), "k7"),
            (format!("{{{many}\"b\":1,\"b\":3}}"), "b"),
        ] {
            let chunk = Chunk::line(&text, 1);
            let value: &RawValue = serde_json::from_str(&text).unwrap();
            let error = metadata(&chunk, value).unwrap_err();
            assert_eq!(
                error.kind,
                FormatErrorKind::DuplicateKey {
                    field: "metadata",
                    key: key.into()
                },
                "{text}"
            );
            assert_eq!(error.column, Some(text.len() as u64 - 1), "{text}");
        }
        for text in [
            r#"{"a":1,"b":{"a":2}}"#.to_string(),
            format!("{{{many}\"b\":1}}"),
            "[1,1]".to_string(),
        ] {
            let chunk = Chunk::line(&text, 1);
            assert!(metadata(&chunk, &raw(&text)).is_ok(), "{text}");
        }
    }

    #[test]
    fn times_are_rfc3339_strings() {
        let chunk = Chunk::line("", 1);
        let t = time(&chunk, "time", &raw("\"2024-03-01T10:30:00+01:00\"")).unwrap();
        assert_eq!(t.to_string(), "2024-03-01T09:30:00Z");
        let bad = kind(time(&chunk, "time", &raw("\"yesterday\"")));
        assert!(
            matches!(&bad, FormatErrorKind::BadTime(m) if m.contains("`yesterday` is not an RFC 3339 time"))
        );
        assert_eq!(
            kind(time(&chunk, "time", &raw("5"))),
            FormatErrorKind::NotAString { field: "time" }
        );
    }
}
