//! Handling: expected versions, concurrent writers, ids, metadata and the
//! write model shown around a step.

use std::sync::Barrier;

use serde_json::json;

use super::fixtures::*;
use super::harness::{now, store_with};
use crate::cqrs::{
    AppendError, Command, CommandHandler, EventStore, HandleError, MemoryStore, StepOutcome,
};
use crate::event::{Event, NewEvent};

fn account_with_balance(balance: i64) -> MemoryStore {
    store_with(vec![
        ("account-3", opened("Ada")),
        ("account-3", deposited(balance)),
    ])
}

fn command(text: &str) -> Command {
    Command::parse(text).unwrap()
}

/// Makes both writers read before either appends.
struct ReadTogether<'a> {
    inner: &'a MemoryStore,
    barrier: Barrier,
}

impl EventStore for ReadTogether<'_> {
    fn read_stream(&self, stream: &str) -> anyhow::Result<Vec<Event>> {
        let events = self.inner.read_stream(stream)?;
        self.barrier.wait();
        Ok(events)
    }

    fn append(&self, events: Vec<NewEvent>) -> Result<Vec<Event>, AppendError> {
        self.inner.append(events)
    }
}

#[test]
fn two_writers_deciding_on_the_same_version_cannot_both_append() {
    // Each withdrawal alone is fine; both together would overdraw.
    let store = account_with_balance(100);
    let racing = ReadTogether {
        inner: &store,
        barrier: Barrier::new(2),
    };
    let outcomes: Vec<StepOutcome> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let handler = CommandHandler::new(&racing, now());
                    let handled = handler.handle(command("Withdraw account-3 amount=80"), false);
                    handled.unwrap().steps.remove(0).outcome
                })
            })
            .collect();
        writers.into_iter().map(|w| w.join().unwrap()).collect()
    });

    let accepted = outcomes
        .iter()
        .filter(|o| matches!(o, StepOutcome::Accepted { .. }))
        .count();
    let conflicts: Vec<&StepOutcome> = outcomes
        .iter()
        .filter(|o| matches!(o, StepOutcome::Conflict { .. }))
        .collect();
    assert_eq!(accepted, 1, "{outcomes:?}");
    assert_eq!(
        conflicts,
        [&StepOutcome::Conflict {
            stream: "account-3".into(),
            expected: 2,
            actual: 3
        }]
    );
    let events = store.read_stream("account-3").unwrap();
    assert_eq!(events.len(), 3, "exactly one withdrawal landed");
}

#[test]
fn a_stale_expected_version_conflicts_and_writes_nothing() {
    let store = account_with_balance(100);
    let handled = CommandHandler::new(&store, now())
        .handle(
            command("Deposit account-3 amount=5 expected_version=1"),
            true,
        )
        .unwrap();
    assert_eq!(handled.steps.len(), 1);
    assert_eq!(
        handled.steps[0].outcome,
        StepOutcome::Conflict {
            stream: "account-3".into(),
            expected: 1,
            actual: 2
        }
    );
    assert!(!handled.is_accepted());
    assert_eq!(store.len().unwrap(), 2);
}

/// Counts the appends it is asked for.
struct CountingAppends<'a> {
    inner: &'a MemoryStore,
    appends: std::cell::Cell<usize>,
}

impl EventStore for CountingAppends<'_> {
    fn read_stream(&self, stream: &str) -> anyhow::Result<Vec<Event>> {
        self.inner.read_stream(stream)
    }

    fn append(&self, events: Vec<NewEvent>) -> Result<Vec<Event>, AppendError> {
        self.appends.set(self.appends.get() + 1);
        self.inner.append(events)
    }
}

#[test]
fn a_stale_expected_version_is_refused_before_any_append() {
    let store = account_with_balance(100);
    let counting = CountingAppends {
        inner: &store,
        appends: std::cell::Cell::new(0),
    };
    let handler = CommandHandler::new(&counting, now());
    // Stale on an existing stream, and ahead on a stream that has no events.
    for (text, stream, expected, actual) in [
        (
            "Deposit account-3 amount=5 expected_version=1",
            "account-3",
            1,
            2,
        ),
        (
            "OpenAccount account-98 owner=X expected_version=5",
            "account-98",
            5,
            0,
        ),
    ] {
        let handled = handler.handle(command(text), true).unwrap();
        assert_eq!(
            handled.refusal().map(|r| r.to_string()),
            Some(format!(
                "conflict: {stream} is at version {actual}, not {expected}; nothing written"
            )),
            "{text}"
        );
        assert_eq!(handled.events().count(), 0);
    }
    assert_eq!(counting.appends.get(), 0, "the log was not asked to write");
    assert_eq!(store.len().unwrap(), 2);
}

