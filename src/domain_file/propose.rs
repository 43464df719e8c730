//! A flows mapping read off a log that has no domain file: which streams
//! are the source's entities, which events are the consumer's moments of
//! work, and how each finds its entity.
//!
//! 1. Links: a top-level text field of an event's data whose value is the
//!    name of a stream of another category (`OrderPlaced.customer` =
//!    `customer-7`). The field that links most events names the source.
//! 2. Work: where the consumer copied the entity's data into its own
//!    events, the copy shows it: an event type of the linking streams whose
//!    field equals the same field of the entity as it was then (an
//!    `OrderShipped.address` that is the customer's address) is the work,
//!    found through the earlier linking event. Without such a copy, every
//!    event that carries the link is work.
//! 3. No links at all: the busiest category is the source, and the consumer
//!    keeps a copy of each entity, each change of it its work.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::{FlowsDef, Link};
use crate::event::Event;

/// A mapping and, for a person, why it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub mapping: FlowsDef,
    pub why: String,
}

/// The category of a stream: what comes before its first `-`.
pub fn category(stream: &str) -> &str {
    stream
        .split_once('-')
        .map_or(stream, |(category, _)| category)
}

/// Proposes a mapping for `events`, or None for an empty log.
pub fn propose<'a>(events: impl IntoIterator<Item = &'a Event> + Clone) -> Option<Proposal> {
    let streams: HashMap<&str, ()> = events
        .clone()
        .into_iter()
        .map(|e| (&*e.stream, ()))
        .collect();
    if streams.is_empty() {
        return None;
    }
    // (event type, field) -> (source category, linking category, count)
    let mut links: BTreeMap<(String, String), (String, String, usize)> = BTreeMap::new();
    let mut events_by_category: BTreeMap<&str, usize> = BTreeMap::new();
    for event in events.clone() {
        let own = category(&event.stream);
        *events_by_category.entry(own).or_default() += 1;
        let Ok(Value::Object(data)) = event.data.parse::<Value>() else {
            continue;
        };
        for (field, value) in &data {
            let Value::String(target) = value else {
                continue;
            };
            if streams.contains_key(target.as_str()) && category(target) != own {
                let entry = links
                    .entry((event.event_type.to_string(), field.clone()))
                    .or_insert_with(|| (category(target).to_owned(), own.to_owned(), 0));
                entry.2 += 1;
            }
        }
    }
    let best = links
        .iter()
        .max_by(|a, b| a.1.2.cmp(&b.1.2).then_with(|| b.0.cmp(a.0)))
        .map(|(key, value)| (key.clone(), value.clone()));
    let Some(((link_type, field), (source, linking, count))) = best else {
        let (&busiest, _) = events_by_category
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))?;
        let mut work: Vec<String> = events
            .into_iter()
            .filter(|e| category(&e.stream) == busiest)
            .map(|e| e.event_type.to_string())
            .collect();
        work.sort();
        work.dedup();
        return Some(Proposal {
            why: format!(
                "no event names a stream of another category, so the consumer keeps a copy of \
                 each `{busiest}` (the busiest category) and each change is its work"
            ),
            mapping: FlowsDef {
                source_category: busiest.to_owned(),
                work,
                link: None,
            },
        });
    };

    let copies = copying_types(events.clone(), &source, &linking, &link_type, &field);
    if !copies.is_empty() {
        let why = format!(
            "{count} `{link_type}` events name a `{source}` in `{field}`, and `{}` copies that \
             `{source}`'s data: work found through the earlier `{link_type}.{field}`",
            copies.join("`, `")
        );
        let link = if copies == [link_type.clone()] {
            Link::Field(field)
        } else {
            Link::Earlier {
                event_type: link_type,
                field,
            }
        };
        return Some(Proposal {
            why,
            mapping: FlowsDef {
                source_category: source,
                work: copies,
                link: Some(link),
            },
        });
    }
    let mut work: Vec<String> = links
        .iter()
        .filter(|((_, f), (s, _, _))| *f == field && *s == source)
        .map(|((t, _), _)| t.clone())
        .collect();
    work.sort();
    Some(Proposal {
        why: format!(
            "{count} `{link_type}` events name a `{source}` in `{field}`: every event that does \
             is the consumer's work"
        ),
        mapping: FlowsDef {
            source_category: source,
            work,
            link: Some(Link::Field(field)),
        },
    })
}

