//! Reading and writing event logs as text, streaming: one event at a time,
//! never the whole file in memory.
//!
//! Two formats, told apart by the caller ([`Format`]).
//!
//! # Native
//!
//! JSONL, one event per line, with the event's own field names:
//!
//! ```text
//! {"seq":1,"stream":"customer-1","version":1,"type":"CustomerRegistered","id":"e-1",
//!  "time":"2024-03-01T09:30:00Z","data":{...},"metadata":{"correlation_id":"c-1"}}
//! ```
//!
//! On import `seq` is accepted and ignored (the store assigns it), `version`
//! becomes [`NewEvent::expected_version`], `id`, `time` (absent or `null`:
//! the event has no time), `data` (default `{}`) and `metadata` are
//! optional, unknown fields are refused, and so is a `metadata` object that
//! names a member twice. Export writes these keys in this order (`time`
//! only when there is one, `metadata` only when present), compact, with
//! times in UTC, so exporting what an export imports gives the same bytes.
//!
//! Both formats refuse `data` and `metadata` that no JSON tree here can
//! hold, since everything that shows or folds an event parses it into one:
//! numbers beyond a 64-bit float (`1e400`), nesting deeper than 127, lone
//! surrogate escapes (`"\ud800"`). The error names the line and column.
//!
//! # CloudEvents
//!
//! CloudEvents 1.0, structured JSON mode. Read either one object per line or
//! one JSON array (which may span many lines, and is still read one element
//! at a time), told apart by a first non-blank `[`. Written one object per
//! line, attributes always in this order:
//!
//! ```text
//! {"specversion":"1.0","id":"e-1","source":"eventscope","type":"CustomerRegistered",
//!  "subject":"customer-1","time":"2024-03-01T09:30:00Z","datacontenttype":"application/json",
//!  "sequence":"00000000000000000001","streamversion":1,"correlationid":"c-1",
//!  ...other extensions...,"eventscopemetadata":"{...}","data":{...}}
//! ```
//!
//! | event field        | CloudEvents attribute                                        |
//! |--------------------|--------------------------------------------------------------|
//! | `stream`           | `subject`; without one, the `source` (the finest grain such an event names) |
//! | `type`, `id`       | `type`, `id` (required, non-empty strings)                   |
//! | `time`             | `time`, optional: without it the event has no time, and none is written |
//! | `data`             | `data` (any JSON; `{}` when absent), or the Base64 string of `data_base64` (see below) |
//! | `seq`              | extension `sequence`, a 20-digit zero-padded string so it orders as text; ignored on import (the store assigns it) |
//! | `version`          | extension `streamversion`, an integer; on import (integer or digit string) it becomes the expected version |
//!
//! Import follows the spec both ways. Accepted: any optional attribute
//! left out or `null` (the spec's "unset"), `data_base64`, any
//! `datacontenttype`. Refused, with line and column: a `specversion` other
//! than `"1.0"`; a missing, `null`, non-string or empty `id`, `source` or
//! `type`; an empty `subject`; a member name outside `a-z0-9` (but `data`
//! and `data_base64`); an attribute given twice; an extension whose value
//! is not a string, a boolean or a 32-bit integer; `data_base64` that is
//! not Base64, or given with `data`.
//!
//! Metadata is mapped so that one export/import cycle gives back every
//! member, in its order, whatever its name or value:
//! - `source`: the metadata's `source` string, else `"eventscope"`; on import
//!   a `source` of `"eventscope"` is dropped, any other is kept in metadata.
//! - `datacontenttype`: the metadata's `datacontenttype` string, else
//!   `application/json`; on import `application/json` is dropped, any other
//!   type is kept in metadata.
//! - `dataschema`: the metadata's `dataschema` string, and back.
//! - `correlation_id` / `causation_id` <-> extensions `correlationid` /
//!   `causationid`.
//! - `data_base64`: an event read from `data_base64` has that Base64 text
//!   as a JSON string in `data` and `"data_base64": true` last in its
//!   metadata; such an event is written back with `data_base64` (and no
//!   `datacontenttype` unless its metadata names one).
//! - other members whose name is a valid attribute name (`a-z0-9`, at most
//!   20 characters, not one of the names above) and whose value is a string
//!   without escapes, a boolean or a 32-bit integer become extensions of
//!   the same name; on import every other attribute is kept in metadata
//!   under its own name.
//! - everything else goes into one extension, `eventscopemetadata`, holding
//!   a JSON object as a string; import unpacks it. Import rebuilds metadata
//!   in the order its attributes come (the order above, then the packed
//!   members), so a member is carried by an attribute only where that keeps
//!   it in its place: from the first member that cannot be (a default
//!   value, a name or value no attribute takes, a member out of that
//!   order), every later one is packed. Metadata that is not an object, or
//!   an empty object, is packed whole.
//!
//! # Reading and writing
//!
//! Reading is push-based: [`read_events`] hands each event to a sink (e.g. an
//! append inside one store transaction) and names the line of whatever
//! stops it. Writing goes through [`EventWriter`], or [`write_event`] into a
//! `String` for callers that want the text.

