//! How the explorer opens a log: for writing when it can (the CQRS view
//! appends the commands it is given), else read-only, so that a log one may
//! only read can still be explored. The CQRS view then says the log is
//! read-only when a command is submitted.

use std::path::Path;

use crate::store::{EventLog, Result, StoreError};

/// How a log is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenMode {
    Writable,
    ReadOnly,
}

/// The mode the permissions of the file ask for: read-only when no one may
/// write it. (The superuser may write such a file anyway; the explorer
/// respects what the file says.)
pub fn mode_for(permissions: &std::fs::Permissions) -> OpenMode {
    if permissions.readonly() {
        OpenMode::ReadOnly
    } else {
        OpenMode::Writable
    }
}

/// Opens `path` for exploring: read-only when the file is marked so, or
/// when opening it for writing is refused for want of permission.
pub fn open_log(path: &Path) -> Result<EventLog> {
    let mode = std::fs::metadata(path).map_or(OpenMode::Writable, |m| mode_for(&m.permissions()));
    open_in(path, mode, |path| EventLog::open(path))
}

fn open_in(
    path: &Path,
    mode: OpenMode,
    open_writable: impl FnOnce(&Path) -> Result<EventLog>,
) -> Result<EventLog> {
    match mode {
        OpenMode::ReadOnly => EventLog::open_read_only(path),
        OpenMode::Writable => match open_writable(path) {
            Err(StoreError::NotWritable { .. }) => EventLog::open_read_only(path),
            other => other,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn sample_log(dir: &tempfile::TempDir) -> std::path::PathBuf {
        let path = dir.path().join("log.redb");
        let log = EventLog::create(&path).unwrap();
        let data = crate::event::Json::from_value(&serde_json::json!({}));
        let event = crate::event::NewEvent::new(
            "s-1",
            "Happened",
            crate::event::Timestamp::from_unix_millis(0),
            data,
        );
        log.append(vec![event]).unwrap();
        path
    }

    #[test]
    fn a_file_no_one_may_write_is_opened_read_only() {
        assert_eq!(
            mode_for(&std::fs::Permissions::from_mode(0o444)),
            OpenMode::ReadOnly
        );
        assert_eq!(
            mode_for(&std::fs::Permissions::from_mode(0o644)),
            OpenMode::Writable
        );
    }

    #[test]
    fn a_refused_writable_open_falls_back_to_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = sample_log(&dir);
        let refused = |path: &Path| {
            Err(StoreError::NotWritable {
                path: path.to_path_buf(),
                detail: "Permission denied".into(),
            })
        };
        let log = open_in(&path, OpenMode::Writable, refused).unwrap();
        assert_eq!(log.last_seq().unwrap(), 1);
        let before = std::fs::read(&path).unwrap();
        let append = log.append(vec![crate::event::NewEvent::new(
            "s-1",
            "Happened",
            crate::event::Timestamp::from_unix_millis(0),
            crate::event::Json::from_value(&serde_json::json!({})),
        )]);
        assert!(append.is_err());
        drop(log);
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
}
