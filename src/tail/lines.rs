//! Complete lines from a reader that may still grow.

use std::io::{self, Read};

/// How many bytes one read asks for.
const CHUNK: usize = 64 * 1024;

/// What the input has now.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// A complete line (without its line end), and its number (1-based).
    Line(u64, String),
    /// Nothing complete yet: a growing file has no more for now (any
    /// half-written line is kept until its end arrives).
    Idle,
    /// The input ended (a pipe closed); a last line without a line end
    /// was handed over first.
    End,
}

/// Splits a reader into lines as they complete.
pub struct TailLines<R> {
    input: R,
    /// Whether the end of the input is final (a pipe) rather than "for now"
    /// (a file that another process appends to).
    end_is_final: bool,
    buffer: Vec<u8>,
    /// Bytes of `buffer` already searched for a line end.
    searched: usize,
    line: u64,
    /// Where the last line handed over lies in the input.
    last: LineSpan,
    ended: bool,
    max_line: u64,
}

/// Where a line lies in its input, line end included, and the CRC-32 of
/// those bytes: enough to tell later whether a file still holds it there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineSpan {
    pub start: u64,
    pub end: u64,
    pub crc32: u32,
}

impl<R: Read> TailLines<R> {
    /// Lines of a file that may grow: its end is only "for now".
    pub fn growing(input: R) -> TailLines<R> {
        TailLines::new(input, false)
    }

    /// Lines of a stream whose end is the end (a pipe, standard input).
    pub fn stream(input: R) -> TailLines<R> {
        TailLines::new(input, true)
    }

    /// Lines of a file that may grow, its first `line` lines (ending at
    /// byte `offset`) already taken: `input` is read from there on, and
    /// the lines it gives are numbered from `line + 1`.
    pub fn growing_after(input: R, line: u64, offset: u64) -> TailLines<R> {
        let mut lines = TailLines::new(input, false);
        lines.line = line;
        lines.last = LineSpan {
            start: offset,
            end: offset,
            crc32: 0,
        };
        lines
    }

    fn new(input: R, end_is_final: bool) -> TailLines<R> {
        TailLines {
            input,
            end_is_final,
            buffer: Vec::new(),
            searched: 0,
            line: 0,
            last: LineSpan::default(),
            ended: false,
            max_line: crate::format::MAX_LINE,
        }
    }

    /// Where the last line handed over lies in the input.
    pub fn last_span(&self) -> LineSpan {
        self.last
    }

