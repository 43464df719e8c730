//! Reading input a line at a time into one reused buffer, and placing errors
//! found inside a piece of text (a line, or an array element spanning lines)
//! at a line and column of the input.

use std::io::{BufRead, Read};

use super::error::{FormatError, FormatErrorKind, ReadError, one_line};

/// The longest line read: far past any event (a CloudEvents array on one
/// line of a million events is about 300 MiB), and a bound on what input
/// that never ends a line can cost.
pub const MAX_LINE: u64 = 1 << 30;

/// The error for line `line` beginning with `byte`, if no line of JSON
/// (nor a blank line) begins with it: a control character, not
/// whitespace. Told at once, before a line that may never end is read.
pub fn line_start_error(line: u64, byte: u8) -> Option<FormatError> {
    (byte.is_ascii_control() && !byte.is_ascii_whitespace()).then(|| FormatError {
        line,
        column: Some(1),
        element: None,
        kind: FormatErrorKind::Json(format!(
            "a control character (U+{byte:04X}) cannot begin a line of JSON"
        )),
    })
}

/// The error for line `line` once it has run past `limit` bytes without
/// ending.
pub fn line_too_long(line: u64, limit: u64) -> FormatError {
    FormatError {
        line,
        column: None,
        element: None,
        kind: FormatErrorKind::LineTooLong { limit },
    }
}

/// Lines of UTF-8 text without their `\n` or `\r\n` ends.
pub(super) struct LineReader<R> {
    reader: R,
    buffer: Vec<u8>,
    line: u64,
    max_line: u64,
}

impl<R: BufRead> LineReader<R> {
    pub(super) fn new(reader: R) -> Self {
        LineReader {
            reader,
            buffer: Vec::with_capacity(1024),
            line: 0,
            max_line: MAX_LINE,
        }
    }

    /// The same reader with a shorter limit on a line (for the tests).
    #[cfg(test)]
    pub(super) fn with_max_line(mut self, max_line: u64) -> Self {
        self.max_line = max_line;
        self
    }

    /// The next line and its 1-based number, or `None` at the end of the input.
    pub(super) fn next_line<E>(&mut self) -> Result<Option<(u64, &str)>, ReadError<E>> {
        self.buffer.clear();
        // The first byte of the line, to refuse a control character at once.
        let first = loop {
            match self.reader.fill_buf() {
                Ok(first) => break first.first().copied(),
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    return Err(ReadError::Io {
                        line: self.line + 1,
                        error,
                    });
                }
            }
        };
        if let Some(error) = first.and_then(|byte| line_start_error(self.line + 1, byte)) {
            return Err(ReadError::Format(error));
        }
        let read = (&mut self.reader)
            .take(self.max_line + 1)
            .read_until(b'\n', &mut self.buffer)
            .map_err(|error| ReadError::Io {
                line: self.line + 1,
                error,
            })?;
        if read == 0 {
            return Ok(None);
        }
        self.line += 1;
        if read as u64 > self.max_line {
            return Err(ReadError::Format(line_too_long(self.line, self.max_line)));
        }
        let mut bytes = self.buffer.as_slice();
        if let Some(rest) = bytes.strip_suffix(b"\n") {
            bytes = rest.strip_suffix(b"\r").unwrap_or(rest);
        }
        let mut skipped = 0;
        if self.line == 1 {
            // A byte-order mark some editors put first is not part of the JSON.
            if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
                bytes = rest;
                skipped = 3;
            }
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Some((self.line, text))),
            Err(error) => {
                let byte = (skipped + error.valid_up_to()) as u64 + 1;
                Err(ReadError::Format(FormatError {
                    line: self.line,
                    column: Some(byte),
                    element: None,
                    kind: FormatErrorKind::InvalidUtf8 { byte },
                }))
            }
        }
    }
}

