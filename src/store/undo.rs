//! Opening a log so that a failed writer leaves the file byte for byte as
//! it was.
//!
//! Every writable open of redb changes the file even if nothing commits: it
//! marks the header as needing recovery, and closing writes the allocator
//! state and trims the file; an aborted large transaction may also have
//! spilled pages into free space. So the file is reached through a backend
//! that keeps, in memory, the original bytes of every block it is about to
//! overwrite for the first time (only below the original length: what lies
//! past it is cut off again) and the original length. Unless the writer
//! says to keep what it did, closing puts those bytes back, truncates the
//! file to its first length and syncs, all while redb's lock is still held.
//!
//! redb writes copy-on-write pages, mostly past the end of a file with no
//! free space, so the journal holds the header and the few pages of the
//! allocator state it rewrites: a few KiB, whatever the size of the import.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io;
use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use redb::backends::FileBackend;
use redb::{BackendError, StorageBackend};

use super::{Result, StoreError};

/// The unit the journal saves: redb's page size, so a page write touches
/// one block.
const BLOCK: u64 = 4096;

/// What a writer decides about its changes, shared between the backend and
/// the [`Undo`] handle.
#[derive(Debug)]
struct Journal {
    original_len: u64,
    /// Original bytes by block start; the last block may be short.
    saved: BTreeMap<u64, Vec<u8>>,
    /// Set when the writer's changes are to stay.
    keep: bool,
    /// The first failure to journal or to put the bytes back.
    failure: Option<String>,
    /// Whether closing put the original bytes back.
    restored: bool,
}

impl Journal {
    /// Saves the original bytes of the blocks from `start` to `end` not
    /// yet saved, reading them from `file` before they change.
    fn save(&mut self, file: &FileBackend, start: u64, end: u64) -> io::Result<()> {
        let end = end.min(self.original_len);
        if start >= end {
            return Ok(());
        }
        let mut block = start - start % BLOCK;
        while block < end {
            if !self.saved.contains_key(&block) {
                let len = BLOCK.min(self.original_len - block) as usize;
                let mut bytes = vec![0; len];
                file.read(block, &mut bytes)?;
                self.saved.insert(block, bytes);
            }
            block += BLOCK;
        }
        Ok(())
    }

    /// Writes the saved bytes back and restores the length.
    fn put_back(&self, file: &FileBackend) -> io::Result<()> {
        file.set_len(self.original_len)?;
        for (start, bytes) in &self.saved {
            file.write(*start, bytes)?;
        }
        file.sync_data()
    }
}

fn lock(journal: &Mutex<Journal>) -> MutexGuard<'_, Journal> {
    match journal.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// redb's file backend, with every first overwrite journaled.
#[derive(Debug)]
pub(super) struct JournaledFile {
    file: FileBackend,
    journal: Arc<Mutex<Journal>>,
}

impl JournaledFile {
    /// Opens `path` for reading and writing, with the handle that decides
    /// whether the changes stay.
    pub(super) fn open(path: &Path) -> Result<(JournaledFile, Undo)> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| StoreError::opening(path, e.into()))?;
        let original_len = File::metadata(&file)
            .map_err(|e| StoreError::storage(format!("{}: {e}", path.display())))?
            .len();
        let journal = Arc::new(Mutex::new(Journal {
            original_len,
            saved: BTreeMap::new(),
            keep: false,
            failure: None,
            restored: false,
        }));
        let file = FileBackend::new(file).map_err(|e| StoreError::opening(path, e))?;
        let undo = Undo {
            journal: journal.clone(),
        };
        Ok((JournaledFile { file, journal }, undo))
    }

    fn journal(&self) -> MutexGuard<'_, Journal> {
        lock(&self.journal)
    }

    /// Records a failure to journal: the change is refused, and the writer
    /// learns the file may not be restorable.
    fn refuse(&self, journal: &mut Journal, error: io::Error) -> io::Error {
        journal.failure.get_or_insert_with(|| error.to_string());
        error
    }
}

impl StorageBackend for JournaledFile {
    fn len(&self) -> io::Result<u64> {
        self.file.len()
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        self.file.read(offset, out)
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        let mut journal = self.journal();
        // Shrinking below the original length drops original bytes.
        let original_len = journal.original_len;
        if let Err(error) = journal.save(&self.file, len, original_len) {
            return Err(self.refuse(&mut journal, error));
        }
        self.file.set_len(len)
    }

