//! CloudEvents 1.0, structured JSON mode.
//!
//! Written one object per line, attributes always in this order:
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
//! | `stream`           | `subject` (required on import)                               |
//! | `type`, `id`       | `type`, `id` (required)                                      |
//! | `time`             | `time` (required on import)                                  |
//! | `data`             | `data` (JSON; `{}` when absent); `data_base64` is refused    |
//! | `seq`              | extension `sequence`, a 20-digit zero-padded string so it orders as text; ignored on import (the store assigns it) |
//! | `version`          | extension `streamversion`, an integer; on import (integer or digit string) it becomes the expected version |
//!
//! `datacontenttype` is written as `application/json`; on import any JSON
//! type (`application/json`, `text/json`, `*+json`) is accepted and dropped,
//! any other type refused. `specversion` must be `"1.0"`.
//!
//! Metadata is mapped so that one export/import cycle loses nothing:
//! - `source`: the metadata's `source` string, else `"eventscope"`; on import
//!   a `source` of `"eventscope"` is dropped, any other is kept in metadata.
//! - `dataschema`: the metadata's `dataschema` string, and back.
//! - `correlation_id` / `causation_id` <-> extensions `correlationid` /
//!   `causationid`.
//! - other members whose name is a valid attribute name (`a-z0-9`, at most
//!   20 characters, not one of the names above) and whose value is a string
//!   without escapes, a boolean or a 32-bit integer become extensions of
//!   the same name; on import every unknown attribute is kept in metadata
//!   under its own name.
//! - everything else (objects, arrays, floats, `null`, other names, and
//!   metadata that is not an object at all) goes into one extension,
//!   `eventscopemetadata`, holding that JSON as a string; import unpacks it.

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
