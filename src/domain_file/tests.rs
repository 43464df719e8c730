//! The library sample, from its domain file alone, and domain files that
//! are wrong in every way a person can make them wrong.

use serde_json::{Value, json};

use super::*;
use crate::event::Event;

const LIBRARY: &str = include_str!("../../sample-data/library.domain.toml");
const LIBRARY_LOG: &str = include_str!("../../sample-data/library.jsonl");

fn library() -> Domain {
    parse(LIBRARY, "library.domain.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// The sample log as the store would hold it: seqs in file order,
/// versions per stream.
fn library_events() -> Vec<Event> {
    super::testing::stored_jsonl(LIBRARY_LOG)
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
    assert_eq!(flows.needs, ["email"]);
}

#[test]
fn on_loan_at_chosen_seqs() {
    let domain = library();
    let fold = &projection(&domain, "on-loan").fold;
    let events = library_events();
    assert_eq!(state_at(fold, &events, 11), json!({}));
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

fn command<'a>(domain: &'a Domain, name: &str) -> &'a CommandDef {
    domain
        .commands
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no command {name}"))
}

/// Judges `name` on `stream` with `data`, on the stream's history up to
/// `seq`.
fn judge(name: &str, stream: &str, data: Value, seq: u64) -> Result<Verdict, DecideError> {
    let domain = library();
    let command = command(&domain, name);
    let history: Vec<Event> = library_events()
        .into_iter()
        .filter(|e| &*e.stream == stream && e.seq <= seq)
        .collect();
    let model = command.model(&history)?;
    command.decide(&model, stream, &data)
}

fn rejected(verdict: Result<Verdict, DecideError>) -> String {
    match verdict {
        Ok(Verdict::Rejected(reason)) => reason,
        other => panic!("not rejected: {other:?}"),
    }
}

const END: u64 = u64::MAX;

#[test]
fn borrowing_follows_the_book() {
    let due = "2024-06-20";
    assert_eq!(
        judge(
            "BorrowBook",
            "book-3",
            json!({"member": "member-1", "due": due}),
            END
        ),
        Ok(Verdict::Accepted(vec![(
            "BookBorrowed".into(),
            json!({"member": "member-1", "due": due})
        )]))
    );
    let borrow = |book: &str, member: &str, seq| {
        judge(
            "BorrowBook",
            book,
            json!({"member": member, "due": due}),
            seq,
        )
    };
    assert_eq!(
        rejected(borrow("book-4", "member-1", END)),
        "book-4 is on loan to member-3"
    );
    assert_eq!(
        rejected(borrow("book-6", "member-1", END)),
        "book-6 was withdrawn (water damage)"
    );
    assert_eq!(
        rejected(borrow("book-9", "member-1", END)),
        "there is no book book-9"
    );
    // After seq 20 Dune is back on the shelf, but held for Yuki (seq 15).
    assert_eq!(
        rejected(borrow("book-4", "member-4", 20)),
        "book-4 is reserved for member-3"
    );
    assert!(matches!(
        borrow("book-4", "member-3", 20),
        Ok(Verdict::Accepted(_))
    ));
}

#[test]
fn returning_reserving_and_members() {
    assert_eq!(
        judge("ReturnBook", "book-1", json!({"days_late": 2}), END),
        Ok(Verdict::Accepted(vec![(
            "BookReturned".into(),
            json!({"member": "member-2", "days_late": 2})
        )]))
    );
    assert_eq!(
        rejected(judge("ReturnBook", "book-3", json!({"days_late": 0}), END)),
        "book-3 is not on loan"
    );
    assert_eq!(
        rejected(judge(
            "ReserveBook",
            "book-3",
            json!({"member": "member-1"}),
            END
        )),
        "book-3 is on the shelf: borrow it instead"
    );
    assert_eq!(
        rejected(judge(
            "ReserveBook",
            "book-1",
            json!({"member": "member-2"}),
            END
        )),
        "member-2 has book-1 already"
    );
    assert_eq!(
        rejected(judge(
            "JoinLibrary",
            "member-1",
            json!({"name": "R", "email": "r@x.org"}),
            END
        )),
        "member-1 is already a member"
    );
    assert!(matches!(
        judge(
            "JoinLibrary",
            "member-9",
            json!({"name": "Noor", "email": "noor@x.org"}),
            END
        ),
        Ok(Verdict::Accepted(_))
    ));
    assert_eq!(
        rejected(judge(
            "ChangeMemberEmail",
            "member-2",
            json!({"email": "kwame.mensah@example.com"}),
            END
        )),
        "member-2 has that address already"
    );
}

#[test]
fn a_book_is_added_once() {
    let data = json!({"title": "Beloved", "author": "Toni Morrison"});
    assert_eq!(
        judge("AddBook", "book-7", data.clone(), END),
        Ok(Verdict::Accepted(vec![("BookAdded".into(), data.clone())]))
    );
    assert_eq!(
        rejected(judge("AddBook", "book-1", data, END)),
        "book-1 is already in the catalogue"
    );
}

#[test]
fn fines_are_owed_and_paid() {
    assert_eq!(
        rejected(judge("PayFine", "member-3", json!({"amount": 100}), END)),
        "member-3 owes only 80 cents"
    );
    assert!(matches!(
        judge("PayFine", "member-3", json!({"amount": 80}), END),
        Ok(Verdict::Accepted(_))
    ));
    assert_eq!(
        rejected(judge("PayFine", "member-1", json!({"amount": 1}), END)),
        "member-1 owes nothing"
    );
}

#[test]
fn commands_that_do_not_fit_their_fields_are_invalid() {
    let invalid = |name: &str, stream: &str, data: Value| match judge(name, stream, data, END) {
        Err(DecideError::Invalid(why)) => why,
        other => panic!("not invalid: {other:?}"),
    };
    assert_eq!(
        invalid("BorrowBook", "book-3", json!({"member": "member-1"})),
        "BorrowBook needs `due`"
    );
    assert_eq!(
        invalid(
            "BorrowBook",
            "book-3",
            json!({"member": "book-1", "due": "x"})
        ),
        "`member` must name a member-<id> stream"
    );
    assert_eq!(
        invalid(
            "BorrowBook",
            "member-3",
            json!({"member": "member-1", "due": "x"})
        ),
        "BorrowBook targets book-<id> streams, not `member-3`"
    );
    assert_eq!(
        invalid("PayFine", "member-3", json!({"amount": 1, "tip": 2})),
        "PayFine takes no field `tip`"
    );
    assert_eq!(
        invalid("PayFine", "member-3", json!({"amount": 1.5})),
        "`amount` must be a whole number of cents"
    );
}

#[test]
fn a_rule_that_is_not_a_boolean_names_its_place() {
    let domain = parse(
        "name = 'x'\n[commands.C]\nstream = 's'\nrules = [{ reject_if = '\"yes\"', reason = '\"no\"' }]\nemit = []\n",
        "f.toml",
    )
    .unwrap();
    let command = &domain.commands[0];
    let model = command.model(&[]).unwrap();
    let error = command.decide(&model, "s-1", &json!({})).unwrap_err();
    assert_eq!(
        error.to_string(),
        "f.toml:4:25: reject_if must give true or false, gave \"yes\""
    );
}

#[test]
fn the_fines_policy_charges_late_returns_only() {
    let domain = library();
    let policy = &domain.policies[0];
    let events = library_events();
    let react = |seq: u64| policy.react(&events[seq as usize - 1]).unwrap();
    assert_eq!(
        react(23),
        Some(Reaction {
            policy: "fines".into(),
            command: "ChargeFine".into(),
            stream: "member-1".into(),
            data: json!({"amount": 60, "book": "book-1"}),
        })
    );
    assert_eq!(react(18), None, "on time");
    assert_eq!(react(12), None, "not a return");
}

#[test]
fn the_sample_log_keeps_the_policy() {
    // Every late return in the log is followed by the fine the policy
    // gives, caused by the return and in its flow; and every fine has such
    // a return.
    let domain = library();
    let policy = &domain.policies[0];
    let charge = command(&domain, "ChargeFine");
    let events = library_events();
    let mut fines = 0;
    for (at, event) in events.iter().enumerate() {
        let Some(reaction) = policy.react(event).unwrap() else {
            continue;
        };
        let fine = &events[at + 1];
        assert_eq!(&*fine.event_type, "FineCharged");
        assert_eq!(&*fine.stream, reaction.stream);
        assert_eq!(fine.data.value(), reaction.data);
        assert_eq!(fine.causation_id().as_deref(), Some(event.id.as_str()));
        assert_eq!(fine.correlation_id(), event.correlation_id());
        let history: Vec<Event> = events[..at]
            .iter()
            .filter(|e| *e.stream == *reaction.stream)
            .cloned()
            .collect();
        let model = charge.model(&history).unwrap();
        assert_eq!(
            charge.decide(&model, &reaction.stream, &reaction.data),
            Ok(Verdict::Accepted(vec![(
                "FineCharged".into(),
                reaction.data.clone()
            )]))
        );
        fines += 1;
    }
    let charged = events
        .iter()
        .filter(|e| &*e.event_type == "FineCharged")
        .count();
    assert_eq!((fines, charged), (3, 3));
}

#[test]
fn a_projection_may_not_take_a_built_in_name() {
    let error = error_of("name = 'x'\n\n[projections.types]\nwhen.A = '.'\n");
    assert_eq!(error.line, 3, "{error}");
    assert!(error.message.contains("built-in"), "{error}");
}