mod array;
mod cloudevents;
mod detect;
mod error;
mod event_text;
mod fields;
mod json_text;
mod lines;
mod native;
mod repeated_key;

#[cfg(test)]
mod tests;

use std::fmt;
use std::io::{self, BufRead, Write};
use std::str::FromStr;

pub use detect::detect;
pub use error::{FormatError, FormatErrorKind, ReadError};
pub use event_text::EventText;
pub use lines::{MAX_LINE, line_start_error, line_too_long};

use crate::event::{Event, NewEvent};
use array::ArraySplitter;
use lines::{Chunk, LineReader};

/// A text format for event logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// JSONL with the event's own field names.
    #[default]
    Native,
    /// CloudEvents 1.0, structured JSON.
    CloudEvents,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Native, Format::CloudEvents];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Native => "native",
            Format::CloudEvents => "cloudevents",
        }
    }

    fn parser(self) -> fn(&Chunk<'_>) -> Result<NewEvent, FormatError> {
        match self {
            Format::Native => native::parse,
            Format::CloudEvents => cloudevents::parse,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown format `{}`: use `native` or `cloudevents`",
            self.0
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(text: &str) -> Result<Format, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|format| format.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| UnknownFormat(text.to_string()))
    }
}

/// Reads every event in `reader`, handing each to `sink` in order, and
/// returns how many were handed over.
///
/// Stops at the first line that is not an event, or the first event the
/// sink refuses; the error names the line. Blank lines are skipped; `\r\n`
/// line ends and a leading byte-order mark are accepted.
pub fn read_events<R: BufRead, E>(
    reader: R,
    format: Format,
    mut sink: impl FnMut(NewEvent) -> Result<(), E>,
) -> Result<u64, ReadError<E>> {
    read_located_events(reader, format, |_, event| sink(event))
}

/// One line of `format` (a whole event) as the event it is; errors name
/// `line`. For readers that get their lines one at a time, such as a
/// follower of a growing file.
pub fn parse_line(text: &str, line: u64, format: Format) -> Result<NewEvent, FormatError> {
    format.parser()(&Chunk::line(text, line))
}

/// Where an event was read: its line (1-based) and, inside a CloudEvents
/// array, its element (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: u64,
    pub element: Option<u64>,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(element) = self.element {
            write!(f, " (array element {element})")?;
        }
        Ok(())
    }
}

/// Like [`read_events`], but tells the sink where each event was read, so
/// that a consumer that fails later (on another thread, say) can still
/// name the line.
pub fn read_located_events<R: BufRead, E>(
    reader: R,
    format: Format,
    mut sink: impl FnMut(Position, NewEvent) -> Result<(), E>,
) -> Result<u64, ReadError<E>> {
    let parse = format.parser();
    read_chunks(reader, format, |chunk| {
        let event = parse(chunk)?;
        sink(position_of(chunk), event).map_err(|error| sink_error(chunk, error))
    })
}