#[test]
fn a_refusal_is_either_a_rejection_or_a_conflict_never_an_acceptance() {
    let store = account_with_balance(100);
    let handler = CommandHandler::new(&store, now());
    let accepted = handler
        .handle(command("Deposit account-3 amount=5"), false)
        .unwrap();
    assert_eq!(accepted.refusal(), None);
    let rejected = handler
        .handle(command("Withdraw account-3 amount=1000"), false)
        .unwrap();
    let refusal = rejected
        .refusal()
        .map(|r| r.to_string())
        .unwrap_or_default();
    assert!(refusal.starts_with("rejected: "), "{refusal}");
}

#[test]
fn the_expected_version_when_current_is_appended_against() {
    let store = account_with_balance(100);
    let handled = CommandHandler::new(&store, now())
        .handle(
            command("Deposit account-3 amount=5 expected_version=2"),
            false,
        )
        .unwrap();
    assert!(handled.is_accepted());
    let versions: Vec<u64> = handled.events().map(|e| e.version).collect();
    assert_eq!(versions, [3]);
}

#[test]
fn written_events_carry_ids_time_cause_and_flow() {
    let store = account_with_balance(100);
    let handler = CommandHandler::new(&store, now());

    let given_ids = command("Deposit account-3 amount=5 id=cmd-42 correlation_id=flow-1");
    let handled = handler.handle(given_ids, false).unwrap();
    let event = handled.events().next().unwrap();
    assert_eq!(event.id, "account-3/3");
    assert_eq!(event.time, Some(now()));
    assert_eq!(event.causation_id().as_deref(), Some("cmd-42"));
    assert_eq!(event.correlation_id().as_deref(), Some("flow-1"));
    assert_eq!(event.metadata_str("command").as_deref(), Some("Deposit"));

    // Without ids, the command's id is derived and starts its own flow.
    let handled = handler
        .handle(command("Deposit account-3 amount=5"), false)
        .unwrap();
    let step = &handled.steps[0];
    assert_eq!(step.command_id, "cmd:account-3/4");
    let event = handled.events().next().unwrap();
    assert_eq!(event.id, "account-3/4");
    assert_eq!(event.causation_id().as_deref(), Some("cmd:account-3/4"));
    assert_eq!(event.correlation_id().as_deref(), Some("cmd:account-3/4"));
}

#[test]
fn the_write_model_is_shown_before_and_after_the_step() {
    let store = account_with_balance(100);
    let handler = CommandHandler::new(&store, now());
    let handled = handler
        .handle(command("Deposit account-3 amount=500"), false)
        .unwrap();
    let step = &handled.steps[0];
    assert_eq!(step.streams_read, [("account-3".to_string(), 2)]);
    assert_eq!(
        step.before,
        json!({"owner": "Ada", "balance": 100, "closed": false})
    );
    assert_eq!(
        step.after(),
        &json!({"owner": "Ada", "balance": 600, "closed": false})
    );

    let new = handler
        .handle(command("OpenAccount account-4 owner=Bob"), false)
        .unwrap();
    assert_eq!(new.steps[0].before, json!(null));
    assert_eq!(new.steps[0].after()["owner"], "Bob");

    let refused = handler
        .handle(command("Withdraw account-3 amount=99999"), false)
        .unwrap();
    assert!(refused.rejection().is_some());
    assert_eq!(refused.steps[0].after(), &refused.steps[0].before);
}

#[test]
fn a_rejected_command_writes_nothing_even_with_policies_on() {
    let store = store_with(vec![
        ("customer-7", registered()),
        ("customer-7", deactivated("left")),
    ]);
    let before = store.events().unwrap();
    let handled = CommandHandler::new(&store, now())
        .handle(
            command("PlaceOrder order-5 customer=customer-7 item=BOOK:1:100"),
            true,
        )
        .unwrap();
    assert_eq!(
        handled.rejection().map(|r| r.to_string()).as_deref(),
        Some("customer-7 is deactivated: cannot place an order")
    );
    assert_eq!(handled.events().count(), 0);
    assert_eq!(store.events().unwrap(), before);
}

