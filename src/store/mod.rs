//! The event log, stored in redb: one file per log.
//!
//! Appends are batched in one write transaction (all or nothing, with an
//! optional expected version per event); reads go by seq, by stream or by
//! type through indexes. Stream and type names are interned to small ids:
//! type names live in memory, stream names are read as events are decoded
//! (remembered for a while by a scan), so that opening a log of millions of
//! streams reads none of them.

mod append;
mod blocks;
mod checked;
mod codec;
mod engine;
mod error;
mod guard;
mod heads;
mod ids;
mod names;
mod read;
mod scan;
mod snapshots;
mod source;
mod tables;
mod undo;
mod verify;

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use redb::{
    Database, ReadOnlyDatabase, ReadTransaction, ReadableDatabase, ReadableTable, WriteTransaction,
};

pub use append::{AppendSummary, Appended, Appender, NewEventRef};
pub use error::StoreError;
pub use read::LogStats;
pub use tables::FORMAT_VERSION;
pub use undo::Undo;
pub use verify::{VerifyProgress, VerifyReport};

use names::Names;
use tables::*;

/// The redb page cache: bounded, so memory does not grow with the file.
const CACHE_BYTES: usize = 8 * 1024 * 1024;

/// The cache of a log opened only to read. A scan reads each page once:
/// caching it costs fresh memory (faulted in, zeroed) and the eviction of
/// another, for a page that is not read again. Reading a million events'
/// blocks took 175 ms with redb's default cache (1 GiB), 72 ms with 8 MiB,
/// 62 ms with 1 MiB and 58 ms with none (`cargo bench --bench floor`);
/// 1 MiB keeps the branch pages of the trees for lookups.
const READ_ONLY_CACHE_BYTES: usize = 1024 * 1024;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The database, opened for writing or, for commands that only read,
/// read-only: then the file is not modified at all, not even its header.
enum Db {
    Writable(Database),
    ReadOnly(ReadOnlyDatabase),
    /// Only while the log is being dropped.
    Closed,
}

impl Db {
    fn begin_read(&self) -> Result<ReadTransaction> {
        Ok(match self {
            Db::Writable(db) => db.begin_read()?,
            Db::ReadOnly(db) => db.begin_read()?,
            Db::Closed => return Err(StoreError::Invalid("this log is closed".into())),
        })
    }

    fn begin_write(&self) -> Result<WriteTransaction> {
        match self {
            Db::Writable(db) => Ok(db.begin_write()?),
            Db::ReadOnly(_) => Err(StoreError::Invalid(
                "this log was opened read-only and cannot be changed".into(),
            )),
            Db::Closed => Err(StoreError::Invalid("this log is closed".into())),
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
        guard::contained(path, || EventLog::open_here(path))
    }

    fn open_here(path: &Path) -> Result<EventLog> {
        check_file(path)?;
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .open(path)
            .map_err(|e| StoreError::opening(path, e))?;
        EventLog::from_db(Db::Writable(db), path)
    }

    /// Opens an existing log for reading and writing, with the [`Undo`]
    /// that decides whether its changes stay: unless they are kept, closing
    /// the log leaves the file byte for byte as it was, its length too.
    pub fn open_undoable(path: impl AsRef<Path>) -> Result<(EventLog, Undo)> {
        let path = path.as_ref();
        guard::contained(path, || EventLog::open_undoable_here(path))
    }

    fn open_undoable_here(path: &Path) -> Result<(EventLog, Undo)> {
        check_file(path)?;
        let (file, undo) = undo::JournaledFile::open(path)?;
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .create_with_backend(file)
            .map_err(|e| StoreError::opening(path, e))?;
        Ok((EventLog::from_db(Db::Writable(db), path)?, undo))
    }

    /// Opens an existing log for reading only; the file is left exactly as
    /// it is. Other read-only openers may share it.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<EventLog> {
        let path = path.as_ref();
        guard::contained(path, || EventLog::open_read_only_here(path))
    }

