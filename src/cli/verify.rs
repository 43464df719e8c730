//! `eventscope verify LOG`: check every event and index.

use std::path::PathBuf;
use std::process::ExitCode;

use eventscope::store::EventLog;

use super::output::Stdout;
use super::progress::Progress;

/// Check every event's checksum, that seqs and stream versions have no
/// gaps, and that the indexes agree with the events. Exits 1 at the first
/// fault, naming its seq.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The redb log.
    pub log: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let log = EventLog::open_read_only(&args.log)?;
    let mut progress = Progress::new("verifying");
    let report = log.verify(|p| progress.update(p.done, Some(p.total)));
    progress.finish();
    let report = report?;
    let mut stdout = Stdout::lock();
    if report.events == 0 {
        stdout.line("ok: the log is empty")?;
    } else {
        stdout.line(&format!(
            "ok: {} events: checksums match, seqs 1..{} have no gap",
            report.events, report.events
        ))?;
    }
    stdout.line(&format!(
        "ok: {} streams: versions 1..n have no gap",
        report.streams
    ))?;
    stdout.line(&format!("ok: {} types: counts match", report.types))?;
    stdout.line(&format!(
        "ok: {} index entries agree with the events",
        report.index_entries
    ))?;
    match report.heads {
        Some(heads) => stdout.line(&format!(
            "ok: {heads} heads (stream, version, type, time) agree with the events"
        ))?,
        None => stdout.line(
            "ok: no heads to check: an older build wrote the log (its next append adds them)",
        )?,
    }
    match report.block_sums {
        Some(blocks) => stdout.line(&format!(
            "ok: {blocks} blocks of events match their block checksums"
        ))?,
        None => stdout.line(
            "ok: no block checksums to check: an older build wrote the log (its next append adds them)",
        )?,
    }
    stdout.finish()?;
    Ok(ExitCode::SUCCESS)
}
