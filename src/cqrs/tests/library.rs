//! A domain file's commands and policies through the real handler: the
//! library sample, from its domain file alone. Given the sample's log (or
//! a log built on it), when a command in either form, then the file's
//! events with their data, or its rule's reason and nothing written.

use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};

use super::harness::now;
use crate::cqrs::{
    Command, CommandError, CommandHandler, EventStore, HandleError, Handled, MemoryStore, Origin,
    Rejection, StepOutcome, catalogue, command_specs, domain_command_specs,
};
use crate::domain_file::{self, DecideError, Domain};
use crate::event::{Event, Json, NewEvent, Timestamp};

fn sample(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name)
}

fn library() -> Arc<Domain> {
    Arc::new(domain_file::load(&sample("library.domain.toml")).unwrap())
}

/// The sample log as imported: ids, times and metadata kept.
fn imported() -> MemoryStore {
    let text = std::fs::read_to_string(sample("library.jsonl")).unwrap();
    let batch = text
        .lines()
        .map(|line| {
            let event: Value = serde_json::from_str(line).unwrap();
            let text = |key: &str| event[key].as_str().unwrap().to_owned();
            let time = Timestamp::parse_rfc3339(&text("time")).unwrap();
            NewEvent::new(
                text("stream"),
                text("type"),
                time,
                Json::from_value(&event["data"]),
            )
            .with_id(text("id"))
            .with_metadata(Json::from_value(&event["metadata"]))
        })
        .collect();
    let store = MemoryStore::new();
    store.append(batch).unwrap();
    store
}

/// The library's log as imported, and its domain.
struct Library {
    domain: Arc<Domain>,
    store: MemoryStore,
}

fn given_the_sample() -> Library {
    Library {
        domain: library(),
        store: imported(),
    }
}

impl Library {
    fn read(&self, text: &str) -> Result<Command, CommandError> {
        Command::parse_in(text, Some(&self.domain))
    }

    fn handle(&self, command: Command, with_policies: bool) -> Result<Handled, HandleError> {
        CommandHandler::new(&self.store, now())
            .with_domain(self.domain.clone())
            .handle(command, with_policies)
    }

    fn when(self, text: &str) -> When {
        self.when_policies(text, false)
    }

    fn when_policies(self, text: &str, with_policies: bool) -> When {
        let command = self.read(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let logged_before = self.store.len().unwrap();
        let handled = self.handle(command, with_policies).unwrap();
        When {
            library: self,
            logged_before,
            text: text.to_owned(),
            handled,
        }
    }
}

struct When {
    library: Library,
    logged_before: usize,
    text: String,
    handled: Handled,
}

impl When {
    /// The command wrote exactly `expected` (type, data) on its stream,
    /// right after the stream's earlier events.
    fn then_events(self, expected: &[(&str, Value)]) -> When {
        let step = &self.handled.steps[0];
        let StepOutcome::Accepted { events, .. } = &step.outcome else {
            panic!("{} was not accepted: {:?}", self.text, step.outcome);
        };
        let written: Vec<(&str, Value)> = events
            .iter()
            .map(|e| (&*e.event_type, e.data.value()))
            .collect();
        let expected: Vec<(&str, Value)> = expected.to_vec();
        assert_eq!(written, expected, "{}", self.text);
        for (offset, event) in events.iter().enumerate() {
            assert_eq!(*event.stream, step.command.stream);
            assert_eq!(event.version, step.version() + 1 + offset as u64);
        }
        assert_eq!(
            self.library.store.len().unwrap(),
            self.logged_before + expected.len()
        );
        self
    }

    /// The file's rule refused the command with `reason`; nothing written.
    fn then_rejected(self, reason: &str) -> When {
        let step = &self.handled.steps[0];
        assert_eq!(
            self.handled.rejection(),
            Some(&Rejection::Rule {
                stream: step.command.stream.clone(),
                command: step.command.name().to_owned(),
                reason: reason.to_owned(),
            }),
            "{}",
            self.text
        );
        assert_eq!(self.handled.rejection().unwrap().to_string(), reason);
        assert_eq!(self.library.store.len().unwrap(), self.logged_before);
        self
    }

