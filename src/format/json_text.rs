//! Small tools over JSON text that serde_json has already checked: compacting,
//! reading a string or a positive integer out of a raw value, escaping, and
//! listing an object's members without building a `Value` tree.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::event::Json;

/// Valid JSON text with the whitespace outside strings removed.
pub(super) fn compact(text: &str) -> Json {
    Json::compact_trusted(text)
}

pub(super) use crate::event::push_compact_json as push_compact;

/// The string a raw JSON value holds, or `None` if it is not a string.
/// Borrows when the string has no escapes, which is the common case.
pub(super) fn raw_string(raw: &RawValue) -> Option<Cow<'_, str>> {
    let text = raw.get();
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains('\\') {
        serde_json::from_str::<String>(text).ok().map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(inner))
    }
}

/// A positive integer written as plain decimal digits (no sign, fraction or
/// exponent), as a version must be.
pub(super) fn positive_integer(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u64>().ok().filter(|&n| n > 0)
}

/// Appends `text` as a JSON string literal, escaped exactly as serde_json
/// escapes it, so output written here and by serde_json agrees byte for byte.
pub(super) fn push_json_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut run_start = 0;
    for (index, byte) in text.bytes().enumerate() {
        let escape: Option<&str> = match byte {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            0x00..=0x1f => None,
            _ => continue,
        };
        out.push_str(&text[run_start..index]);
        run_start = index + 1;
        match escape {
            Some(escape) => out.push_str(escape),
            None => {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xf)]));
            }
        }
    }
    out.push_str(&text[run_start..]);
    out.push('"');
}

/// Checks that valid JSON `text` is one a `serde_json::Value` can hold,
/// as everything that shows or folds an event parses it into one:
/// numbers within the range of a 64-bit float, nesting at most 127 deep,
/// no lone surrogate escapes in strings. The error says which and where.
/// Builds nothing: one pass, allocating only for strings with escapes.
pub(super) fn check_representable(text: &str) -> Result<(), serde_json::Error> {
    if quick_scan(text.as_bytes()).is_some() {
        return Ok(());
    }
    full_check(text)
}

/// [`check_representable`] and [`compact`] in one: the payload as it is to
/// be kept. Most payloads cost one quick pass and one copy.
pub(super) fn representable_compact(text: &str) -> Result<Json, serde_json::Error> {
    representable_compact_text(text).map(Json::from_trusted)
}

/// [`representable_compact`] as text, borrowed from `text` when it is
/// already compact (most payloads), so that keeping it costs no allocation.
pub(super) fn representable_compact_text(text: &str) -> Result<Cow<'_, str>, serde_json::Error> {
    match quick_scan(text.as_bytes()) {
        Some(Layout::Compact) => Ok(Cow::Borrowed(text)),
        Some(Layout::Spaced) => Ok(Cow::Owned(compact(text).as_str().to_owned())),
        None => full_check(text).map(|()| Cow::Owned(compact(text).as_str().to_owned())),
    }
}

fn full_check(text: &str) -> Result<(), serde_json::Error> {
    serde_json::from_str::<Representable>(text).map(|_| ())
}

/// Whether valid JSON text has whitespace outside its strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Compact,
    Spaced,
}

/// A quick pass over valid JSON text that answers (with its layout) only
/// when none of the three problems can be present, so most payloads need
/// no parse: no `\uD...` escape in a string (a surrogate), no exponent
/// and no run of over 300 digits in a number (beyond a float), at most 127
/// brackets in all (deep nesting). Strings are skipped to their closing
/// quote, so what they hold costs nothing but the look for `\`.
fn quick_scan(bytes: &[u8]) -> Option<Layout> {
    let mut layout = Layout::Compact;
    let mut brackets = 0usize;
    let mut digits = 0usize;
    let mut previous = 0u8;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        index += 1;
        match byte {
            b'"' => {
                index = string_end(bytes, index)?;
                (digits, previous) = (0, byte);
                continue;
            }
            b'[' | b'{' => {
                brackets += 1;
                if brackets > 127 {
                    return None;
                }
            }
            // Outside strings, `e` follows a digit or `.` only in a number.
            b'e' | b'E' if previous.is_ascii_digit() || previous == b'.' => return None,
            b' ' | b'\t' | b'\n' | b'\r' => layout = Layout::Spaced,
            _ => {}
        }
        previous = byte;
        digits = if byte.is_ascii_digit() { digits + 1 } else { 0 };
        if digits > 300 {
            return None;
        }
    }
    Some(layout)
}

