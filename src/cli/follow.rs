//! `eventscope follow FILE|-`: a growing log followed as it grows, into a
//! log that the explorer shows live, or printed.
//!
//! One command serves both the terminal and a pipe: on a terminal it opens
//! the explorer on the growing log (a temporary one, or `--db LOG` to keep
//! it); with `--print`, or when standard output is not a terminal, it
//! prints each event as a native JSONL line as it arrives. Either way
//! `kcat -C -J -t orders | eventscope follow -` watches a Kafka topic (the
//! explorer reads keys from the terminal, not from the pipe).

use std::fmt;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use anyhow::Context;
use eventscope::event::{Event, NewEvent};
use eventscope::format::{self, Format};
use eventscope::store::EventLog;
use eventscope::tail::{
    FileMark, LineSpan, MarkRefusal, Next, Record, StreamFrom, TailLines, parse_record,
};
use eventscope::ui::{self, FeedStatus};

use super::explore::TemporaryLog;
use super::explore_live::Following;
use super::output::{Stdout, StdoutError};

/// How long to wait before looking again at a file with nothing new.
const IDLE: Duration = Duration::from_millis(50);
/// Events appended in one transaction at most.
const BATCH: usize = 4096;

/// Follow a growing JSONL file or standard input (native events,
/// CloudEvents, or Kafka records as `kcat -C -J` prints them): the
/// explorer shows the events as they arrive, or, with --print or when
/// output is not a terminal, each is printed as a native JSONL line.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to follow (read from its start, then as it grows); `-`
    /// reads standard input until it closes.
    pub file: PathBuf,
    /// Keep the events in this redb log (created if absent). A log that
    /// followed the same file resumes after the last line it took; one
    /// holding anything else is refused. Without it, a temporary log
    /// serves.
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Print the events instead of opening the explorer.
    #[arg(long)]
    pub print: bool,
    /// The shape of every line; without it, told from each line.
    #[arg(long, value_enum)]
    pub format: Option<Record>,
    /// For Kafka records: which part of the record names the stream.
    #[arg(long, value_enum, default_value = "key")]
    pub stream_from: StreamFrom,
}

/// Why `follow FILE --db LOG` will not write into LOG, each with what
/// to run instead. The log is left as it was.
#[derive(Debug)]
pub enum FollowIntoError {
    /// The file's name cannot be recorded in the mark as it is.
    NotUtf8Path { file: String },
    /// The log holds events, and no mark says they came from this file.
    NotFollowed { log: PathBuf, file: String },
    /// The log is a copy of a Message DB.
    MessageDbCopy { log: PathBuf, file: String },
    /// The log followed another file.
    OtherFile {
        log: PathBuf,
        file: String,
        followed: String,
    },
    /// The log followed this file read with another --format or
    /// --stream-from.
    OtherOptions { log: PathBuf, file: String },
    /// Events were written after the last line the mark records.
    LogChanged {
        log: PathBuf,
        file: String,
        mark_seq: u64,
        log_seq: u64,
    },
    /// The file no longer holds the last line taken where it was.
    FileChanged {
        log: PathBuf,
        file: String,
        why: MarkRefusal,
    },
    /// Standard input into a log that records a source of its own.
    StdinIntoFollowed { log: PathBuf },
}

