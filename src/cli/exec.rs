//! `eventscope exec LOG COMMAND`: CQRS from the command line.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use eventscope::cqrs::{AppendError, Command, CommandHandler, EventStore};
use eventscope::format::{Format, write_event};
use eventscope::store::EventLog;
use eventscope::{Event, NewEvent, Timestamp};

/// Issue a command: the write model is rebuilt from the stream's events,
/// and the command becomes new events (printed as JSON lines) or is
/// rejected with a reason (on stderr, exit 1, the log untouched).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The redb log.
    pub log: PathBuf,
    /// The command as JSON, e.g. `{"type":"Deposit","stream":"account-1",
    /// "data":{"amount":500}}`, or in short form, e.g.
    /// `Deposit account-1 amount=500`.
    pub command: String,
    /// Do not run the policies (reactions such as "an order placed requests
    /// payment"): only the command's own events are written.
    #[arg(long)]
    pub no_policies: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let command = Command::parse(&args.command)?;
    let store = OnDemandWriter::open(&args.log)?;
    let now = Timestamp::from_unix_nanos(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)),
    );
    let handled = CommandHandler::new(&store, now).handle(command, !args.no_policies)?;
    let mut out = String::new();
    for event in handled.events() {
        write_event(&mut out, Format::Native, event);
    }
    print!("{out}");
    if let Some(rejection) = handled.rejection() {
        anyhow::bail!("rejected: {rejection}");
    }
    if let Some(reason) = &handled.interrupted {
        anyhow::bail!("the command's events were written, but a policy stopped: {reason}");
    }
    Ok(ExitCode::SUCCESS)
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
            log: RefCell::new(Some(EventLog::open_read_only(path)?)),
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
            *slot = Some(EventLog::open(&self.path).map_err(anyhow::Error::from)?);
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
