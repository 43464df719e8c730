//! The library sample, from its domain file alone, and domain files that
//! are wrong in every way a person can make them wrong.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::*;
use crate::event::Event;
use crate::format::{Format, read_events};

const LIBRARY: &str = include_str!("../../sample-data/library.domain.toml");
const LIBRARY_LOG: &str = include_str!("../../sample-data/library.jsonl");

fn library() -> Domain {
    parse(LIBRARY, "library.domain.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// The sample log as the store would hold it: seqs in file order,
/// versions per stream.
fn library_events() -> Vec<Event> {
    let mut events = Vec::new();
    let mut versions: HashMap<String, u64> = HashMap::new();
    read_events(LIBRARY_LOG.as_bytes(), Format::Native, |new| {
        let version = versions.entry(new.stream.clone()).or_default();
        *version += 1;
        let seq = events.len() as u64 + 1;
        events.push(Event::stored(new, seq, *version));
        Ok::<(), ()>(())
    })
    .expect("the sample reads");
    events
}

fn projection<'a>(domain: &'a Domain, name: &str) -> &'a ProjectionDef {
    domain
        .projections
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no projection {name}"))
}

/// The state of a fold after the events up to and including `seq`.
fn state_at(fold: &Fold, events: &[Event], seq: u64) -> Value {
    let mut state = fold.init();
    for event in events.iter().take_while(|e| e.seq <= seq) {
        state = fold.apply(state, event).unwrap_or_else(|e| panic!("{e}"));
    }
    crate::jq::to_json(&state).expect("JSON")
}

#[test]
fn the_library_file_compiles_whole() {
    let domain = library();
    assert_eq!(domain.name, "library");
    let names: Vec<_> = domain.projections.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["catalogue", "members", "on-loan"]);
    assert_eq!(domain.commands.len(), 8);
    assert_eq!(domain.policies.len(), 1);
    let flows = domain.flows.as_ref().unwrap();
    assert_eq!(flows.source_category, "member");
    assert_eq!(flows.link, Some(Link::Field("member".into())));
}

#[test]
fn on_loan_at_chosen_seqs() {
    let domain = library();
    let fold = &projection(&domain, "on-loan").fold;
    let events = library_events();
    assert_eq!(state_at(&fold, &events, 11), json!({}));
    // Seq 14: Middlemarch, Dune and Things Fall Apart are out.
    assert_eq!(
        state_at(fold, &events, 14),
        json!({
            "book-1": {"member": "member-1", "due": "2024-05-20"},
            "book-4": {"member": "member-2", "due": "2024-05-20"},
            "book-2": {"member": "member-3", "due": "2024-05-21"},
        })
    );
    // Seq 21: Dune came back (20) and went straight to Yuki, who had
    // reserved it (15).
    let at_21 = state_at(fold, &events, 21);
    assert_eq!(
        at_21["book-4"],
        json!({"member": "member-3", "due": "2024-06-02"})
    );
    assert!(at_21.get("book-2").is_none(), "returned at seq 18");
    // The end: Dune (member-3), Things Fall Apart (member-5), Middlemarch
    // (member-2), Invisible Cities (member-4).
    let end = state_at(fold, &events, u64::MAX);
    let mut out: Vec<_> = end
        .as_object()
        .unwrap()
        .iter()
        .map(|(book, loan)| format!("{book}:{}", loan["member"].as_str().unwrap()))
        .collect();
    out.sort();
    assert_eq!(
        out,
        [
            "book-1:member-2",
            "book-2:member-5",
            "book-4:member-3",
            "book-5:member-4"
        ]
    );
}

#[test]
fn members_at_chosen_seqs() {
    let domain = library();
    let fold = &projection(&domain, "members").fold;
    let events = library_events();
    // Yuki (member-3): joined at 9, new address at 16, borrowed at 14, 17, 21.
    let at_17 = state_at(fold, &events, 17);
    assert_eq!(
        at_17["member-3"],
        json!({"name": "Yuki Tanaka", "email": "yuki.tanaka@example.net", "loans": 2, "owed": 0})
    );
    // Rosalind (member-1): fined 60 at seq 24, paid at 25.
    assert_eq!(state_at(fold, &events, 24)["member-1"]["owed"], json!(60));
    assert_eq!(state_at(fold, &events, 25)["member-1"]["owed"], json!(0));
    let end = state_at(fold, &events, u64::MAX);
    assert_eq!(end["member-3"]["owed"], json!(80));
    assert_eq!(end["member-3"]["loans"], json!(3));
    assert_eq!(end["member-4"]["owed"], json!(20));
    assert_eq!(end["member-2"]["email"], json!("kwame.mensah@example.com"));
}

