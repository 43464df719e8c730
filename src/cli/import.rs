//! `eventscope import FILE --db LOG`: text in, all or nothing.

use std::io::{BufReader, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use eventscope::format::Format;
use eventscope::ingest;

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
    #[arg(long, default_value = "native")]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut progress = Progress::new("importing");
    let summary = if args.file.as_os_str() == "-" {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            eprintln!("reading events from standard input (end with Ctrl-D)");
        }
        ingest::import_into(BufReader::new(stdin), &args.db, args.format, |n| {
            progress.update(n, None)
        })
    } else {
        ingest::import_file(&args.file, &args.db, args.format, |n| {
            progress.update(n, None)
        })
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