impl fmt::Display for FollowIntoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let instead = |f: &mut fmt::Formatter<'_>, file: &str| {
            write!(
                f,
                ": follow it into a new log (`eventscope follow {file} --db NEW.redb`)"
            )
        };
        match self {
            FollowIntoError::NotUtf8Path { file } => write!(
                f,
                "cannot record in the log where {file} was followed to: its name is not \
                 UTF-8; rename the file, or follow it without --db"
            ),
            FollowIntoError::NotFollowed { log, file } => {
                write!(
                    f,
                    "{} already holds events that were not read from {file}",
                    log.display()
                )?;
                instead(f, file)
            }
            FollowIntoError::MessageDbCopy { log, file } => {
                write!(
                    f,
                    "{} is a copy of a Message DB, not a log that followed {file}",
                    log.display()
                )?;
                instead(f, file)
            }
            FollowIntoError::OtherFile {
                log,
                file,
                followed,
            } => {
                write!(f, "{} followed {followed}, not {file}", log.display())?;
                instead(f, file)
            }
            FollowIntoError::OtherOptions { log, file } => {
                write!(
                    f,
                    "{} followed {file} with another --format or --stream-from; give those it \
                     was followed with",
                    log.display()
                )?;
                instead(f, file)
            }
            FollowIntoError::LogChanged {
                log,
                file,
                mark_seq,
                log_seq,
            } => {
                write!(
                    f,
                    "{} has events after seq {mark_seq} (up to {log_seq}) that were not read \
                     from {file}, so where to resume that file is not known",
                    log.display()
                )?;
                instead(f, file)
            }
            FollowIntoError::FileChanged { log, file, why } => {
                write!(f, "{file} {why}, since {} followed it", log.display())?;
                instead(f, file)
            }
            FollowIntoError::StdinIntoFollowed { log } => write!(
                f,
                "{} records a source of its own (a file it followed, or a Message DB): \
                 follow standard input into a new log",
                log.display()
            ),
        }
    }
}

impl std::error::Error for FollowIntoError {}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let stdin = args.file.as_os_str() == "-";
    // A file's lines can be read again: the log records how far it got,
    // and following it again resumes there. Standard input cannot be.
    let mark = match stdin {
        true => None,
        false => file_mark(&args)?,
    };
    let mut file = match stdin {
        true => None,
        false => Some(
            std::fs::File::open(&args.file)
                .with_context(|| format!("cannot read {}", args.file.display()))?,
        ),
    };
    // An existing log is checked open read-only first, so that one
    // refused is left byte for byte as it was; then again once open for
    // writing, in case it was written to in between.
    if let Some(db) = args.db.as_ref().filter(|db| db.exists()) {
        let log = EventLog::open_read_only(db)?;
        resumes_after(&log, db, mark.as_ref(), file.as_mut())?;
    }
    // Lives as long as the log it names.
    let mut temporary = None;
    let path = match &args.db {
        Some(db) => db.clone(),
        None => {
            let made = temporary.insert(TemporaryLog::new("follow"));
            let _ = std::fs::remove_file(made.path());
            made.path().to_path_buf()
        }
    };
    let log = Arc::new(EventLog::create(&path)?);
    let resumed = resumes_after(&log, &path, mark.as_ref(), file.as_mut())?;
    let lines = match (file, &resumed) {
        (None, _) => TailLines::stream(Box::new(std::io::stdin()) as Box<dyn Read + Send>),
        (Some(file), None) => TailLines::growing(Box::new(file) as Box<dyn Read + Send>),
        // Positioned after the line the mark took by the check.
        (Some(file), Some(recorded)) => TailLines::growing_after(
            Box::new(file) as Box<dyn Read + Send>,
            recorded.line,
            recorded.taken.map_or(0, |span| span.end),
        ),
    };
    let follower = Follower {
        lines,
        shape: args.format,
        stream_from: args.stream_from,
        mark: resumed.or(mark),
    };
    if args.print || !std::io::stdout().is_terminal() {
        let mut stdout = Stdout::lock();
        let mut text = String::new();
        follower.run(&log, &|| false, |events| {
            text.clear();
            for event in events {
                format::write_event(&mut text, Format::Native, event);
            }
            stdout.json_text(&text)?;
            stdout.flush()?;
            Ok(())
        })?;
        stdout.finish()?;
        return Ok(ExitCode::SUCCESS);
    }
    // Not joined for standard input: a read of it cannot be interrupted,
    // and ends with the process.
    let following = follower.spawn(log.clone(), !stdin);
    let title = format!("{} (live)", args.file.display());
    let shown = ui::run_live(log, Some(&title), following.feed());
    following.stop();
    shown?;
    Ok(ExitCode::SUCCESS)
}

