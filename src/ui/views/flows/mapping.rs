//! The mappings the flows view offers: the `[flows]` table of the
//! explorer's domain file (`--domain FILE`, or `NAME.domain.toml` beside
//! the log), if it has one, then each mapping the log itself suggests.

use crate::domain_file::Domain;
use crate::simulation::{Choice, Mapping, choices, first_events};
use crate::store::EventLog;

/// The choices for `log` under `domain` (the last good one the explorer
/// read), and why the log could not be read to propose more.
pub fn choices_for(log: &EventLog, domain: Option<&Domain>) -> (Vec<Choice>, Option<String>) {
    let mut problems = Vec::new();
    let file = domain.and_then(|d| Some((file_name(&d.file), d.flows.as_ref()?)));
    let events = first_events(log).unwrap_or_else(|error| {
        problems.push(format!("cannot read the log to propose a mapping: {error}"));
        Vec::new()
    });
    let (choices, problem) = choices(file.as_ref().map(|(n, d)| (n.as_str(), *d)), &events);
    problems.extend(problem);
    let problem = (!problems.is_empty()).then(|| problems.join("; "));
    (choices, problem)
}

/// What runs when there is nothing to choose from (an empty log): any
/// mapping reads nothing there.
pub fn idle() -> Mapping {
    Mapping::retail()
}

/// The file's name without its directory, as the view shows it.
fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_owned(), |n| n.to_string_lossy().into_owned())
}