/// A piece of input holding one event, and where it starts.
pub(super) struct Chunk<'a> {
    pub text: &'a str,
    /// Line and 1-based column of the first byte of `text`.
    pub line: u64,
    pub column: u64,
    /// 1-based position in a JSON array, if the event came from one.
    pub element: Option<u64>,
}

impl<'a> Chunk<'a> {
    /// A whole line.
    pub(super) fn line(text: &'a str, line: u64) -> Self {
        Chunk {
            text,
            line,
            column: 1,
            element: None,
        }
    }

    fn error(&self, line: u64, column: Option<u64>, kind: FormatErrorKind) -> FormatError {
        FormatError {
            line,
            column,
            element: self.element,
            kind,
        }
    }

    /// An error about `part`, a slice of this chunk's text (e.g. a raw
    /// value), placed at the start of `part`. A `part` from elsewhere gets
    /// the chunk's line only.
    pub(super) fn error_at(&self, part: &str, kind: FormatErrorKind) -> FormatError {
        match self.offset_of(part) {
            Some(offset) => self.error_at_offset(offset, kind),
            None => self.error(self.line, None, kind),
        }
    }

    /// Where `part` starts in this chunk's text, if it lies wholly inside
    /// it. Both ends are checked: a string that merely starts where the
    /// text ends (as two constants may be laid out side by side) is not
    /// a part of it.
    fn offset_of(&self, part: &str) -> Option<usize> {
        let text = self.text.as_bytes().as_ptr_range();
        let span = part.as_bytes().as_ptr_range();
        let inside = text.start <= span.start && span.end <= text.end;
        inside.then(|| span.start as usize - text.start as usize)
    }

    /// An error at a byte offset into this chunk's text.
    fn error_at_offset(&self, offset: usize, kind: FormatErrorKind) -> FormatError {
        let offset = offset.min(self.text.len());
        let before = &self.text.as_bytes()[..offset];
        let newlines = before.iter().filter(|&&b| b == b'\n').count() as u64;
        let column = match before.iter().rposition(|&b| b == b'\n') {
            Some(last_newline) => (offset - last_newline) as u64,
            None => self.column + offset as u64,
        };
        self.error(self.line + newlines, Some(column), kind)
    }

    /// An error with no better place than the chunk as a whole.
    pub(super) fn error_here(&self, kind: FormatErrorKind) -> FormatError {
        self.error(self.line, None, kind)
    }

    /// A serde_json error from parsing `part` (a slice of this chunk's
    /// text) on its own, placed in the input; `kind` makes the error from
    /// serde_json's message without its position.
    pub(super) fn serde_error_in(
        &self,
        part: &str,
        error: &serde_json::Error,
        kind: impl FnOnce(String) -> FormatErrorKind,
    ) -> FormatError {
        let message = message_without_position(error);
        match self.offset_of(part) {
            Some(start) => self.error_at_offset(start + serde_offset(part, error), kind(message)),
            None => self.error_here(kind(message)),
        }
    }

    /// A serde_json error from parsing this chunk's text, with its position
    /// moved from the chunk to the input and removed from the message.
    pub(super) fn serde_error(&self, error: &serde_json::Error) -> FormatError {
        let message = message_without_position(error);
        if error.line() == 0 {
            return self.error_here(FormatErrorKind::Json(message));
        }
        self.error_at_offset(
            serde_offset(self.text, error),
            FormatErrorKind::Json(message),
        )
    }
}

/// The byte offset in `text` of the position a serde_json error names
/// (lines from 1; columns from 1, or 0 just after a line end). A position
/// past the end is placed at the end of the last line, so that it is
/// always in the input: the text of an array element ends with a line end
/// that the input may not have.
fn serde_offset(text: &str, error: &serde_json::Error) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(error.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let offset = (line_start + error.column().saturating_sub(1)).min(text.len());
    if offset == text.len() && text.ends_with('\n') {
        offset - 1
    } else {
        offset
    }
}

