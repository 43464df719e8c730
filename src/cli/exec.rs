//! `eventscope exec LOG COMMAND`: CQRS from the command line.

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use eventscope::cqrs::{AppendError, Command, CommandHandler, EventStore, Handled};
use eventscope::format::{Format, write_event};
use eventscope::store::{EventLog, StoreError};
use eventscope::{Event, NewEvent, Timestamp};

use super::output::{Stdout, StdoutError};

/// Issue a command: the write model is rebuilt from the stream's events,
/// and the command becomes new events (printed as JSON lines) or is
/// rejected with a reason (on stderr, exit 1, the log untouched). A command
/// whose `expected_version` the stream has left (another writer came
/// first) is a conflict: exit 1, `conflict: STREAM is at version N, not M;
/// nothing written`. A domain file's commands and policies work the same
/// way, read by the file's fields and judged by its rules.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The redb log.
    pub log: PathBuf,
    /// The command as JSON, e.g. `{"type":"Deposit","stream":"account-1",
    /// "data":{"amount":500}}`, or in short form, e.g.
    /// `Deposit account-1 amount=500`; or one of the domain file's, e.g.
    /// `BorrowBook book-3 member=member-1 due=2024-06-20`.
    pub command: String,
    /// Do not run the policies (reactions such as "an order placed requests
    /// payment"): only the command's own events are written.
    #[arg(long)]
    pub no_policies: bool,
    /// A domain file whose commands and policies join the built-in ones; by
    /// default `NAME.domain.toml` beside the log, when there is one.
    #[arg(long, value_name = "FILE")]
    pub domain: Option<PathBuf>,
    /// What if: decide the command on the write model as it was at this
    /// seq (with --dry-run).
    #[arg(long, value_name = "SEQ", requires = "dry_run")]
    pub at: Option<u64>,
    /// Print the events the command would become, or the rejection it
    /// would meet, and write nothing to the log.
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: also write the decision as a given/when/then case
    /// (JSON) to FILE; `eventscope check-case FILE` decides it again.
    #[arg(long, value_name = "FILE", requires = "dry_run")]
    pub gwt: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // The domain file and the command first: neither, if broken, may touch
    // the log.
    let domain = super::domain::load(args.domain.as_deref(), &args.log)?;
    let command = Command::parse_in(&args.command, domain.as_deref())?;
    let now = Timestamp::from_unix_nanos(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)),
    );
    if args.dry_run {
        let what_if = super::dry_run::WhatIf {
            at: args.at,
            gwt: args.gwt.as_deref(),
            policies: !args.no_policies,
            now,
        };
        return super::dry_run::run(&args.log, command, domain, what_if);
    }
    let store = OnDemandWriter::open(&args.log)?;
    let mut handler = CommandHandler::new(&store, now);
    if let Some(domain) = domain {
        handler = handler.with_domain(domain);
    }
    let handled = handler.handle(command, !args.no_policies)?;
    if let Some(refusal) = handled.refusal() {
        anyhow::bail!("{refusal}");
    }
    // The events are committed: whatever happens to the output, the person
    // must learn that they were written, or a retry writes them twice.
    let written = Written::of(&handled);
    if let Err(error) = show(&handled) {
        if !error.is_closed_pipe() {
            anyhow::bail!("{error}; {written}: do not send the command again");
        }
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(
            stderr,
            "note: {written}; stdout was closed before it could be shown"
        );
    }
    if let Some(reason) = &handled.interrupted {
        anyhow::bail!("{written}, but a policy stopped: {reason}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the written events, one JSON line each.
pub(super) fn show(handled: &Handled) -> Result<(), StdoutError> {
    let mut out = Stdout::lock();
    let mut line = String::new();
    for event in handled.events() {
        line.clear();
        write_event(&mut line, Format::Native, event);
        out.json_text(&line)?;
    }
    out.finish()
}

/// What a handled command wrote, for messages: `the command's 2 events were
/// written (seq 83..84)`.
struct Written {
    count: usize,
    first: u64,
    last: u64,
}

impl Written {
    fn of(handled: &Handled) -> Written {
        let seqs: Vec<u64> = handled.events().map(|event| event.seq).collect();
        Written {
            count: seqs.len(),
            first: seqs.first().copied().unwrap_or(0),
            last: seqs.last().copied().unwrap_or(0),
        }
    }
}

impl std::fmt::Display for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.count {
            0 => f.write_str("the command wrote no events"),
            1 => write!(f, "the command's event was written (seq {})", self.first),
            n => write!(
                f,
                "the command's {n} events were written (seq {}..{})",
                self.first, self.last
            ),
        }
    }
}

/// Reads through a read-only handle, and reopens the log for writing only
/// when there is something to append, so a rejected command leaves the
/// file exactly as it was, byte for byte.
struct OnDemandWriter {
    path: PathBuf,
    log: RefCell<Option<EventLog>>,
    writable: Cell<bool>,
}

impl OnDemandWriter {
    fn open(path: &Path) -> anyhow::Result<OnDemandWriter> {
        Ok(OnDemandWriter {
            path: path.to_path_buf(),
            log: RefCell::new(Some(wait_for_lock(|| EventLog::open_read_only(path))?)),
            writable: Cell::new(false),
        })
    }

    fn with_log<T>(&self, f: impl FnOnce(&EventLog) -> anyhow::Result<T>) -> anyhow::Result<T> {
        match &*self.log.borrow() {
            Some(log) => f(log),
            None => anyhow::bail!("{} could not be reopened", self.path.display()),
        }
    }
}

impl EventStore for OnDemandWriter {
    fn read_stream(&self, stream: &str) -> anyhow::Result<Vec<Event>> {
        self.with_log(|log| EventStore::read_stream(log, stream))
    }

    fn append(&self, events: Vec<NewEvent>) -> Result<Vec<Event>, AppendError> {
        if !self.writable.get() {
            // redb allows no writer beside a reader of the same file: close
            // the read-only handle first. A writer that got in between is
            // caught by the expected versions.
            let mut slot = self.log.borrow_mut();
            drop(slot.take());
            *slot =
                Some(wait_for_lock(|| EventLog::open(&self.path)).map_err(anyhow::Error::from)?);
            self.writable.set(true);
        }
        match &*self.log.borrow() {
            Some(log) => EventStore::append(log, events),
            None => Err(AppendError::Other(anyhow::anyhow!(
                "{} could not be reopened",
                self.path.display()
            ))),
        }
    }
}

/// How long a command waits for another writer to let go of the log.
const LOCK_PATIENCE: Duration = Duration::from_secs(10);

/// Opens the log, waiting while another process holds it: two `exec`s
/// racing for one log each get their turn, and the second learns of the
/// first through the expected versions rather than a "locked" error.
pub(super) fn wait_for_lock(
    open: impl Fn() -> Result<EventLog, StoreError>,
) -> Result<EventLog, StoreError> {
    let deadline = Instant::now() + LOCK_PATIENCE;
    let mut pause = Duration::from_millis(1);
    loop {
        match open() {
            Err(StoreError::Locked { .. }) if Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            other => return other,
        }
    }
}
