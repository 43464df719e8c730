//! The source mark a copy leaves in the log: where it came from and how
//! far it got.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceMark {
    /// The server's identity (see `connect::identity`).
    pub server: String,
    /// The global position of the last message copied.
    pub position: i64,
    /// That message's id: the store must still hold it there.
    pub id: String,
    /// The log's last seq when the mark was written.
    pub seq: u64,
    /// Where to reach the server again, `postgres://USER@HOST:PORT/DB`
    /// (never a password), so that `eventscope LOG --follow` can resume
    /// following it. Absent in marks written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// Marks from other sources are told apart by this field.
#[derive(Serialize, Deserialize)]
struct Stored {
    message_db: SourceMark,
}

impl SourceMark {
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&Stored {
            message_db: self.clone(),
        })
        .unwrap_or_default()
    }

    /// The mark in `bytes`, or `None` if they are another source's.
    pub fn from_bytes(bytes: &[u8]) -> Option<SourceMark> {
        serde_json::from_slice::<Stored>(bytes)
            .ok()
            .map(|stored| stored.message_db)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_reads_back_as_written() {
        let mark = SourceMark {
            server: "PostgreSQL system 7, database message_store".into(),
            position: 42,
            id: "a2d0c3b6-0000-4000-8000-000000000001".into(),
            seq: 40,
            address: Some("postgres://reader@db.example:5432/message_store".into()),
        };
        assert_eq!(SourceMark::from_bytes(&mark.to_bytes()), Some(mark));
        assert_eq!(SourceMark::from_bytes(b"{\"other\":1}"), None);
    }

    #[test]
    fn a_mark_written_before_the_address_was_recorded_reads_without_one() {
        let old = br#"{"message_db":{"server":"s","position":3,"id":"i","seq":3}}"#;
        let mark = SourceMark::from_bytes(old).expect("a Message DB mark");
        assert_eq!((mark.position, mark.address), (3, None));
    }
}