    fn open_read_only_here(path: &Path) -> Result<EventLog> {
        check_file(path)?;
        let open = || {
            Database::builder()
                .set_cache_size(READ_ONLY_CACHE_BYTES)
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
        guard::contained(path, || EventLog::create_here(path))
    }

    fn create_here(path: &Path) -> Result<EventLog> {
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .create(path)
            .map_err(|e| StoreError::opening(path, e))?;
        let txn = db.begin_write()?;
        {
            let mut meta = txn.open_table(META)?;
            put_meta(&mut meta, META_MAGIC, MAGIC)?;
            put_meta(&mut meta, META_FORMAT, &FORMAT_VERSION.to_le_bytes())?;
            put_meta(&mut meta, META_LAST_SEQ, &0u64.to_le_bytes())?;
            // Create every table now, so readers never meet a missing one.
            txn.open_table(EVENTS)?;
            txn.open_table(HEADS)?;
            txn.open_table(BLOCK_SUMS)?;
            txn.open_table(TYPE_INDEX)?;
            txn.open_table(STREAMS)?;
            txn.open_table(STREAM_NAMES)?;
            txn.open_table(TYPES)?;
            txn.open_table(TYPE_NAMES)?;
            txn.open_table(IDS)?;
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
        let Some(meta) = table_if_any(&txn, META)? else {
            return Err(older_format(&txn, path).unwrap_or_else(not_a_log));
        };
        // A few entries: check them all, so that a damaged key (a figure
        // that would read as missing) is caught on every open.
        for entry in meta.iter()? {
            let (key, value) = entry?;
            let what = "an entry of the log's figures";
            checked::open_sealed(key.value().as_bytes(), value.value(), what)?;
        }
        match get_meta(&meta, META_MAGIC) {
            Ok(Some(magic)) if magic == MAGIC => {}
            Err(damage @ StoreError::IndexDamaged { .. }) => return Err(damage),
            _ => return Err(not_a_log()),
        }
        let format = get_meta(&meta, META_FORMAT)?
            .and_then(|v| <[u8; 4]>::try_from(v.as_slice()).ok())
            .map(u32::from_le_bytes)
            .ok_or_else(not_a_log)?;
        if format > FORMAT_VERSION {
            return Err(StoreError::NewerFormat {
                path: path.to_path_buf(),
                found: format!("log format {format}, this build reads up to {FORMAT_VERSION}"),
            });
        }
        if format < FORMAT_WITHOUT_STREAM_NAMES {
            return Err(StoreError::OlderFormat {
                path: path.to_path_buf(),
                found: format,
            });
        }
        let names = Names::load(&txn, format)?;
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
        self.guarded(|| {
            let txn = self.db.begin_read()?;
            read_u64(&txn.open_table(META)?, META_LAST_SEQ)
        })
    }

    /// Runs store code with redb's panics on damaged pages contained.
    fn guarded<T>(&self, body: impl FnOnce() -> Result<T>) -> Result<T> {
        guard::contained(&self.path, body)
    }

    /// The interned names, as of the last append.
    fn names(&self) -> Arc<Names> {
        match self.names.read() {
            Ok(names) => names.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set_names(&self, names: Names) {
        self.put_names(Arc::new(names));
    }

    fn put_names(&self, names: Arc<Names>) {
        match self.names.write() {
            Ok(mut slot) => *slot = names,
            Err(poisoned) => *poisoned.into_inner() = names,
        }
    }
}

impl Drop for EventLog {
    /// Closing writes redb's own records; on a damaged file that may panic
    /// too, which must not end the program.
    fn drop(&mut self) {
        let db = std::mem::replace(&mut self.db, Db::Closed);
        let _ = self.guarded(|| {
            drop(db);
            Ok(())
        });
    }
}

/// The sentence for a log of an older format, if the file is one.
fn older_format(txn: &ReadTransaction, path: &Path) -> Option<StoreError> {
    let meta = txn.open_table(META_FORMAT_1).ok()?;
    let magic = meta.get(META_MAGIC).ok()??;
    if magic.value() != MAGIC {
        return None;
    }
    let found = meta
        .get(META_FORMAT)
        .ok()??
        .value()
        .try_into()
        .map(u32::from_le_bytes)
        .unwrap_or(1);
    Some(StoreError::OlderFormat {
        path: path.to_path_buf(),
        found,
    })
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

/// A meta value, checked against its checksum.
fn get_meta(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<Vec<u8>>> {
    match meta.get(key)? {
        None => Ok(None),
        Some(stored) => {
            let what = format!("the log's {key} figure");
            Ok(Some(
                checked::open_sealed(key.as_bytes(), stored.value(), &what)?.to_vec(),
            ))
        }
    }
}

fn put_meta(
    meta: &mut redb::Table<'_, &'static str, &'static [u8]>,
    key: &str,
    value: &[u8],
) -> Result<()> {
    meta.insert(key, checked::sealed(key.as_bytes(), value).as_slice())?;
    Ok(())
}

/// The log's format figure; missing or not four bytes, it is damage.
/// Makes the log at `path` what a log of the older `format` was: this
/// build's tables without those added since, and that format figure.
#[cfg(test)]
fn make_format(path: &Path, format: u32) {
    let db = Database::open(path).unwrap();
    let txn = db.begin_write().unwrap();
    if format <= FORMAT_WITHOUT_STREAM_NAMES {
        txn.delete_table(STREAM_NAMES).unwrap();
    }
    if format <= FORMAT_WITHOUT_HEADS {
        txn.delete_table(HEADS).unwrap();
    }
    if format <= FORMAT_WITHOUT_BLOCK_SUMS {
        txn.delete_table(BLOCK_SUMS).unwrap();
    }
    {
        let mut meta = txn.open_table(META).unwrap();
        put_meta(&mut meta, META_FORMAT, &format.to_le_bytes()).unwrap();
    }
    txn.commit().unwrap();
}

/// The format figure of the log at `path`.
#[cfg(test)]
fn format_of(path: &Path) -> u32 {
    let db = Database::open(path).unwrap();
    let txn = db.begin_read().unwrap();
    read_format(&txn.open_table(META).unwrap()).unwrap()
}

/// A table of the log, or `None` when the transaction sees no such table:
/// the log is of a format older than the table, or the transaction began
/// before an append made it this build's.
fn table_if_any<K: redb::Key + 'static, V: redb::Value + 'static>(
    txn: &ReadTransaction,
    table: redb::TableDefinition<K, V>,
) -> Result<Option<redb::ReadOnlyTable<K, V>>> {
    match txn.open_table(table) {
        Ok(table) => Ok(Some(table)),
        Err(redb::TableError::TableDoesNotExist(_)) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

fn read_format(meta: &impl ReadableTable<&'static str, &'static [u8]>) -> Result<u32> {
    get_meta(meta, META_FORMAT)?
        .and_then(|v| <[u8; 4]>::try_from(v.as_slice()).ok())
        .map(u32::from_le_bytes)
        .ok_or_else(|| StoreError::IndexDamaged {
            what: "the log's format figure is missing".into(),
        })
}

/// An 8-byte meta figure that every log has; missing, it is damage.
fn read_u64(meta: &impl ReadableTable<&'static str, &'static [u8]>, key: &str) -> Result<u64> {
    read_8(meta, key)?
        .map(u64::from_le_bytes)
        .ok_or_else(|| StoreError::IndexDamaged {
            what: format!("the log's {key} figure is missing"),
        })
}

fn read_i64(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<i64>> {
    Ok(read_8(meta, key)?.map(i64::from_le_bytes))
}

fn read_8(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<[u8; 8]>> {
    match get_meta(meta, key)? {
        None => Ok(None),
        Some(bytes) => <[u8; 8]>::try_from(bytes.as_slice())
            .map(Some)
            .map_err(|_| StoreError::IndexDamaged {
                what: format!("the log's {key} figure has the wrong length"),
            }),
    }
}