    /// The next complete line, or what the input says instead. A line
    /// that is not UTF-8 is an error naming it.
    pub fn next_line(&mut self) -> io::Result<Next> {
        loop {
            if let Some(at) = self.buffer[self.searched..]
                .iter()
                .position(|&b| b == b'\n')
            {
                let end = self.searched + at;
                let mut line: Vec<u8> = self.buffer.drain(..=end).collect();
                self.take_span(&line);
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                self.searched = 0;
                return self.hand_over(line);
            }
            // Refused as the import's line reader refuses them: a line that
            // begins with a control character (NUL, say), at once, and one
            // that never ends, past the limit, never held for ever.
            let refused = |error: crate::format::FormatError| {
                Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    error.to_string(),
                ))
            };
            let line = self.line + 1;
            if let Some(error) = self
                .buffer
                .first()
                .and_then(|&byte| crate::format::line_start_error(line, byte))
            {
                return refused(error);
            }
            self.searched = self.buffer.len();
            if self.ended {
                return Ok(Next::End);
            }
            if self.buffer.len() as u64 > self.max_line {
                return refused(crate::format::line_too_long(line, self.max_line));
            }
            let start = self.buffer.len();
            self.buffer.resize(start + CHUNK, 0);
            let read = match self.input.read(&mut self.buffer[start..]) {
                Ok(read) => read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => 0,
                Err(error) => {
                    self.buffer.truncate(start);
                    return Err(error);
                }
            };
            self.buffer.truncate(start + read);
            if read > 0 {
                continue;
            }
            if !self.end_is_final {
                return Ok(Next::Idle);
            }
            self.ended = true;
            if !self.buffer.is_empty() {
                let line = std::mem::take(&mut self.buffer);
                self.take_span(&line);
                self.searched = 0;
                return self.hand_over(line);
            }
            return Ok(Next::End);
        }
    }

    /// `raw`, the next line as read (its line end included), is where
    /// the input now stands.
    fn take_span(&mut self, raw: &[u8]) {
        let start = self.last.end;
        self.last = LineSpan {
            start,
            end: start + raw.len() as u64,
            crc32: crc32fast::hash(raw),
        };
    }

    fn hand_over(&mut self, mut line: Vec<u8>) -> io::Result<Next> {
        self.line += 1;
        if self.line == 1 && line.starts_with(b"\xEF\xBB\xBF") {
            line.drain(..3);
        }
        String::from_utf8(line)
            .map(|text| Next::Line(self.line, text))
            .map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("line {}: not UTF-8 text", self.line),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands over its parts one read at a time, then has
    /// nothing (for now).
    struct Parts(Vec<&'static [u8]>);

    impl Read for Parts {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Ok(0);
            }
            let part = self.0.remove(0);
            out[..part.len()].copy_from_slice(part);
            Ok(part.len())
        }
    }

    #[test]
    fn a_stream_that_never_ends_a_line_is_refused_past_the_limit() {
        let mut lines = TailLines::stream(std::io::repeat(b'x'));
        lines.max_line = 1 << 16;
        let error = lines.next_line().unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert_eq!(
            error.to_string(),
            "line 1: the line is longer than 65536 bytes without ending: not a line of JSON events"
        );
    }

    #[test]
    fn a_control_character_beginning_a_line_is_refused_at_once() {
        let mut lines = TailLines::stream(std::io::repeat(0));
        assert_eq!(
            lines.next_line().unwrap_err().to_string(),
            "line 1, column 1: a control character (U+0000) cannot begin a line of JSON"
        );
        let mut lines = TailLines::stream(&b"{}\n\x0c\n\x07"[..]);
        assert!(matches!(lines.next_line().unwrap(), Next::Line(1, _)));
        assert!(matches!(lines.next_line().unwrap(), Next::Line(2, _)));
        assert!(
            lines
                .next_line()
                .unwrap_err()
                .to_string()
                .contains("U+0007")
        );
    }

    #[test]
    fn a_half_written_line_is_waited_for() {
        let mut lines = TailLines::growing(Parts(vec![b"{\"a\":1}\n{\"b\"", b":2}\r\n"]));
        assert_eq!(
            lines.next_line().unwrap(),
            Next::Line(1, "{\"a\":1}".into())
        );
        assert_eq!(
            lines.next_line().unwrap(),
            Next::Line(2, "{\"b\":2}".into())
        );
        assert_eq!(lines.next_line().unwrap(), Next::Idle);

        let mut lines = TailLines::growing(Parts(vec![b"{\"a\":1}\n{\"b\""]));
        assert_eq!(
            lines.next_line().unwrap(),
            Next::Line(1, "{\"a\":1}".into())
        );
        assert_eq!(lines.next_line().unwrap(), Next::Idle);
        assert_eq!(
            lines.next_line().unwrap(),
            Next::Idle,
            "still waiting, not rejected"
        );
    }

    #[test]
    fn each_line_s_bytes_are_located_for_a_later_resume() {
        let mut lines = TailLines::growing(Parts(vec![b"ab\r\nc", b"d\n"]));
        assert_eq!(lines.next_line().unwrap(), Next::Line(1, "ab".into()));
        assert_eq!(
            lines.last_span(),
            LineSpan {
                start: 0,
                end: 4,
                crc32: crc32fast::hash(b"ab\r\n")
            }
        );
        assert_eq!(lines.next_line().unwrap(), Next::Line(2, "cd".into()));
        assert_eq!(
            lines.last_span(),
            LineSpan {
                start: 4,
                end: 7,
                crc32: crc32fast::hash(b"cd\n")
            }
        );

        let mut after = TailLines::growing_after(Parts(vec![b"e\n"]), 2, 7);
        assert_eq!(after.next_line().unwrap(), Next::Line(3, "e".into()));
        assert_eq!((after.last_span().start, after.last_span().end), (7, 9));
    }

    #[test]
    fn a_stream_ends_with_its_last_line() {
        let mut lines = TailLines::stream(Parts(vec![b"x\n\xEF\xBB\xBFy"]));
        assert_eq!(lines.next_line().unwrap(), Next::Line(1, "x".into()));
        assert_eq!(
            lines.next_line().unwrap(),
            Next::Line(2, "\u{feff}y".into())
        );
        assert_eq!(lines.next_line().unwrap(), Next::End);
        assert_eq!(lines.next_line().unwrap(), Next::End);
    }

    #[test]
    fn a_line_that_is_not_text_is_named() {
        let mut lines = TailLines::stream(Parts(vec![b"ok\n\xff\n"]));
        assert_eq!(lines.next_line().unwrap(), Next::Line(1, "ok".into()));
        let error = lines.next_line().unwrap_err().to_string();
        assert_eq!(error, "line 2: not UTF-8 text");
    }
}