    fn and(self) -> Library {
        self.library
    }
}

#[test]
fn each_command_of_the_file_becomes_its_events() {
    let cases: [(&str, &str, Value); 8] = [
        (
            r#"AddBook book-7 title="Beloved" author="Toni Morrison""#,
            "BookAdded",
            json!({"title": "Beloved", "author": "Toni Morrison"}),
        ),
        (
            "BorrowBook book-3 member=member-1 due=2024-06-20",
            "BookBorrowed",
            json!({"member": "member-1", "due": "2024-06-20"}),
        ),
        (
            "ReturnBook book-2 days_late=0",
            "BookReturned",
            json!({"member": "member-5", "days_late": 0}),
        ),
        (
            "ReserveBook book-1 member=member-3",
            "BookReserved",
            json!({"member": "member-3"}),
        ),
        (
            "JoinLibrary member-6 name=\"Ada Lovelace\" email=ada@example.org",
            "MemberJoined",
            json!({"name": "Ada Lovelace", "email": "ada@example.org"}),
        ),
        (
            "ChangeMemberEmail member-1 email=rosalind@example.net",
            "MemberEmailChanged",
            json!({"email": "rosalind@example.net"}),
        ),
        (
            "ChargeFine member-1 amount=20 book=book-1",
            "FineCharged",
            json!({"amount": 20, "book": "book-1"}),
        ),
        (
            "PayFine member-3 amount=50",
            "FinePaid",
            json!({"amount": 50}),
        ),
    ];
    for (command, event_type, data) in cases {
        given_the_sample()
            .when(command)
            .then_events(&[(event_type, data)]);
    }
}

#[test]
fn the_json_form_is_read_by_the_files_fields_too() {
    let when = given_the_sample().when(
        r#"{"type":"BorrowBook","stream":"book-3","data":{"member":"member-1","due":"2024-06-20"},"expected_version":3}"#,
    );
    let step = &when.handled.steps[0];
    assert_eq!(step.streams_read, [("book-3".to_string(), 3)]);
    assert_eq!(step.before["status"], "on the shelf");
    assert_eq!(step.after()["status"], "on loan");
    assert_eq!(step.after()["borrower"], "member-1");
    when.then_events(&[(
        "BookBorrowed",
        json!({"member": "member-1", "due": "2024-06-20"}),
    )]);
}

#[test]
fn borrowing_is_refused_by_each_rule_of_the_file() {
    let library = given_the_sample()
        .when("BorrowBook book-1 member=member-1 due=2024-06-20")
        .then_rejected("book-1 is on loan to member-2")
        .and()
        .when("BorrowBook book-6 member=member-1 due=2024-06-20")
        .then_rejected("book-6 was withdrawn (water damage)")
        .and()
        .when("BorrowBook book-9 member=member-1 due=2024-06-20")
        .then_rejected("there is no book book-9")
        .and();
    // Reserved for member-3 while out, then back on the shelf: only
    // member-3 may take it.
    library
        .when("ReserveBook book-1 member=member-3")
        .then_events(&[("BookReserved", json!({"member": "member-3"}))])
        .and()
        .when("ReturnBook book-1 days_late=0")
        .and()
        .when("BorrowBook book-1 member=member-1 due=2024-06-20")
        .then_rejected("book-1 is reserved for member-3")
        .and()
        .when("BorrowBook book-1 member=member-3 due=2024-06-20")
        .then_events(&[(
            "BookBorrowed",
            json!({"member": "member-3", "due": "2024-06-20"}),
        )]);
}

#[test]
fn the_other_commands_are_refused_by_their_rules() {
    let cases = [
        ("ReturnBook book-3 days_late=0", "book-3 is not on loan"),
        (
            "ReserveBook book-3 member=member-1",
            "book-3 is on the shelf: borrow it instead",
        ),
        (
            "JoinLibrary member-1 name=Rosalind email=r@example.org",
            "member-1 is already a member",
        ),
        ("PayFine member-3 amount=100", "member-3 owes only 80 cents"),
        ("PayFine member-1 amount=10", "member-1 owes nothing"),
    ];
    for (command, reason) in cases {
        given_the_sample().when(command).then_rejected(reason);
    }
}

#[test]
fn a_stale_expected_version_is_a_conflict_in_both_forms() {
    for command in [
        "BorrowBook book-3 member=member-1 due=2024-06-20 expected_version=2",
        r#"{"type":"BorrowBook","stream":"book-3","data":{"member":"member-1","due":"2024-06-20"},"expected_version":2}"#,
    ] {
        let when = given_the_sample().when(command);
        assert_eq!(
            when.handled.steps[0].outcome,
            StepOutcome::Conflict {
                stream: "book-3".into(),
                expected: 2,
                actual: 3
            },
            "{command}"
        );
        assert_eq!(
            when.handled.refusal().unwrap().to_string(),
            "conflict: book-3 is at version 3, not 2; nothing written"
        );
        assert_eq!(when.library.store.len().unwrap(), when.logged_before);
    }
}

#[test]
fn a_late_return_charges_the_borrower_in_the_same_flow() {
    let when = given_the_sample().when_policies("ReturnBook book-1 days_late=2", true);
    let events: Vec<&Event> = when.handled.events().collect();
    let types: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (&*e.stream, &*e.event_type))
        .collect();
    assert_eq!(
        types,
        [("book-1", "BookReturned"), ("member-2", "FineCharged")]
    );
    let (returned, fined) = (events[0], events[1]);
    assert_eq!(fined.data.value(), json!({"amount": 40, "book": "book-1"}));
    assert_eq!(fined.causation_id(), Some(returned.id.clone()));
    assert_eq!(
        returned.causation_id(),
        Some(when.handled.steps[0].command_id.clone())
    );
    assert!(returned.correlation_id().is_some());
    assert_eq!(fined.correlation_id(), returned.correlation_id());
    assert_eq!(
        when.handled.steps[1].command.origin,
        Origin::Policy {
            policy: "fines",
            event_id: returned.id.clone()
        }
    );
    // member-2 had joined at version 1 and changed e-mail at 2.
    assert_eq!(fined.version, 3);
    assert_eq!(when.handled.steps[1].streams_read, [("member-2".into(), 2)]);
}