/// The index just past the string whose contents start at `start`, or
/// `None` if it holds an escape that may be a surrogate (`\uD...`).
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut index = start;
    loop {
        match bytes.get(index)? {
            b'"' => return Some(index + 1),
            b'\\' => {
                if bytes.get(index + 1) == Some(&b'u')
                    && matches!(bytes.get(index + 2), Some(b'd' | b'D'))
                {
                    return None;
                }
                index += 2;
            }
            _ => index += 1,
        }
    }
}

/// Any JSON value, parsed as a `Value` would be and then dropped.
struct Representable;

impl<'de> Deserialize<'de> for Representable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RepresentableVisitor)
    }
}

struct RepresentableVisitor;

impl<'de> Visitor<'de> for RepresentableVisitor {
    type Value = Representable;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Representable, E> {
        Ok(Representable)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Representable, E> {
        Ok(Representable)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Representable, E> {
        Ok(Representable)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Representable, E> {
        Ok(Representable)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Representable, E> {
        Ok(Representable)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Representable, E> {
        Ok(Representable)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Representable, A::Error> {
        while seq.next_element::<Representable>()?.is_some() {}
        Ok(Representable)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Representable, A::Error> {
        while map.next_key::<Representable>()?.is_some() {
            map.next_value::<Representable>()?;
        }
        Ok(Representable)
    }
}

/// An object key, borrowed from the input when it has no escapes.
pub(super) struct Key<'a>(pub Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// An object's members in order, values left as raw text.
pub(super) type Members<'a> = Vec<(Cow<'a, str>, &'a RawValue)>;

struct ObjectMembers<'a>(Members<'a>);

impl<'de> Deserialize<'de> for ObjectMembers<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = ObjectMembers<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
                    members.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(ObjectMembers(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// The members of `text` if it is one JSON object, else `None`.
pub(super) fn object_members(text: &str) -> Option<Members<'_>> {
    serde_json::from_str::<ObjectMembers<'_>>(text)
        .ok()
        .map(|members| members.0)
}

/// Appends `{"key":value,...}` built from members whose values are compact.
pub(super) fn push_object<'a>(
    out: &mut String,
    members: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    out.push('{');
    for (index, (key, value)) in members.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_json_string(out, key);
        out.push(':');
        out.push_str(value);
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).unwrap()
    }

    #[test]
    fn compact_drops_whitespace_outside_strings_only() {
        let text = "{ \"a b\" : [1, \"x\\\" y\"],\r\n\t\"c\":\" \" }";
        assert_eq!(compact(text).as_str(), r#"{"a b":[1,"x\" y"],"c":" "}"#);
    }

    #[test]
    fn compact_keeps_numbers_and_escapes_as_written() {
        assert_eq!(compact(r#"[1.50,"\u0041"]"#).as_str(), r#"[1.50,"\u0041"]"#);
    }

    #[test]
    fn raw_strings_are_decoded_and_non_strings_refused() {
        assert_eq!(raw_string(&raw(r#""plain""#)).as_deref(), Some("plain"));
        assert_eq!(
            raw_string(&raw(r#""a\nb\u0041""#)).as_deref(),
            Some("a\nbA")
        );
        assert_eq!(raw_string(&raw("12")), None);
        assert_eq!(raw_string(&raw("null")), None);
    }

    #[test]
    fn positive_integers_are_plain_digits_above_zero() {
        assert_eq!(positive_integer("12"), Some(12));
        for bad in [
            "0",
            "-1",
            "1.0",
            "1e3",
            "",
            "\"3\"",
            "99999999999999999999999",
        ] {
            assert_eq!(positive_integer(bad), None, "{bad}");
        }
    }

    #[test]
    fn members_keep_order_and_raw_values() {
        let members = object_members(r#"{"b":[1, 2],"a\u0041":"x"}"#).unwrap();
        let listed: Vec<(&str, &str)> =
            members.iter().map(|(k, v)| (k.as_ref(), v.get())).collect();
        assert_eq!(listed, vec![("b", "[1, 2]"), ("aA", "\"x\"")]);
        assert!(object_members("[1]").is_none());
        assert!(object_members("{} x").is_none());
    }

    #[test]
    fn representable_json_is_what_a_value_can_hold() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        for good in [
            "{}".to_string(),
            r#"{"a":[1,-2,3.5e300,"\ud83d\ude00",null,true]}"#.to_string(),
            "18446744073709551615".to_string(),
            deep(127),
        ] {
            assert!(check_representable(&good).is_ok(), "{good}");
            assert!(serde_json::from_str::<serde_json::Value>(&good).is_ok());
        }
        for (bad, why) in [
            ("[1e400]".to_string(), "number out of range"),
            ("{\"a\":-1e309}".to_string(), "number out of range"),
            (r#"["\ud800"]"#.to_string(), "escape"),
            (r#"{"\udc00":1}"#.to_string(), "surrogate"),
            (deep(128), "recursion limit"),
        ] {
            let error = check_representable(&bad).unwrap_err();
            assert!(error.to_string().contains(why), "{bad}: {error}");
            assert!(serde_json::from_str::<serde_json::Value>(&bad).is_err());
        }
    }

    #[test]
    fn the_quick_scan_reads_strings_apart_from_the_rest() {
        for (text, want) in [
            (r#"{"a b":[1,2]}"#, Some(Layout::Compact)),
            (r#"{"a b": [1,2]}"#, Some(Layout::Spaced)),
            ("[1,\n2]", Some(Layout::Spaced)),
            (r#"["x \" y\\",1.5]"#, Some(Layout::Compact)),
            // Inside strings, what looks like a number or an escape is not.
            (r#"["1e5","2.E3","\\ud800"]"#, Some(Layout::Compact)),
            (r#"[true,false,"e"]"#, Some(Layout::Compact)),
            ("[1e5]", None),
            ("[2.E3]", None),
            (r#"["\ud800"]"#, None),
            (r#"{"\uDC00":1}"#, None),
        ] {
            assert_eq!(quick_scan(text.as_bytes()), want, "{text}");
        }
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(quick_scan(deep(127).as_bytes()), Some(Layout::Compact));
        assert_eq!(quick_scan(deep(128).as_bytes()), None);
        let digits = |n: usize| format!("[{}]", "1".repeat(n));
        assert_eq!(quick_scan(digits(300).as_bytes()), Some(Layout::Compact));
        assert_eq!(quick_scan(digits(301).as_bytes()), None);
        let quoted = format!("[\"{}\"]", "1".repeat(400));
        assert_eq!(quick_scan(quoted.as_bytes()), Some(Layout::Compact));
    }

    proptest! {
        /// The quick scan never passes what the parse refuses.
        #[test]
        fn the_quick_scan_agrees_with_a_value(
            text in "[\\[\\]{}\",:0-9a-fuDE.\\\\-]{0,300}",
            depth in 120usize..135,
        ) {
            for candidate in [text.clone(), format!("{}{}{}", "[".repeat(depth), text, "]".repeat(depth))] {
                if serde_json::from_str::<serde_json::Value>(&candidate).is_ok() {
                    continue;
                }
                if serde_json::from_str::<&RawValue>(&candidate).is_ok() {
                    prop_assert!(check_representable(&candidate).is_err(), "{}", candidate);
                }
            }
        }

        /// The quick scan finds whitespace exactly where compacting
        /// would remove some.
        #[test]
        fn the_quick_scan_sees_what_compacting_removes(
            text in "[\\[\\]{}\",:0-9a-fuDE. \n\\\\-]{0,200}",
        ) {
            if serde_json::from_str::<&RawValue>(&text).is_ok()
                && let Some(layout) = quick_scan(text.as_bytes())
            {
                let compacted = compact(&text);
                prop_assert_eq!(layout == Layout::Compact, compacted.as_str() == text, "{}", text);
                let kept = representable_compact(&text).unwrap();
                prop_assert_eq!(kept.as_str(), compacted.as_str());
            }
        }

        #[test]
        fn escaping_matches_serde_json(text in any::<String>()) {
            let mut ours = String::new();
            push_json_string(&mut ours, &text);
            prop_assert_eq!(ours, serde_json::to_string(&text).unwrap());
        }

        #[test]
        fn compact_equals_a_reparse_of_pretty_json(text in any::<String>(), n in any::<i64>()) {
            let value = serde_json::json!({"s": text, "list": [n, {"t": text}]});
            let pretty = serde_json::to_string_pretty(&value).unwrap();
            let compacted = compact(&pretty);
            prop_assert_eq!(compacted.as_str(), value.to_string());
        }
    }
}