/// Like [`read_located_events`], but each event is lent to the sink with
/// its fields borrowed from the input where they are kept as written
/// (native lines; CloudEvents are read into a [`NewEvent`] first), so that
/// a sink that copies them out costs no allocation per event.
pub fn read_located_texts<R: BufRead, E>(
    reader: R,
    format: Format,
    mut sink: impl FnMut(Position, &EventText<'_>) -> Result<(), E>,
) -> Result<u64, ReadError<E>> {
    read_chunks(reader, format, |chunk| {
        let handed = match format {
            Format::Native => sink(position_of(chunk), &native::parse_text(chunk)?),
            Format::CloudEvents => {
                let event = cloudevents::parse(chunk)?;
                sink(position_of(chunk), &EventText::from(&event))
            }
        };
        handed.map_err(|error| sink_error(chunk, error))
    })
}

fn position_of(chunk: &Chunk<'_>) -> Position {
    Position {
        line: chunk.line,
        element: chunk.element,
    }
}

fn sink_error<E>(chunk: &Chunk<'_>, error: E) -> ReadError<E> {
    ReadError::Sink {
        line: chunk.line,
        element: chunk.element,
        error,
    }
}

/// Splits the input into chunks of one event each (lines, or the elements
/// of a CloudEvents array) and hands each to `pass`; returns how many.
fn read_chunks<R: BufRead, E>(
    reader: R,
    format: Format,
    mut pass_one: impl FnMut(&Chunk<'_>) -> Result<(), ReadError<E>>,
) -> Result<u64, ReadError<E>> {
    let mut lines = LineReader::new(reader);
    let mut count = 0;
    let mut pass = |chunk: &Chunk<'_>| -> Result<(), ReadError<E>> {
        pass_one(chunk)?;
        count += 1;
        Ok(())
    };
    let mut array = None::<ArraySplitter>;
    let mut seen_first = false;
    let (mut last_line, mut last_length) = (0, 0);
    while let Some((line, text)) = lines.next_line()? {
        (last_line, last_length) = (line, text.len());
        if let Some(splitter) = &mut array {
            splitter.feed(text, line, &mut pass)?;
            continue;
        }
        let trimmed = text.trim_ascii_start();
        if trimmed.is_empty() {
            continue;
        }
        // Only the first non-blank line can open an array.
        if !seen_first && format == Format::CloudEvents && trimmed.starts_with('[') {
            array
                .insert(ArraySplitter::new())
                .feed(text, line, &mut pass)?;
            continue;
        }
        seen_first = true;
        pass(&Chunk::line(text, line))?;
    }
    if let Some(splitter) = &mut array {
        splitter.finish(last_line, last_length as u64 + 1, &mut pass)?;
    }
    Ok(count)
}

/// Appends `event` to `out` as one line in `format`, `\n` included.
pub fn write_event(out: &mut String, format: Format, event: &Event) {
    match format {
        Format::Native => native::write(event, out),
        Format::CloudEvents => cloudevents::write(event, out),
    }
}

/// Writes events one line each. Wrap a file in a `BufWriter`: each event is
/// one `write_all`.
pub struct EventWriter<W: Write> {
    out: W,
    format: Format,
    line: String,
    written: u64,
}

impl<W: Write> EventWriter<W> {
    pub fn new(out: W, format: Format) -> Self {
        EventWriter {
            out,
            format,
            line: String::with_capacity(1024),
            written: 0,
        }
    }

    pub fn write(&mut self, event: &Event) -> io::Result<()> {
        self.line.clear();
        write_event(&mut self.line, self.format, event);
        self.out.write_all(self.line.as_bytes())?;
        self.written += 1;
        Ok(())
    }

    /// Events written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Flushes and hands back the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}
