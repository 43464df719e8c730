//! The source mark `follow FILE --db LOG` leaves in the log with each
//! batch: the file, how to read it, and the last line taken, so that
//! following can resume from the line after it (`eventscope LOG --follow`,
//! or `follow FILE --db LOG` again) with no line taken twice.
//!
//! A line number alone cannot tell that the file was truncated, rotated
//! or rewritten since: the mark also keeps where the last line taken lies
//! in the file and a CRC-32 of its bytes, and resuming checks the file
//! still holds that line there before it seeks past it.

use std::fmt;
use std::io::{Read, Seek, SeekFrom};

use serde::{Deserialize, Serialize};

use super::{LineSpan, Record, StreamFrom};

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
    /// Where the last line taken lies in the file, and its CRC-32. Marks
    /// written before it was recorded have none, and are not resumed.
    #[serde(default)]
    pub taken: Option<LineSpan>,
    /// The log's last seq when the mark was written.
    pub seq: u64,
}

/// Why a file cannot be resumed where its mark says: said as the end of
/// a sentence that names the file.
#[derive(Debug, PartialEq, Eq)]
pub enum MarkRefusal {
    /// The mark was written before it recorded where its line lies.
    NoSpan,
    /// The file is shorter than the mark's last line reaches.
    Shorter { len: u64, end: u64 },
    /// The bytes where the mark's last line lay are another line now.
    LineDiffers { line: u64 },
    /// The file could not be read to check.
    Unreadable(String),
}

impl fmt::Display for MarkRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MarkRefusal::NoSpan => f.write_str(
                "was followed by an eventscope that did not record where its last line lay",
            ),
            MarkRefusal::Shorter { len, end } => write!(
                f,
                "is {len} bytes long but the log took lines up to byte {end} of it \
                 (it was truncated or replaced since)"
            ),
            MarkRefusal::LineDiffers { line } => write!(
                f,
                "no longer holds the line {line} the log took last (it was rewritten or \
                 replaced since)"
            ),
            MarkRefusal::Unreadable(why) => write!(f, "cannot be read to check it: {why}"),
        }
    }
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

    /// Checks that `file` still holds the last line taken where the mark
    /// says, and leaves it positioned just after that line.
    pub fn seek_past_taken<F: Read + Seek>(&self, file: &mut F) -> Result<(), MarkRefusal> {
        let Some(span) = self.taken else {
            return Err(MarkRefusal::NoSpan);
        };
        let unreadable = |error: std::io::Error| MarkRefusal::Unreadable(error.to_string());
        let len = file.seek(SeekFrom::End(0)).map_err(unreadable)?;
        if len < span.end || span.end < span.start {
            return Err(MarkRefusal::Shorter { len, end: span.end });
        }
        file.seek(SeekFrom::Start(span.start)).map_err(unreadable)?;
        let mut taken = Vec::new();
        file.by_ref()
            .take(span.end - span.start)
            .read_to_end(&mut taken)
            .map_err(unreadable)?;
        if taken.len() as u64 != span.end - span.start || crc32fast::hash(&taken) != span.crc32 {
            return Err(MarkRefusal::LineDiffers { line: self.line });
        }
        Ok(())
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
            taken: Some(LineSpan {
                start: 100,
                end: 120,
                crc32: 7,
            }),
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

    fn mark_of(text: &[u8], line: u64, start: usize, end: usize) -> FileMark {
        FileMark {
            path: "f".into(),
            format: None,
            stream_from: StreamFrom::Key,
            line,
            taken: Some(LineSpan {
                start: start as u64,
                end: end as u64,
                crc32: crc32fast::hash(&text[start..end]),
            }),
            seq: line,
        }
    }

    #[test]
    fn a_file_that_still_holds_the_last_line_taken_resumes_after_it() {
        let text = b"a\nbb\ncc\n";
        let mark = mark_of(text, 2, 2, 5);
        let mut grown = std::io::Cursor::new(text.to_vec());
        assert_eq!(mark.seek_past_taken(&mut grown), Ok(()));
        assert_eq!(grown.position(), 5);
    }

    #[test]
    fn a_truncated_or_rewritten_file_is_not_resumed() {
        let mark = mark_of(b"a\nbb\n", 2, 2, 5);
        let mut truncated = std::io::Cursor::new(b"a\n".to_vec());
        assert_eq!(
            mark.seek_past_taken(&mut truncated),
            Err(MarkRefusal::Shorter { len: 2, end: 5 })
        );
        let mut rewritten = std::io::Cursor::new(b"a\nxy\nzz\n".to_vec());
        assert_eq!(
            mark.seek_past_taken(&mut rewritten),
            Err(MarkRefusal::LineDiffers { line: 2 })
        );
    }

    #[test]
    fn a_mark_written_before_spans_were_kept_is_not_resumed() {
        let old = br#"{"file":{"path":"/f","format":null,"stream_from":"key","line":3,"seq":3}}"#;
        let mark = FileMark::from_bytes(old).expect("still read as a file's mark");
        assert_eq!(mark.taken, None);
        let mut file = std::io::Cursor::new(b"a\nb\nc\n".to_vec());
        assert_eq!(mark.seek_past_taken(&mut file), Err(MarkRefusal::NoSpan));
    }
}