#[test]
fn the_reducer_style_catalogue() {
    let domain = library();
    let fold = &projection(&domain, "catalogue").fold;
    assert!(fold.event_types().is_none(), "a reducer reads every event");
    let events = library_events();
    let end = state_at(fold, &events, u64::MAX);
    assert_eq!(end["book-6"]["withdrawn"], json!("water damage"));
    assert_eq!(end["book-4"]["borrowed"], json!(2));
    assert_eq!(
        end["book-1"],
        json!({"title": "Middlemarch", "author": "George Eliot", "borrowed": 2})
    );
}

#[test]
fn a_when_fold_names_the_types_it_reads() {
    let domain = library();
    let fold = &projection(&domain, "on-loan").fold;
    assert_eq!(
        fold.event_types(),
        Some(vec!["BookBorrowed", "BookReturned"])
    );
    assert!(fold.reads("BookBorrowed") && !fold.reads("MemberJoined"));
}

#[test]
fn versions_follow_the_text() {
    let a = parse("name = 'x'\n[projections.p]\nwhen.A = '.n += 1'\n", "f").unwrap();
    let b = parse("name = 'x'\n[projections.p]\nwhen.A = '.n += 2'\n", "f").unwrap();
    let c = parse("name = 'y'\n[projections.p]\nwhen.A = '.n += 1'\n", "f").unwrap();
    let version = |d: &Domain| d.projections[0].fold.version();
    assert_ne!(version(&a), version(&b));
    assert_eq!(version(&a), version(&c));
}

fn error_of(text: &str) -> DomainError {
    match parse(text, "bad.domain.toml") {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(error) => error,
    }
}

#[test]
fn a_jq_syntax_error_names_file_line_and_column() {
    let error = error_of("name = 'x'\n\n[projections.p]\nwhen.A = '.n += | 1'\n");
    assert_eq!((error.line, error.column), (4, 17), "{error}");
    assert_eq!(error.place, "projection `p`, when `A`");
    assert!(
        error
            .to_string()
            .starts_with("bad.domain.toml:4:17: projection `p`, when `A`: expected"),
        "{error}"
    );
}

#[test]
fn a_jq_error_in_a_multi_line_expression_is_placed_in_the_file() {
    let text = "name = 'x'\n[projections.p]\nreduce = '''\n. as $s\n| $s + + 1\n'''\n";
    let error = error_of(text);
    assert_eq!(error.line, 5, "{error}");
    assert_eq!(error.place, "projection `p`, reduce");
}

#[test]
fn a_toml_error_names_its_place() {
    let error = error_of("name = 'x'\n[projections.p\n");
    assert_eq!(error.line, 2, "{error}");
    assert!(error.place.is_empty());
}

#[test]
fn unknown_fields_are_refused_where_they_are() {
    let error = error_of("name = 'x'\n[projections.p]\nwhen.A = '.'\ncolour = 'blue'\n");
    assert_eq!(error.line, 4, "{error}");
    assert!(error.message.contains("colour"), "{error}");
}

#[test]
fn an_unknown_variable_is_named() {
    let error = error_of("name = 'x'\n[projections.p]\nwhen.A = '.n = $evnt.seq'\n");
    assert!(error.message.contains("$evnt"), "{error}");
    assert_eq!((error.line, error.column), (3, 16), "{error}");
}

#[test]
fn reduce_and_when_together_are_refused() {
    let error = error_of("name = 'x'\n[projections.p]\nreduce = '.'\nwhen.A = '.'\n");
    assert!(error.message.contains("either"), "{error}");
}

#[test]
fn a_bad_field_kind_and_an_unknown_policy_command_are_named() {
    let error =
        error_of("name = 'x'\n[commands.C]\nstream = 's'\nfields = { n = 'colour' }\nemit = []\n");
    assert_eq!(error.place, "command `C`, field `n`", "{error}");
    let error = error_of(
        "name = 'x'\n[[policies]]\nname = 'p'\nwhen = 'A'\nthen = 'Nope'\nstream = '.stream'\ndata = '{}'\n",
    );
    assert!(error.message.contains("`Nope`"), "{error}");
}

#[test]
fn a_step_that_fails_names_the_expression_and_the_event() {
    let domain = parse(
        "name = 'x'\n[projections.p]\nwhen.BookAdded = '.n -= $event.data.title'\n",
        "f.toml",
    )
    .unwrap();
    let fold = &domain.projections[0].fold;
    let events = library_events();
    let mut state = fold.init();
    let mut failure = None;
    for event in &events {
        match fold.apply(state.clone(), event) {
            Ok(next) => state = next,
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    let failure = failure.expect("taking a title from null fails");
    assert_eq!(failure.seq, 1);
    assert_eq!(failure.place, "f.toml:3:19");
    assert_eq!(failure.event_type, "BookAdded");
    assert!(
        failure
            .to_string()
            .starts_with("f.toml:3:19: at seq 1 (BookAdded): "),
        "{failure}"
    );
}
