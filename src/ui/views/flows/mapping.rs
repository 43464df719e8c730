//! The mappings the flows view offers: the `[flows]` table of the domain
//! file beside the log (`NAME.domain.toml`), if there is one, then each
//! mapping the log itself suggests.

use crate::domain_file;
use crate::simulation::{Choice, Mapping, choices, first_events};
use crate::store::EventLog;

/// The choices for `log`, and why the domain file's mapping is missing
/// from them when there is a file and it is.
pub fn choices_for(log: &EventLog) -> (Vec<Choice>, Option<String>) {
    let mut problems = Vec::new();
    let domain = match domain_file::beside(log.path()).map(|path| domain_file::load(&path)) {
        Some(Ok(domain)) => Some(domain),
        Some(Err(error)) => {
            problems.push(error.to_string());
            None
        }
        None => None,
    };
    let file = domain
        .as_ref()
        .and_then(|d| Some((file_name(&d.file), d.flows.as_ref()?)));
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
