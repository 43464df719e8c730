//! Writing a new log's pages to disk while the import still runs.
//!
//! redb makes the file durable when it grows (every doubling) and at the
//! commit, and each of those waits, on the import's one writing thread,
//! for every page written since the last: hundreds of megabytes at the
//! end of a large import, with the parser long finished and a core idle.
//! The kernel would not write them on its own before the commit (its
//! background threshold is a share of all memory). So a thread of its own
//! asks for them to be written every so often: the writing thread's waits
//! then find little left to do. Durability is unchanged, since redb still
//! syncs where it did; this only moves the disk's work earlier, beside the
//! parsing and writing.

use std::fs::File;
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the pages written so far are sent to disk: at an import's
/// pace, some tens of megabytes each time.
const EVERY: Duration = Duration::from_millis(200);

/// Sends the file's written pages to disk every [`EVERY`] until dropped.
pub(super) struct WriteBack {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl WriteBack {
    /// Starts on the file at `path`. If it cannot be opened, or a sync
    /// fails, nothing is lost but the head start: redb's own syncs remain.
    pub(super) fn start(path: &Path) -> WriteBack {
        let Ok(file) = File::open(path) else {
            return WriteBack {
                stop: None,
                thread: None,
            };
        };
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("write-back".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    if file.sync_data().is_err() {
                        return;
                    }
                }
            })
            .ok();
        WriteBack {
            stop: Some(stop),
            thread,
        }
    }
}

impl Drop for WriteBack {
    fn drop(&mut self) {
        // Dropping the sender wakes the thread at once.
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_runs_beside_the_writes_until_dropped_and_leaves_the_file_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        std::fs::write(&path, "first").unwrap();
        let write_back = WriteBack::start(&path);
        assert!(write_back.thread.is_some());
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        std::io::Write::write_all(&mut file, b", second").unwrap();
        drop(write_back);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first, second");
    }

    #[test]
    fn a_file_that_cannot_be_opened_starts_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let write_back = WriteBack::start(&dir.path().join("missing"));
        assert!(write_back.thread.is_none());
    }
}
