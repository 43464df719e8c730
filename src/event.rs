//! The event: plain data shared by every layer.
//!
//! An [`Event`] is what the log holds: a position (`seq`), the stream it
//! belongs to and its position there (`version`), a past-tense type, an id, a
//! time and a JSON payload with optional metadata. A [`NewEvent`] is what a
//! writer hands to the store, which assigns `seq` and `version`.
//!
//! Payloads are kept as validated JSON text ([`Json`]) rather than parsed
//! trees: most readers (counts, stream versions, lists) never look inside, and
//! the ones that do parse only the fields they need.

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A stored event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Global position in the log: 1-based, gapless, assigned by the store.
    pub seq: u64,
    /// The entity the event belongs to, e.g. `customer-17`.
    pub stream: Arc<str>,
    /// Position within its stream: 1-based, gapless, assigned by the store.
    pub version: u64,
    /// Past tense, e.g. `CustomerAddressChanged`.
    pub event_type: Arc<str>,
    /// Unique id, kept from input or derived from stream and version.
    pub id: String,
    /// When it happened; `None` for an event imported without a time,
    /// which is kept and shown as having none.
    pub time: Option<Timestamp>,
    pub data: Json,
    pub metadata: Option<Json>,
}

impl Event {
    /// The event a log holds once `new` is stored at `seq` as `version` of
    /// its stream; an event without an id gets the derived one.
    pub fn stored(new: NewEvent, seq: u64, version: u64) -> Event {
        Event {
            seq,
            id: new.id.unwrap_or_else(|| derived_id(&new.stream, version)),
            stream: Arc::from(new.stream),
            version,
            event_type: Arc::from(new.event_type),
            time: new.time,
            data: new.data,
            metadata: new.metadata,
        }
    }

    /// The time as RFC 3339, or `no time` for an event that has none.
    pub fn time_text(&self) -> String {
        self.time
            .map_or_else(|| "no time".to_string(), |time| time.to_string())
    }

    /// A metadata field as a string, e.g. `correlation_id`.
    pub fn metadata_str(&self, key: &str) -> Option<String> {
        let metadata = self.metadata.as_ref()?;
        match metadata.value().get(key)? {
            Value::String(s) => Some(s.clone()),
            _ => None,
        }
    }

    pub fn correlation_id(&self) -> Option<String> {
        self.metadata_str("correlation_id")
    }

    pub fn causation_id(&self) -> Option<String> {
        self.metadata_str("causation_id")
    }
}

/// An event to append: the store assigns `seq` and `version`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub stream: String,
    pub event_type: String,
    /// Kept when given; otherwise the store derives `<stream>/<version>`.
    pub id: Option<String>,
    /// `None` when the input gave no time.
    pub time: Option<Timestamp>,
    pub data: Json,
    pub metadata: Option<Json>,
    /// When set, the version this event must receive in its stream; any
    /// other outcome is a conflict that rejects the whole batch.
    pub expected_version: Option<u64>,
}

impl NewEvent {
    pub fn new(
        stream: impl Into<String>,
        event_type: impl Into<String>,
        time: Timestamp,
        data: Json,
    ) -> Self {
        NewEvent {
            stream: stream.into(),
            event_type: event_type.into(),
            id: None,
            time: Some(time),
            data,
            metadata: None,
            expected_version: None,
        }
    }

    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The same event with no time, as an input without one gives.
    pub fn without_time(mut self) -> Self {
        self.time = None;
        self
    }

    pub fn with_metadata(mut self, metadata: Json) -> Self {
        self.metadata = Some(metadata);
        self
    }

    pub fn expecting_version(mut self, version: u64) -> Self {
        self.expected_version = Some(version);
        self
    }
}

/// The id the store gives an event that arrived without one.
pub fn derived_id(stream: &str, version: u64) -> String {
    let digits = VersionDigits::of(version);
    let digits = digits.as_bytes();
    let mut id = String::with_capacity(stream.len() + 1 + digits.len());
    id.push_str(stream);
    id.push('/');
    for &digit in digits {
        id.push(char::from(digit));
    }
    id
}

