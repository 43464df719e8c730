//! CloudEvents 1.0, structured JSON mode. The mapping to and from events is
//! documented on the parent module, where it is public.

mod read;
mod write;

pub(super) use read::parse;
pub(super) use write::write;

/// The `source` written for events whose metadata names none.
const DEFAULT_SOURCE: &str = "eventscope";

/// The extension carrying metadata that no attribute can carry.
const PACKED_METADATA: &str = "eventscopemetadata";

#[cfg(test)]
mod tests;