/// The mark to keep for the file followed (none for a temporary log whose
/// file's name is not UTF-8: that mark could not name it again).
fn file_mark(args: &Args) -> Result<Option<FileMark>, FollowIntoError> {
    let absolute = std::path::absolute(&args.file).unwrap_or_else(|_| args.file.clone());
    let Some(path) = absolute.to_str() else {
        return match args.db {
            Some(_) => Err(FollowIntoError::NotUtf8Path {
                file: args.file.display().to_string(),
            }),
            None => Ok(None),
        };
    };
    Ok(Some(FileMark {
        path: path.to_owned(),
        format: args.format,
        stream_from: args.stream_from,
        line: 0,
        taken: None,
        seq: 0,
    }))
}

/// Whether `log` (at `path`) can take what is followed, and where: `None`
/// from the start (a new log, or standard input), or the log's own mark of
/// `file`, which is then positioned just after the last line it took. A
/// log holding anything else is refused.
fn resumes_after(
    log: &EventLog,
    path: &Path,
    mark: Option<&FileMark>,
    file: Option<&mut std::fs::File>,
) -> anyhow::Result<Option<FileMark>> {
    let source = log.source()?;
    let last_seq = log.last_seq()?;
    let (Some(mark), Some(file)) = (mark, file) else {
        // Standard input: its lines are not marked, and a log that records
        // another source would lose where that stands.
        return match source {
            Some(_) if mark.is_none() => {
                Err(FollowIntoError::StdinIntoFollowed { log: path.into() }.into())
            }
            _ => Ok(None),
        };
    };
    let log_path = || path.to_path_buf();
    let name = || mark.path.clone();
    let Some(bytes) = source else {
        return match last_seq {
            0 => Ok(None),
            _ => Err(FollowIntoError::NotFollowed {
                log: log_path(),
                file: name(),
            }
            .into()),
        };
    };
    let Some(recorded) = FileMark::from_bytes(&bytes) else {
        return Err(FollowIntoError::MessageDbCopy {
            log: log_path(),
            file: name(),
        }
        .into());
    };
    let refusal = if recorded.path != mark.path {
        Some(FollowIntoError::OtherFile {
            log: log_path(),
            file: name(),
            followed: recorded.path.clone(),
        })
    } else if recorded.format != mark.format || recorded.stream_from != mark.stream_from {
        Some(FollowIntoError::OtherOptions {
            log: log_path(),
            file: name(),
        })
    } else if recorded.seq != last_seq {
        Some(FollowIntoError::LogChanged {
            log: log_path(),
            file: name(),
            mark_seq: recorded.seq,
            log_seq: last_seq,
        })
    } else {
        recorded
            .seek_past_taken(file)
            .err()
            .map(|why| FollowIntoError::FileChanged {
                log: log_path(),
                file: name(),
                why,
            })
    };
    match refusal {
        Some(refusal) => Err(refusal.into()),
        None => Ok(Some(recorded)),
    }
}

/// `eventscope LOG --follow` on a log a `follow FILE --db LOG` filled:
/// following `file` (the mark's, opened, checked and positioned just after
/// the mark's last line) again, into `log`.
pub(super) fn resume(mark: &FileMark, file: std::fs::File, log: Arc<EventLog>) -> Following {
    let follower = Follower {
        lines: TailLines::growing_after(
            Box::new(file),
            mark.line,
            mark.taken.map_or(0, |span| span.end),
        ),
        shape: mark.format,
        stream_from: mark.stream_from,
        mark: Some(mark.clone()),
    };
    follower.spawn(log, true)
}

/// Reads lines as they complete and appends their events.
struct Follower {
    lines: TailLines<Box<dyn Read + Send>>,
    shape: Option<Record>,
    stream_from: StreamFrom,
    /// The mark written with each batch (its line and seq set then), for
    /// a file that can be followed again.
    mark: Option<FileMark>,
}

impl Follower {
    /// Runs on a thread into `log`, saying on the feed when it stops.
    fn spawn(self, log: Arc<EventLog>, joined: bool) -> Following {
        Following::spawn(joined, move |feed, stop| {
            let outcome = self.run(&log, stop, |_| Ok(()));
            feed.set(FeedStatus::Stopped(match outcome {
                Ok(()) => "the input ended".into(),
                Err(error) => format!("following stopped: {error:#}"),
            }));
        })
    }