/// serde_json's message without the " at line L column C" it ends with,
/// on one line (it may quote a key holding a line end).
fn message_without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    one_line(message.strip_suffix(&suffix).unwrap_or(&message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<Result<String, String>> {
        let mut reader = LineReader::new(input);
        let mut out = Vec::new();
        loop {
            match reader.next_line::<String>() {
                Ok(Some((_, text))) => out.push(Ok(text.to_string())),
                Ok(None) => return out,
                Err(error) => {
                    out.push(Err(error.to_string()));
                    return out;
                }
            }
        }
    }

    #[test]
    fn line_ends_and_byte_order_mark_are_removed() {
        let got = lines(b"\xEF\xBB\xBFa\r\nb\n\nc");
        let want: Vec<Result<String, String>> = vec![
            Ok("a".into()),
            Ok("b".into()),
            Ok("".into()),
            Ok("c".into()),
        ];
        assert_eq!(got, want);
    }

    /// Input that never ends a line is refused, not held in memory for
    /// ever: the chain of readers below never ends at all.
    #[test]
    fn a_line_that_never_ends_is_refused_at_the_limit() {
        let endless = std::io::repeat(b'x');
        let mut reader = LineReader::new(std::io::BufReader::new(endless)).with_max_line(4096);
        let error = reader.next_line::<String>().unwrap_err().to_string();
        assert_eq!(
            error,
            "line 1: the line is longer than 4096 bytes without ending: not a line of JSON events"
        );
        let mut reader = LineReader::new(&b"{}\n"[..]).with_max_line(3);
        assert_eq!(reader.next_line::<String>().unwrap().unwrap().1, "{}");
    }

    #[test]
    fn a_control_character_beginning_a_line_is_refused_before_the_line_is_read() {
        let zeros = std::io::BufReader::new(std::io::repeat(0));
        let mut reader = LineReader::new(zeros);
        assert_eq!(
            reader.next_line::<String>().unwrap_err().to_string(),
            "line 1, column 1: a control character (U+0000) cannot begin a line of JSON"
        );
        // Whitespace, a form feed too, may begin a line.
        let got = lines(b"{}\n\t{}\n\x0c\n\x01");
        assert_eq!(got[1], Ok("\t{}".into()));
        assert_eq!(got[2], Ok("\x0c".into()));
        assert_eq!(
            got[3],
            Err(
                "line 4, column 1: a control character (U+0001) cannot begin a line of JSON".into()
            )
        );
    }

    #[test]
    fn invalid_utf8_names_line_and_byte() {
        let got = lines(b"ok\n{\"a\":\"\xFF\"}\n");
        assert_eq!(
            got.last().unwrap().as_ref().unwrap_err(),
            "line 2, column 7: invalid UTF-8"
        );
    }

    #[test]
    fn errors_inside_a_chunk_are_placed_in_the_input() {
        let text = "{\"a\":\n  \"bad\"}";
        let chunk = Chunk {
            text,
            line: 10,
            column: 5,
            element: Some(2),
        };
        let at_bad = chunk.error_at(&text[8..], FormatErrorKind::UnclosedArray);
        assert_eq!(
            (at_bad.line, at_bad.column, at_bad.element),
            (11, Some(3), Some(2))
        );
        let at_a = chunk.error_at(&text[1..], FormatErrorKind::UnclosedArray);
        assert_eq!((at_a.line, at_a.column), (10, Some(6)));
        let foreign = chunk.error_at("elsewhere", FormatErrorKind::UnclosedArray);
        assert_eq!((foreign.line, foreign.column), (10, None));
    }

    #[test]
    fn serde_positions_are_moved_to_the_input() {
        let text = "{\"a\":\n  }";
        let error = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        let chunk = Chunk {
            text,
            line: 4,
            column: 9,
            element: None,
        };
        let placed = chunk.serde_error(&error);
        assert_eq!(
            (placed.line, placed.column),
            (5, Some(error.column() as u64))
        );
        assert!(!placed.to_string().contains(" at line "), "{placed}");
    }
}
