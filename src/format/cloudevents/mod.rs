//! CloudEvents 1.0, structured JSON mode. The mapping to and from events is
//! documented on the parent module, where it is public.

mod read;
mod write;

pub(super) use read::parse;
pub(super) use write::write;

/// The `source` written for events whose metadata names none.
const DEFAULT_SOURCE: &str = "eventscope";

/// The `datacontenttype` of JSON data, written unless metadata names another.
const DEFAULT_CONTENT_TYPE: &str = "application/json";

/// The extension carrying metadata that no attribute can carry.
const PACKED_METADATA: &str = "eventscopemetadata";

/// A CloudEvents attribute name: lower-case ASCII letters and digits.
fn is_attribute_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Base64 as RFC 4648 writes it: the 64 letters, in groups of four, with
/// at most two `=` closing the last group.
fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    text.len().is_multiple_of(4)
        && text.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

#[cfg(test)]
mod tests;
