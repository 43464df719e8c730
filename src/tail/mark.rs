//! The source mark `follow FILE --db LOG` leaves in the log with each
//! batch: the file, how to read it, and the last line taken, so that
//! following can resume from the line after it (`eventscope LOG --follow`,
//! or `follow FILE --db LOG` again) with no line taken twice.

use serde::{Deserialize, Serialize};

use super::{Record, StreamFrom};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMark {
    /// The file followed, as an absolute path.
    pub path: String,
    /// The shape every line was read as (`--format`), if one was given.
    pub format: Option<Record>,
    /// For Kafka records: which part names the stream.
    pub stream_from: StreamFrom,
    /// The number of the last line taken (1-based).
    pub line: u64,
    /// The log's last seq when the mark was written.
    pub seq: u64,
}

/// Marks from other sources are told apart by this field.
#[derive(Serialize, Deserialize)]
struct Stored {
    file: FileMark,
}

impl FileMark {
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&Stored { file: self.clone() }).unwrap_or_default()
    }

    /// The mark in `bytes`, or `None` if they are another source's.
    pub fn from_bytes(bytes: &[u8]) -> Option<FileMark> {
        serde_json::from_slice::<Stored>(bytes)
            .ok()
            .map(|stored| stored.file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_reads_back_as_written_and_is_told_from_a_message_db_s() {
        let mark = FileMark {
            path: "/var/log/orders.jsonl".into(),
            format: Some(Record::Kcat),
            stream_from: StreamFrom::Partition,
            line: 12,
            seq: 10,
        };
        assert_eq!(FileMark::from_bytes(&mark.to_bytes()), Some(mark.clone()));
        let message_db = crate::message_db::SourceMark {
            server: "s".into(),
            position: 1,
            id: "i".into(),
            seq: 1,
            address: None,
        };
        assert_eq!(FileMark::from_bytes(&message_db.to_bytes()), None);
        assert_eq!(
            crate::message_db::SourceMark::from_bytes(&mark.to_bytes()),
            None
        );
    }
}
