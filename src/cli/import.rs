//! `eventscope import FILE --db LOG`: text in, all or nothing.

use std::io::{BufRead, BufReader, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use eventscope::format::{self, Format};
use eventscope::ingest;
use eventscope::store::AppendSummary;

use super::progress::Progress;

/// Import events from native JSONL or CloudEvents JSON into a log, in one
/// transaction: a bad line, a version conflict or an interruption leaves
/// the log exactly as it was.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to read; `-` reads standard input.
    pub file: PathBuf,
    /// The redb log to append to (created if absent).
    #[arg(long)]
    pub db: PathBuf,
    /// The input format: `native` (eventscope JSONL) or `cloudevents`
    /// (CloudEvents 1.0 structured JSON, one per line or one array).
    /// Without it, told from the input: CloudEvents if it opens an array
    /// or its first event has a `specversion`, native otherwise.
    #[arg(long)]
    pub format: Option<Format>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut progress = Progress::new("importing");
    let summary = if args.file.as_os_str() == "-" {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            eprintln!("reading events from standard input (end with Ctrl-D)");
        }
        let input = BufReader::with_capacity(ingest::DETECT_BUFFER, stdin);
        import(input, &args, &mut progress)
    } else {
        let file = std::fs::File::open(&args.file)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", args.file.display()))?;
        let input = BufReader::with_capacity(ingest::DETECT_BUFFER, file);
        import(input, &args, &mut progress)
    };
    progress.finish();
    let summary = summary?;
    if summary.count() == 0 {
        eprintln!("imported no events: the input held none");
    } else {
        eprintln!(
            "imported {} events into {} (seq {}..{})",
            summary.count(),
            args.db.display(),
            summary.first_seq,
            summary.last_seq
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Imports `input` in the format asked for, or else the one it looks like.
fn import(
    mut input: impl BufRead + Send,
    args: &Args,
    progress: &mut Progress,
) -> anyhow::Result<AppendSummary> {
    let format = match args.format {
        Some(format) => format,
        None => format::detect(&mut input)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", args.file.display()))?,
    };
    ingest::import_into(input, &args.db, format, |n| progress.update(n, None))
}
