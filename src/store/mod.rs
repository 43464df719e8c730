//! The event log, stored in redb: one file per log.
//!
//! Appends are batched in one write transaction (all or nothing, with an
//! optional expected version per event); reads go by seq, by stream or by
//! type through indexes. Stream and type names are interned to small ids;
//! the names live in memory so that decoding an event allocates only its
//! id, data and metadata.

mod append;
mod blocks;
mod codec;
mod engine;
mod error;
mod names;
mod read;
mod snapshots;
mod tables;
mod verify;

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use redb::{
    Database, ReadOnlyDatabase, ReadTransaction, ReadableDatabase, ReadableTable,
    ReadableTableMetadata, WriteTransaction,
};

pub use append::{AppendSummary, Appended, Appender};
pub use error::StoreError;
pub use read::LogStats;
pub use verify::{VerifyProgress, VerifyReport};

use names::Names;
use tables::*;

/// The redb page cache: bounded, so memory does not grow with the file.
const CACHE_BYTES: usize = 8 * 1024 * 1024;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The database, opened for writing or, for commands that only read,
/// read-only: then the file is not modified at all, not even its header.
enum Db {
    Writable(Database),
    ReadOnly(ReadOnlyDatabase),
}

impl Db {
    fn begin_read(&self) -> Result<ReadTransaction> {
        Ok(match self {
            Db::Writable(db) => db.begin_read()?,
            Db::ReadOnly(db) => db.begin_read()?,
        })
    }

    fn begin_write(&self) -> Result<WriteTransaction> {
        match self {
            Db::Writable(db) => Ok(db.begin_write()?),
            Db::ReadOnly(_) => Err(StoreError::Invalid(
                "this log was opened read-only and cannot be changed".into(),
            )),
        }
    }
}

/// An open event log.
pub struct EventLog {
    db: Db,
    /// Held from the start of an append until its new names are published,
    /// so a second appender never starts from names the first is changing.
    append_lock: std::sync::Mutex<()>,
    path: PathBuf,
    names: RwLock<Arc<Names>>,
}

impl std::fmt::Debug for EventLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventLog")
            .field("path", &self.path)
            .finish()
    }
}

impl EventLog {
    /// Opens an existing log for reading and writing.
    pub fn open(path: impl AsRef<Path>) -> Result<EventLog> {
        let path = path.as_ref();
        check_file(path)?;
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .open(path)
            .map_err(|e| StoreError::opening(path, e))?;
        EventLog::from_db(Db::Writable(db), path)
    }

    /// Opens an existing log for reading only; the file is left exactly as
    /// it is. Other read-only openers may share it.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<EventLog> {
        let path = path.as_ref();
        check_file(path)?;
        let open = || {
            Database::builder()
                .set_cache_size(CACHE_BYTES)
                .open_read_only(path)
        };
        let db = match open() {
            // Left open by a process that was killed: redb recovers it on
            // a writable open (the last commit stays, nothing else).
            Err(redb::DatabaseError::RepairAborted) => {
                drop(EventLog::open(path)?);
                open()
            }
            other => other,
        }
        .map_err(|e| StoreError::opening(path, e))?;
        EventLog::from_db(Db::ReadOnly(db), path)
    }

    /// Opens the log at `path`, creating an empty one if there is no file.
    pub fn create(path: impl AsRef<Path>) -> Result<EventLog> {
        let path = path.as_ref();
        if path.exists() {
            return EventLog::open(path);
        }
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .create(path)
            .map_err(|e| StoreError::opening(path, e))?;
        let txn = db.begin_write()?;
        {
            let mut meta = txn.open_table(META)?;
            meta.insert(META_MAGIC, MAGIC)?;
            meta.insert(META_FORMAT, FORMAT_VERSION.to_le_bytes().as_slice())?;
            meta.insert(META_LAST_SEQ, 0u64.to_le_bytes().as_slice())?;
            // Create every table now, so readers never meet a missing one.
            txn.open_table(EVENTS)?;
            txn.open_table(TYPE_INDEX)?;
            txn.open_table(STREAMS)?;
            txn.open_table(TYPES)?;
            txn.open_table(TYPE_NAMES)?;
            txn.open_table(SNAPSHOTS)?;
        }
        txn.commit()?;
        EventLog::from_db(Db::Writable(db), path)
    }

    fn from_db(db: Db, path: &Path) -> Result<EventLog> {
        let not_a_log = || StoreError::NotALog {
            path: path.to_path_buf(),
        };
        let txn = db.begin_read()?;
        let meta = match txn.open_table(META) {
            Ok(meta) => meta,
            Err(redb::TableError::TableDoesNotExist(_)) => return Err(not_a_log()),
            Err(e) => return Err(e.into()),
        };
        match meta.get(META_MAGIC)? {
            Some(magic) if magic.value() == MAGIC => {}
            _ => return Err(not_a_log()),
        }
        let format = meta
            .get(META_FORMAT)?
            .and_then(|v| <[u8; 4]>::try_from(v.value()).ok())
            .map(u32::from_le_bytes)
            .ok_or_else(not_a_log)?;
        if format > FORMAT_VERSION {
            return Err(StoreError::NewerFormat {
                path: path.to_path_buf(),
                found: format!("log format {format}, this build reads up to {FORMAT_VERSION}"),
            });
        }
        let names = Names::load(&txn)?;
        drop(meta);
        drop(txn);
        Ok(EventLog {
            db,
            append_lock: std::sync::Mutex::new(()),
            path: path.to_path_buf(),
            names: RwLock::new(Arc::new(names)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The last seq in the log; 0 when empty. Also the number of events.
    pub fn last_seq(&self) -> Result<u64> {
        let txn = self.db.begin_read()?;
        read_u64(&txn.open_table(META)?, META_LAST_SEQ)
    }

    /// The interned names, as of the last append.
    fn names(&self) -> Arc<Names> {
        match self.names.read() {
            Ok(names) => names.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set_names(&self, names: Names) {
        let names = Arc::new(names);
        match self.names.write() {
            Ok(mut slot) => *slot = names,
            Err(poisoned) => *poisoned.into_inner() = names,
        }
    }
}

/// Refuses paths that cannot hold a log, with a sentence saying why.
fn check_file(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::Invalid(format!(
            "{} does not exist",
            path.display()
        ))),
        Err(e) => Err(StoreError::storage(format!("{}: {e}", path.display()))),
        Ok(meta) if meta.is_dir() => Err(StoreError::Invalid(format!(
            "{} is a directory, not an eventscope log",
            path.display()
        ))),
        Ok(meta) if !meta.is_file() => Err(StoreError::Invalid(format!(
            "{} is not a regular file (a pipe, a socket or a device), so not an eventscope log",
            path.display()
        ))),
        Ok(meta) if meta.len() == 0 => Err(StoreError::Empty {
            path: path.to_path_buf(),
        }),
        Ok(_) => Ok(()),
    }
}

fn read_u64(meta: &impl ReadableTable<&'static str, &'static [u8]>, key: &str) -> Result<u64> {
    Ok(meta
        .get(key)?
        .and_then(|v| <[u8; 8]>::try_from(v.value()).ok())
        .map(u64::from_le_bytes)
        .unwrap_or(0))
}

fn read_i64(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<i64>> {
    Ok(meta
        .get(key)?
        .and_then(|v| <[u8; 8]>::try_from(v.value()).ok())
        .map(i64::from_le_bytes))
}

/// The number of entries in a table, as u64.
fn table_len(table: &impl ReadableTableMetadata) -> Result<u64> {
    Ok(table.len()?)
}