    /// Until the input ends (or `stop`): the lines that have arrived are
    /// appended in one transaction, then handed to `written`. A bad line
    /// ends it with the line named; the batches before it stay.
    fn run(
        self,
        log: &EventLog,
        stop: &dyn Fn() -> bool,
        mut written: impl FnMut(&[Event]) -> Result<(), StdoutError>,
    ) -> anyhow::Result<()> {
        let Follower {
            lines,
            shape,
            stream_from,
            mut mark,
        } = self;
        // A read of a pipe blocks until more comes: reading on a thread of
        // its own lets what has arrived be written meanwhile.
        let arrived = read_lines(lines);
        let mut batch: Vec<(u64, NewEvent)> = Vec::new();
        while !stop() {
            let first = match arrived.recv_timeout(IDLE) {
                Ok(next) => next,
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            };
            let mut ended = false;
            let mut failure = None;
            let mut next = Some(first);
            while let Some((item, span)) = next.take() {
                match item {
                    Ok(Next::Line(line, text)) => {
                        match parse_record(&text, line, shape, stream_from) {
                            Ok(Some(event)) => batch.push((line, event)),
                            Ok(None) => {}
                            Err(error) => failure = Some(anyhow::anyhow!(error)),
                        }
                        // Taken: the mark moves past it (a bad line is
                        // not, and is met again when following resumes).
                        if let (Some(mark), None) = (&mut mark, &failure) {
                            mark.line = line;
                            mark.taken = Some(span);
                        }
                    }
                    Ok(Next::Idle) => {}
                    Ok(Next::End) => ended = true,
                    Err(error) => failure = Some(error.into()),
                }
                if failure.is_some() || ended || batch.len() >= BATCH {
                    break;
                }
                next = arrived.try_recv().ok();
            }
            if !batch.is_empty() {
                let events = append(log, &batch, mark.as_mut())?;
                batch.clear();
                written(&events)?;
            }
            if let Some(failure) = failure {
                return Err(failure);
            }
            if ended {
                return Ok(());
            }
        }
        Ok(())
    }
}

/// What the reading thread hands over: the next line (or what the input
/// says instead), and where the last line read lies in the input.
type Arrived = (std::io::Result<Next>, LineSpan);

/// Lines as they complete, from a thread that reads until the input ends
/// or fails, or the receiver is dropped.
fn read_lines(mut lines: TailLines<Box<dyn Read + Send>>) -> mpsc::Receiver<Arrived> {
    let (sender, receiver) = mpsc::sync_channel(BATCH);
    std::thread::spawn(move || {
        loop {
            let next = (lines.next_line(), lines.last_span());
            match next.0 {
                Ok(Next::Idle) => {
                    // A file with nothing new: look again shortly.
                    std::thread::sleep(IDLE);
                    continue;
                }
                Ok(Next::End) | Err(_) => {
                    let _ = sender.send(next);
                    return;
                }
                Ok(Next::Line(..)) => {
                    if sender.send(next).is_err() {
                        return;
                    }
                }
            }
        }
    });
    receiver
}

/// Appends a batch and returns what was written. An event whose id, or
/// whose stream and version, the log already holds is skipped; one with
/// neither (a native line with no id and no version) cannot be told from a
/// new one and is appended. A file is never read again into a log that
/// followed it (it resumes after its mark's line, or is refused), so that
/// happens only when standard input, which has no mark, is followed into
/// the same log again and its lines lack ids and versions.
/// `mark`, its line set to the last line read, is written with the batch,
/// its seq set to the log's end then.
fn append(
    log: &EventLog,
    batch: &[(u64, NewEvent)],
    mark: Option<&mut FileMark>,
) -> anyhow::Result<Vec<Event>> {
    let before = log.last_seq()?;
    let summary = log.append_with(|appender| {
        let mut last_seq = before;
        for (line, event) in batch {
            let appended = appender
                .push_or_skip(event)
                .map_err(|error| anyhow::anyhow!("line {line}: {error}"))?;
            if let Some(appended) = appended {
                last_seq = appended.seq;
            }
        }
        if let Some(mark) = mark {
            mark.seq = last_seq;
            appender.set_source(&mark.to_bytes());
        }
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(log.read(summary.first_seq, summary.count() as usize, false)?)
}
