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
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use anyhow::Context;
use eventscope::event::{Event, NewEvent};
use eventscope::format::{self, Format};
use eventscope::store::EventLog;
use eventscope::tail::{Next, Record, StreamFrom, TailLines, parse_record};
use eventscope::ui::{self, FeedStatus, LiveFeed};

use super::explore::TemporaryLog;
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
    let input: (Box<dyn Read + Send>, bool) = if args.file.as_os_str() == "-" {
        (Box::new(std::io::stdin()), true)
    } else {
        let file = std::fs::File::open(&args.file)
            .with_context(|| format!("cannot read {}", args.file.display()))?;
        (Box::new(file), false)
    };
    let lines = if input.1 {
        TailLines::stream(input.0)
    } else {
        TailLines::growing(input.0)
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
    let follower = Follower {
        lines,
        shape: args.format,
        stream_from: args.stream_from,
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
    let feed = LiveFeed::new();
    let stop = Arc::new(AtomicBool::new(false));
    {
        let (log, feed, stop) = (log.clone(), feed.clone(), stop.clone());
        // Not joined: a read of standard input cannot be interrupted, and
        // ends with the process.
        std::thread::spawn(move || {
            let outcome = follower.run(&log, &|| stop.load(Ordering::Relaxed), |_| Ok(()));
            feed.set(FeedStatus::Stopped(match outcome {
                Ok(()) => "the input ended".into(),
                Err(error) => format!("following stopped: {error:#}"),
            }));
        });
    }
    let title = format!("{} (live)", args.file.display());
    let shown = ui::run_live(log, Some(&title), feed);
    stop.store(true, Ordering::Relaxed);
    shown?;
    Ok(ExitCode::SUCCESS)
}

/// Reads lines as they complete and appends their events.
struct Follower {
    lines: TailLines<Box<dyn Read + Send>>,
    shape: Option<Record>,
    stream_from: StreamFrom,
}

impl Follower {
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
                    Ok(Next::Line(line, text)) => {
                        match parse_record(&text, line, shape, stream_from) {
                            Ok(Some(event)) => batch.push((line, event)),
                            Ok(None) => {}
                            Err(error) => failure = Some(anyhow::anyhow!(error)),
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
                let events = append(log, &batch)?;
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
fn append(log: &EventLog, batch: &[(u64, NewEvent)]) -> anyhow::Result<Vec<Event>> {
    let summary = log.append_with(|appender| {
        for (line, event) in batch {
            appender
                .push_or_skip(event)
                .map_err(|error| anyhow::anyhow!("line {line}: {error}"))?;
        }
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(log.read(summary.first_seq, summary.count() as usize, false)?)
}
