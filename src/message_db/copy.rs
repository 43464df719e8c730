//! Copying the store into a log: once, all or nothing; then, following,
//! each new batch as it is written.

use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use postgres::Client;

use super::MessageDbError;
use super::connect::{Server, identity};
use super::mark::SourceMark;
use super::read::{self, Message};
use crate::ingest;
use crate::store::{AppendSummary, Appender, EventLog, StoreError};

/// Messages read per query.
const BATCH: i64 = 5000;
/// Batches in flight between the reader and the writer.
const BATCHES_IN_FLIGHT: usize = 4;
/// A global position below one already visible may still be written by a
/// transaction in progress (sequence numbers are taken before commit, and
/// commits can land out of order). Messages past such a hole are held back
/// until it fills, or until the message after it is this old by the
/// server's clock, when the hole is taken to be a write that rolled back.
const SETTLE_MILLIS: i64 = 1000;
/// How often following asks for new messages when it has caught up.
pub const POLL: Duration = Duration::from_millis(100);
/// The longest wait between reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// What a copy reports as it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopyEvent {
    /// Events copied so far by this copy.
    Copied(u64),
    /// The log holds every message the store had settled.
    CaughtUp,
    /// The connection was lost; the next attempt comes after `delay`.
    Retrying { why: String, delay: Duration },
    /// Connected again: copying continues where it stopped.
    Reconnected,
}

/// Why a copy wrote nothing (or, following, stopped).
#[derive(Debug)]
pub enum CopyError {
    Source(MessageDbError),
    /// The log refused the message at a global position.
    Rejected {
        position: i64,
        error: StoreError,
    },
    Store(StoreError),
}