#[test]
fn a_batch_with_one_conflict_writes_none_of_its_events() {
    let store = account_with_balance(100);
    let event = |stream: &str, version| {
        NewEvent::new(
            stream,
            "MoneyDeposited",
            now(),
            deposited(1).to_json().unwrap(),
        )
        .expecting_version(version)
    };
    let result = store.append(vec![event("account-9", 1), event("account-3", 2)]);
    assert!(matches!(
        result,
        Err(AppendError::Conflict { ref stream, expected: 1, actual: 2 }) if stream == "account-3"
    ));
    assert!(store.read_stream("account-9").unwrap().is_empty());
    assert_eq!(store.len().unwrap(), 2);
}

struct Unreadable;

impl EventStore for Unreadable {
    fn read_stream(&self, _stream: &str) -> anyhow::Result<Vec<Event>> {
        anyhow::bail!("disk on fire")
    }

    fn append(&self, _events: Vec<NewEvent>) -> Result<Vec<Event>, AppendError> {
        Err(AppendError::Other(anyhow::anyhow!("disk on fire")))
    }
}

#[test]
fn a_store_that_cannot_be_read_is_an_error_naming_the_stream() {
    let error = CommandHandler::new(&Unreadable, now())
        .handle(command("CloseAccount account-3"), false)
        .unwrap_err();
    assert!(matches!(error, HandleError::Read { ref stream, .. } if stream == "account-3"));
    assert_eq!(error.to_string(), "cannot read account-3: disk on fire");
}

#[test]
fn a_command_built_for_the_wrong_kind_of_stream_is_not_handled() {
    use crate::cqrs::{AccountCommand, CommandBody};
    let store = store_with(vec![]);
    let owner = "Ada".to_string();
    let misplaced = Command::new(
        "customer-9",
        CommandBody::Account(AccountCommand::Open { owner }),
    );
    let error = CommandHandler::new(&store, now())
        .handle(misplaced, true)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "OpenAccount applies to account-<n> streams, not `customer-9`"
    );
    assert!(store.is_empty().unwrap());
}

/// Reads fail for one stream only.
struct UnreadableStream<'a> {
    inner: &'a MemoryStore,
    stream: &'a str,
}

impl EventStore for UnreadableStream<'_> {
    fn read_stream(&self, stream: &str) -> anyhow::Result<Vec<Event>> {
        anyhow::ensure!(stream != self.stream, "disk on fire");
        self.inner.read_stream(stream)
    }

    fn append(&self, events: Vec<NewEvent>) -> Result<Vec<Event>, AppendError> {
        self.inner.append(events)
    }
}

#[test]
fn a_later_step_that_fails_is_reported_beside_the_steps_already_written() {
    // Paying reads only the order; the shipping policy then needs the customer.
    let store = store_with(vec![
        ("customer-7", registered()),
        ("order-5", placed()),
        ("order-5", payment_requested(3000)),
    ]);
    let flaky = UnreadableStream {
        inner: &store,
        stream: "customer-7",
    };
    let handled = CommandHandler::new(&flaky, now())
        .handle(command("PayOrder order-5 amount=3000"), true)
        .unwrap();
    assert!(handled.is_accepted());
    assert_eq!(handled.steps.len(), 1);
    assert_eq!(
        handled.interrupted.as_deref(),
        Some("cannot read customer-7: disk on fire")
    );
    assert_eq!(
        handled.to_json()["interrupted"],
        "cannot read customer-7: disk on fire"
    );
    assert_eq!(store.len().unwrap(), 4);
}

#[test]
fn the_json_report_shows_each_step_and_who_issued_it() {
    let store = store_with(vec![("customer-7", registered())]);
    let handled = CommandHandler::new(&store, now())
        .handle(
            command("PlaceOrder order-5 customer=customer-7 item=BOOK:1:100"),
            true,
        )
        .unwrap();
    let report = handled.to_json();
    assert_eq!(report["accepted"], true);
    let steps = report["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["issued_by"], "user");
    assert_eq!(steps[0]["outcome"]["accepted"][0]["type"], "OrderPlaced");
    assert_eq!(
        steps[0]["outcome"]["accepted"][0]["time"],
        now().to_string()
    );
    assert_eq!(steps[1]["issued_by"]["event"], "order-5/1");
    assert_eq!(steps[1]["command"]["type"], "RequestPayment");
    assert_eq!(steps[1]["after"]["status"], "payment_requested");
    assert!(report.get("interrupted").is_none());
}
