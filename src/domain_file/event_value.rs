//! An event as jq sees it: `{seq, stream, version, type, id, time, data,
//! metadata}`, built for every event a fold reads.
//!
//! Building the whole object costs more than most folds do (parsing the
//! payload is most of it), so a fold's text is read once for the fields it
//! uses ([`EventFields::read_by`]) and only those are built. This is exact
//! because jaq's variables are values, never paths: `$event.type` gives the
//! field's value whatever else the object holds, and `$event.type |= 1`
//! fails the same way (on the input, not on `$event`). Any other use of
//! `$event` (`$event | keys`, `$event as $e`, `$event[...]`) builds it all.

use std::sync::Arc;

use crate::event::Event;
use crate::jq::{self, Val};

/// The fields in the order the whole object has them.
const FIELDS: [&str; 8] = [
    "seq", "stream", "version", "type", "id", "time", "data", "metadata",
];

/// Which fields of `$event` a fold's expressions use, as a bit per entry of
/// [`FIELDS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventFields(u8);

impl EventFields {
    pub const ALL: EventFields = EventFields(u8::MAX);
    pub const NONE: EventFields = EventFields(0);

    /// The fields `code` reads of `$event`: every occurrence must be
    /// `$event.<name>`; one that is not (or a name this cannot tell apart
    /// from another variable, `$events`) means all of them. Text inside
    /// strings and comments counts too, which only ever builds more.
    pub fn read_by(code: &str) -> EventFields {
        const VAR: &str = "$event";
        let mut fields = 0u8;
        let mut rest = code;
        while let Some(at) = rest.find(VAR) {
            let after = &rest[at + VAR.len()..];
            let Some(path) = after.strip_prefix('.') else {
                return EventFields::ALL;
            };
            let name_len = path
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(path.len());
            let name = &path[..name_len];
            let starts_like_a_name = name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
            if !starts_like_a_name {
                return EventFields::ALL;
            }
            // A name that is no field reads null either way.
            if let Some(index) = FIELDS.iter().position(|field| *field == name) {
                fields |= 1 << index;
            }
            rest = &path[name_len..];
        }
        EventFields(fields)
    }

    pub fn union(self, other: EventFields) -> EventFields {
        EventFields(self.0 | other.0)
    }

    fn has(self, index: usize) -> bool {
        self.0 & (1 << index) != 0
    }
}

/// Builds events as jq values, keeping the values of the names that repeat
/// (the keys, and each event type) so that most events cost no allocation
/// for them.
pub struct EventValues {
    fields: EventFields,
    /// The interned type names met so far and their values; a log has few
    /// types, and the store hands out the same `Arc` for each.
    types: Vec<(Arc<str>, Val)>,
}

/// More types than this are built afresh rather than kept.
const MAX_KEPT_TYPES: usize = 256;

impl EventValues {
    pub fn new(fields: EventFields) -> EventValues {
        EventValues {
            fields,
            types: Vec::new(),
        }
    }

    /// `event` as jq sees it, with the fields this builder was made for.
    pub fn build(&mut self, event: &Event) -> Result<Val, jq::RunError> {
        let mut map = jaq_json::Map::default();
        for index in 0..FIELDS.len() {
            if !self.fields.has(index) {
                continue;
            }
            let value = match index {
                0 => number(event.seq),
                1 => Val::from(event.stream.to_string()),
                2 => number(event.version),
                3 => self.type_value(&event.event_type),
                4 => Val::from(event.id.clone()),
                5 => event.time.map_or(Val::Null, |t| Val::from(t.to_string())),
                6 => jq::parse(event.data.as_str())?,
                _ => match &event.metadata {
                    Some(metadata) => jq::parse(metadata.as_str())?,
                    None => Val::Null,
                },
            };
            map.insert(keys()[index].clone(), value);
        }
        Ok(Val::obj(map))
    }

