//! Telling the two formats apart from the start of the input, so that a
//! file can be opened without saying which it is.

use std::io::{self, BufRead};

use super::Format;
use super::json_text::object_members;

/// The format of the input whose first bytes `reader` holds, without
/// consuming anything: CloudEvents if the first non-blank character opens
/// an array or the first event has a `specversion` attribute, which no
/// native event may have; native otherwise (also for empty input).
///
/// Looks only at what the reader has buffered: give it a buffer larger
/// than the longest first line expected. A first line longer than that
/// is judged by whether its buffered part names `"specversion"`.
pub fn detect(reader: &mut impl BufRead) -> io::Result<Format> {
    let start = reader.fill_buf()?;
    let start = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
    let Some(first) = start.iter().position(|b| !b.is_ascii_whitespace()) else {
        return Ok(Format::Native);
    };
    let rest = &start[first..];
    if rest[0] == b'[' {
        return Ok(Format::CloudEvents);
    }
    let line = match rest.iter().position(|&b| b == b'\n') {
        Some(end) => &rest[..end],
        None => rest,
    };
    let Ok(text) = std::str::from_utf8(line) else {
        return Ok(Format::Native);
    };
    let cloud = match object_members(text.trim_end()) {
        Some(members) => members.iter().any(|(key, _)| key == "specversion"),
        None => text.contains("\"specversion\""),
    };
    Ok(if cloud {
        Format::CloudEvents
    } else {
        Format::Native
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Format {
        let mut reader = text.as_bytes();
        let format = detect(&mut reader).unwrap();
        assert_eq!(reader, text.as_bytes(), "nothing is consumed");
        format
    }

    #[test]
    fn cloud_events_are_told_by_an_array_or_a_specversion() {
        assert_eq!(of("\n  [\n{}]"), Format::CloudEvents);
        assert_eq!(
            of("{\"id\":\"1\",\"specversion\":\"1.0\"}\n{}"),
            Format::CloudEvents
        );
        assert_eq!(
            of("\u{feff}{\"specversion\":\"1.0\",\"data\":{\"x\":[1,"),
            Format::CloudEvents
        );
    }

    #[test]
    fn everything_else_is_native() {
        assert_eq!(of(""), Format::Native);
        assert_eq!(of("  \n"), Format::Native);
        assert_eq!(
            of("{\"stream\":\"s\",\"data\":{\"specversion\":\"1.0\"}}\n"),
            Format::Native
        );
        assert_eq!(of("not json"), Format::Native);
    }
}