#[test]
fn a_return_on_time_charges_nothing_and_keeps_a_given_correlation_id() {
    let when = given_the_sample()
        .when_policies("ReturnBook book-1 days_late=0 correlation_id=desk-7", true);
    assert_eq!(when.handled.steps.len(), 1);
    let events: Vec<&Event> = when.handled.events().collect();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].correlation_id().as_deref(), Some("desk-7"));

    let when = given_the_sample()
        .when_policies("ReturnBook book-1 days_late=3 correlation_id=desk-8", true);
    for event in when.handled.events() {
        assert_eq!(event.correlation_id().as_deref(), Some("desk-8"));
    }
    assert_eq!(when.handled.events().count(), 2);
}

#[test]
fn a_command_that_does_not_fit_its_file_is_one_clear_line() {
    let library = given_the_sample();
    let cases = [
        (
            "BorrowBook member-1 member=member-1 due=x",
            "BorrowBook targets book-<id> streams, not `member-1`",
        ),
        (
            "BorrowBook book-3 member=member-1",
            "BorrowBook needs `due`",
        ),
        (
            "ReturnBook book-3 days_late=1 fee=2",
            "ReturnBook has no field `fee` (its fields: days_late, expected_version, id, correlation_id)",
        ),
        (
            "ReturnBook book-3 days_late=late",
            "`days_late` must be a number",
        ),
        (
            "PayFine member-3 amount=1.5",
            "`amount` must be a whole number of cents",
        ),
        (
            r#"{"type":"ReturnBook","stream":"book-3","data":{"days_late":1,"fee":2}}"#,
            "ReturnBook takes no field `fee`",
        ),
        (
            r#"{"type":"BorrowBook","stream":"book-3","data":{"member":"book-1","due":"x"}}"#,
            "`member` must name a member-<id> stream",
        ),
    ];
    for (command, message) in cases {
        let error = library.read(command).unwrap_err();
        assert_eq!(error.to_string(), message, "{command}");
        assert!(matches!(error, CommandError::Invalid(_)), "{command}");
    }
    let unknown = library.read("LendBook book-3").unwrap_err().to_string();
    assert!(
        unknown.starts_with("unknown command `LendBook` in the library domain; the known ones are AddBook, BorrowBook"),
        "{unknown}"
    );
    // Without the file, its commands are not known.
    assert_eq!(
        Command::parse("BorrowBook book-3 member=member-1 due=x"),
        Err(CommandError::UnknownCommand {
            name: "BorrowBook".into()
        })
    );
}

#[test]
fn a_command_built_in_code_is_checked_against_its_file_when_decided() {
    let library = given_the_sample();
    let command = library.read("ReturnBook book-3 days_late=1").unwrap();
    let command = Command {
        stream: "member-3".into(),
        ..command
    };
    let error = library.handle(command, false).unwrap_err();
    assert_eq!(
        error.to_string(),
        "ReturnBook targets book-<id> streams, not `member-3`"
    );
    assert_eq!(library.store.len().unwrap(), 34);
}

#[test]
fn the_short_form_of_a_file_command_reads_back_unchanged() {
    let library = given_the_sample();
    for text in [
        "BorrowBook book-3 member=member-1 due=2024-06-20 expected_version=3 id=c-1",
        r#"JoinLibrary member-6 name="Ada Lovelace" email=ada@example.org"#,
        "ReturnBook book-1 days_late=2.5",
    ] {
        let command = library.read(text).unwrap();
        assert_eq!(
            library.read(&command.to_short()).unwrap(),
            command,
            "{text}"
        );
        assert_eq!(
            Command::from_value_in(&command.to_json(), Some(&library.domain)).unwrap(),
            command
        );
    }
}

