//! Command-line arguments and the dispatch to each command.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A terminal explorer for event-driven architecture: step through an event
/// log, rebuild projections, time travel, issue commands, and compare event
/// notification with event-carried state transfer.
#[derive(Debug, Parser)]
#[command(name = "eventscope", version, about, long_about = None)]
pub struct Cli {
    /// The log to open in the explorer: a redb log, or a JSONL file to import
    /// into a temporary log. Without it, the bundled retail sample.
    pub log: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => anyhow::bail!("the explorer is not built yet"),
    }
}

/// Prints an error as one line first, then the causes, on stderr.
pub fn report(error: &anyhow::Error) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "error: {error}");
    for cause in error.chain().skip(1) {
        let _ = writeln!(stderr, "  caused by: {cause}");
    }
}