/// A version's decimal digits, written by hand into a buffer on the stack
/// rather than with `format!`: every event read from the log without an
/// id of its own gets a derived id (and the id index a key of one), so
/// this is on every scan.
pub(crate) struct VersionDigits {
    buffer: [u8; 20],
    start: usize,
}

impl VersionDigits {
    pub(crate) fn of(version: u64) -> VersionDigits {
        let mut buffer = [0u8; 20];
        let mut start = buffer.len();
        let mut rest = version;
        loop {
            start -= 1;
            buffer[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        VersionDigits { buffer, start }
    }

    /// ASCII digits, most significant first.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buffer[self.start..]
    }
}

/// Validated, compact JSON text.
///
/// Cheap to carry and to store; parse it with [`Json::value`] or
/// [`Json::parse`] when the contents matter.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Json(Box<str>);

impl Json {
    /// Parses and re-serialises `text` compactly. Errors name what is wrong.
    pub fn parse_text(text: &str) -> Result<Json, serde_json::Error> {
        let value: Value = serde_json::from_str(text)?;
        Ok(Json::from_value(&value))
    }

    pub fn from_value(value: &Value) -> Json {
        Json(value.to_string().into_boxed_str())
    }

    /// Wraps text already known to be valid compact JSON: text this crate
    /// wrote itself, or a raw value serde_json has already checked.
    pub(crate) fn from_trusted(text: impl Into<Box<str>>) -> Json {
        Json(text.into())
    }

    /// Wraps a raw value checked by serde_json, removing insignificant
    /// whitespace so that equal payloads are stored identically.
    pub fn from_raw(raw: &serde_json::value::RawValue) -> Json {
        Json::compact_trusted(raw.get())
    }

    /// Valid JSON text with the whitespace outside strings removed. Unlike
    /// a parse and re-serialise, this keeps numbers and escapes exactly as
    /// written, and costs one scan (none when there is no whitespace).
    pub(crate) fn compact_trusted(text: &str) -> Json {
        if !text.bytes().any(is_json_whitespace) {
            return Json(text.into());
        }
        let mut out = String::with_capacity(text.len());
        push_compact_json(&mut out, text);
        Json(out.into_boxed_str())
    }

    pub fn empty_object() -> Json {
        Json("{}".into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The payload as a JSON tree (never fails: the text is valid JSON).
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.0).unwrap_or(Value::Null)
    }

    /// The payload as a typed shape; fails if the shape does not match.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.0)
    }

    /// Borrowing parse, for shapes with `&str` fields.
    pub fn parse_borrowed<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.0)
    }
}

impl fmt::Debug for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Value> for Json {
    fn from(value: Value) -> Json {
        Json::from_value(&value)
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match serde_json::value::RawValue::from_string(self.0.to_string()) {
            Ok(raw) => raw.serialize(serializer),
            Err(e) => Err(serde::ser::Error::custom(e)),
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        let raw = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
        Ok(Json::from_raw(&raw))
    }
}

fn is_json_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// The index just past the JSON string whose opening quote is at `open`.
fn string_end(bytes: &[u8], open: usize) -> usize {
    let mut index = open + 1;
    while let Some(rest) = bytes.get(index..) {
        match rest.iter().position(|&b| b == b'"' || b == b'\\') {
            // An escape: skip it and the character it escapes.
            Some(found) if rest[found] == b'\\' => index += found + 2,
            Some(found) => return index + found + 1,
            None => break,
        }
    }
    bytes.len()
}

/// Appends valid JSON text with the whitespace outside strings removed.
pub(crate) fn push_compact_json(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'"' {
            index = string_end(bytes, index);
        } else if is_json_whitespace(byte) {
            // Whitespace is ASCII, so both ends of the run are char boundaries.
            out.push_str(&text[run_start..index]);
            index += 1;
            run_start = index;
        } else {
            index += 1;
        }
    }
    out.push_str(&text[run_start..]);
}

