//! Importing a text log into the store: all or nothing, in one write
//! transaction, with parsing on a second thread so that reading the text
//! and writing the B-trees overlap.

use std::io::BufRead;
use std::path::Path;
use std::sync::mpsc;
use std::thread;

use crate::format::{self, Format, Position, ReadError};
use crate::store::{AppendSummary, EventLog, StoreError};

mod batch;
mod new_log;
mod temporary;
mod write_back;

use batch::Batch;

pub use temporary::TemporaryFile;

/// Events travel from the parser to the writer in batches of this many.
const BATCH: usize = 4096;
/// Batches in flight: bounds memory whatever the input size (about a
/// megabyte each for events of a few hundred bytes). Enough for the parser
/// to read on while the writer merges a few hundred thousand ids into
/// their buckets or waits for a sync, rather than stop with a full queue.
const BATCHES_IN_FLIGHT: usize = 16;

/// A read buffer large enough for [`crate::format::detect`] to see the
/// whole first event of almost any input.
pub const DETECT_BUFFER: usize = 256 * 1024;

/// What the parser sends the writer.
enum Parsed {
    Events(Batch),
    /// The text is bad: the message names the line.
    Failed(String),
    /// Every event was sent. Without it the writer commits nothing, so a
    /// parser that dies part way cannot leave half an import behind.
    Done,
}

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum ImportError {
    /// The text could not be read (the error names the line).
    Read(String),
    /// The store refused an event (e.g. a version conflict) at a position.
    Rejected { at: Position, error: StoreError },
    /// The store failed.
    Store(StoreError),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Read(message) => f.write_str(message),
            ImportError::Rejected { at, error } => write!(f, "{at}: {error}"),
            ImportError::Store(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ImportError {}

impl From<StoreError> for ImportError {
    fn from(error: StoreError) -> ImportError {
        ImportError::Store(error)
    }
}

/// What an import does with an event whose id the log already holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Duplicates {
    /// Refuse it: the import fails, naming the line and the seq holding
    /// the id.
    #[default]
    Refuse,
    /// Skip it if it is the stored event (a re-import continues where the
    /// log stopped); refuse it if its contents differ.
    SkipStored,
}

/// Imports every event of `reader` into `log` in one transaction. On any
/// error nothing is written. `progress` is called with the events written
/// so far, once per batch. An id the log already holds fails the import.
pub fn import<R: BufRead + Send>(
    log: &EventLog,
    reader: R,
    format: Format,
    progress: impl FnMut(u64),
) -> Result<AppendSummary, ImportError> {
    import_with(log, reader, format, Duplicates::Refuse, progress)
}

/// [`import`], with a choice of what to do with ids already in the log.
pub fn import_with<R: BufRead + Send>(
    log: &EventLog,
    reader: R,
    format: Format,
    duplicates: Duplicates,
    mut progress: impl FnMut(u64),
) -> Result<AppendSummary, ImportError> {
    let (sender, receiver) = mpsc::sync_channel::<Parsed>(BATCHES_IN_FLIGHT);
    // Spent batches go back to the parser to be filled again, their
    // buffers kept: after the first few batches nothing is allocated or
    // freed per batch.
    let (recycle, spent) = mpsc::channel::<Batch>();
    thread::scope(|scope| {
        scope.spawn(move || parse(reader, format, sender, spent));
        // Owned here, so that it is dropped when the writer returns, before
        // the scope waits for the parser: a parser blocked on a full
        // channel then sees the writer gone and stops.
        let receiver = receiver;
        let mut written = 0;
        log.append_with(|appender| {
            loop {
                let batch = match receiver.recv() {
                    Ok(Parsed::Events(batch)) => batch,
                    Ok(Parsed::Done) => return Ok(()),
                    Ok(Parsed::Failed(message)) => return Err(ImportError::Read(message)),
                    Err(_) => {
                        return Err(ImportError::Read(
                            "reading the input stopped unexpectedly".into(),
                        ));
                    }
                };
                written += batch.len() as u64;
                for (at, event) in batch.events() {
                    let pushed = match duplicates {
                        Duplicates::Refuse => appender.push_fields(event).map(drop),
                        Duplicates::SkipStored => appender.push_fields_or_skip(event).map(drop),
                    };
                    pushed.map_err(|error| ImportError::Rejected { at, error })?;
                }
                let _ = recycle.send(batch);
                progress(written);
            }
        })
    })
}

/// The parser's side: sends batches, then `Done`, or `Failed` with the
/// message if the text is bad. Stops quietly when the writer has gone.
fn parse<R: BufRead>(
    reader: R,
    format: Format,
    sender: mpsc::SyncSender<Parsed>,
    spent: mpsc::Receiver<Batch>,
) {
    let mut batch = Batch::with_capacity(BATCH);
    let outcome =
        format::read_located_texts(reader, format, |at, event| -> Result<(), WriterGone> {
            batch.push(at, event);
            if batch.len() == BATCH {
                let fresh = match spent.try_recv() {
                    Ok(mut old) => {
                        old.clear();
                        old
                    }
                    Err(_) => Batch::with_capacity(BATCH),
                };
                let full = std::mem::replace(&mut batch, fresh);
                sender.send(Parsed::Events(full)).map_err(|_| WriterGone)?;
            }
            Ok(())
        });
    let _ = match outcome {
        Ok(_) => sender
            .send(Parsed::Events(batch))
            .and_then(|()| sender.send(Parsed::Done)),
        Err(ReadError::Sink { .. }) => Ok(()),
        Err(error) => sender.send(Parsed::Failed(error.to_string())),
    };
}

#[derive(Debug)]
struct WriterGone;

impl std::fmt::Display for WriterGone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the writer stopped")
    }
}

