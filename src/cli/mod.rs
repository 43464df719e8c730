//! Command-line arguments and the dispatch to each command.

mod check_case;
mod domain;
mod dry_run;
mod exec;
mod explore;
mod explore_follow;
mod explore_live;
mod export;
mod follow;
mod generate;
mod import;
mod import_git;
mod import_postgres;
mod info;
mod lesson;
pub mod output;
mod progress;
mod replay;
mod sample_domain;
mod simulate;
mod simulate_mapping;
mod verify;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use eventscope::escape::printable;

/// A terminal explorer for event-driven architecture: step through an event
/// log, rebuild projections, time travel, issue commands, and compare event
/// notification with event-carried state transfer.
#[derive(Debug, Parser)]
#[command(name = "eventscope", version, about, long_about = None)]
pub struct Cli {
    /// The log to open in the explorer: a redb log, or a JSONL file to import
    /// into a temporary log. Without it, the bundled retail sample.
    pub log: Option<PathBuf>,

    /// Start a guided lesson: a bundled lesson's name (introduction,
    /// event-sourcing, ...) or a lesson file. Without LOG, the lesson's log.
    #[arg(long)]
    pub lesson: Option<String>,

    /// Presenter mode: high contrast, one pane zoomed, big figures.
    #[arg(long)]
    pub present: bool,

    /// Start the bundled sample over: the commands a class issued in it are
    /// gone, as on first use.
    #[arg(long)]
    pub fresh: bool,

    /// A domain file for the explorer: its jq projections, commands and
    /// policies join the built-in ones, and saving it reloads them. By
    /// default `NAME.domain.toml` beside the log, when there is one.
    #[arg(long, value_name = "FILE")]
    pub domain: Option<PathBuf>,

    /// Follow the source LOG was filled from (a Message DB, or the file of
    /// `follow FILE --db LOG`) from where LOG stopped: new events are
    /// written into LOG and shown as they come.
    #[arg(long, requires = "log", conflicts_with_all = ["lesson", "fresh"])]
    pub follow: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Import(import::Args),
    Export(export::Args),
    Follow(follow::Args),
    Info(info::Args),
    Generate(generate::Args),
    Replay(replay::Args),
    Exec(exec::Args),
    CheckCase(check_case::Args),
    Simulate(simulate::Args),
    Verify(verify::Args),
    Render(explore::RenderArgs),
    /// Lessons: export one as Markdown.
    #[command(subcommand)]
    Lesson(lesson::LessonCommand),
}

/// Reads the command line; a usage error exits 2 with clap's message.
pub fn parse() -> Cli {
    let cli = Cli::parse();
    if let (Some(log), Some(_)) = (&cli.log, &cli.command) {
        // `eventscope LOG info OTHER` would open OTHER and drop LOG without
        // a word: say so rather than guess which was meant.
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                format!(
                    "`{}` before the command is not used: a command takes its log after \
                     its name, e.g. `eventscope info LOG`",
                    printable(&log.display().to_string())
                ),
            )
            .exit();
    }
    if let (Some(_), Some(_)) = (&cli.domain, &cli.command) {
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "`--domain` before the command is not used: a command takes it after its \
                 name, e.g. `eventscope replay LOG --domain FILE`",
            )
            .exit();
    }
    cli
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Some(Command::Import(args)) => import::run(args),
        Some(Command::Export(args)) => export::run(args),
        Some(Command::Follow(args)) => follow::run(args),
        Some(Command::Info(args)) => info::run(args),
        Some(Command::Generate(args)) => generate::run(args),
        Some(Command::Replay(args)) => replay::run(args),
        Some(Command::Exec(args)) => exec::run(args),
        Some(Command::CheckCase(args)) => check_case::run(args),
        Some(Command::Simulate(args)) => simulate::run(args),
        Some(Command::Verify(args)) => verify::run(args),
        Some(Command::Render(args)) => explore::render(args),
        Some(Command::Lesson(command)) => lesson::run(command),
        None => explore::run(
            cli.log,
            explore::ExploreOptions {
                domain: cli.domain,
                lesson: cli.lesson,
                present: cli.present,
                fresh: cli.fresh,
                follow: cli.follow,
            },
        ),
    }
}

/// Prints an error as one line first, then the causes, on stderr. Errors
/// can quote event data (a stream name, a line of input), so control
/// characters are shown escaped, never sent to the terminal.
pub fn report(error: &anyhow::Error) {
    let mut stderr = std::io::stderr().lock();
    let mut said = error.to_string();
    let _ = writeln!(stderr, "error: {}", printable(&said));
    for cause in error.chain().skip(1) {
        // Many errors already quote their cause: say each thing once.
        let cause = cause.to_string();
        if !said.contains(&cause) {
            let _ = writeln!(stderr, "  caused by: {}", printable(&cause));
        }
        said = cause;
    }
}