/// A point in time, UTC, with nanosecond precision.
///
/// Shown and written as RFC 3339 with a `Z` offset; parsed from any RFC 3339
/// offset, which is converted to UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const EPOCH: Timestamp = Timestamp(0);

    pub fn from_unix_nanos(nanos: i64) -> Timestamp {
        Timestamp(nanos)
    }

    pub fn from_unix_millis(millis: i64) -> Timestamp {
        Timestamp(millis.saturating_mul(1_000_000))
    }

    pub fn unix_nanos(self) -> i64 {
        self.0
    }

    pub fn unix_millis(self) -> i64 {
        self.0.div_euclid(1_000_000)
    }

    /// Adds milliseconds, saturating at the ends of the range.
    pub fn plus_millis(self, millis: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(millis.saturating_mul(1_000_000)))
    }

    pub fn parse_rfc3339(text: &str) -> Result<Timestamp, TimeError> {
        use time::format_description::well_known::Rfc3339;
        let parsed = time::OffsetDateTime::parse(text, &Rfc3339)
            .map_err(|e| TimeError(format!("`{text}` is not an RFC 3339 time ({e})")))?;
        let nanos = i64::try_from(parsed.unix_timestamp_nanos())
            .map_err(|_| TimeError(format!("`{text}` is outside the years 1678..2262")))?;
        Ok(Timestamp(nanos))
    }

    /// The calendar date, `YYYY-MM-DD`, in UTC.
    pub fn date(self) -> String {
        let text = self.to_string();
        text.get(..10).unwrap_or(&text).to_string()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use time::format_description::well_known::Rfc3339;
        let formatted = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0))
            .ok()
            .and_then(|t| t.format(&Rfc3339).ok());
        match formatted {
            Some(text) => f.write_str(&text),
            None => write!(f, "@{}ns", self.0),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Timestamp::parse_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

/// A time that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError(String);

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TimeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_in_utc() {
        let t = Timestamp::parse_rfc3339("2024-03-01T09:30:00Z").unwrap();
        assert_eq!(t.to_string(), "2024-03-01T09:30:00Z");
        let offset = Timestamp::parse_rfc3339("2024-03-01T10:30:00.250+01:00").unwrap();
        assert_eq!(offset.to_string(), "2024-03-01T09:30:00.25Z");
        assert_eq!(offset.unix_millis() - t.unix_millis(), 250);
        assert_eq!(t.date(), "2024-03-01");
    }

    #[test]
    fn derived_ids_are_stream_slash_version() {
        for version in [0, 1, 9, 10, 99, 100, 12_345, u64::MAX] {
            assert_eq!(derived_id("order-7", version), format!("order-7/{version}"));
        }
        assert_eq!(derived_id("", 3), "/3");
    }

    #[test]
    fn bad_times_are_named() {
        let err = Timestamp::parse_rfc3339("yesterday").unwrap_err();
        assert!(err.to_string().contains("`yesterday`"), "{err}");
    }

    #[test]
    fn json_is_compact_and_keeps_key_order() {
        let json = Json::parse_text("{ \"b\": 1,\n \"a\": [1, 2] }").unwrap();
        assert_eq!(json.as_str(), r#"{"b":1,"a":[1,2]}"#);
        assert!(Json::parse_text("{").is_err());
    }

    #[test]
    fn correlation_ids_come_from_metadata() {
        let event = Event {
            seq: 1,
            stream: "order-1".into(),
            version: 1,
            event_type: "OrderPlaced".into(),
            id: "e1".into(),
            time: Some(Timestamp::EPOCH),
            data: Json::empty_object(),
            metadata: Some(
                Json::parse_text(r#"{"correlation_id":"c1","causation_id":7}"#).unwrap(),
            ),
        };
        assert_eq!(event.correlation_id().as_deref(), Some("c1"));
        assert_eq!(event.causation_id(), None);
    }
}
