//! What a viewer of a running simulation can see: the two flows, the
//! messages in flight and each side's view of an entity.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use super::entity::EntityRecord;

/// The two ways the source tells the consumer about changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Flow {
    /// Thin events; the consumer calls the source for the data.
    Notification,
    /// Events carry the changed data; the consumer keeps a replica.
    StateTransfer,
}

impl Flow {
    /// Both flows, in the order they are shown.
    pub const ALL: [Flow; 2] = [Flow::Notification, Flow::StateTransfer];

    pub(crate) fn index(self) -> usize {
        match self {
            Flow::Notification => 0,
            Flow::StateTransfer => 1,
        }
    }

    /// The name used in output and on screen.
    pub fn name(self) -> &'static str {
        match self {
            Flow::Notification => "Notification",
            Flow::StateTransfer => "StateTransfer",
        }
    }
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The two systems messages travel between.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Party {
    /// The system that owns the entities.
    Source,
    /// The system that works with the entities' data.
    Consumer,
}

/// What is travelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum MessageKind {
    /// A thin event: type, stream and version only.
    ThinEvent,
    /// An event that carries the changed data.
    EventWithData,
    /// A call to the source's query API, on its way.
    QueryCall,
    /// The source's answer: the entity's current state.
    QueryAnswer,
    /// A call that found the source down, coming back as an error.
    QueryFailure,
}

/// A message on its way, for drawing it between the two parties.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlight {
    /// Which side's bus or call it belongs to.
    pub flow: Flow,
    pub kind: MessageKind,
    /// The entity it is about.
    pub stream: Arc<str>,
    /// The entity's version it carries or asks about (0 for a call).
    pub version: u64,
    pub from: Party,
    pub to: Party,
    /// Virtual ms it left (for an answer: when the source answered).
    pub sent_at: u64,
    /// Virtual ms it arrives (for a call: when it reaches the source).
    pub arrives_at: u64,
}

/// What one side knows of an entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityView {
    /// The version of the entity this view reflects (0 = none).
    pub version: u64,
    /// The values of the fields the work needs (of every field, when it
    /// needs the whole entity), as compact JSON, by name.
    pub fields: Vec<(Arc<str>, Arc<str>)>,
}

impl EntityView {
    /// What a record shows: nothing until it knows the entity.
    pub(crate) fn of(record: &EntityRecord) -> Option<EntityView> {
        record.is_known().then(|| {
            let mut fields: Vec<(Arc<str>, Arc<str>)> = record
                .fields
                .iter()
                .filter_map(|f| Some((f.key.clone(), f.value.clone()?)))
                .collect();
            fields.sort();
            EntityView {
                version: record.version,
                fields,
            }
        })
    }
}
