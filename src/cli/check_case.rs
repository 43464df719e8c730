//! `eventscope check-case FILE`: decide a given/when/then case again and
//! say whether the outcome is the one it records.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use eventscope::cqrs::Case;
use eventscope::escape::printable;

use super::output::Stdout;

/// Decide a given/when/then case (written by `exec --dry-run --gwt`) again
/// on its given events alone, without policies: exit 0 when the command
/// becomes the events or meets the rejection the case records, else exit 1
/// naming both.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case, as JSON.
    pub case: PathBuf,
    /// The domain file whose commands the case uses, if any.
    #[arg(long, value_name = "FILE")]
    pub domain: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let shown = printable(&args.case.display().to_string()).into_owned();
    let text =
        eventscope::text_file::read(&args.case).with_context(|| format!("cannot read {shown}"))?;
    let case: Case = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{shown}:{}:{}: not a case: {e}", e.line(), e.column()))?;
    let domain = match &args.domain {
        Some(path) => super::domain::load(Some(path), &args.case)?,
        None => None,
    };
    let got = case.decide(domain)?;
    anyhow::ensure!(
        got == case.then,
        "the case gives another outcome: it records {}; the command now gives {}",
        printable(&case.then.to_string()),
        printable(&got.to_string())
    );
    let mut stdout = Stdout::lock();
    stdout.line(&printable(&format!("ok: {}", case.then)))?;
    stdout.finish()?;
    Ok(ExitCode::SUCCESS)
}
