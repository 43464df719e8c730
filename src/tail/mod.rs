//! Following a growing text log: a file that another process appends to,
//! or a pipe (`kcat -C -J -t orders | eventscope follow -`). Lines are
//! handed over as they complete; a half-written last line is waited for,
//! never taken for a bad one.
//!
//! Each line is one record, told apart by its shape: a Kafka record as
//! kcat's `-J` prints it ([`kcat`]), a CloudEvent (it has `specversion`),
//! or a native event.

pub mod kcat;
mod lines;
mod mark;
mod record;

pub use lines::{LineSpan, Next, TailLines};
pub use mark::{FileMark, MarkRefusal};
pub use record::{Record, StreamFrom, parse_record};
