//! A log that follows its source (a Message DB, a growing file, standard
//! input) takes no commands: an event appended here would sit between the
//! follower's batches, and the log would stop being a copy of the source
//! without saying so. What the refusal says names the source, from the
//! mark the follower writes with each batch.

use crate::message_db::SourceMark;
use crate::store::EventLog;
use crate::tail::FileMark;

/// Why a command is not sent on the followed `log`, in one sentence.
pub fn refusal(log: &EventLog) -> String {
    let mark = log.source().ok().flatten().unwrap_or_default();
    let (source, instead) = if let Some(store) = SourceMark::from_bytes(&mark) {
        (
            store.address.unwrap_or(store.server),
            "write to the store itself",
        )
    } else if let Some(file) = FileMark::from_bytes(&mark) {
        (file.path, "append to that file itself")
    } else {
        ("the input".to_string(), "write to the source itself")
    };
    format!(
        "this log is a copy of {source} that follows it: a command here would fork it; {instead}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tail::StreamFrom;

    fn log_marked(mark: Option<Vec<u8>>) -> (tempfile::TempDir, EventLog) {
        let dir = tempfile::tempdir().unwrap();
        let log = EventLog::create(dir.path().join("copy.redb")).unwrap();
        if let Some(mark) = mark {
            log.append_with(|appender| {
                appender.set_source(&mark);
                Ok::<_, crate::store::StoreError>(())
            })
            .unwrap();
        }
        (dir, log)
    }

    #[test]
    fn the_refusal_names_the_file_followed_or_the_input() {
        let file = FileMark {
            path: "/data/orders.jsonl".into(),
            format: None,
            stream_from: StreamFrom::Key,
            line: 0,
            taken: None,
            seq: 0,
        };
        let (_dir, log) = log_marked(Some(file.to_bytes()));
        assert_eq!(
            refusal(&log),
            "this log is a copy of /data/orders.jsonl that follows it: a command here would \
             fork it; append to that file itself"
        );
        let (_dir, log) = log_marked(None);
        assert!(
            refusal(&log).starts_with("this log is a copy of the input that follows it"),
            "{}",
            refusal(&log)
        );
    }
}
