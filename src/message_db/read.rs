//! Reading messages in global position order, and each message as an event.

use postgres::Client;
use serde_json::Value;

use super::MessageDbError;
use super::connect::read_error;
use crate::event::{Json, NewEvent, Timestamp};

/// One row of `message_store.messages`, with its cause's id resolved.
#[derive(Clone, Debug)]
pub struct Message {
    pub global_position: i64,
    pub position: i64,
    /// Microseconds since the Unix epoch (UTC).
    pub time_micros: i64,
    pub stream_name: String,
    pub message_type: String,
    pub id: String,
    pub data: Option<String>,
    pub metadata: Option<String>,
    /// The id of the message at `causationMessageGlobalPosition`, if any.
    pub causation_id: Option<String>,
    /// How long ago, by the server's clock, the message's transaction began.
    pub age_millis: i64,
}

/// By the primary key on global_position: each batch is an index range
/// scan, however large the table. The cause is found by the same key.
const AFTER: &str = "
    SELECT m.global_position, m.position,
           (extract(epoch FROM m.time) * 1000000)::bigint,
           m.stream_name, m.type, m.id::text, m.data::text, m.metadata::text,
           cause.id::text,
           (extract(epoch FROM (clock_timestamp() AT TIME ZONE 'utc') - m.time) * 1000)::bigint
      FROM message_store.messages m
      LEFT JOIN message_store.messages cause
        ON cause.global_position = CASE
             WHEN m.metadata->>'causationMessageGlobalPosition' ~ '^[0-9]{1,18}$'
             THEN (m.metadata->>'causationMessageGlobalPosition')::bigint
           END
     WHERE m.global_position > $1
     ORDER BY m.global_position
     LIMIT $2";

/// Up to `limit` messages after global position `after`, in order.
pub(super) fn after(
    client: &mut Client,
    after: i64,
    limit: i64,
) -> Result<Vec<Message>, MessageDbError> {
    let rows = client
        .query(AFTER, &[&after, &limit])
        .map_err(|error| read_error(&error))?;
    rows.iter()
        .map(|row| {
            let global_position: i64 = row.try_get(0).map_err(|e| read_error(&e))?;
            let bad = |e: postgres::Error| MessageDbError::BadMessage {
                position: global_position,
                why: e.to_string(),
            };
            Ok(Message {
                global_position,
                position: row.try_get(1).map_err(bad)?,
                time_micros: row.try_get(2).map_err(bad)?,
                stream_name: row.try_get(3).map_err(bad)?,
                message_type: row.try_get(4).map_err(bad)?,
                id: row.try_get(5).map_err(bad)?,
                data: row.try_get(6).map_err(bad)?,
                metadata: row.try_get(7).map_err(bad)?,
                causation_id: row.try_get(8).map_err(bad)?,
                age_millis: row.try_get::<_, Option<i64>>(9).map_err(bad)?.unwrap_or(0),
            })
        })
        .collect()
}

/// The id of the message at `position`, if the store holds one there.
pub(super) fn id_at(client: &mut Client, position: i64) -> Result<Option<String>, MessageDbError> {
    let row = client
        .query_opt(
            "SELECT id::text FROM message_store.messages WHERE global_position = $1",
            &[&position],
        )
        .map_err(|error| read_error(&error))?;
    Ok(row.map(|row| row.get(0)))
}

impl Message {
    /// The event this message is: its stream version (`position + 1`) is
    /// expected, so a stream copied with a hole is refused.
    pub fn to_event(&self) -> Result<NewEvent, MessageDbError> {
        let bad = |why: String| MessageDbError::BadMessage {
            position: self.global_position,
            why,
        };
        let version = u64::try_from(self.position)
            .ok()
            .and_then(|p| p.checked_add(1))
            .ok_or_else(|| bad(format!("its position {} is negative", self.position)))?;
        let data = match &self.data {
            Some(text) => Json::parse_text(text).map_err(|e| bad(format!("its data: {e}")))?,
            None => Json::parse_text("null").map_err(|e| bad(e.to_string()))?,
        };
        let metadata = self.metadata_with_links().map_err(bad)?;
        let time = Timestamp::from_unix_nanos(self.time_micros.saturating_mul(1000));
        let mut event = NewEvent::new(&*self.stream_name, &*self.message_type, time, data)
            .with_id(&*self.id)
            .expecting_version(version);
        event.metadata = metadata;
        Ok(event)
    }

    /// The metadata, with `correlation_id` and `causation_id` added where
    /// Message DB's own fields name them (existing ones are kept).
    fn metadata_with_links(&self) -> Result<Option<Json>, String> {
        let mut value = match &self.metadata {
            Some(text) => {
                serde_json::from_str::<Value>(text).map_err(|e| format!("its metadata: {e}"))?
            }
            None => Value::Null,
        };
        let correlation = value
            .get("correlationStreamName")
            .and_then(Value::as_str)
            .map(str::to_string);
        let mut links = Vec::new();
        if let Some(correlation) = correlation {
            links.push(("correlation_id", correlation));
        }
        if let Some(cause) = &self.causation_id {
            links.push(("causation_id", cause.clone()));
        }
        if !links.is_empty() {
            if value.is_null() {
                value = Value::Object(Default::default());
            }
            if let Value::Object(map) = &mut value {
                for (key, link) in links {
                    map.entry(key).or_insert(Value::String(link));
                }
            }
        }
        if value.is_null() {
            return Ok(None);
        }
        Ok(Some(Json::from_value(&value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(metadata: Option<&str>, cause: Option<&str>) -> Message {
        Message {
            global_position: 7,
            position: 2,
            time_micros: 1_700_000_000_123_456,
            stream_name: "account-1".into(),
            message_type: "Deposited".into(),
            id: "6f1c1a52-52b5-4f64-9d4d-3c5b0a3c0001".into(),
            data: Some(r#"{"amount": 5}"#.into()),
            metadata: metadata.map(str::to_string),
            causation_id: cause.map(str::to_string),
            age_millis: 0,
        }
    }

    #[test]
    fn a_message_maps_to_its_event() {
        let event = message(None, None).to_event().unwrap();
        assert_eq!(event.stream, "account-1");
        assert_eq!(event.event_type, "Deposited");
        assert_eq!(event.expected_version, Some(3));
        assert_eq!(
            event.id.as_deref(),
            Some("6f1c1a52-52b5-4f64-9d4d-3c5b0a3c0001")
        );
        assert_eq!(event.data.as_str(), r#"{"amount":5}"#);
        assert_eq!(event.metadata, None);
        assert_eq!(
            event.time.unwrap().to_string(),
            "2023-11-14T22:13:20.123456Z"
        );
    }

    #[test]
    fn message_db_links_become_flow_links() {
        let event = message(
            Some(r#"{"correlationStreamName":"order-9","causationMessageGlobalPosition":3}"#),
            Some("cause-id"),
        )
        .to_event()
        .unwrap();
        let metadata = event.metadata.unwrap().value();
        assert_eq!(metadata["correlation_id"], "order-9");
        assert_eq!(metadata["causation_id"], "cause-id");
        assert_eq!(metadata["causationMessageGlobalPosition"], 3);
    }

    #[test]
    fn bad_data_names_the_message() {
        let mut bad = message(None, None);
        bad.data = Some("{".into());
        let error = bad.to_event().unwrap_err().to_string();
        assert!(error.contains("global position 7"), "{error}");
    }
}