impl std::fmt::Display for CopyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CopyError::Source(error) => error.fmt(f),
            CopyError::Rejected { position, error } => {
                write!(f, "the message at global position {position}: {error}")
            }
            CopyError::Store(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for CopyError {}

impl From<StoreError> for CopyError {
    fn from(error: StoreError) -> CopyError {
        CopyError::Store(error)
    }
}

impl From<MessageDbError> for CopyError {
    fn from(error: MessageDbError) -> CopyError {
        CopyError::Source(error)
    }
}

/// Copies every message the log does not hold yet from `server` into the
/// log at `db` (created if absent), in one transaction: on any error, or
/// if the connection drops, nothing is written.
pub fn copy(
    server: &Server,
    db: &Path,
    mut observe: impl FnMut(&CopyEvent),
) -> anyhow::Result<AppendSummary> {
    // Connecting first: an unreachable server never creates a log file.
    let (client, resume) = open_source(server, None)?;
    ingest::write_into(db, |log| {
        let after = resume.check(log)?;
        copy_into(log, client, &resume, after, &mut observe)
    })
}

/// Where a copy starts: the server as identified, checked against a log.
struct Resume {
    server: String,
    /// How to reach it again, recorded in the mark.
    address: String,
}

impl Resume {
    /// The global position the log ends at, once the log is known to be a
    /// copy of this server that nothing else has written to.
    fn check(&self, log: &EventLog) -> Result<Option<SourceMark>, CopyError> {
        let last_seq = log.last_seq()?;
        let mark = log.source()?.as_deref().and_then(SourceMark::from_bytes);
        match mark {
            None if last_seq == 0 => Ok(None),
            None => Err(MessageDbError::NotACopy.into()),
            Some(mark) if mark.server != self.server => Err(MessageDbError::OtherServer {
                log: mark.server,
                server: self.server.clone(),
            }
            .into()),
            Some(mark) if mark.seq != last_seq => Err(MessageDbError::LogChanged {
                mark_seq: mark.seq,
                log_seq: last_seq,
            }
            .into()),
            Some(mark) => Ok(Some(mark)),
        }
    }
}

/// Connects, and checks that the store still holds the message `mark`
/// ends with.
fn open_source(
    server: &Server,
    mark: Option<&SourceMark>,
) -> Result<(Client, Resume), MessageDbError> {
    let mut client = server.connect()?;
    let resume = Resume {
        server: identity(&mut client, server)?,
        address: server.address(),
    };
    if let Some(mark) = mark {
        if mark.server != resume.server {
            return Err(MessageDbError::OtherServer {
                log: mark.server.clone(),
                server: resume.server,
            });
        }
        check_still_there(&mut client, mark)?;
    }
    Ok((client, resume))
}

fn check_still_there(client: &mut Client, mark: &SourceMark) -> Result<(), MessageDbError> {
    if read::id_at(client, mark.position)?.as_deref() != Some(mark.id.as_str()) {
        return Err(MessageDbError::StoreRewritten {
            position: mark.position,
        });
    }
    Ok(())
}

/// What the reader sends the writer.
enum Fetched {
    Messages(Vec<Message>),
    Failed(MessageDbError),
    /// Every settled message was sent.
    Done,
}

/// The one-transaction copy into an open log.
fn copy_into(
    log: &EventLog,
    mut client: Client,
    resume: &Resume,
    mark: Option<SourceMark>,
    observe: &mut impl FnMut(&CopyEvent),
) -> Result<AppendSummary, CopyError> {
    if let Some(mark) = &mark {
        check_still_there(&mut client, mark)?;
    }
    let start = mark.as_ref().map_or(0, |mark| mark.position);
    let (sender, receiver) = mpsc::sync_channel::<Fetched>(BATCHES_IN_FLIGHT);
    let summary = thread::scope(|scope| {
        scope.spawn(move || read_all(client, start, sender));
        let receiver = receiver;
        let mut copied = 0;
        log.append_with(|appender| {
            loop {
                let batch = match receiver.recv() {
                    Ok(Fetched::Messages(batch)) => batch,
                    Ok(Fetched::Done) => return Ok(()),
                    Ok(Fetched::Failed(error)) => return Err(CopyError::Source(error)),
                    Err(_) => {
                        return Err(CopyError::Source(MessageDbError::Dropped {
                            why: "reading stopped unexpectedly".into(),
                        }));
                    }
                };
                push_batch(appender, resume, &batch)?;
                copied += batch.len() as u64;
                observe(&CopyEvent::Copied(copied));
            }
        })
    })?;
    observe(&CopyEvent::CaughtUp);
    Ok(summary)
}

/// Appends `batch` and moves the source mark to its last message.
fn push_batch(
    appender: &mut Appender<'_>,
    resume: &Resume,
    batch: &[Message],
) -> Result<(), CopyError> {
    let mut last_seq = None;
    for message in batch {
        let event = message.to_event()?;
        let appended = appender.push(&event).map_err(|error| CopyError::Rejected {
            position: message.global_position,
            error,
        })?;
        last_seq = Some(appended.seq);
    }
    if let (Some(message), Some(seq)) = (batch.last(), last_seq) {
        let mark = SourceMark {
            server: resume.server.clone(),
            position: message.global_position,
            id: message.id.clone(),
            seq,
            address: Some(resume.address.clone()),
        };
        appender.set_source(&mark.to_bytes());
    }
    Ok(())
}

/// The settled messages after `after`: those in a row from it, and past a
/// hole only once the hole is old enough to be a write that rolled back
/// (see [`SETTLE_MILLIS`]). The second value says whether any were held
/// back.
fn settled_after(client: &mut Client, after: i64) -> Result<(Vec<Message>, bool), MessageDbError> {
    let mut messages = read::after(client, after, BATCH)?;
    let mut expected = after + 1;
    let mut keep = messages.len();
    for (index, message) in messages.iter().enumerate() {
        if message.global_position != expected && message.age_millis < SETTLE_MILLIS {
            keep = index;
            break;
        }
        expected = message.global_position + 1;
    }
    let held_back = keep < messages.len();
    messages.truncate(keep);
    Ok((messages, held_back))
}

/// The reader's side of a copy: every settled message after `start`, in
/// batches, then `Done`. Stops quietly when the writer has gone.
fn read_all(mut client: Client, start: i64, sender: mpsc::SyncSender<Fetched>) {
    let mut after = start;
    loop {
        match settled_after(&mut client, after) {
            Err(error) => {
                let _ = sender.send(Fetched::Failed(error));
                return;
            }
            Ok((batch, held_back)) => {
                if batch.is_empty() {
                    if !held_back {
                        let _ = sender.send(Fetched::Done);
                        return;
                    }
                    // A hole that may yet fill: wait for it to settle.
                    thread::sleep(POLL);
                    continue;
                }
                if let Some(last) = batch.last() {
                    after = last.global_position;
                }
                if sender.send(Fetched::Messages(batch)).is_err() {
                    return;
                }
            }
        }
    }
}

/// Keeps copying into `log` (a copy of `server`, see [`copy`]) as messages
/// are written, one transaction per batch, until `stop` says so. A lost
/// connection is reported and retried with a growing wait; the copy then
/// continues where it stopped, once the server is known to be the same
/// and to still hold the last message copied. A server that cannot be
/// reached at the start is waited for in the same way (a log followed
/// again from its mark is worth showing while its server is down).
pub fn follow(
    server: &Server,
    log: &EventLog,
    stop: &dyn Fn() -> bool,
    mut observe: impl FnMut(&CopyEvent),
) -> Result<(), CopyError> {
    let mut backoff = POLL;
    let mut retried = false;
    let (client, resume) = loop {
        match open_source(server, None) {
            Ok(opened) => {
                if retried {
                    observe(&CopyEvent::Reconnected);
                }
                break opened;
            }
            Err(error) if error.is_transient() => {
                retried = true;
                retry_later(&error, &mut backoff, stop, &mut observe);
                if stop() {
                    return Ok(());
                }
            }
            Err(error) => return Err(error.into()),
        }
    };
    let mut mark = resume.check(log)?;
    let mut client = Some(client);
    backoff = POLL;
    let mut copied = 0;
    let mut caught_up = false;
    while !stop() {
        let connected = match client.as_mut() {
            Some(connected) => connected,
            None => match open_source(server, mark.as_ref()) {
                Ok((fresh, _)) => {
                    observe(&CopyEvent::Reconnected);
                    backoff = POLL;
                    client.insert(fresh)
                }
                Err(error) if error.is_transient() => {
                    retry_later(&error, &mut backoff, stop, &mut observe);
                    continue;
                }
                Err(error) => return Err(error.into()),
            },
        };
        let after = mark.as_ref().map_or(0, |mark| mark.position);
        match settled_after(connected, after) {
            Ok((batch, held_back)) if batch.is_empty() => {
                if !held_back && !caught_up {
                    caught_up = true;
                    observe(&CopyEvent::CaughtUp);
                }
                thread::sleep(POLL);
            }
            Ok((batch, _)) => {
                log.append_with(|appender| push_batch(appender, &resume, &batch))?;
                mark = resume.check(log)?;
                copied += batch.len() as u64;
                caught_up = false;
                observe(&CopyEvent::Copied(copied));
            }
            Err(error) if error.is_transient() => {
                client = None;
                retry_later(&error, &mut backoff, stop, &mut observe);
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}

/// Says why and how long, waits (in short steps, so `stop` is heard), and
/// doubles the next wait up to [`MAX_BACKOFF`].
fn retry_later(
    error: &MessageDbError,
    backoff: &mut Duration,
    stop: &dyn Fn() -> bool,
    observe: &mut impl FnMut(&CopyEvent),
) {
    observe(&CopyEvent::Retrying {
        why: error.to_string(),
        delay: *backoff,
    });
    let deadline = std::time::Instant::now() + *backoff;
    while std::time::Instant::now() < deadline && !stop() {
        thread::sleep(Duration::from_millis(20));
    }
    *backoff = (*backoff * 2).min(MAX_BACKOFF);
}
