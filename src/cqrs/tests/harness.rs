//! Given these events, when this command, then these events or this
//! rejection. Commands run through the real handler (policies off) against
//! an in-memory store, so "then" also sees what was written.

use crate::cqrs::{
    Command, CommandHandler, DomainEvent, EventStore, Handled, MemoryStore, Rejection, StepOutcome,
};
use crate::event::{NewEvent, Timestamp};

/// The clock of every test: 2024-03-01T09:30:00Z.
pub fn now() -> Timestamp {
    Timestamp::from_unix_millis(1_709_285_400_000)
}

/// A log holding `history`, each event on its stream.
pub fn store_with(history: Vec<(&str, DomainEvent)>) -> MemoryStore {
    let store = MemoryStore::new();
    let batch = history
        .into_iter()
        .map(|(stream, event)| {
            NewEvent::new(stream, event.event_type(), now(), event.to_json().unwrap())
        })
        .collect();
    store.append(batch).unwrap();
    store
}

pub fn given(history: Vec<(&str, DomainEvent)>) -> Given {
    Given {
        store: store_with(history),
    }
}

pub struct Given {
    store: MemoryStore,
}

impl Given {
    /// A command in either typed form.
    pub fn when(self, command: &str) -> When {
        let command = Command::parse(command).unwrap_or_else(|e| panic!("{command}: {e}"));
        self.when_command(command)
    }

    pub fn when_command(self, command: Command) -> When {
        let logged_before = self.store.len().unwrap();
        let handled = CommandHandler::new(&self.store, now())
            .handle(command.clone(), false)
            .unwrap();
        When {
            store: self.store,
            logged_before,
            command,
            handled,
        }
    }
}

pub struct When {
    pub store: MemoryStore,
    logged_before: usize,
    command: Command,
    pub handled: Handled,
}

impl When {
    /// The command was accepted and wrote exactly `expected`, on its stream,
    /// right after the stream's earlier events.
    pub fn then_events(self, expected: Vec<DomainEvent>) -> When {
        let step = &self.handled.steps[0];
        let StepOutcome::Accepted { events, .. } = &step.outcome else {
            panic!(
                "{} was not accepted: {:?}",
                self.command.to_short(),
                step.outcome
            );
        };
        let decoded: Vec<DomainEvent> = events
            .iter()
            .map(|e| DomainEvent::decode(&e.event_type, &e.data).unwrap())
            .collect();
        assert_eq!(decoded, expected);
        for (offset, event) in events.iter().enumerate() {
            assert_eq!(&*event.stream, self.command.stream);
            assert_eq!(event.version, step.version() + 1 + offset as u64);
        }
        assert_eq!(
            self.store.len().unwrap(),
            self.logged_before + expected.len()
        );
        self
    }

    /// The command was refused for `expected`, and nothing was written.
    pub fn then_rejected_with(self, expected: Rejection) -> String {
        assert_eq!(self.handled.rejection(), Some(&expected));
        assert_eq!(self.handled.steps.len(), 1);
        assert_eq!(
            self.store.len().unwrap(),
            self.logged_before,
            "a rejection wrote events"
        );
        expected.to_string()
    }
}