    fn sync_data(&self) -> io::Result<()> {
        self.file.sync_data()
    }

    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        let mut journal = self.journal();
        let end = offset.saturating_add(data.len() as u64);
        if let Err(error) = journal.save(&self.file, offset, end) {
            return Err(self.refuse(&mut journal, error));
        }
        self.file.write(offset, data)
    }

    /// redb's last call: the bytes go back here, before its lock is
    /// released, so no other writer ever sees the changed file.
    fn close(&self) -> io::Result<()> {
        let mut journal = self.journal();
        if !journal.keep {
            match journal.put_back(&self.file) {
                Ok(()) => journal.restored = true,
                Err(error) => {
                    journal.failure.get_or_insert_with(|| error.to_string());
                }
            }
        }
        drop(journal);
        self.file.close()
    }

    fn try_lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<bool, BackendError> {
        self.file.try_lock_range(start, end)
    }

    fn try_lock_shared_range(
        &self,
        start: Bound<u64>,
        end: Bound<u64>,
    ) -> Result<bool, BackendError> {
        self.file.try_lock_shared_range(start, end)
    }

    fn lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.file.lock_range(start, end)
    }

    fn lock_shared_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.file.lock_shared_range(start, end)
    }

    fn unlock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.file.unlock_range(start, end)
    }

    fn query_lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<bool, BackendError> {
        self.file.query_lock_range(start, end)
    }
}

/// Decides whether a log opened with [`super::EventLog::open_undoable`]
/// keeps its changes. Unless [`Undo::keep`] is called, closing the log
/// puts the file back as it was, whatever ended the writer (an error, a
/// panic).
#[derive(Debug)]
pub struct Undo {
    journal: Arc<Mutex<Journal>>,
}

impl Undo {
    /// Keeps what was committed, and closes the log.
    pub fn keep(self, log: super::EventLog) {
        lock(&self.journal).keep = true;
        drop(log);
    }

    /// Closes the log, putting the file back byte for byte as it was
    /// opened; an error if that could not be done.
    pub fn roll_back(self, log: super::EventLog) -> Result<()> {
        let path = log.path().to_path_buf();
        drop(log);
        let journal = lock(&self.journal);
        match (&journal.failure, journal.restored) {
            (None, true) => Ok(()),
            (Some(detail), _) => Err(StoreError::storage(format!(
                "{} could not be put back as it was: {detail}",
                path.display()
            ))),
            (None, false) => Err(StoreError::storage(format!(
                "{} could not be put back as it was: the storage engine did not close it",
                path.display()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::EventLog;
    use super::*;
    use crate::event::{Json, NewEvent};

    fn event(stream: String) -> NewEvent {
        NewEvent {
            stream,
            event_type: "Happened".into(),
            id: None,
            time: None,
            data: Json::from_value(&serde_json::json!({"n": 1})),
            metadata: None,
            expected_version: None,
        }
    }

    fn append(log: &EventLog, prefix: &str, count: usize) -> Result<()> {
        log.append_with(|appender| {
            for n in 0..count {
                appender.push(&event(format!("{prefix}-{n}")))?;
            }
            Ok(())
        })
        .map(drop)
    }

    fn a_log_of(dir: &Path, count: usize) -> std::path::PathBuf {
        let path = dir.join("log.redb");
        let log = EventLog::create(&path).unwrap();
        append(&log, "first", count).unwrap();
        drop(log);
        path
    }

    #[test]
    fn a_rolled_back_writer_leaves_the_file_as_it_was_with_a_small_journal() {
        let dir = tempfile::tempdir().unwrap();
        let path = a_log_of(dir.path(), 2_000);
        let before = std::fs::read(&path).unwrap();
        let (log, undo) = EventLog::open_undoable(&path).unwrap();
        let failed = log.append_with(|appender| {
            for n in 0..30_000 {
                appender.push(&event(format!("second-{n}")))?;
            }
            Err(StoreError::Invalid("the writer gave up".into()))
        });
        assert!(failed.is_err());
        // Closing journals redb's last writes too: measured after it.
        let journal = undo.journal.clone();
        undo.roll_back(log).unwrap();
        let journaled: usize = lock(&journal).saved.values().map(Vec::len).sum();
        assert!(
            journaled <= 16 * BLOCK as usize,
            "{journaled} bytes journaled for a file of {}",
            before.len()
        );
        let after = std::fs::read(&path).unwrap();
        assert_eq!(after.len(), before.len());
        assert!(after == before, "the bytes are as they were");
        assert_eq!(
            EventLog::open_read_only(&path).unwrap().last_seq().unwrap(),
            2_000
        );
    }

    #[test]
    fn a_kept_writer_keeps_its_events() {
        let dir = tempfile::tempdir().unwrap();
        let path = a_log_of(dir.path(), 10);
        let (log, undo) = EventLog::open_undoable(&path).unwrap();
        append(&log, "second", 10).unwrap();
        undo.keep(log);
        assert_eq!(
            EventLog::open_read_only(&path).unwrap().last_seq().unwrap(),
            20
        );
    }

    #[test]
    fn a_writer_dropped_without_a_decision_is_rolled_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = a_log_of(dir.path(), 10);
        let before = std::fs::read(&path).unwrap();
        let (log, undo) = EventLog::open_undoable(&path).unwrap();
        append(&log, "second", 10).unwrap();
        drop(log);
        drop(undo);
        assert!(std::fs::read(&path).unwrap() == before);
    }
}