/// Event types of `linking` streams, after a `link_type` that named their
/// entity, whose data holds a field equal to the same field of that entity
/// as it was then, in at least half their occurrences.
fn copying_types<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    source: &str,
    linking: &str,
    link_type: &str,
    field: &str,
) -> Vec<String> {
    let mut entities: HashMap<String, Map<String, Value>> = HashMap::new();
    let mut linked: HashMap<String, String> = HashMap::new();
    // event type -> (occurrences after a link, of which copies)
    let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for event in events {
        let Ok(Value::Object(data)) = event.data.parse::<Value>() else {
            continue;
        };
        let own = category(&event.stream);
        if own == source {
            let entity = entities.entry(event.stream.to_string()).or_default();
            for (key, value) in data {
                entity.insert(key, value);
            }
            continue;
        }
        if own != linking {
            continue;
        }
        if *event.event_type == *link_type {
            if let Some(Value::String(target)) = data.get(field) {
                linked.insert(event.stream.to_string(), target.clone());
            }
            continue;
        }
        let Some(entity) = linked.get(&*event.stream).and_then(|t| entities.get(t)) else {
            continue;
        };
        let copies = data
            .iter()
            .any(|(key, value)| !value.is_null() && entity.get(key) == Some(value));
        let counts = seen.entry(event.event_type.to_string()).or_default();
        counts.0 += 1;
        counts.1 += usize::from(copies);
    }
    seen.into_iter()
        .filter(|(_, (all, copies))| *copies > 0 && copies * 2 >= *all)
        .map(|(event_type, _)| event_type)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(text: &str) -> Vec<Event> {
        crate::domain_file::testing::stored_jsonl(text)
    }

    #[test]
    fn retail_ships_to_the_customer_found_through_the_order() {
        // The mapping the built-in simulation has always used.
        let events = sample(include_str!("../../sample-data/retail.jsonl"));
        let proposal = propose(&events).unwrap();
        assert_eq!(
            proposal.mapping,
            FlowsDef {
                source_category: "customer".into(),
                work: vec!["OrderShipped".into()],
                link: Some(Link::Earlier {
                    event_type: "OrderPlaced".into(),
                    field: "customer".into()
                }),
            },
            "{}",
            proposal.why
        );
    }

    #[test]
    fn library_loans_name_their_member() {
        let events = sample(include_str!("../../sample-data/library.jsonl"));
        let proposal = propose(&events).unwrap();
        assert_eq!(
            proposal.mapping.source_category, "member",
            "{}",
            proposal.why
        );
        assert_eq!(proposal.mapping.link, Some(Link::Field("member".into())));
        assert_eq!(
            proposal.mapping.work,
            ["BookBorrowed", "BookReserved", "BookReturned"]
        );
    }

    #[test]
    fn a_bank_without_links_copies_each_account() {
        let events = sample(include_str!("../../sample-data/bank.jsonl"));
        let proposal = propose(&events).unwrap();
        assert_eq!(proposal.mapping.source_category, "account");
        assert_eq!(proposal.mapping.link, None);
        assert_eq!(
            proposal.mapping.work,
            [
                "AccountClosed",
                "AccountOpened",
                "MoneyDeposited",
                "MoneyWithdrawn"
            ]
        );
        assert!(proposal.why.contains("no event names"), "{}", proposal.why);
    }

    #[test]
    fn an_empty_log_has_no_proposal() {
        assert_eq!(propose(&[]), None);
        assert_eq!(category("order-7"), "order");
        assert_eq!(category("ledger"), "ledger");
    }
}
