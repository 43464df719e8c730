//! Which mapping a run reads the log through, and where it came from: the
//! domain file's `[flows]`, flags, or a proposal read off the log itself
//! (with the reason it was chosen). The explorer offers every choice to
//! cycle through; `simulate` runs the first.

use std::fmt;

use crate::domain_file::{FlowsDef, candidates};
use crate::event::Event;
use crate::projection::EventSource;

use super::mapping::Mapping;

/// How many events from the start of a log a proposal reads: enough to see
/// each kind of link, few enough to be read in a moment on any log.
pub const PROPOSAL_EVENTS: u64 = 20_000;

/// Where a mapping came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The `[flows]` table of this domain file.
    File(String),
    /// `--source`, `--work`, `--link`, `--needs`, over this mapping.
    Flags(Box<Origin>),
    /// Read off the log, for this reason.
    Proposed(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(file) => write!(f, "from the domain file {file}"),
            Origin::Flags(over) => write!(f, "from the flags, over the mapping {over}"),
            Origin::Proposed(why) => write!(f, "proposed from the log: {why}"),
        }
    }
}

/// A mapping and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub mapping: Mapping,
    pub origin: Origin,
}

/// The mappings to choose from, the one to run first: the domain file's
/// (when it has one), then each the log suggests. A file mapping that
/// cannot run is left out and its problem returned.
pub fn choices(file: Option<(&str, &FlowsDef)>, events: &[Event]) -> (Vec<Choice>, Option<String>) {
    let mut out: Vec<Choice> = Vec::new();
    let mut problem = None;
    if let Some((name, def)) = file {
        match Mapping::new(def.clone()) {
            Ok(mapping) => out.push(Choice {
                mapping,
                origin: Origin::File(name.to_owned()),
            }),
            Err(error) => problem = Some(format!("{name}: {error}")),
        }
    }
    for proposal in candidates(events) {
        let Ok(mapping) = Mapping::new(proposal.mapping) else {
            continue;
        };
        if out.iter().all(|c| c.mapping != mapping) {
            out.push(Choice {
                mapping,
                origin: Origin::Proposed(proposal.why),
            });
        }
    }
    (out, problem)
}

/// The first [`PROPOSAL_EVENTS`] events of `log`, for a proposal.
pub fn first_events(log: &dyn EventSource) -> anyhow::Result<Vec<Event>> {
    let last = log.last_seq()?.min(PROPOSAL_EVENTS);
    let mut events = Vec::new();
    if last > 0 {
        log.scan(1, last, &mut |event| {
            events.push(event.clone());
            std::ops::ControlFlow::Continue(())
        })?;
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain_file::Link;

    fn retail() -> Vec<Event> {
        crate::domain_file::testing::stored_jsonl(include_str!("../../sample-data/retail.jsonl"))
    }

    #[test]
    fn the_proposal_for_the_retail_log_is_the_retail_mapping() {
        let (choices, problem) = choices(None, &retail());
        assert_eq!(problem, None);
        assert_eq!(choices[0].mapping, Mapping::retail());
        assert!(matches!(choices[0].origin, Origin::Proposed(_)));
    }

    #[test]
    fn the_file_comes_first_and_a_bad_one_is_reported() {
        let def = FlowsDef {
            source_category: "customer".into(),
            work: vec!["OrderPlaced".into()],
            link: Some(Link::Field("customer".into())),
            needs: Vec::new(),
        };
        let (from_file, _) = choices(Some(("shop.domain.toml", &def)), &retail());
        assert_eq!(from_file[0].origin, Origin::File("shop.domain.toml".into()));
        assert_eq!(from_file[0].mapping.def(), &def);
        let bad = FlowsDef {
            work: Vec::new(),
            ..def
        };
        let (without, problem) = choices(Some(("shop.domain.toml", &bad)), &retail());
        assert!(
            problem
                .unwrap()
                .starts_with("shop.domain.toml: the flows mapping has no work")
        );
        assert_eq!(without[0].mapping, Mapping::retail());
    }
}
