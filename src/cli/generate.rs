//! `eventscope generate`: realistic logs of any size, deterministically.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use eventscope::Event;
use eventscope::domain::Domain;
use eventscope::domain::generate::generate;
use eventscope::escape::printable;
use eventscope::format::{Format, write_event};
use eventscope::store::StoreError;

use super::output::{StdoutError, describe};
use super::progress::Progress;

/// Generate a log of a sample domain: the same seed gives the same bytes.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["output", "db"])))]
pub struct Args {
    /// `retail` (customers and orders) or `bank` (accounts).
    #[arg(long)]
    pub domain: Domain,
    /// How many events.
    #[arg(long)]
    pub events: u64,
    /// The seed: the same seed gives the same log.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write native JSONL to this file (`-` for standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Append to this redb log instead (created if absent).
    #[arg(long)]
    pub db: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut progress = Progress::new("generating");
    let total = args.events;
    if let Some(db) = &args.db {
        // All or nothing, as an import: a conflict with an existing log
        // leaves it byte for byte, and a new log appears only when whole.
        let mut done = 0;
        let summary = eventscope::ingest::write_into(db, |log| {
            log.append_with(|appender| {
                generate(args.domain, total, args.seed, |event| {
                    appender.push(&event)?;
                    done += 1;
                    if done % 65_536 == 0 {
                        progress.update(done, Some(total));
                    }
                    Ok::<_, StoreError>(())
                })
            })
        })?;
        progress.finish();
        let _ = writeln!(
            std::io::stderr(),
            "generated {} {} events into {}",
            summary.count(),
            args.domain,
            printable(&db.display().to_string())
        );
        return Ok(ExitCode::SUCCESS);
    }
    let output = args.output.unwrap_or_else(|| PathBuf::from("-"));
    let to_stdout = output.as_os_str() == "-";
    if !to_stdout {
        super::output::refuse_a_database(&output, "the generated JSONL")?;
    }
    let sink: Box<dyn Write> = if to_stdout {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(
            std::fs::File::create(&output)
                .with_context(|| format!("cannot write {}", output.display()))?,
        )
    };
    let mut out = BufWriter::with_capacity(1 << 16, sink);
    let mut line = String::with_capacity(512);
    let mut seq = 0;
    let written = generate(args.domain, total, args.seed, |event| {
        seq += 1;
        line.clear();
        // Written as the store would export it, with the version the
        // generator expects, so the file imports back to the same log.
        let version = event.expected_version.unwrap_or(0);
        let stored = Event::stored(event, seq, version);
        write_event(&mut line, Format::Native, &stored);
        if seq % 65_536 == 0 {
            progress.update(seq, Some(total));
        }
        out.write_all(line.as_bytes())
    });
    progress.finish();
    match written.and_then(|()| out.flush()) {
        Ok(()) => {}
        Err(e) if to_stdout => return Err(StdoutError(e).into()),
        Err(e) => {
            anyhow::bail!(
                "cannot write {}: {}",
                printable(&output.display().to_string()),
                describe(&e)
            )
        }
    }
    Ok(ExitCode::SUCCESS)
}
