//! `eventscope info LOG`: counts, streams, types, time span, file size.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use eventscope::escape::printable;
use eventscope::store::EventLog;
use serde_json::json;

use super::output::Stdout;

/// Show what a log holds: events, streams, types with counts, time span
/// and file size.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The redb log.
    pub log: PathBuf,
    /// Print JSON for programs instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let log = EventLog::open_read_only(&args.log)?;
    let stats = log.stats()?;
    let file_bytes = std::fs::metadata(&args.log)
        .with_context(|| format!("cannot read the size of {}", args.log.display()))?
        .len();
    let (first, last) = match stats.time_span {
        Some((first, last)) => (Some(first.to_string()), Some(last.to_string())),
        None => (None, None),
    };
    if args.json {
        let types: serde_json::Map<String, serde_json::Value> = stats
            .types
            .iter()
            .map(|(name, count)| (name.clone(), json!(count)))
            .collect();
        let out = json!({
            "events": stats.events,
            "streams": stats.streams,
            "types": types,
            "first_time": first,
            "last_time": last,
            "file_bytes": file_bytes,
        });
        let mut stdout = Stdout::lock();
        stdout.json_line(&out)?;
        stdout.finish()?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut stdout = Stdout::lock();
    let log = printable(&args.log.display().to_string()).into_owned();
    stdout.line(&format!("log        {log}"))?;
    stdout.line(&format!("file size  {}", human_bytes(file_bytes)))?;
    stdout.line(&format!("events     {}", stats.events))?;
    stdout.line(&format!("streams    {}", stats.streams))?;
    match (first, last) {
        (Some(first), Some(last)) => stdout.line(&format!("time span  {first} .. {last}"))?,
        _ => stdout.line("time span  (empty log)")?,
    }
    stdout.line(&format!("types      {}", stats.types.len()))?;
    // Type names are event data: shown escaped.
    let names: Vec<String> = stats
        .types
        .iter()
        .map(|(name, _)| printable(name).into_owned())
        .collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for (name, (_, count)) in names.iter().zip(&stats.types) {
        stdout.line(&format!("  {name:<width$}  {count:>10}"))?;
    }
    stdout.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// `1536` -> `1.5 KiB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
