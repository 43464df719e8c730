//! The CQRS view's state and its part of `update`: a command line whose
//! commands the write side judges (and appends to the log), the write model
//! of the stream named, the decision, read models that may trail, and the
//! flow the command started.

use std::sync::Arc;

use crate::cqrs::{CatalogueEntry, Handled, catalogue};
use crate::domain_file::Domain as FileDomain;
use crate::event::Timestamp;
use crate::ui::chain::FlowLine;
use crate::ui::line_edit::LineEdit;
use crate::ui::views::cqrs::read_models::ReadModel;
use crate::ui::views::cqrs::read_rows::ReadRow;
use crate::ui::views::cqrs::write_model::WriteModelView;

/// The app's clock: the time written on the events of commands, and the
/// "now" read-model delays count from. Injectable, so tests are stable.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The longest command line kept.
const MAX_INPUT: usize = 2_000;
/// How many commands the history keeps.
pub(super) const MAX_HISTORY: usize = 100;

/// What the last command line sent led to.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The text is not a command; nothing was sent.
    Unreadable(String),
    /// The write side could not handle it at all; nothing was written.
    Failed(String),
    /// Not sent: the log follows its source, and a command would fork it.
    Refused(String),
    Handled(Handled),
}

/// The flow a command started: its events as a tree by causation.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandFlow {
    pub correlation_id: String,
    pub command_id: String,
    /// `PlaceOrder order-9`.
    pub command: String,
    pub lines: Vec<FlowLine>,
    /// The policy that issued the command behind each line, if one did.
    pub via: Vec<Option<&'static str>>,
}

/// The CQRS view.
pub struct CqrsState {
    pub input: LineEdit,
    pub(super) history: Vec<String>,
    /// The history entry shown, while walking it with Up/Down.
    pub(super) history_at: Option<usize>,
    pub policies: bool,
    pub write_model: Option<WriteModelView>,
    pub outcome: Option<Outcome>,
    pub flow: Option<CommandFlow>,
    pub read_models: Vec<ReadModel>,
    /// What the read models answer about the stream shown, as drawn.
    pub rows: Vec<ReadRow>,
    /// The selected row.
    pub selected: usize,
    /// A command to try, for the empty state.
    pub example: String,
    /// Whether the log has events and they are of neither sample domain:
    /// then their read models, which would answer nothing about it, are
    /// not offered, nor (unless a domain file brings its own) a command.
    pub foreign: bool,
    /// The command line takes the keys.
    pub(super) editing: bool,
    pub(super) clock: Clock,
    pub(super) entered: bool,
    /// Writers A and B, for watching concurrent writes conflict.
    pub writers: crate::ui::views::cqrs::writers::Writers,
    /// The log follows its source: commands are refused, not appended.
    pub(super) followed: bool,
    /// The domain file's commands and policies, when one is in use.
    pub(super) file_domain: Option<Arc<FileDomain>>,
    /// Every command that can be sent: the file's and the built-in ones.
    pub catalogue: Vec<CatalogueEntry>,
}

impl Default for CqrsState {
    fn default() -> CqrsState {
        CqrsState {
            input: LineEdit::new(MAX_INPUT),
            history: Vec::new(),
            history_at: None,
            policies: true,
            write_model: None,
            outcome: None,
            flow: None,
            read_models: Vec::new(),
            rows: Vec::new(),
            selected: 0,
            example: String::new(),
            foreign: false,
            editing: false,
            clock: Arc::new(system_now),
            entered: false,
            writers: Default::default(),
            followed: false,
            file_domain: None,
            catalogue: catalogue(None),
        }
    }
}

fn system_now() -> Timestamp {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    Timestamp::from_unix_nanos(nanos)
}

impl CqrsState {
    /// Replaces the clock (the system's by default).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Decides the file's commands and runs its policies from now on, and
    /// reads through its projections; the line being typed and the history
    /// stay.
    pub fn use_domain(&mut self, domain: Option<Arc<FileDomain>>) {
        self.catalogue = catalogue(domain.as_deref());
        self.file_domain = domain;
        // Its projections are read models: built again on entering.
        self.entered = false;
    }

    /// From now on the log follows its source: commands are refused with
    /// why (see `followed`), and the log stays a copy of the source.
    pub fn refuse_commands(&mut self) {
        self.followed = true;
    }

    /// Whether no command the write side knows is for this log's events:
    /// a log of a domain of its own without a domain file's commands.
    pub fn commands_unknown(&self) -> bool {
        self.foreign
            && self
                .file_domain()
                .is_none_or(|file| file.commands.is_empty())
    }

    /// The domain file's domain in use, if any.
    pub fn file_domain(&self) -> Option<&FileDomain> {
        self.file_domain.as_deref()
    }

    /// The catalogue entry of the command called `name`.
    pub fn entry(&self, name: &str) -> Option<&CatalogueEntry> {
        self.catalogue.iter().find(|entry| entry.name == name)
    }

    /// Gives the keys back to the command line (or not), as before the
    /// view was entered again.
    pub fn set_editing(&mut self, editing: bool) {
        self.editing = editing;
    }

    /// Whether the command line takes the keys.
    pub fn is_editing(&self) -> bool {
        self.editing
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// Why the text on the command line could not be read, while it is
    /// still the text that was sent.
    pub fn input_error(&self) -> Option<&str> {
        match &self.outcome {
            Some(Outcome::Unreadable(problem))
                if self.history.last().map(|sent| sent.as_str()) == Some(self.input.trim()) =>
            {
                Some(problem)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The view's state alone: no store, no App.
    #[test]
    fn a_parse_error_stands_while_the_text_is_the_one_sent() {
        let mut state = CqrsState::default();
        state.history.push("Deposit x".into());
        state.input.set("Deposit x ");
        state.outcome = Some(Outcome::Unreadable("`x` is not an account".into()));
        assert_eq!(state.input_error(), Some("`x` is not an account"));
        state.input.set("Deposit account-1");
        assert_eq!(state.input_error(), None);
    }
}
