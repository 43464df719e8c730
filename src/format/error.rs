//! What can go wrong reading a log, said so that a person can find and fix
//! the place in the file.

use std::fmt;
use std::io;

/// A line (or array element) that is not a readable event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// 1-based line of the input where the problem is.
    pub line: u64,
    /// 1-based byte column in that line, when known.
    pub column: Option<u64>,
    /// 1-based position of the event in a CloudEvents JSON array; `None`
    /// for one-event-per-line input.
    pub element: Option<u64>,
    pub kind: FormatErrorKind,
}

/// The ways a line can fail to be an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatErrorKind {
    /// Not JSON, or not shaped like an event (a missing, unknown or repeated
    /// field, a value of the wrong type), in serde_json's words.
    Json(String),
    /// The bytes are not UTF-8; `byte` is the 1-based offset in the line.
    InvalidUtf8 { byte: u64 },
    /// A field that must hold a string holds something else.
    NotAString { field: &'static str },
    /// A field that must name something is `""`.
    Empty { field: &'static str },
    /// The time is not RFC 3339 (the message quotes it).
    BadTime(String),
    /// A version is not a positive integer; `found` is the JSON as written.
    BadVersion { field: &'static str, found: String },
    /// A CloudEvent of another spec version; `found` is the JSON as written.
    UnsupportedSpecVersion(String),
    /// A CloudEvent without an attribute the spec requires.
    MissingAttribute(&'static str),
    /// A CloudEvent member whose name is not an attribute name (`a-z`,
    /// `0-9`); the name, shortened.
    BadAttributeName(String),
    /// A CloudEvent giving an attribute (or a metadata member) twice.
    DuplicateAttribute(String),
    /// An extension attribute holding what no attribute type can be.
    BadAttributeValue { name: String, found: String },
    /// `data_base64` that is not a string of Base64.
    BadBase64,
    /// A CloudEvent with both `data` and `data_base64`.
    DataTwice,
    /// An object (e.g. `metadata`) naming one member twice.
    DuplicateKey { field: &'static str, key: String },
    /// The `eventscopemetadata` extension does not hold what eventscope
    /// writes there; says why.
    BadPackedMetadata(&'static str),
    /// Valid JSON that eventscope could not show as it is (a number beyond
    /// a 64-bit float, nesting deeper than 127, a lone surrogate escape);
    /// `why` says which, in serde_json's words.
    Unrepresentable { field: &'static str, why: String },
    /// A CloudEvents JSON array with something out of place.
    UnexpectedInArray { found: char, expected: &'static str },
    /// A CloudEvents JSON array the input ends inside of.
    UnclosedArray,
    /// A line longer than any line of events: input that never ends a
    /// line (`/dev/zero`, a binary file) is refused, not read into memory
    /// for ever.
    LineTooLong { limit: u64 },
}

/// Keeps quoted input short enough for a one-line message, and on one
/// line: a decoded key or value may hold line ends and other controls.
pub(super) fn excerpt(text: &str) -> String {
    const LIMIT: usize = 40;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}...", one_line(&text[..cut])),
        None => one_line(text),
    }
}

/// `text` with its control characters written as escapes.
pub(super) fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl fmt::Display for FormatErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FormatErrorKind::*;
        match self {
            Json(message) => f.write_str(message),
            // The byte is the column the error names.
            InvalidUtf8 { .. } => f.write_str("invalid UTF-8"),
            NotAString { field } => write!(f, "`{field}` must be a string"),
            Empty { field } => write!(f, "`{field}` must not be empty"),
            BadTime(message) => f.write_str(message),
            BadVersion { field, found } => {
                write!(f, "`{field}` must be a positive integer, not `{found}`")
            }
            UnsupportedSpecVersion(found) => write!(
                f,
                "`specversion` is `{found}`, but only CloudEvents 1.0 (\"1.0\") is supported"
            ),
            MissingAttribute(name) => {
                write!(f, "missing attribute `{name}`, which every CloudEvent has")
            }
            BadAttributeName(name) => write!(
                f,
                "`{name}` is not a CloudEvents attribute name: use lower-case letters a-z and digits 0-9"
            ),
            DuplicateAttribute(name) => write!(f, "attribute `{name}` is given twice"),
            BadAttributeValue { name, found } => write!(
                f,
                "attribute `{name}` must be a string, a boolean or a 32-bit integer, not `{found}`"
            ),
            BadBase64 => f.write_str("`data_base64` must be a string of Base64 text"),
            DataTwice => f.write_str("a CloudEvent carries `data` or `data_base64`, not both"),
            DuplicateKey { field, key } => write!(f, "`{field}` names `{key}` twice"),
            BadPackedMetadata(why) => write!(f, "`eventscopemetadata` {why}"),
            Unrepresentable { field, why } => write!(
                f,
                "`{field}` cannot be kept as written: {why} (eventscope takes numbers within \
                 the range of a 64-bit float, nesting at most 127 deep, and no lone \
                 surrogate escapes)"
            ),
            UnexpectedInArray { found, expected } => {
                write!(f, "expected {expected} in the JSON array, found `{found}`")
            }
            UnclosedArray => f.write_str("the input ends inside the JSON array: `]` is missing"),
            LineTooLong { limit } if *limit >= 1 << 20 => write!(
                f,
                "the line is longer than {} MiB without ending: not a line of JSON events",
                limit >> 20
            ),
            LineTooLong { limit } => write!(
                f,
                "the line is longer than {limit} bytes without ending: not a line of JSON events"
            ),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(column) = self.column {
            write!(f, ", column {column}")?;
        }
        if let Some(element) = self.element {
            write!(f, " (array element {element})")?;
        }
        // Whatever a kind quotes from the input, the message is one line.
        write!(f, ": {}", one_line(&self.kind.to_string()))
    }
}

impl std::error::Error for FormatError {}

/// Why reading a log stopped. Nothing after the failing line was read.
#[derive(Debug)]
pub enum ReadError<E> {
    /// The input could not be read (`line` is the line being read).
    Io { line: u64, error: io::Error },
    /// The input holds something that is not an event.
    Format(FormatError),
    /// The sink refused the event read from `line` (e.g. a version conflict).
    Sink {
        line: u64,
        element: Option<u64>,
        error: E,
    },
}

impl<E: fmt::Display> fmt::Display for ReadError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io { line, error } => write!(f, "reading line {line}: {error}"),
            ReadError::Format(error) => error.fmt(f),
            ReadError::Sink {
                line,
                element,
                error,
            } => {
                write!(f, "line {line}")?;
                if let Some(element) = element {
                    write!(f, " (array element {element})")?;
                }
                write!(f, ": {error}")
            }
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for ReadError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io { error, .. } => Some(error),
            ReadError::Format(error) => Some(error),
            ReadError::Sink { error, .. } => Some(error),
        }
    }
}

impl<E> From<FormatError> for ReadError<E> {
    fn from(error: FormatError) -> Self {
        ReadError::Format(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_line_column_and_element() {
        let error = FormatError {
            line: 12,
            column: Some(30),
            element: None,
            kind: FormatErrorKind::Json("missing field `type`".into()),
        };
        assert_eq!(
            error.to_string(),
            "line 12, column 30: missing field `type`"
        );
        let in_array = FormatError {
            line: 3,
            column: None,
            element: Some(2),
            kind: FormatErrorKind::InvalidUtf8 { byte: 17 },
        };
        assert_eq!(
            in_array.to_string(),
            "line 3 (array element 2): invalid UTF-8"
        );
    }

    #[test]
    fn quoted_input_stays_on_one_line() {
        assert_eq!(excerpt("a\nb\r\u{1b}"), "a\\nb\\r\\u{1b}");
    }

    #[test]
    fn long_input_is_shortened_in_messages() {
        let long = "x".repeat(100);
        let shown = excerpt(&long);
        assert!(shown.len() < 50 && shown.ends_with("..."), "{shown}");
        assert_eq!(excerpt("short"), "short");
    }
}
