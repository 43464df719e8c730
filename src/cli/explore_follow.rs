//! `eventscope LOG --follow`: the explorer on a log that keeps growing from
//! the source it was copied from.
//!
//! redb lets one process open a file at a time, so the explorer cannot
//! read a log that `import postgres://... --follow` is writing in another
//! process. Instead the explorer does the following itself: the log
//! records its source (the Message DB's address, the last global position
//! copied, see `message_db::SourceMark`), and a follower thread in this
//! process continues from there, writing into the log as `import --follow`
//! would, while the explorer shows it grow. Quit, and `import --follow` (or
//! this again) continues where it stopped.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use eventscope::message_db::{Server, SourceMark};
use eventscope::store::{EventLog, StoreError};
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
                 import postgres://... --db {0}`); open it without --follow",
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
        }
    }
}

impl std::error::Error for FollowLogError {}

/// Opens `path` and follows its source while the explorer shows it.
pub fn run(path: &Path, options: ExploreOptions) -> anyhow::Result<ExitCode> {
    // Before the log is opened: a domain file named that is not there
    // leaves the log as it was.
    let domain = super::explore::domain_file(options.domain.as_deref(), Some(path))?;
    let (log, server) = open(path)?;
    let log = Arc::new(log);
    let following = Following::start(server.clone(), log.clone());
    // The file's name, not its path: the status line keeps room for the
    // following mark.
    let name = path
        .file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy();
    let title = format!("{name} (following {})", server.describe());
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

/// The log at `path`, open for writing, and the server its mark names.
/// The mark is read first with the log open read-only: a log that cannot
/// be followed is left byte for byte as it was.
fn open(path: &Path) -> anyhow::Result<(EventLog, Server)> {
    let opening = |error: StoreError| -> anyhow::Error {
        match error {
            StoreError::Locked { .. } => FollowLogError::Held { path: path.into() }.into(),
            StoreError::NotALog { .. } if super::explore::is_text(path) => {
                FollowLogError::TextFile { path: path.into() }.into()
            }
            other => other.into(),
        }
    };
    let mark = EventLog::open_read_only(path)
        .and_then(|log| log.source())
        .map_err(opening)?
        .as_deref()
        .and_then(SourceMark::from_bytes);
    let Some(mark) = mark else {
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
    Ok((log, server))
}