#[test]
fn an_expression_that_fails_at_run_time_names_its_place_and_writes_nothing() {
    let text = r#"name = "broken"

[commands.Touch]
stream = "thing"
fields = { note = "text" }
rules = [
  { reject_if = '$command.note | tonumber > 3', reason = '"too big"' },
]
emit = [{ type = "Touched", data = '{note: $command.note}' }]
"#;
    let domain = Arc::new(domain_file::parse(text, "broken.domain.toml").unwrap());
    let library = Library {
        domain,
        store: MemoryStore::new(),
    };
    let command = library.read("Touch thing-1 note=seven").unwrap();
    let error = library.handle(command, false).unwrap_err();
    let HandleError::Domain(DecideError::Expression { place, .. }) = &error else {
        panic!("not an expression error: {error:?}");
    };
    assert_eq!(place, "broken.domain.toml:7:18");
    let line = error.to_string();
    assert!(
        line.starts_with("broken.domain.toml:7:18: ") && !line.contains('\n'),
        "{line}"
    );
    assert!(library.store.is_empty().unwrap());
    // The same rule on a number it can read decides.
    let command = library.read("Touch thing-1 note=2").unwrap();
    assert!(library.handle(command, false).unwrap().is_accepted());
}

#[test]
fn the_catalogue_lists_the_files_commands_beside_the_built_in_ones() {
    let domain = library();
    let specs = domain_command_specs(&domain);
    let borrow = specs.iter().find(|spec| spec.name == "BorrowBook").unwrap();
    assert_eq!(borrow.domain, "library");
    assert_eq!(borrow.stream_prefix, "book-");
    assert!(borrow.fits("book-3") && !borrow.fits("member-3"));
    let fields: Vec<(&str, &str)> = borrow
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.hint.as_str()))
        .collect();
    assert_eq!(fields, [("member", "member-<id>"), ("due", "<text>")]);
    assert_eq!(
        borrow.usage,
        "BorrowBook book-<id> member=member-<id> due=<text>"
    );
    assert!(
        specs
            .iter()
            .any(|spec| spec.name == "ChargeFine" && spec.issued_by_policy)
    );

    let builtins: Vec<String> = command_specs().iter().map(|s| s.usage()).collect();
    let without: Vec<String> = catalogue(None).into_iter().map(|e| e.usage).collect();
    assert_eq!(without, builtins);
    let with: Vec<String> = catalogue(Some(&domain))
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(with.len(), specs.len() + builtins.len());
    assert_eq!(
        with[..specs.len()],
        specs.iter().map(|s| s.name.clone()).collect::<Vec<_>>()
    );
    assert_eq!(with.last().map(String::as_str), Some("CloseAccount"));
}

#[test]
fn a_write_model_or_a_policy_that_fails_names_its_place() {
    let text = r#"name = "broken"

[commands.Touch]
stream = "thing"
fields = { note = "text" }
model.when.Touched = '.count += ($event.data.note | tonumber)'
emit = [{ type = "Touched", data = '{note: $command.note}' }]

[[policies]]
name = "echo"
when = "Touched"
then = "Touch"
stream = '$event.stream'
data = '{note: ($event.data.note | tonumber | ascii_downcase)}'
"#;
    let library = Library {
        domain: Arc::new(domain_file::parse(text, "broken.domain.toml").unwrap()),
        store: MemoryStore::new(),
    };
    // The command's own event does not fit its write model: not written.
    let command = library.read("Touch thing-1 note=seven").unwrap();
    let error = library.handle(command, true).unwrap_err().to_string();
    assert!(
        error.starts_with(
            "broken.domain.toml:6:23: the write model cannot apply the Touched that Touch decides"
        ),
        "{error}"
    );
    assert!(library.store.is_empty().unwrap());
    // The policy's `data` fails: the command's own event stays written,
    // and the chain stops with the place.
    let command = library.read("Touch thing-1 note=2").unwrap();
    let handled = library.handle(command, true).unwrap();
    assert!(handled.is_accepted());
    let interrupted = handled.interrupted.as_deref().unwrap_or_default();
    assert!(
        interrupted.starts_with("broken.domain.toml:14:9: "),
        "{interrupted}"
    );
    assert_eq!(library.store.len().unwrap(), 1);
    // A stored event the write model cannot fold: the next command is not
    // judged at all, and nothing is written.
    let bad = NewEvent::new(
        "thing-1",
        "Touched",
        now(),
        Json::from_value(&json!({"note": "x"})),
    );
    library.store.append(vec![bad]).unwrap();
    let command = library.read("Touch thing-1 note=3").unwrap();
    let error = library.handle(command, false).unwrap_err().to_string();
    assert!(
        error.starts_with("the write model failed: broken.domain.toml:6:23: at seq 2 (Touched)"),
        "{error}"
    );
    assert_eq!(library.store.len().unwrap(), 2);
}
