//! The projections a log can be seen through: the built-in ones and those
//! of the domain file in use, under one set of names. The rest of the code
//! asks here, so a domain file's projection is found wherever a built-in
//! one is (the explorer's list, `replay --projection NAME`, rebuilds,
//! time travel, blame).

use std::sync::Arc;

use super::{Domain, ProjectionDef};
use crate::projection::{self, Projection};

/// Built-in projections plus those of an optional domain.
#[derive(Clone, Default)]
pub struct Projections {
    domain: Option<Arc<Domain>>,
}

impl Projections {
    /// The built-in projections, and `domain`'s when there is one.
    pub fn new(domain: Option<Arc<Domain>>) -> Projections {
        Projections { domain }
    }

    /// The domain in use, if any.
    pub fn domain(&self) -> Option<&Domain> {
        self.domain.as_deref()
    }

    /// Every name: the built-ins, then the domain's in file order.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = projection::names().into_iter().map(str::to_owned).collect();
        names.extend(self.domain_names());
        names
    }

    /// The projections worth showing for a log holding `event_types`: the
    /// built-ins that apply to it and every one of the domain's.
    pub fn applicable(&self, event_types: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = projection::applicable(event_types)
            .into_iter()
            .map(str::to_owned)
            .collect();
        names.extend(self.domain_names());
        names
    }

    /// A fresh projection of that name, or None.
    pub fn create(&self, name: &str) -> Option<Box<dyn Projection>> {
        if let Some(builtin) = projection::builtin(name) {
            return Some(builtin);
        }
        Some(Box::new(self.def(name)?.instance()))
    }

    /// One line saying what a projection answers, when its file says.
    pub fn summary(&self, name: &str) -> Option<&str> {
        let def = self.def(name)?;
        (!def.summary.is_empty()).then_some(def.summary.as_str())
    }

    /// The domain's projection of that name.
    fn def(&self, name: &str) -> Option<&ProjectionDef> {
        let domain = self.domain.as_ref()?;
        domain.projections.iter().find(|p| p.name == name)
    }

    fn domain_names(&self) -> impl Iterator<Item = String> + '_ {
        self.domain
            .iter()
            .flat_map(|domain| domain.projections.iter().map(|p| p.name.clone()))
    }
}

impl std::fmt::Debug for Projections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Projections")
            .field("domain", &self.domain.as_ref().map(|d| &d.file))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain_file::parse;

    fn library() -> Projections {
        let domain = parse(
            include_str!("../../sample-data/library.domain.toml"),
            "library.domain.toml",
        )
        .unwrap();
        Projections::new(Some(Arc::new(domain)))
    }

    #[test]
    fn a_domain_adds_its_projections_to_the_built_ins() {
        let projections = library();
        let applicable = projections.applicable(&["BookBorrowed"]);
        assert_eq!(
            applicable,
            [
                "types",
                "streams",
                "replica",
                "catalogue",
                "members",
                "on-loan"
            ]
        );
        let created = projections.create("on-loan").expect("found by name");
        assert_eq!(created.name(), "on-loan");
        assert!(projections.create("types").is_some());
        assert!(projections.create("nope").is_none());
        assert!(Projections::default().create("on-loan").is_none());
        assert_eq!(
            projections.summary("on-loan"),
            Some("The books out on loan: who has each one, and when it is due")
        );
    }
}
