//! `eventscope LOG --follow`: the explorer on a log that keeps growing from
//! the source it was filled from.
//!
//! redb lets one process open a file at a time, so the explorer cannot
//! read a log that `import postgres://... --follow` is writing in another
//! process. Instead the explorer does the following itself: the log
//! records its source with each batch (the Message DB's address and the
//! last global position copied, see `message_db::SourceMark`; or the file
//! `follow FILE --db LOG` read and its last line taken, see
//! `tail::FileMark`), and a follower thread in this process continues from
//! there, writing into the log as `import --follow` or `follow` would,
//! while the explorer shows it grow. Quit, and either (or this again)
//! continues where it stopped.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use eventscope::message_db::{Server, SourceMark};
use eventscope::store::{EventLog, StoreError};
use eventscope::tail::{FileMark, MarkRefusal};
use eventscope::ui;

use super::explore::ExploreOptions;
use super::explore_live::Following;

/// Why a log cannot be followed, each with what to do instead.
#[derive(Debug)]
pub enum FollowLogError {
    /// Another process has the file open (an importer writing into it).
    Held { path: PathBuf },
    /// The log records no source: nothing to follow.
    NoSource { path: PathBuf },
    /// Copied by an eventscope that did not record the server's address.
    NoAddress { path: PathBuf, server: String },
    /// A JSONL file rather than a log.
    TextFile { path: PathBuf },
    /// Events were written after the last line the mark of the file
    /// records, by something else: where the file resumes is not known.
    FileLogChanged {
        path: PathBuf,
        file: String,
        mark_seq: u64,
        log_seq: u64,
    },
    /// The file the log followed cannot be read now.
    FileGone {
        path: PathBuf,
        file: String,
        why: String,
    },
    /// The file no longer holds the last line the log took where it was.
    FileChanged {
        path: PathBuf,
        file: String,
        why: MarkRefusal,
    },
    /// The log's mark or end moved between its check and its opening for
    /// writing: something else wrote to it meanwhile.
    ChangedWhileOpening { path: PathBuf },
}

impl fmt::Display for FollowLogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FollowLogError::Held { path } => write!(
                f,
                "{0} is held by another process (such as `eventscope import postgres://... \
                 --db {0} --follow`), and a log opens in one process at a time: stop that \
                 process and run `eventscope {0} --follow`, which follows the log's source \
                 itself",
                path.display()
            ),
            FollowLogError::NoSource { path } => write!(
                f,
                "{0} has no source to follow: it was not copied from a Message DB (`eventscope \
                 import postgres://... --db {0}`) nor filled by `eventscope follow FILE --db {0}`; \
                 open it without --follow",
                path.display()
            ),
            FollowLogError::NoAddress { path, server } => write!(
                f,
                "{0} was copied from {server} before eventscope recorded where to reach it: \
                 follow it once with `eventscope import postgres://USER@HOST:PORT/DB --db {0} \
                 --follow`, which records it with the next message",
                path.display()
            ),
            FollowLogError::TextFile { path } => write!(
                f,
                "{0} is a text file, not a log: follow a growing JSONL file with `eventscope \
                 follow {0}`",
                path.display()
            ),
            FollowLogError::FileLogChanged {
                path,
                file,
                mark_seq,
                log_seq,
            } => write!(
                f,
                "{0} has events after seq {mark_seq} (up to {log_seq}) that were not read from \
                 {file}, so where to resume that file is not known: run `eventscope follow \
                 {file} --db NEW.redb` to follow it into a new log",
                path.display()
            ),
            FollowLogError::FileChanged { path, file, why } => write!(
                f,
                "{file} {why}, since {0} followed it: run `eventscope follow {file} --db \
                 NEW.redb` to follow it into a new log",
                path.display()
            ),
            FollowLogError::ChangedWhileOpening { path } => write!(
                f,
                "{0} was written to by another process while it was being opened: stop that \
                 process and run `eventscope {0} --follow` again",
                path.display()
            ),
            FollowLogError::FileGone { path, file, why } => write!(
                f,
                "cannot read {file}, the file {0} follows: {why}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for FollowLogError {}

/// Opens `path` and follows its source while the explorer shows it.
pub fn run(path: &Path, options: ExploreOptions) -> anyhow::Result<ExitCode> {
    // Before the log is opened: a domain file named that is not there
    // leaves the log as it was.
    let domain = super::explore::domain_file(options.domain.as_deref(), Some(path))?;
    let (log, source) = open(path)?;
    let log = Arc::new(log);
    // File names, not paths: the status line keeps room for the following
    // mark.
    let name = file_name(path);
    let (following, title) = match source {
        Source::MessageDb(server) => (
            Following::start(*server.clone(), log.clone()),
            format!("{name} (following {})", server.describe()),
        ),
        Source::File(mark, file) => (
            super::follow::resume(&mark, file, log.clone()),
            format!("{name} (following {})", file_name(Path::new(&mark.path))),
        ),
    };
    let shown = ui::run_with(
        log,
        Some(&title),
        domain.as_deref(),
        Some(following.feed()),
        |app| {
            app.set_log_source(path);
            if options.present {
                app.toggle_presenter();
            }
        },
    );
    following.stop();
    shown?;
    Ok(ExitCode::SUCCESS)
}

fn file_name(path: &Path) -> std::borrow::Cow<'_, str> {
    path.file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy()
}