/// Imports from any reader into the log at `db`, creating it if needed. A
/// new log is built under a hidden name beside `db` and given the name
/// `db` only when the import has committed, so an error, a signal or a
/// crash never leaves a half-made (or empty) log at `db`, and a log that
/// another writer created at `db` meanwhile is never replaced: this
/// import then fails, and nothing of it is written.
pub fn import_into<R: BufRead + Send>(
    reader: R,
    db: &Path,
    format: Format,
    progress: impl FnMut(u64),
) -> anyhow::Result<AppendSummary> {
    import_into_with(reader, db, format, Duplicates::Refuse, progress)
}

/// [`import_into`], with a choice of what to do with ids already in the log.
pub fn import_into_with<R: BufRead + Send>(
    reader: R,
    db: &Path,
    format: Format,
    duplicates: Duplicates,
    progress: impl FnMut(u64),
) -> anyhow::Result<AppendSummary> {
    // An import that writes no event (no input, or every event already
    // stored) leaves the file byte for byte as it was, as a failed one does.
    let wrote = |summary: &AppendSummary| summary.last_seq >= summary.first_seq;
    write_into_keeping(
        db,
        |log| import_with(log, reader, format, duplicates, progress),
        wrote,
    )
}

/// Runs `fill` on the log at `db`, creating it if needed, all or nothing:
/// if `fill` fails, an existing log is left byte for byte as it was (its
/// length too: redb's own bookkeeping on opening and closing is undone with
/// the events), and a new one is never made. A new log is built under a
/// hidden name beside `db` and given the name `db` only when `fill` has
/// committed, so an error, a signal or a crash never leaves a half-made (or
/// empty) log at `db`, and a log that another writer created at `db`
/// meanwhile is never replaced: then nothing is written.
pub fn write_into<T, E: std::fmt::Display>(
    db: &Path,
    fill: impl FnOnce(&EventLog) -> Result<T, E>,
) -> anyhow::Result<T> {
    write_into_keeping(db, fill, |_| true)
}

/// [`write_into`], where an existing log is also put back byte for byte
/// when `fill` succeeds with an outcome that `keep` says wrote nothing
/// worth keeping.
fn write_into_keeping<T, E: std::fmt::Display>(
    db: &Path,
    fill: impl FnOnce(&EventLog) -> Result<T, E>,
    keep: impl FnOnce(&T) -> bool,
) -> anyhow::Result<T> {
    if db.exists() {
        return write_into_existing(db, fill, keep);
    }
    let folder = match db.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        anyhow::bail!(
            "cannot create {}: the folder {} does not exist",
            db.display(),
            folder.display()
        );
    }
    new_log::sweep_stale(folder);
    let building = new_log::building_file(db);
    let _ = std::fs::remove_file(building.path());
    let outcome = EventLog::create(building.path())
        .map_err(anyhow::Error::from)
        .and_then(|log| {
            // Stopped when `fill` returns, before the log closes.
            let _write_back = write_back::WriteBack::start(building.path());
            fill(&log).map_err(|error| anyhow::anyhow!("{error} (nothing was imported)"))
        })?;
    // The log is closed (dropped above) before it is put in place; the
    // hidden name is removed when `building` is dropped.
    new_log::publish(building.path(), db).map_err(|error| match error {
        new_log::PublishError::Appeared => anyhow::anyhow!(
            "{} was created by another writer while this import ran; nothing was \
             imported (import again to append to it)",
            db.display()
        ),
        new_log::PublishError::Io(e) => {
            anyhow::anyhow!("cannot create {}: {e} (nothing was imported)", db.display())
        }
    })?;
    Ok(outcome)
}

fn write_into_existing<T, E: std::fmt::Display>(
    db: &Path,
    fill: impl FnOnce(&EventLog) -> Result<T, E>,
    keep: impl FnOnce(&T) -> bool,
) -> anyhow::Result<T> {
    let (log, undo) = EventLog::open_undoable(db)?;
    match fill(&log) {
        Ok(outcome) if keep(&outcome) => {
            undo.keep(log);
            Ok(outcome)
        }
        Ok(outcome) => {
            undo.roll_back(log)?;
            Ok(outcome)
        }
        Err(error) => match undo.roll_back(log) {
            Ok(()) => Err(anyhow::anyhow!("{error} (nothing was imported)")),
            Err(undo_error) => Err(anyhow::anyhow!(
                "{error} (no event was imported, but {undo_error})"
            )),
        },
    }
}

#[cfg(test)]
mod tests;
