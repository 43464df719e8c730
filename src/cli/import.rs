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
    /// Skip events whose id the log already holds, if they are the stored
    /// events (a re-import continues where the log stopped); without it
    /// such an event fails the import. Events with neither an id nor a
    /// version are always appended.
    #[arg(long)]
    pub skip_existing: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut progress = Progress::new("importing");
    let duplicates = if args.skip_existing {
        ingest::Duplicates::SkipStored
    } else {
        ingest::Duplicates::Refuse
    };
    let summary = if args.file.as_os_str() == "-" {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            eprintln!("reading events from standard input (end with Ctrl-D)");
        }
        ingest::import_into_with(
            BufReader::new(stdin),
            &args.db,
            args.format,
            duplicates,
            |n| progress.update(n, None),
        )
    } else {
        ingest::import_file(&args.file, &args.db, args.format, duplicates, |n| {
            progress.update(n, None)
        })
    };
    progress.finish();
    let summary = summary?;
    if summary.count() == 0 && summary.skipped > 0 {
        eprintln!(
            "imported no events: all {} were already in the log",
            summary.skipped
        );
    } else if summary.count() == 0 {
        eprintln!("imported no events: the input held none");
    } else if summary.skipped > 0 {
        eprintln!(
            "imported {} events into {} (seq {}..{}); skipped {} already in the log",
            summary.count(),
            args.db.display(),
            summary.first_seq,
            summary.last_seq,
            summary.skipped
        );
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
