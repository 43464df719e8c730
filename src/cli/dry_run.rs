//! `eventscope exec LOG COMMAND --dry-run [--at SEQ] [--gwt FILE]`: what a
//! command would have become on the write model as it was at a seq; the
//! log is opened read-only and nothing is written to it.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use eventscope::Timestamp;
use eventscope::cqrs::{Branch, Case, Command, CommandHandler};
use eventscope::domain_file::Domain;
use eventscope::escape::printable;
use eventscope::store::EventLog;

pub struct WhatIf<'a> {
    /// The seq to branch at; the end of the log when absent.
    pub at: Option<u64>,
    pub gwt: Option<&'a Path>,
    pub policies: bool,
    pub now: Timestamp,
}

pub fn run(
    log: &Path,
    command: Command,
    domain: Option<Arc<Domain>>,
    what_if: WhatIf<'_>,
) -> anyhow::Result<ExitCode> {
    if let Some(file) = what_if.gwt
        && is_same_file(file, log)
    {
        anyhow::bail!(
            "--gwt {} is the log itself: name another file for the case",
            printable(&file.display().to_string())
        );
    }
    if let Some(file) = what_if.gwt {
        super::output::refuse_a_database(file, "the case")?;
    }
    let log = super::exec::wait_for_lock(|| EventLog::open_read_only(log))?;
    let last = log.last_seq()?;
    let at = what_if.at.unwrap_or(last);
    anyhow::ensure!(
        at <= last,
        "seq {at} is past the end of the log (the last is {last})"
    );
    let branch = Branch::new(&log, at);
    let mut handler = CommandHandler::new(&branch, what_if.now);
    if let Some(domain) = domain {
        handler = handler.with_domain(domain);
    }
    let handled = handler.handle(command, what_if.policies)?;
    if let (Some(file), Some(step)) = (what_if.gwt, handled.steps.first()) {
        let case = Case::of_step(&branch, step, at, what_if.now)?;
        let text = serde_json::to_string_pretty(&case)?;
        std::fs::write(file, text + "\n").with_context(|| {
            format!(
                "cannot write the case to {}",
                printable(&file.display().to_string())
            )
        })?;
    }
    if let Some(refusal) = handled.refusal() {
        anyhow::bail!("{refusal} (dry run at seq {at}: nothing written)");
    }
    match super::exec::show(&handled) {
        Err(error) if !error.is_closed_pipe() => return Err(error.into()),
        _ => {}
    }
    if let Some(reason) = &handled.interrupted {
        anyhow::bail!("a policy stopped (dry run: nothing written): {reason}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether two paths name one file (through links too); false when either
/// does not exist.
fn is_same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