/// What a log was filled from, ready to follow again.
enum Source {
    /// Boxed: a server's connection settings are large beside a file.
    MessageDb(Box<Server>),
    /// The mark, and its file opened.
    File(FileMark, std::fs::File),
}

/// The log at `path`, open for writing, and the source its mark names.
/// The mark is read first with the log open read-only: a log that cannot
/// be followed is left byte for byte as it was. Once open for writing, the
/// log is checked to hold the same mark and end, as another process could
/// have written to it in between.
fn open(path: &Path) -> anyhow::Result<(EventLog, Source)> {
    let opening = |error: StoreError| -> anyhow::Error {
        match error {
            StoreError::Locked { .. } => FollowLogError::Held { path: path.into() }.into(),
            StoreError::NotALog { .. } if super::explore::is_text(path) => {
                FollowLogError::TextFile { path: path.into() }.into()
            }
            other => other.into(),
        }
    };
    let (bytes, last_seq) = EventLog::open_read_only(path)
        .and_then(|log| Ok((log.source()?, log.last_seq()?)))
        .map_err(opening)?;
    let bytes = bytes.unwrap_or_default();
    // Once open for writing, the log must still be the one checked.
    let unchanged = |log: &EventLog| -> anyhow::Result<()> {
        if log.source()?.unwrap_or_default() != bytes || log.last_seq()? != last_seq {
            return Err(FollowLogError::ChangedWhileOpening { path: path.into() }.into());
        }
        Ok(())
    };
    if let Some(mark) = FileMark::from_bytes(&bytes) {
        let file = file_source(path, &mark, last_seq)?;
        let log = EventLog::open(path).map_err(opening)?;
        unchanged(&log)?;
        return Ok((log, Source::File(mark, file)));
    }
    let Some(mark) = SourceMark::from_bytes(&bytes) else {
        return Err(FollowLogError::NoSource { path: path.into() }.into());
    };
    let Some(address) = mark.address else {
        return Err(FollowLogError::NoAddress {
            path: path.into(),
            server: mark.server,
        }
        .into());
    };
    let server = Server::parse(&address)?;
    let log = EventLog::open(path).map_err(opening)?;
    unchanged(&log)?;
    Ok((log, Source::MessageDb(Box::new(server))))
}

/// The file `mark` names, opened and positioned after the last line the
/// mark took, once the log at `path` (ending at `last_seq`) is known to end
/// where the mark does and the file still to hold that line there.
fn file_source(
    path: &Path,
    mark: &FileMark,
    last_seq: u64,
) -> Result<std::fs::File, FollowLogError> {
    if mark.seq != last_seq {
        return Err(FollowLogError::FileLogChanged {
            path: path.into(),
            file: mark.path.clone(),
            mark_seq: mark.seq,
            log_seq: last_seq,
        });
    }
    let mut file = std::fs::File::open(&mark.path).map_err(|error| FollowLogError::FileGone {
        path: path.into(),
        file: mark.path.clone(),
        why: error.to_string(),
    })?;
    mark.seek_past_taken(&mut file)
        .map_err(|why| FollowLogError::FileChanged {
            path: path.into(),
            file: mark.path.clone(),
            why,
        })?;
    Ok(file)
}
