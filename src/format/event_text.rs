//! An event as read from a piece of text, its fields borrowed from that
//! text wherever they are kept as written, so that reading it allocates
//! nothing in the common case.

use std::borrow::Cow;

use crate::event::{Json, NewEvent, Timestamp};

/// A checked event whose names and payloads may borrow from the text it
/// was read from. `data` and `metadata` hold compact JSON that every tree
/// here can represent, as a [`Json`] would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventText<'a> {
    pub(crate) stream: Cow<'a, str>,
    pub(crate) event_type: Cow<'a, str>,
    pub(crate) id: Option<Cow<'a, str>>,
    pub(crate) time: Option<Timestamp>,
    pub(crate) data: Cow<'a, str>,
    pub(crate) metadata: Option<Cow<'a, str>>,
    pub(crate) expected_version: Option<u64>,
}

impl EventText<'_> {
    pub fn stream(&self) -> &str {
        &self.stream
    }

    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    pub fn time(&self) -> Option<Timestamp> {
        self.time
    }

    pub fn data(&self) -> &str {
        &self.data
    }

    pub fn metadata(&self) -> Option<&str> {
        self.metadata.as_deref()
    }

    pub fn expected_version(&self) -> Option<u64> {
        self.expected_version
    }

    /// The event with its own copies of every field.
    pub fn into_new_event(self) -> NewEvent {
        NewEvent {
            stream: self.stream.into_owned(),
            event_type: self.event_type.into_owned(),
            id: self.id.map(Cow::into_owned),
            time: self.time,
            data: Json::from_trusted(self.data),
            metadata: self.metadata.map(Json::from_trusted),
            expected_version: self.expected_version,
        }
    }
}

impl<'a> From<&'a NewEvent> for EventText<'a> {
    fn from(event: &'a NewEvent) -> Self {
        EventText {
            stream: Cow::Borrowed(&event.stream),
            event_type: Cow::Borrowed(&event.event_type),
            id: event.id.as_deref().map(Cow::Borrowed),
            time: event.time,
            data: Cow::Borrowed(event.data.as_str()),
            metadata: event.metadata.as_ref().map(|m| Cow::Borrowed(m.as_str())),
            expected_version: event.expected_version,
        }
    }
}
