//! What can go wrong with a log, each as one sentence a person can act on.

use std::fmt;
use std::path::{Path, PathBuf};

/// A failure of the store. Every variant reads as one clear sentence.
#[derive(Clone, Debug)]
pub enum StoreError {
    /// Another process holds the file's lock.
    Locked { path: PathBuf },
    /// The file exists but is empty.
    Empty { path: PathBuf },
    /// The file is not a redb database, or a redb database that is not an
    /// eventscope log.
    NotALog { path: PathBuf },
    /// The file was written by a newer eventscope (or a newer redb).
    NewerFormat { path: PathBuf, found: String },
    /// redb reports the file as corrupt, or it cannot be read.
    Damaged { path: PathBuf, detail: String },
    /// The file is a log of an older layout this build does not read.
    OlderFormat { path: PathBuf, found: u32 },
    /// A stored event does not match its checksum, or is malformed.
    EventDamaged { seq: u64 },
    /// A name, count, index entry or meta figure does not match its
    /// checksum, or a table of the log is not as the log writes it (redb
    /// finds it corrupt, of other types, missing, or its pages cut short).
    IndexDamaged { what: String },
    /// An appended event has an id the log already holds.
    /// `earlier_in_batch`: the seq holding it is one this same append
    /// wrote, not yet committed.
    DuplicateId {
        id: String,
        seq: u64,
        earlier_in_batch: bool,
    },
    /// An event skipped as already stored differs from the stored one.
    NotTheStoredEvent { id: String, seq: u64 },
    /// An append expected a stream version it did not find.
    Conflict {
        stream: String,
        expected: u64,
        actual: u64,
    },
    /// The file can be read but not written (permissions, a read-only
    /// file system).
    NotWritable { path: PathBuf, detail: String },
    /// A request the log cannot answer, such as an unknown stream.
    Invalid(String),
    /// Any other failure of the storage engine or the file system.
    Storage(String),
}

impl StoreError {
    pub(crate) fn storage(error: impl fmt::Display) -> StoreError {
        StoreError::Storage(error.to_string())
    }

