//! `eventscope follow FILE|-`: a growing log followed as it grows, into a
//! log that the explorer shows live, or printed.
//!
//! One command serves both the terminal and a pipe: on a terminal it opens
//! the explorer on the growing log (a temporary one, or `--db LOG` to keep
//! it); with `--print`, or when standard output is not a terminal, it
//! prints each event as a native JSONL line as it arrives. Either way
//! `kcat -C -J -t orders | eventscope follow -` watches a Kafka topic (the
//! explorer reads keys from the terminal, not from the pipe).

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use anyhow::Context;
use eventscope::event::{Event, NewEvent};
use eventscope::format::{self, Format};
use eventscope::store::EventLog;
use eventscope::tail::{FileMark, Next, Record, StreamFrom, TailLines, parse_record};
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
    /// Keep the events in this redb log (created if absent; events it
    /// already holds are skipped). Without it, a temporary log serves.
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

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let stdin = args.file.as_os_str() == "-";
    let lines = if stdin {
        TailLines::stream(Box::new(std::io::stdin()) as Box<dyn Read + Send>)
    } else {
        let file = std::fs::File::open(&args.file)
            .with_context(|| format!("cannot read {}", args.file.display()))?;
        TailLines::growing(Box::new(file) as Box<dyn Read + Send>)
    };
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
    // A file's lines can be read again: the log records how far it got,
    // and following it again resumes there. Standard input cannot be.
    let mark = match stdin {
        true => None,
        false => Some(FileMark {
            path: std::path::absolute(&args.file)
                .unwrap_or_else(|_| args.file.clone())
                .to_string_lossy()
                .into_owned(),
            format: args.format,
            stream_from: args.stream_from,
            line: 0,
            seq: 0,
        }),
    };
    let skip_through = match &mark {
        Some(mark) => resumes_at(&log, mark)?,
        None => 0,
    };
    let follower = Follower {
        lines,
        shape: args.format,
        stream_from: args.stream_from,
        mark,
        skip_through,
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

/// The last line of `mark`'s file that `log` holds: where its own mark of
/// that file says it got to, if nothing has written to the log since; else
/// 0, and the lines from the first are taken again (those the log holds are
/// skipped as already stored).
fn resumes_at(log: &EventLog, mark: &FileMark) -> anyhow::Result<u64> {
    let recorded = log.source()?.as_deref().and_then(FileMark::from_bytes);
    Ok(match recorded {
        Some(recorded)
            if recorded.path == mark.path
                && recorded.format == mark.format
                && recorded.stream_from == mark.stream_from
                && recorded.seq == log.last_seq()? =>
        {
            recorded.line
        }
        _ => 0,
    })
}

/// `eventscope LOG --follow` on a log a `follow FILE --db LOG` filled:
/// following `file` (the mark's, opened) again from the line after the
/// mark's, into `log`.
pub(super) fn resume(mark: &FileMark, file: std::fs::File, log: Arc<EventLog>) -> Following {
    let follower = Follower {
        lines: TailLines::growing(Box::new(file)),
        shape: mark.format,
        stream_from: mark.stream_from,
        mark: Some(mark.clone()),
        skip_through: mark.line,
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
    /// Lines up to this one are in the log already: passed over.
    skip_through: u64,
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
            skip_through,
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
            while let Some(item) = next.take() {
                match item {
                    Ok(Next::Line(line, _)) if line <= skip_through => {}
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

/// Lines as they complete, from a thread that reads until the input ends
/// or fails, or the receiver is dropped.
fn read_lines(mut lines: TailLines<Box<dyn Read + Send>>) -> mpsc::Receiver<std::io::Result<Next>> {
    let (sender, receiver) = mpsc::sync_channel(BATCH);
    std::thread::spawn(move || {
        loop {
            let next = lines.next_line();
            match next {
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

/// Appends a batch, skipping events the log already holds (following the
/// same input into the same log again), and returns what was written.
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
