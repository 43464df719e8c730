//! `eventscope export --db LOG`: every event as text.

use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use eventscope::format::{EventWriter, Format};
use eventscope::store::EventLog;

use super::progress::Progress;

/// Export every event of a log as native JSONL or CloudEvents JSON.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The redb log.
    #[arg(long)]
    pub db: PathBuf,
    /// Where to write; standard output when absent. The file is replaced
    /// only once the export is complete.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// `native` (eventscope JSONL) or `cloudevents` (one CloudEvent per line).
    #[arg(long, default_value = "native")]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let log = EventLog::open_read_only(&args.db)?;
    match &args.output {
        None => {
            let stdout = std::io::stdout().lock();
            write_all(&log, BufWriter::new(stdout), args.format)?;
        }
        Some(path) => {
            // Write beside the target and rename, so a failed export never
            // leaves half a file where a whole one was.
            let name = path
                .file_name()
                .with_context(|| format!("{} is not a file name", path.display()))?;
            let partial = path.with_file_name(format!(
                ".{}.partial-{}",
                name.to_string_lossy(),
                std::process::id()
            ));
            let file = std::fs::File::create(&partial)
                .with_context(|| format!("cannot write {}", path.display()))?;
            if let Err(error) = write_all(&log, BufWriter::new(file), args.format) {
                let _ = std::fs::remove_file(&partial);
                return Err(error);
            }
            std::fs::rename(&partial, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_all<W: Write>(log: &EventLog, out: W, format: Format) -> anyhow::Result<()> {
    let total = log.last_seq()?;
    let mut writer = EventWriter::new(out, format);
    let mut progress = Progress::new("exporting");
    let mut failure = None;
    log.scan(1..=total, |event| match writer.write(&event) {
        Ok(()) => {
            progress.update(event.seq, Some(total));
            ControlFlow::Continue(())
        }
        Err(error) => {
            failure = Some(error);
            ControlFlow::Break(())
        }
    })?;
    progress.finish();
    if let Some(error) = failure {
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(());
        }
        return Err(error).context("cannot write the export");
    }
    match writer.finish() {
        Ok(mut out) => out.flush().or_else(|e| {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(e)
            }
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e).context("cannot write the export"),
    }
    Ok(())
}
