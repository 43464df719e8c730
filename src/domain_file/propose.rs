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
//!    found through the earlier linking event, and the copied fields are
//!    what the work needs. Without such a copy, every event that carries
//!    the link is work.
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

/// (event type, field) of events whose field names a stream of another
/// category.
type LinkKey = (String, String);
/// (the named streams' category, the naming streams' category, how many).
type LinkSeen = (String, String, usize);
type Links = BTreeMap<LinkKey, LinkSeen>;

/// Proposes a mapping for `events`, or None for an empty log: the first of
/// [`candidates`].
pub fn propose<'a>(events: impl IntoIterator<Item = &'a Event> + Clone) -> Option<Proposal> {
    candidates(events).into_iter().next()
}

/// Every mapping the log suggests, the likeliest first: the link that
/// links most events, then each other link, then a copy of each category's
/// entities without a link (the busiest category first). Empty for an
/// empty log.
pub fn candidates<'a>(events: impl IntoIterator<Item = &'a Event> + Clone) -> Vec<Proposal> {
    let streams: HashMap<&str, ()> = events
        .clone()
        .into_iter()
        .map(|e| (&*e.stream, ()))
        .collect();
    let mut links: Links = BTreeMap::new();
    // category -> (events, event types)
    let mut categories: BTreeMap<&str, (usize, Vec<String>)> = BTreeMap::new();
    for event in events.clone() {
        let own = category(&event.stream);
        let entry = categories.entry(own).or_default();
        entry.0 += 1;
        if !entry.1.iter().any(|t| **t == *event.event_type) {
            entry.1.push(event.event_type.to_string());
        }
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
    let mut ranked: Vec<(&LinkKey, &LinkSeen)> = links.iter().collect();
    ranked.sort_by(|a, b| b.1.2.cmp(&a.1.2).then_with(|| a.0.cmp(b.0)));

    let mut out: Vec<Proposal> = Vec::new();
    if let Some(((link_type, field), (source, linking, count))) = ranked.first() {
        out.push(best_link(
            events.clone(),
            link_type,
            field,
            source,
            linking,
            *count,
            &links,
        ));
    }
    for ((link_type, field), (source, _, count)) in ranked.iter().skip(1) {
        out.push(field_link(link_type, field, source, *count, &links));
    }
    let mut busiest: Vec<(&&str, &(usize, Vec<String>))> = categories.iter().collect();
    busiest.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.cmp(b.0)));
    for (index, (&name, (_, types))) in busiest.into_iter().enumerate() {
        let mut work = types.clone();
        work.sort();
        let why = if links.is_empty() && index == 0 {
            format!(
                "no event names a stream of another category, so the consumer keeps a copy of \
                 each `{name}` (the busiest category) and each change is its work"
            )
        } else {
            format!("the consumer keeps a copy of each `{name}` and each change is its work")
        };
        out.push(Proposal {
            why,
            mapping: FlowsDef {
                source_category: name.to_owned(),
                work,
                link: None,
                needs: Vec::new(),
            },
        });
    }
    let mut seen: Vec<FlowsDef> = Vec::new();
    out.retain(|p| {
        let fresh = !seen.contains(&p.mapping);
        seen.push(p.mapping.clone());
        fresh
    });
    out
}

/// The mapping of the link that links most events: its work is where the
/// consumer copied the entity's data, found through the linking event, and
/// it needs what was copied; else every event that carries the link.
fn best_link<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    link_type: &str,
    field: &str,
    source: &str,
    linking: &str,
    count: usize,
    links: &Links,
) -> Proposal {
    let (copies, copied) = copying_types(events, source, linking, link_type, field);
    if copies.is_empty() {
        return field_link(link_type, field, source, count, links);
    }
    let why = format!(
        "{count} `{link_type}` events name a `{source}` in `{field}`, and `{}` copies that \
         `{source}`'s `{}`: work found through the earlier `{link_type}.{field}`",
        copies.join("`, `"),
        copied.join("`, `")
    );
    let link = if copies == [link_type.to_owned()] {
        Link::Field(field.to_owned())
    } else {
        Link::Earlier {
            event_type: link_type.to_owned(),
            field: field.to_owned(),
        }
    };
    Proposal {
        why,
        mapping: FlowsDef {
            source_category: source.to_owned(),
            work: copies,
            link: Some(link),
            needs: copied,
        },
    }
}

/// Every event type whose `field` names a `source`, as the work.
fn field_link(link_type: &str, field: &str, source: &str, count: usize, links: &Links) -> Proposal {
    let mut work: Vec<String> = links
        .iter()
        .filter(|((_, f), (s, _, _))| f == field && s == source)
        .map(|((t, _), _)| t.clone())
        .collect();
    work.sort();
    Proposal {
        why: format!(
            "{count} `{link_type}` events name a `{source}` in `{field}`: every event that does \
             is the consumer's work"
        ),
        mapping: FlowsDef {
            source_category: source.to_owned(),
            work,
            link: Some(Link::Field(field.to_owned())),
            needs: Vec::new(),
        },
    }
}

/// Event types of `linking` streams, after a `link_type` that named their
/// entity, whose data holds a field equal to the same field of that entity
/// as it was then, in at least half their occurrences; and the fields they
/// copied.
fn copying_types<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    source: &str,
    linking: &str,
    link_type: &str,
    field: &str,
) -> (Vec<String>, Vec<String>) {
    let mut entities: HashMap<String, Map<String, Value>> = HashMap::new();
    let mut linked: HashMap<String, String> = HashMap::new();
    // event type -> (occurrences after a link, of which copies, fields copied)
    let mut seen: BTreeMap<String, (usize, usize, Vec<String>)> = BTreeMap::new();
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
        let counts = seen.entry(event.event_type.to_string()).or_default();
        counts.0 += 1;
        let mut copied = false;
        for (key, value) in &data {
            if !value.is_null() && entity.get(key) == Some(value) {
                copied = true;
                if !counts.2.contains(key) {
                    counts.2.push(key.clone());
                }
            }
        }
        counts.1 += usize::from(copied);
    }
    let mut types = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    for (event_type, (all, copies, copied)) in seen {
        if copies > 0 && copies * 2 >= all {
            types.push(event_type);
            for key in copied {
                if !fields.contains(&key) {
                    fields.push(key);
                }
            }
        }
    }
    fields.sort();
    (types, fields)
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
                needs: vec!["address".into()],
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
    fn the_candidates_start_with_the_proposal_and_offer_each_category() {
        let events = sample(include_str!("../../sample-data/library.jsonl"));
        let all = candidates(&events);
        assert_eq!(Some(&all[0]), propose(&events).as_ref());
        let sources: Vec<&str> = all
            .iter()
            .filter(|p| p.mapping.link.is_none())
            .map(|p| p.mapping.source_category.as_str())
            .collect();
        assert!(
            sources.contains(&"member") && sources.contains(&"book"),
            "{sources:?}"
        );
        for (i, proposal) in all.iter().enumerate() {
            assert!(all[..i].iter().all(|p| p.mapping != proposal.mapping));
        }
    }

    #[test]
    fn an_empty_log_has_no_proposal() {
        assert_eq!(propose(&[]), None);
        assert_eq!(category("order-7"), "order");
        assert_eq!(category("ledger"), "ledger");
    }
}
