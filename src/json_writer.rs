//! Indented JSON written straight to an output, escaped for a terminal on
//! the way: the text `serde_json::to_string_pretty` would give, passed
//! through [`json_printable`](crate::escape::json_printable), byte for
//! byte, without building a `Value` tree or the text twice.
//!
//! Projections write their state through it ([`Projection::write_state`](
//! crate::projection::Projection::write_state)), so a state of millions of
//! entries goes out as it is read from the projection's own structures.

use std::io::{self, Write};

use serde_json::{Number, Value};

use crate::escape::needs_escape;

/// Text is handed to the output in pieces of about this size.
const CHUNK: usize = 1 << 18;

/// Writes one JSON value in serde_json's pretty layout (two spaces per
/// level, `": "` after keys, `{}` and `[]` when empty).
///
/// The calls must form one JSON value: [`JsonWriter::key`] before each
/// member of an object, [`JsonWriter::element`] before each element of an
/// array. Writing never fails on the spot: the first error of the output
/// is kept, later text is dropped, and [`JsonWriter::finish`] returns it,
/// so a state is written without a `?` at every step.
pub struct JsonWriter<'a> {
    buffer: Vec<u8>,
    out: &'a mut dyn Write,
    /// Open objects and arrays.
    depth: usize,
    /// Whether the innermost open object or array holds a member yet (as
    /// serde_json's `PrettyFormatter` tracks it).
    has_value: bool,
    error: Option<io::Error>,
}

impl<'a> JsonWriter<'a> {
    pub fn new(out: &'a mut dyn Write) -> JsonWriter<'a> {
        JsonWriter {
            buffer: Vec::with_capacity(CHUNK + CHUNK / 4),
            out,
            depth: 0,
            has_value: false,
            error: None,
        }
    }

    /// Whether the output has failed (a closed pipe, a full disk): what is
    /// written from then on is dropped, so a long state may stop early.
    pub fn failed(&self) -> bool {
        self.error.is_some()
    }

    /// Writes `text` as it is, outside any value (a newline between values).
    pub fn raw(&mut self, text: &str) {
        self.buffer.extend_from_slice(text.as_bytes());
        self.spill();
    }

    pub fn begin_object(&mut self) {
        self.begin(b'{');
    }

    pub fn end_object(&mut self) {
        self.end(b'}');
    }

    pub fn begin_array(&mut self) {
        self.begin(b'[');
    }

    pub fn end_array(&mut self) {
        self.end(b']');
    }

    /// Starts the member `key` of the open object; its value comes next.
    pub fn key(&mut self, key: &str) {
        self.separate();
        push_printable_string(&mut self.buffer, key);
        self.buffer.extend_from_slice(b": ");
    }

    /// Starts the next element of the open array.
    pub fn element(&mut self) {
        self.separate();
    }

    pub fn str(&mut self, text: &str) {
        push_printable_string(&mut self.buffer, text);
        self.has_value = true;
    }

    pub fn u64(&mut self, number: u64) {
        self.buffer
            .extend_from_slice(Decimal::of(number, false).as_bytes());
        self.has_value = true;
    }

    pub fn i64(&mut self, number: i64) {
        self.buffer
            .extend_from_slice(Decimal::of(number.unsigned_abs(), number < 0).as_bytes());
        self.has_value = true;
    }

    pub fn bool(&mut self, value: bool) {
        self.buffer
            .extend_from_slice(if value { b"true" } else { b"false" });
        self.has_value = true;
    }

    pub fn null(&mut self) {
        self.buffer.extend_from_slice(b"null");
        self.has_value = true;
    }

    /// A JSON number, as serde_json serializes it.
    pub fn number(&mut self, number: &Number) {
        let _ = write!(self.buffer, "{number}");
        self.has_value = true;
    }

    /// A string, or null for `None`.
    pub fn optional_str(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.str(text),
            None => self.null(),
        }
    }

