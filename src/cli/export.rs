//! `eventscope export --db LOG`: every event as text.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use eventscope::escape::{json_printable, printable};
use eventscope::format::{Format, write_event};
use eventscope::store::EventLog;

use super::output::{StdoutError, describe};
use super::progress::Progress;

/// Export every event of a log as native JSONL or CloudEvents JSON.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The redb log.
    #[arg(long)]
    pub db: PathBuf,
    /// Where to write; standard output when absent. A regular file is
    /// replaced only once the export is complete; a link's target is the
    /// file replaced, the link stays; a device or FIFO is written in place.
    /// The log itself is refused.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// `native` (eventscope JSONL) or `cloudevents` (one CloudEvent per line).
    #[arg(long, default_value = "native")]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let log = EventLog::open_read_only(&args.db)?;
    let Some(path) = &args.output else {
        let stdout = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let mut stdout = write_all(&log, stdout, args.format)
            .map_err(|failure| failure.into_error(|e| StdoutError(e).into()))?;
        stdout.flush().map_err(StdoutError)?;
        return Ok(ExitCode::SUCCESS);
    };
    let cannot_write = |error: std::io::Error| {
        anyhow::anyhow!(
            "cannot write {}: {}",
            printable(&path.display().to_string()),
            describe(&error)
        )
    };
    match Target::of(path, &args.db)? {
        Target::InPlace => {
            // A device or FIFO: there is no file to replace, and renaming
            // over it would put a regular file where the device was.
            let file = OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(cannot_write)?;
            write_all(&log, BufWriter::new(file), args.format)
                .map_err(|failure| failure.into_error(cannot_write))?;
        }
        Target::Replace(file) => {
            replace(&log, &file, args.format).map_err(|failure| failure.into_error(cannot_write))?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// How `-o` is written.
enum Target {
    /// A device, FIFO or socket: written as it is.
    InPlace,
    /// A regular file (or none yet) at this path, the target of a link when
    /// `-o` named one: written beside it and renamed over it.
    Replace(PathBuf),
}

impl Target {
    fn of(path: &Path, db: &Path) -> anyhow::Result<Target> {
        let shown = |p: &Path| printable(&p.display().to_string()).into_owned();
        let Ok(link) = std::fs::symlink_metadata(path) else {
            return Ok(Target::Replace(path.to_path_buf()));
        };
        // Follows links: the file that would really be written.
        let Ok(metadata) = std::fs::metadata(path) else {
            anyhow::bail!("{} is a link to a file that does not exist", shown(path));
        };
        if let Ok(log) = std::fs::metadata(db)
            && (log.dev(), log.ino()) == (metadata.dev(), metadata.ino())
        {
            anyhow::bail!(
                "{} is the log being exported: write the export to another file",
                shown(path)
            );
        }
        if metadata.is_dir() {
            anyhow::bail!("{} is a directory: name a file", shown(path));
        }
        super::output::refuse_a_database(path, "the export")?;
        if !metadata.is_file() {
            return Ok(Target::InPlace);
        }
        if link.file_type().is_symlink() {
            let target = std::fs::canonicalize(path)
                .with_context(|| format!("cannot follow the link {}", shown(path)))?;
            return Ok(Target::Replace(target));
        }
        Ok(Target::Replace(path.to_path_buf()))
    }
}

/// Writes beside `path` and renames over it, so a failed export never
/// leaves half a file where a whole one was.
fn replace(log: &EventLog, path: &Path, format: Format) -> Result<(), Failure> {
    let name = path
        .file_name()
        .ok_or_else(|| Failure::Write(std::io::Error::other("the path does not name a file")))?;
    let partial = path.with_file_name(format!(
        ".{}.partial-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&partial)
            .map_err(Failure::Write)?;
        if let Ok(existing) = std::fs::metadata(path) {
            // The replaced file keeps who may read it.
            file.set_permissions(existing.permissions())
                .map_err(Failure::Write)?;
        }
        let file: File = write_all(log, BufWriter::new(file), format)?;
        file.sync_all().map_err(Failure::Write)?;
        std::fs::rename(&partial, path).map_err(Failure::Write)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// Why an export stopped: the log could not be read (damage, named as
/// such), or the output could not be written.
enum Failure {
    Read(anyhow::Error),
    Write(std::io::Error),
}

impl Failure {
    fn into_error(self, write: impl FnOnce(std::io::Error) -> anyhow::Error) -> anyhow::Error {
        match self {
            Failure::Read(error) => error,
            Failure::Write(error) => write(error),
        }
    }
}

/// Writes every event, one JSON line each with the characters a terminal
/// acts on escaped (the same values; see [`json_printable`]), and hands back
/// the flushed output.
fn write_all<W: Write>(
    log: &EventLog,
    mut out: BufWriter<W>,
    format: Format,
) -> Result<W, Failure> {
    let total = log.last_seq().map_err(|e| Failure::Read(e.into()))?;
    let mut progress = Progress::new("exporting");
    let mut line = String::with_capacity(1024);
    let mut failure = None;
    let scanned = log.scan(1..=total, |event| {
        line.clear();
        write_event(&mut line, format, &event);
        match out.write_all(json_printable(&line).as_bytes()) {
            Ok(()) => {
                progress.update(event.seq, Some(total));
                ControlFlow::Continue(())
            }
            Err(error) => {
                failure = Some(error);
                ControlFlow::Break(())
            }
        }
    });
    progress.finish();
    if let Some(error) = failure {
        return Err(Failure::Write(error));
    }
    scanned.map_err(|e| Failure::Read(e.into()))?;
    out.into_inner().map_err(|e| Failure::Write(e.into_error()))
}