    fn type_value(&mut self, event_type: &Arc<str>) -> Val {
        if let Some((_, value)) = self
            .types
            .iter()
            .find(|(known, _)| Arc::ptr_eq(known, event_type) || **known == **event_type)
        {
            return value.clone();
        }
        let value = Val::from(event_type.to_string());
        if self.types.len() < MAX_KEPT_TYPES {
            self.types.push((Arc::clone(event_type), value.clone()));
        }
        value
    }
}

/// The keys, made once: an event's object then costs no key allocations.
fn keys() -> &'static [Val; 8] {
    static KEYS: std::sync::OnceLock<[Val; 8]> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| FIELDS.map(|key| Val::from(key.to_owned())))
}

/// The whole event as jq sees it.
pub fn event_value(event: &Event) -> Result<Val, jq::RunError> {
    EventValues::new(EventFields::ALL).build(event)
}

fn number(n: u64) -> Val {
    match usize::try_from(n) {
        Ok(n) => Val::from(n),
        Err(_) => Val::from(n as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Json, Timestamp};
    use crate::jq::Program;

    fn event() -> Event {
        Event {
            seq: 7,
            stream: "order-3".into(),
            version: 2,
            event_type: "OrderPaid".into(),
            id: "e-7".into(),
            time: Some(Timestamp::from_unix_millis(1_700_000_000_000)),
            data: Json::parse_text(r#"{"amount": 12, "by": {"card": "x"}}"#).unwrap(),
            metadata: Some(Json::parse_text(r#"{"correlation_id": "c"}"#).unwrap()),
        }
    }

    #[test]
    fn the_fields_a_fold_names_are_found() {
        let fields = EventFields::read_by(".[$event.type] += 1");
        assert_eq!(fields, EventFields(1 << 3));
        let fields = EventFields::read_by(".[$event.stream] = $event.data.address.city");
        assert_eq!(fields, EventFields(1 << 1 | 1 << 6));
        assert_eq!(EventFields::read_by(".n + 1"), EventFields::NONE);
        assert_eq!(
            EventFields::read_by("$event.nothing"),
            EventFields::NONE,
            "a name that is no field reads null whatever is built"
        );
        assert_eq!(
            EventFields::read_by("\"\\($event.types)\""),
            EventFields::NONE,
            "`types` is not `type`"
        );
    }

    #[test]
    fn any_other_use_of_the_event_reads_it_all() {
        for code in [
            "$event | keys",
            "$event",
            "$event as $e | $e.data",
            "$event[\"data\"]",
            "$event.\"data\"",
            "$event .data",
            "$event?",
            "$events.x",
            ".a = $event.type | $event",
        ] {
            assert_eq!(EventFields::read_by(code), EventFields::ALL, "{code}");
        }
    }

    /// Whatever a program does with `$event`, it gives the same answer on
    /// the fields its text names as on the whole event.
    #[test]
    fn the_fields_built_give_what_the_whole_event_gives() {
        for code in [
            ".[$event.type] += 1",
            "[$event.seq, $event.stream, $event.version, $event.id, $event.time]",
            "$event.data.by.card + $event.metadata.correlation_id",
            "$event.data | keys",
            "$event.nothing",
            "$event.type |= 1",
            "[paths($event.data)]",
            "$event | keys",
            "del($event.data)",
        ] {
            let program = Program::compile(code, &["event"]).unwrap();
            let run = |value: Val| {
                program
                    .run(Val::obj(Default::default()), vec![value])
                    .map(|answers| answers.iter().map(Val::to_string).collect::<Vec<_>>())
            };
            let built = EventValues::new(EventFields::read_by(code))
                .build(&event())
                .unwrap();
            let whole = event_value(&event()).unwrap();
            assert_eq!(run(built), run(whole), "{code}");
        }
    }

    #[test]
    fn a_kept_type_name_is_the_same_value() {
        let mut values = EventValues::new(EventFields::ALL);
        let first = values.build(&event()).unwrap();
        let mut other = event();
        // Equal text, another allocation: still the same type.
        other.event_type = Arc::from("OrderPaid".to_string());
        let second = values.build(&other).unwrap();
        assert_eq!(first.to_string(), second.to_string());
        assert_eq!(values.types.len(), 1);
    }
}