    /// Any JSON value, in order of its maps.
    pub fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.null(),
            Value::Bool(b) => self.bool(*b),
            Value::Number(number) => self.number(number),
            Value::String(text) => self.str(text),
            Value::Array(elements) => {
                self.begin_array();
                for element in elements {
                    self.element();
                    self.value(element);
                }
                self.end_array();
            }
            Value::Object(members) => {
                self.begin_object();
                for (key, member) in members {
                    self.key(key);
                    self.value(member);
                }
                self.end_object();
            }
        }
    }

    /// Hands what is left to the output; the first error of the output if
    /// there was one.
    pub fn finish(mut self) -> io::Result<()> {
        self.write_out();
        match self.error.take() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    fn begin(&mut self, bracket: u8) {
        self.depth += 1;
        self.has_value = false;
        self.buffer.push(bracket);
    }

    fn end(&mut self, bracket: u8) {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            self.newline();
        }
        self.buffer.push(bracket);
        self.has_value = true;
    }

    /// What stands before a member: `\n` or `,\n`, then the indent.
    fn separate(&mut self) {
        if self.has_value {
            self.buffer.push(b',');
        }
        self.newline();
        self.spill();
    }

    fn newline(&mut self) {
        self.buffer.push(b'\n');
        let indent = 2 * self.depth;
        self.buffer.resize(self.buffer.len() + indent, b' ');
    }

    /// Writes the buffer out once it holds a chunk.
    fn spill(&mut self) {
        if self.buffer.len() >= CHUNK {
            self.write_out();
        }
    }

    fn write_out(&mut self) {
        if self.error.is_none()
            && let Err(error) = self.out.write_all(&self.buffer)
        {
            self.error = Some(error);
        }
        self.buffer.clear();
    }
}

/// A number in decimal, as `Display` writes it, without going through
/// `fmt` (a large state holds millions of numbers).
pub struct Decimal {
    text: [u8; 21],
    start: usize,
}

impl Decimal {
    /// `magnitude`, with a minus sign before it when `negative`.
    pub fn of(mut magnitude: u64, negative: bool) -> Decimal {
        let mut text = [0u8; 21];
        let mut start = text.len();
        loop {
            start -= 1;
            text[start] = b'0' + (magnitude % 10) as u8;
            magnitude /= 10;
            if magnitude == 0 {
                break;
            }
        }
        if negative {
            start -= 1;
            text[start] = b'-';
        }
        Decimal { text, start }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.text[self.start..]
    }

