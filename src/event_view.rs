//! A stored event, borrowed: what a scan hands out without allocating.
//!
//! The names are borrowed from the log's (the type's interned, the stream's
//! from the names a scan holds), the payloads slices of the block they were
//! read from, and the id is only built when someone asks for it
//! (most events carry the derived `<stream>/<version>` and store none).
//! [`EventView::to_event`] makes the owned [`Event`] for those who keep it.

use std::borrow::Cow;
use std::sync::Arc;

use crate::event::{Event, Json, Timestamp, derived_id};

/// An event borrowed from where it is stored.
#[derive(Clone, Copy, Debug)]
pub struct EventView<'a> {
    pub seq: u64,
    pub stream: &'a str,
    pub version: u64,
    pub event_type: &'a Arc<str>,
    /// The stored id; `None` when it is the derived one.
    stored_id: Option<&'a str>,
    pub time: Option<Timestamp>,
    /// Valid compact JSON, as stored: private, so that only the store
    /// (through [`EventView::from_trusted`]) says what is valid.
    data: &'a str,
    metadata: Option<&'a str>,
}

/// The fixed fields of an event, without its texts (id, payload,
/// metadata): what a fold of heads reads (see
/// [`crate::projection::HeadFold`]), which a store reads apart from the
/// texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventHead<'a> {
    pub seq: u64,
    /// The stream's name; `None` when the scan was asked not to name the
    /// streams (a fold that never reads them).
    pub stream: Option<&'a str>,
    pub version: u64,
    pub event_type: &'a Arc<str>,
    pub time: Option<Timestamp>,
}

/// The parts of an [`EventView`], as a decoder or an owned event gives them.
pub struct ViewParts<'a> {
    pub seq: u64,
    pub stream: &'a str,
    pub version: u64,
    pub event_type: &'a Arc<str>,
    pub id: Option<&'a str>,
    pub time: Option<Timestamp>,
    pub data: &'a str,
    pub metadata: Option<&'a str>,
}

impl<'a> EventView<'a> {
    /// A view of parts whose `data` and `metadata` are valid compact JSON
    /// (the store only holds such text).
    pub(crate) fn from_trusted(parts: ViewParts<'a>) -> EventView<'a> {
        EventView {
            seq: parts.seq,
            stream: parts.stream,
            version: parts.version,
            event_type: parts.event_type,
            stored_id: parts.id,
            time: parts.time,
            data: parts.data,
            metadata: parts.metadata,
        }
    }

    /// The event's id: its own, or `<stream>/<version>` built on demand.
    pub fn id(&self) -> Cow<'a, str> {
        match self.stored_id {
            Some(id) => Cow::Borrowed(id),
            None => Cow::Owned(derived_id(self.stream, self.version)),
        }
    }

    /// The payload: valid compact JSON, as stored.
    pub fn data(&self) -> &'a str {
        self.data
    }

    /// The metadata, when there is any: valid compact JSON, as stored.
    pub fn metadata(&self) -> Option<&'a str> {
        self.metadata
    }

    /// The event's head; with its stream's name when `streams`.
    pub fn head(&self, streams: bool) -> EventHead<'a> {
        EventHead {
            seq: self.seq,
            stream: streams.then_some(self.stream),
            version: self.version,
            event_type: self.event_type,
            time: self.time,
        }
    }

    /// The owned event.
    pub fn to_event(&self) -> Event {
        Event {
            seq: self.seq,
            stream: Arc::from(self.stream),
            version: self.version,
            event_type: Arc::clone(self.event_type),
            id: self.id().into_owned(),
            time: self.time,
            data: Json::from_trusted(self.data),
            metadata: self.metadata.map(Json::from_trusted),
        }
    }

    /// Reads the payload as the borrowed shape `T`.
    pub fn parse_data<T: serde::Deserialize<'a>>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.data)
    }
}

impl Event {
    /// This event, borrowed: no copy of anything.
    pub fn view(&self) -> EventView<'_> {
        EventView::from_trusted(ViewParts {
            seq: self.seq,
            stream: &self.stream,
            version: self.version,
            event_type: &self.event_type,
            id: Some(&self.id),
            time: self.time,
            data: self.data.as_str(),
            metadata: self.metadata.as_ref().map(Json::as_str),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str) -> Event {
        Event {
            seq: 4,
            stream: "order-7".into(),
            version: 3,
            event_type: "OrderPlaced".into(),
            id: id.into(),
            time: Some(Timestamp::from_unix_millis(1_700_000_000_000)),
            data: Json::parse_text(r#"{"total":12}"#).unwrap(),
            metadata: Some(Json::parse_text(r#"{"correlation_id":"c"}"#).unwrap()),
        }
    }

    #[test]
    fn an_event_and_its_view_round_trip() {
        let owned = event("evt-1");
        assert_eq!(owned.view().to_event(), owned);
        assert_eq!(owned.view().id(), "evt-1");
    }

    #[test]
    fn a_view_without_a_stored_id_derives_it() {
        let owned = event("ignored");
        let view = EventView {
            stored_id: None,
            ..owned.view()
        };
        assert_eq!(view.id(), "order-7/3");
        assert_eq!(view.to_event().id, "order-7/3");
    }
}
