//! `eventscope import FILE --db LOG`: text in, all or nothing.

use std::io::{BufRead, BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use eventscope::format::{self, Format};
use eventscope::ingest;
use eventscope::message_db;
use eventscope::store::AppendSummary;

use super::progress::Progress;

/// Import events from native JSONL or CloudEvents JSON into a log, in one
/// transaction: a bad line, a version conflict or an interruption leaves
/// the log exactly as it was.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to read; `-` reads standard input; or a Message DB on
    /// PostgreSQL, as `postgres://USER[:PASSWORD]@HOST:PORT/DATABASE`,
    /// whose messages are copied (a later import continues where the log
    /// stopped).
    #[arg(required_unless_present = "git")]
    pub file: Option<PathBuf>,
    /// Import a git repository's history instead: each commit of HEAD's
    /// first-parent line (oldest first) becomes a CommitRecorded event and
    /// one FileAdded, FileChanged, FileDeleted or FileRenamed per file.
    #[arg(long, value_name = "REPO", conflicts_with_all = ["file", "format", "skip_existing", "follow"])]
    pub git: Option<PathBuf>,
    /// The redb log to append to (created if absent).
    #[arg(long)]
    pub db: PathBuf,
    /// The input format: `native` (eventscope JSONL) or `cloudevents`
    /// (CloudEvents 1.0 structured JSON, one per line or one array).
    /// Without it, told from the input: CloudEvents if it opens an array
    /// or its first event has a `specversion`, native otherwise.
    #[arg(long)]
    pub format: Option<Format>,
    /// Skip events whose id the log already holds, if they are the stored
    /// events (a re-import continues where the log stopped); without it
    /// such an event fails the import. Events with neither an id nor a
    /// version are always appended.
    #[arg(long)]
    pub skip_existing: bool,
    /// From a Message DB: after the copy, keep copying new messages as
    /// they are written (until interrupted).
    #[arg(long)]
    pub follow: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(url) = args
        .file
        .as_deref()
        .and_then(Path::to_str)
        .filter(|f| message_db::is_url(f))
    {
        return super::import_postgres::run(url, &args.db, args.follow);
    }
    if args.follow {
        anyhow::bail!(
            "--follow copies from a Message DB (postgres://...); to follow a file use `eventscope follow FILE`"
        );
    }
    let mut progress = Progress::new("importing");
    let Some(file) = args.file.clone() else {
        let repo = args.git.clone().unwrap_or_default();
        let summary = super::import_git::import(&repo, &args.db, &mut progress);
        progress.finish();
        report(&summary?, &args);
        return Ok(ExitCode::SUCCESS);
    };
    let duplicates = if args.skip_existing {
        ingest::Duplicates::SkipStored
    } else {
        ingest::Duplicates::Refuse
    };
    let summary = if file.as_os_str() == "-" {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            eprintln!("reading events from standard input (end with Ctrl-D)");
        }
        let input = BufReader::with_capacity(ingest::DETECT_BUFFER, stdin);
        import(input, Path::new("-"), &args, duplicates, &mut progress)
    } else {
        let opened = std::fs::File::open(&file)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
        let input = BufReader::with_capacity(ingest::DETECT_BUFFER, opened);
        import(input, &file, &args, duplicates, &mut progress)
    };
    progress.finish();
    report(&summary?, &args);
    Ok(ExitCode::SUCCESS)
}

fn report(summary: &AppendSummary, args: &Args) {
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
}

/// Imports `input` in the format asked for, or else the one it looks like.
fn import(
    mut input: impl BufRead + Send,
    file: &Path,
    args: &Args,
    duplicates: ingest::Duplicates,
    progress: &mut Progress,
) -> anyhow::Result<AppendSummary> {
    let format = match args.format {
        Some(format) => format,
        None => format::detect(&mut input)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?,
    };
    ingest::import_into_with(input, &args.db, format, duplicates, |n| {
        progress.update(n, None)
    })
}