    pub fn as_str(&self) -> &str {
        // Digits and a sign are ASCII.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

/// The bytes a string literal cannot hold as they are, or that start a
/// character [`needs_escape`] may hold: quote, backslash, C0 controls, DEL,
/// and every byte of a multi-byte character.
const SPECIAL: [bool; 256] = {
    let mut special = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        special[byte] =
            byte < 0x20 || byte >= 0x7f || byte == b'"' as usize || byte == b'\\' as usize;
        byte += 1;
    }
    special
};

/// Appends `text` as a JSON string literal: escaped as serde_json escapes
/// it (quote, backslash, C0 controls), and every other character of
/// [`needs_escape`] as `\uXXXX` (a surrogate pair above U+FFFF), as
/// [`json_printable`](crate::escape::json_printable) rewrites it. One pass;
/// printable ASCII, the usual text, is copied in runs.
pub fn push_printable_string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if !SPECIAL[usize::from(byte)] {
            index += 1;
            continue;
        }
        if byte.is_ascii() {
            out.extend_from_slice(&bytes[run..index]);
            match byte {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0c => out.extend_from_slice(b"\\f"),
                // The other C0 controls, and DEL.
                _ => {
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(byte >> 4)]);
                    out.push(HEX[usize::from(byte & 0xf)]);
                }
            }
            index += 1;
            run = index;
            continue;
        }
        // A character of two to four bytes: `index` is always at a char
        // boundary, as only whole characters are stepped over.
        let Some(c) = text[index..].chars().next() else {
            break;
        };
        let width = c.len_utf8();
        if needs_escape(c) {
            out.extend_from_slice(&bytes[run..index]);
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
            run = index + width;
        }
        index += width;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::escape::json_printable;
    use proptest::prelude::*;
    use serde_json::json;

    /// The text of `value` as the writer gives it.
    fn written(value: &Value) -> String {
        written_by(|writer| writer.value(value))
    }

    /// What `write` writes through a `JsonWriter`.
    pub(crate) fn written_by(write: impl FnOnce(&mut JsonWriter<'_>)) -> String {
        let mut out = Vec::new();
        let mut writer = JsonWriter::new(&mut out);
        write(&mut writer);
        writer.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The text of `value` as serde_json and the escaping pass give it.
    fn through_serde(value: &Value) -> String {
        json_printable(&serde_json::to_string_pretty(value).unwrap()).into_owned()
    }

    #[test]
    fn the_layout_is_serde_jsons_pretty_one() {
        let value = json!({
            "a": {}, "b": [], "c": [1, {"d": [[]], "e": null}], "f": -0.0,
            "g": 1.5e300, "h": 18446744073709551615u64, "i": -9223372036854775807i64,
            "j": true, "": "x", "k": [{}, {"l": {}}]
        });
        assert_eq!(written(&value), through_serde(&value));
        for scalar in [json!(1), json!("s"), json!(null), json!({}), json!([])] {
            assert_eq!(written(&scalar), through_serde(&scalar));
        }
    }

    #[test]
    fn hostile_strings_are_escaped_as_the_second_pass_did() {
        for text in [
            "\u{1b}[2J",
            "\u{9b}31m",
            "\u{202e}exe.gnp",
            "a\u{200b}b\u{200d}c\u{feff}",
            "del\u{7f}",
            "\\u001b \\e",
            "\u{0}\u{1f}\u{8}\u{c}\n\r\t\"",
            "\u{1f1ec}\u{1f1e7}\u{e0041}\u{2028}",
            "東京 ü ✓ 😀",
        ] {
            let value = json!({ text: [text] });
            assert_eq!(written(&value), through_serde(&value), "{text:?}");
        }
    }

    /// An output that takes `room` bytes and then fails as a closed pipe.
    struct ClosesAfter {
        room: usize,
        written: Vec<u8>,
    }

    impl Write for ClosesAfter {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if self.written.len() + bytes.len() > self.room {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            self.written.extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_output_is_reported_once_at_the_end() {
        let mut out = ClosesAfter {
            room: 10,
            written: Vec::new(),
        };
        let mut writer = JsonWriter::new(&mut out);
        writer.begin_array();
        for _ in 0..CHUNK {
            writer.element();
            writer.str("0123456789");
        }
        assert!(writer.failed());
        writer.end_array();
        let error = writer.finish().unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
        assert!(out.written.is_empty());
    }

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 12345, i64::MAX, i64::MIN, -1, -10] {
            assert_eq!(written(&json!(n)), n.to_string());
        }
        assert_eq!(Decimal::of(u64::MAX, false).as_str(), u64::MAX.to_string());
        assert_eq!(
            Decimal::of(u64::MAX, true).as_str(),
            format!("-{}", u64::MAX)
        );
    }

    #[test]
    fn a_large_value_goes_out_in_chunks_and_whole() {
        let value = json!((0..CHUNK / 4).map(|n| n.to_string()).collect::<Vec<_>>());
        assert_eq!(written(&value), through_serde(&value));
    }

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| json!(f)),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((any::<String>(), inner), 0..6)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_value_is_written_as_serde_json_and_the_escaping_pass_write_it(value in any_json()) {
            prop_assert_eq!(written(&value), through_serde(&value));
        }

        #[test]
        fn any_integer_is_written_as_display_writes_it(n in any::<i64>(), m in any::<u64>()) {
            let mut out = Vec::new();
            let mut writer = JsonWriter::new(&mut out);
            writer.begin_array();
            writer.element();
            writer.i64(n);
            writer.element();
            writer.u64(m);
            writer.end_array();
            writer.finish().unwrap();
            prop_assert_eq!(String::from_utf8(out).unwrap(), format!("[\n  {n},\n  {m}\n]"));
        }

        #[test]
        fn any_string_is_escaped_as_serde_json_and_the_escaping_pass_escape_it(text in any::<String>()) {
            let mut ours = Vec::new();
            push_printable_string(&mut ours, &text);
            let theirs = json_printable(&serde_json::to_string(&text).unwrap()).into_owned();
            prop_assert_eq!(String::from_utf8(ours).unwrap(), theirs);
        }
    }
}