    /// Maps redb's failure to open `path` onto one of ours.
    pub(crate) fn opening(path: &Path, error: redb::DatabaseError) -> StoreError {
        let path = path.to_path_buf();
        match error {
            redb::DatabaseError::DatabaseAlreadyOpen
            | redb::DatabaseError::LockProtocolMismatch => StoreError::Locked { path },
            redb::DatabaseError::RepairAborted => StoreError::Damaged {
                path,
                detail: "it was cut short or not closed cleanly, and needs a repair".into(),
            },
            redb::DatabaseError::UpgradeRequired(version) => StoreError::Invalid(format!(
                "{} is in an older redb file format ({version}) that this eventscope cannot read",
                path.display()
            )),
            // redb names a file format newer than its own this way.
            redb::DatabaseError::Storage(redb::StorageError::Corrupted(detail))
                if detail.contains("file format version") =>
            {
                StoreError::NewerFormat {
                    path,
                    found: detail,
                }
            }
            redb::DatabaseError::Storage(redb::StorageError::Corrupted(detail)) => {
                StoreError::Damaged { path, detail }
            }
            redb::DatabaseError::Storage(redb::StorageError::Io(io))
                if io.kind() == std::io::ErrorKind::NotFound =>
            {
                StoreError::Invalid(format!(
                    "{}: a folder on the way does not exist",
                    path.display()
                ))
            }
            redb::DatabaseError::Storage(redb::StorageError::Io(io))
                if matches!(
                    io.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                StoreError::NotWritable {
                    path,
                    detail: io.to_string(),
                }
            }
            redb::DatabaseError::Storage(redb::StorageError::Io(io))
                if io.kind() == std::io::ErrorKind::UnexpectedEof =>
            {
                StoreError::Damaged {
                    path,
                    detail: "the file ends early (truncated)".into(),
                }
            }
            redb::DatabaseError::Storage(redb::StorageError::Io(io))
                if io.kind() == std::io::ErrorKind::InvalidData =>
            {
                StoreError::NotALog { path }
            }
            other => StoreError::Damaged {
                path,
                detail: other.to_string(),
            },
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Locked { path } => write!(
                f,
                "{} is locked: another process has it open; close that process and try again",
                path.display()
            ),
            StoreError::Empty { path } => write!(
                f,
                "{} is an empty file, not an eventscope log",
                path.display()
            ),
            StoreError::NotALog { path } => {
                write!(f, "{} is not an eventscope log", path.display())
            }
            StoreError::NewerFormat { path, found } => write!(
                f,
                "{} was written by a newer version of eventscope ({found}); upgrade eventscope to open it",
                path.display()
            ),
            StoreError::Damaged { path, detail } => {
                write!(f, "{} is damaged: {detail}", path.display())
            }
            StoreError::OlderFormat { path, found } => write!(
                f,
                "{} is in an older eventscope log format ({found}) that this eventscope cannot read; \
                 export it with the eventscope that wrote it and import the export",
                path.display()
            ),
            StoreError::IndexDamaged { what } => write!(f, "the log is damaged: {what}"),
            StoreError::DuplicateId {
                id,
                seq,
                earlier_in_batch: true,
            } => write!(
                f,
                "the event id {id} is also the id of an earlier event of this import \
                 (it would be seq {seq}); ids are unique in a log"
            ),
            StoreError::DuplicateId { id, seq, .. } => write!(
                f,
                "the event id {id} is already in the log, at seq {seq}; ids are unique \
                 (import --skip-existing skips events already stored)"
            ),
            StoreError::NotTheStoredEvent { id, seq } => write!(
                f,
                "the event id {id} is already in the log, at seq {seq}, with other contents"
            ),
            StoreError::EventDamaged { seq } => write!(
                f,
                "event {seq} is damaged: its stored bytes do not match their checksum"
            ),
            StoreError::Conflict {
                stream,
                expected,
                actual,
            } => write!(
                f,
                "version conflict on {stream}: expected the next version to be {expected}, but it is {actual}"
            ),
            StoreError::NotWritable { path, detail } => {
                write!(
                    f,
                    "{} cannot be opened for writing: {detail}",
                    path.display()
                )
            }
            StoreError::Invalid(message) => f.write_str(message),
            StoreError::Storage(message) => write!(f, "storage error: {message}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<redb::TransactionError> for StoreError {
    fn from(error: redb::TransactionError) -> StoreError {
        match error {
            redb::TransactionError::Storage(storage) => storage.into(),
            other => StoreError::storage(other),
        }
    }
}

impl From<redb::CommitError> for StoreError {
    fn from(error: redb::CommitError) -> StoreError {
        match error {
            redb::CommitError::Storage(storage) => storage.into(),
            other => StoreError::storage(other),
        }
    }
}

/// What redb says of a table of a file already known to be a log: a table
/// it finds corrupt, of other types than the log writes, missing, or whose
/// pages end early is damage, named as such; anything else (an I/O error, a
/// value too large) is the storage's failure.
impl From<redb::StorageError> for StoreError {
    fn from(error: redb::StorageError) -> StoreError {
        match error {
            redb::StorageError::Corrupted(detail) => StoreError::IndexDamaged { what: detail },
            redb::StorageError::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                StoreError::IndexDamaged {
                    what: format!("a page of the file ends early ({io})"),
                }
            }
            other => StoreError::storage(other),
        }
    }
}

impl From<redb::TableError> for StoreError {
    fn from(error: redb::TableError) -> StoreError {
        match error {
            redb::TableError::Storage(storage) => storage.into(),
            damage @ (redb::TableError::TableTypeMismatch { .. }
            | redb::TableError::TypeDefinitionChanged { .. }
            | redb::TableError::TableDoesNotExist(_)
            | redb::TableError::TableIsMultimap(_)
            | redb::TableError::TableIsNotMultimap(_)) => StoreError::IndexDamaged {
                what: format!("a table is not as the log writes it ({damage})"),
            },
            other => StoreError::storage(other),
        }
    }
}
