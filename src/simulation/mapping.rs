//! Which events the simulation reads as what: the source's entities (the
//! streams of one category), the consumer's moments of work, how each work
//! event finds its entity, and what of the entity the work reads. The
//! built-in retail simulation is one such mapping (see [`Mapping::retail`]).

use std::fmt;

use crate::domain_file::{FlowsDef, Link};

/// What of the entity the work reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Needs {
    /// The whole entity: the consumer keeps all of it.
    All,
    /// These fields: the Notification consumer keeps only them, and work
    /// waits until they are known.
    Fields(Vec<String>),
}

impl Needs {
    pub(crate) fn includes(&self, key: &str) -> bool {
        match self {
            Needs::All => true,
            Needs::Fields(keys) => keys.iter().any(|k| k == key),
        }
    }
}

/// A checked flows mapping, ready to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    def: FlowsDef,
    work: Vec<Box<str>>,
    pub(crate) needs: Needs,
}

impl Mapping {
    /// Checks `def`: a source category, at least one work type, a link
    /// with no empty part.
    pub fn new(mut def: FlowsDef) -> Result<Mapping, MappingError> {
        def.source_category = def.source_category.trim().to_owned();
        let source = def.source_category.as_str();
        if source.is_empty() {
            return Err(MappingError::NoSource);
        }
        if source.contains('-') {
            return Err(MappingError::SourceNotACategory(source.to_owned()));
        }
        if def.work.is_empty() {
            return Err(MappingError::NoWork);
        }
        if let Some(blank) = def.work.iter().find(|t| t.trim().is_empty()) {
            return Err(MappingError::BlankName(format!("work type `{blank}`")));
        }
        match &def.link {
            Some(Link::Field(field)) if field.trim().is_empty() => {
                return Err(MappingError::BlankName("link field".into()));
            }
            Some(Link::Field(field)) if field.starts_with('.') || field.ends_with('.') => {
                return Err(MappingError::BadLink(field.clone()));
            }
            Some(Link::Earlier { event_type, field })
                if event_type.trim().is_empty() || field.trim().is_empty() =>
            {
                return Err(MappingError::BadLink(format!("{event_type}.{field}")));
            }
            _ => {}
        }
        if let Some(blank) = def.needs.iter().find(|t| t.trim().is_empty()) {
            return Err(MappingError::BlankName(format!("needed field `{blank}`")));
        }
        let work = def.work.iter().map(|t| Box::from(t.as_str())).collect();
        let needs = if def.needs.is_empty() {
            Needs::All
        } else {
            let mut keys = def.needs.clone();
            keys.sort();
            keys.dedup();
            Needs::Fields(keys)
        };
        Ok(Mapping { def, work, needs })
    }

    /// The mapping the built-in retail simulation has always run: customers
    /// are the source; shipping works at `OrderShipped`, reaches the
    /// customer through the order's `OrderPlaced.customer`, and needs the
    /// address. It is what eventscope proposes for a retail log.
    pub fn retail() -> Mapping {
        let def = FlowsDef {
            source_category: "customer".into(),
            work: vec!["OrderShipped".into()],
            link: Some(Link::Earlier {
                event_type: "OrderPlaced".into(),
                field: "customer".into(),
            }),
            needs: vec!["address".into()],
        };
        match Mapping::new(def) {
            Ok(mapping) => mapping,
            Err(problem) => unreachable!("the retail mapping is valid: {problem}"),
        }
    }

    /// The mapping as given.
    pub fn def(&self) -> &FlowsDef {
        &self.def
    }

    /// Whether `stream` is of the source category: the category itself, or
    /// it and a `-` (a category has no `-`, so this is its first). Every
    /// event asks, so it looks at the prefix only.
    pub(crate) fn is_source(&self, stream: &str) -> bool {
        let source = &self.def.source_category;
        match stream.as_bytes().get(source.len()) {
            None => stream == source,
            Some(&next) => next == b'-' && stream.starts_with(source.as_str()),
        }
    }

    pub(crate) fn is_work(&self, event_type: &str) -> bool {
        // A handful of types: comparing them beats hashing each event's.
        self.work.iter().any(|t| **t == *event_type)
    }

    pub(crate) fn link(&self) -> Option<&Link> {
        self.def.link.as_ref()
    }
}

impl fmt::Display for Mapping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.def.fmt(f)
    }
}

/// A mapping that cannot run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MappingError {
    NoSource,
    SourceNotACategory(String),
    NoWork,
    BlankName(String),
    BadLink(String),
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MappingError::NoSource => f.write_str(
                "the flows mapping has no source; give the category of the source's streams \
                 (`customer` for customer-<n>)",
            ),
            MappingError::SourceNotACategory(source) => write!(
                f,
                "the source `{source}` is not a stream category; give what comes before the \
                 first `-` of its streams"
            ),
            MappingError::NoWork => f.write_str(
                "the flows mapping has no work; give the event types at which the consumer works",
            ),
            MappingError::BlankName(what) => {
                write!(
                    f,
                    "the flows mapping has a blank {what}; name it or leave it out"
                )
            }
            MappingError::BadLink(link) => write!(
                f,
                "the link `{link}` is not FIELD or Type.field; write `member` or \
                 `OrderPlaced.customer`"
            ),
        }
    }
}

impl std::error::Error for MappingError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(source: &str, work: &[&str], link: Option<Link>) -> FlowsDef {
        FlowsDef {
            source_category: source.into(),
            work: work.iter().map(|t| t.to_string()).collect(),
            link,
            needs: Vec::new(),
        }
    }

    #[test]
    fn a_mapping_needs_a_source_category_and_work() {
        assert_eq!(
            Mapping::new(def("", &["A"], None)),
            Err(MappingError::NoSource)
        );
        assert!(matches!(
            Mapping::new(def("customer-1", &["A"], None)),
            Err(MappingError::SourceNotACategory(_))
        ));
        assert_eq!(
            Mapping::new(def("member", &[], None)),
            Err(MappingError::NoWork)
        );
        let blank = Mapping::new(def("member", &["A"], Some(Link::Field(" ".into()))));
        assert!(blank.unwrap_err().to_string().contains("blank link field"));
        let mapping = Mapping::new(def("member", &["BookBorrowed"], None)).unwrap();
        assert!(mapping.is_source("member-3") && !mapping.is_source("book-3"));
        assert!(mapping.is_source("member") && mapping.is_source("member-3-b"));
        assert!(!mapping.is_source("members-3") && !mapping.is_source("mem"));
        assert!(mapping.is_work("BookBorrowed") && !mapping.is_work("BookAdded"));
        assert_eq!(mapping.needs, Needs::All);
    }

    #[test]
    fn the_retail_mapping_reads_as_it_is_written() {
        assert_eq!(
            Mapping::retail().to_string(),
            "source customer · work OrderShipped · link OrderPlaced.customer · needs address"
        );
    }
}
