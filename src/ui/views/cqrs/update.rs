//! The CQRS view's part of `update`: entering the view, the command line,
//! submitting a command to the write side, and the read models catching up.
//! Given only the log, the job spawner and the notice line ([`Ctx`]) and
//! the stream names; what the App must do (load the stream names, follow
//! the log as it grows) comes back as a [`Request`].

use crate::cqrs::{Command, CommandHandler, Handled, Origin, StepOutcome};
use crate::domain::Domain;
use crate::domain::bank::ACCOUNT_PREFIX;
use crate::domain::retail::CUSTOMER_PREFIX;
use crate::domain_file::Projections;
use crate::projection::builtin::{BANK, RETAIL, Streams};
use crate::ui::chain::{FlowEvent, causation_tree};
use crate::ui::ctx::Ctx;
use crate::ui::keymap::Action;
use crate::ui::line_edit::Edit;
use crate::ui::msg::Job;
use crate::ui::sorted_names;
use crate::ui::views::cqrs::msg::ReadModelsMsg;
use crate::ui::views::cqrs::read_models::ReadModel;
use crate::ui::views::cqrs::read_rows::{self};
use crate::ui::views::cqrs::state::{CommandFlow, CqrsState, MAX_HISTORY, Outcome};
use crate::ui::views::cqrs::work;
use crate::ui::views::cqrs::write_model::{WriteModelView, read_write_model};
use crate::ui::views::cqrs::{complete, followed};

/// What the view asks of the App.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// Load the log's stream names (for completion), if not yet.
    LoadStreams,
    /// A command appended events to these streams: the log grew.
    LogGrew(Vec<String>),
}

impl CqrsState {
    /// On entering the view: the stream names for completion, an example,
    /// and the read models (built once, on a worker).
    /// `domain` is the log's, if it is a sample domain's; `foreign` says
    /// that the log has events and they are of neither sample domain;
    /// `streams` its stream names, sorted.
    pub fn enter(
        &mut self,
        ctx: &mut Ctx,
        domain: Option<Domain>,
        foreign: bool,
        streams: &[String],
    ) {
        self.editing = false;
        self.foreign = foreign;
        // Chosen each time: a saved domain file may bring other commands.
        self.example = match self.file_domain() {
            Some(file) if !file.commands.is_empty() => file_example(file, streams),
            _ => example(domain, streams),
        };
        if self.entered {
            return;
        }
        self.entered = true;
        let names: Vec<&'static str> = match domain {
            Some(Domain::Retail) => RETAIL.to_vec(),
            // One domain read model only: the generic `streams` joins it.
            Some(Domain::Bank) => BANK.into_iter().chain([Streams::NAME]).collect(),
            // A log of the domain file's own, or of a domain of its own:
            // the built-in domains' read models would answer nothing about
            // it.
            None if self.file_domain.is_some() || foreign => vec![Streams::NAME],
            None => RETAIL.into_iter().chain(BANK).collect(),
        };
        // The domain file's projections are read models too, first.
        let registry = Projections::new(self.file_domain.clone());
        let from_file = self
            .file_domain
            .iter()
            .flat_map(|file| file.projections.iter())
            .map(|p| ReadModel::of_file(&p.name, &p.summary));
        self.read_models = from_file
            .chain(names.into_iter().map(ReadModel::new))
            .collect();
        let models = names_and_lags(&self.read_models);
        let log = ctx.log.clone();
        ctx.jobs.spawn(Job::ReadModels, move |worker| {
            work::build(&log, worker, &registry, models)
        });
        self.refresh_rows(ctx);
    }

    pub fn on_msg(&mut self, ctx: &mut Ctx, generation: u64, msg: ReadModelsMsg) {
        let slot = ctx.jobs.slot(Job::ReadModels);
        if !slot.is_current(generation) {
            return;
        }
        slot.finish();
        let ReadModelsMsg::Built(built) = msg;
        for (name, result) in built {
            if let Some(model) = self.read_models.iter_mut().find(|m| m.name == name) {
                model.built(result);
            }
        }
        self.catch_up(ctx);
    }

    /// Time passes: read models with a delay may now see more events.
    pub fn tick(&mut self, ctx: &mut Ctx) {
        let waiting = self
            .read_models
            .iter()
            .any(|m| m.is_ready() && m.delay_secs > 0);
        if waiting {
            self.catch_up(ctx);
        }
    }

    /// Lets every read model apply what it may, then redraws the rows.
    pub(super) fn catch_up(&mut self, ctx: &mut Ctx) {
        let last_seq = ctx.log.last_seq().unwrap_or(0);
        let now = self.now();
        for model in &mut self.read_models {
            model.catch_up(&**ctx.log, last_seq, now);
        }
        self.refresh_rows(ctx);
    }

    fn refresh_rows(&mut self, ctx: &mut Ctx) {
        let last_seq = ctx.log.last_seq().unwrap_or(0);
        self.rows = read_rows::rows(
            &self.read_models,
            self.write_model.as_ref(),
            &**ctx.log,
            last_seq,
        );
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// A key in the view; `streams` are the log's stream names, sorted.
    pub fn action(&mut self, ctx: &mut Ctx, action: Action, streams: &[String]) -> Option<Request> {
        if self.editing {
            return self.command_line_action(ctx, action, streams);
        }
        let last = self.rows.len().saturating_sub(1);
        match action {
            Action::EditCommand => {
                self.editing = true;
                return Some(Request::LoadStreams);
            }
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::MoreLag => {
                self.change_lag(ctx, |m| m.lag_events = m.lag_events.saturating_add(1))
            }
            Action::LessLag => {
                self.change_lag(ctx, |m| m.lag_events = m.lag_events.saturating_sub(1))
            }
            Action::MoreDelay => {
                self.change_lag(ctx, |m| m.delay_secs = (m.delay_secs + 1).min(3_600))
            }
            Action::LessDelay => {
                self.change_lag(ctx, |m| m.delay_secs = m.delay_secs.saturating_sub(1))
            }
            Action::SwitchWriter => self.switch_writer(ctx),
            Action::TogglePolicies => {
                self.policies = !self.policies;
                ctx.info(if self.policies {
                    "policies on: an event can trigger the next command (order placed -> payment requested)"
                } else {
                    "policies off: a command writes only its own events"
                });
            }
            _ => {}
        }
        None
    }

    fn change_lag(&mut self, ctx: &mut Ctx, change: impl FnOnce(&mut ReadModel)) {
        let Some(index) = self.rows.get(self.selected).map(|row| row.model) else {
            return;
        };
        let Some(model) = self.read_models.get_mut(index) else {
            return;
        };
        change(model);
        let text = format!(
            "{}: lag {} event{}, delay {}s",
            model.name,
            model.lag_events,
            if model.lag_events == 1 { "" } else { "s" },
            model.delay_secs
        );
        ctx.info(text);
        self.catch_up(ctx);
    }

    fn command_line_action(
        &mut self,
        ctx: &mut Ctx,
        action: Action,
        streams: &[String],
    ) -> Option<Request> {
        match action {
            Action::Cancel => self.editing = false,
            Action::Submit => return self.submit(ctx),
            Action::Backspace | Action::Edit(_) => {
                let edit = match action {
                    Action::Edit(edit) => edit,
                    _ => Edit::DeletePrevious,
                };
                if self.input.edit(edit) {
                    self.input_changed(ctx);
                }
            }
            Action::Complete => {
                let completed = complete::complete(&self.input, streams, &self.catalogue);
                self.input.set(completed);
                self.input_changed(ctx);
            }
            Action::Up | Action::Down => self.walk_history(ctx, action == Action::Up),
            _ => {}
        }
        None
    }

    /// A character typed on the command line.
    pub fn input(&mut self, ctx: &mut Ctx, c: char) {
        if self.input.insert(c) {
            self.input_changed(ctx);
        }
    }

    fn walk_history(&mut self, ctx: &mut Ctx, back: bool) {
        let history = &self.history;
        let at = match (self.history_at, back) {
            (None, true) => history.len().checked_sub(1),
            (None, false) => None,
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) => (i + 1 < history.len()).then_some(i + 1),
        };
        let text = at.and_then(|i| history.get(i)).cloned().unwrap_or_default();
        self.input.set(text);
        self.history_at = at;
        self.write_model_follows_input(ctx);
    }

    fn input_changed(&mut self, ctx: &mut Ctx) {
        self.history_at = None;
        self.write_model_follows_input(ctx);
    }

    /// Shows the write model of the stream the command line names, once it
    /// names one of the command's kind (and another than the one shown).
    pub(super) fn write_model_follows_input(&mut self, ctx: &mut Ctx) {
        let mut words = self.input.split_whitespace();
        let (Some(name), Some(stream)) = (words.next(), words.next()) else {
            return;
        };
        let fits = self.entry(name).is_some_and(|entry| entry.fits(stream));
        let shown = self
            .write_model
            .as_ref()
            .map(|w| (w.command.as_str(), w.stream.as_str()));
        if fits && shown != Some((name, stream)) {
            let model = read_write_model(ctx.log, name, stream, self.file_domain());
            self.write_model = Some(model);
            self.refresh_rows(ctx);
        }
        // The stream named is the one shown now: its writer has read it.
        if fits && let Some(shown) = &self.write_model {
            self.writers.saw(&shown.stream, shown.version);
        }
    }

    /// Sends the command line to the write side; the streams it wrote to,
    /// when it wrote anything, go back to the App.
    fn submit(&mut self, ctx: &mut Ctx) -> Option<Request> {
        let text = self.input.trim().to_string();
        if text.is_empty() {
            ctx.info(match self.commands_unknown() {
                true => NO_COMMANDS.to_string(),
                false => format!("type a command, e.g. {}", self.example),
            });
            return None;
        }
        if self.history.last() != Some(&text) {
            self.history.push(text.clone());
            if self.history.len() > MAX_HISTORY {
                self.history.remove(0);
            }
        }
        self.history_at = None;
        let command = match Command::parse_in(&text, self.file_domain()) {
            Ok(command) => command,
            Err(error) => {
                // Keep the text, so it can be fixed.
                self.outcome = Some(Outcome::Unreadable(error.to_string()));
                return None;
            }
        };
        if self.followed {
            // Checked before the write side reads anything: the text stays,
            // to be sent to the source itself.
            self.outcome = Some(Outcome::Refused(followed::refusal(ctx.log)));
            return None;
        }
        // Sent: the keyboard goes back to the view (the digits switch views
        // again); `:` or Enter comes back to the line. Text that did not
        // read keeps it, to be fixed.
        self.editing = false;
        let command = self.writers.expecting(command);
        let (name, stream) = (command.name().to_owned(), command.stream.clone());
        self.writers.decided(&stream);
        let now = self.now();
        let mut handler = CommandHandler::new(&**ctx.log, now);
        if let Some(file) = &self.file_domain {
            handler = handler.with_domain(file.clone());
        }
        let handled = handler.handle(command, self.policies);
        self.input.clear();
        let mut grew = None;
        match handled {
            Err(error) => {
                self.outcome = Some(Outcome::Failed(error.to_string()));
                let model = read_write_model(ctx.log, &name, &stream, self.file_domain());
                self.write_model = Some(model);
            }
            Ok(handled) => {
                let first = handled.steps.first();
                self.write_model = first.map(|step| WriteModelView {
                    command: step.command.name().to_owned(),
                    stream: step.command.stream.clone(),
                    version: step.version() + step_events(&step.outcome),
                    state: Ok(step.after().clone()),
                    before: Some(step.before.clone()),
                });
                self.flow = command_flow(&handled);
                if handled.events().next().is_some() {
                    let new_streams: Vec<String> =
                        handled.events().map(|e| e.stream.to_string()).collect();
                    grew = Some(Request::LogGrew(new_streams));
                }
                self.outcome = Some(Outcome::Handled(handled));
            }
        }
        self.catch_up(ctx);
        grew
    }
}
fn names_and_lags(models: &[ReadModel]) -> Vec<(String, u64)> {
    models
        .iter()
        .map(|m| (m.name.clone(), m.lag_events))
        .collect()
}
fn step_events(outcome: &StepOutcome) -> u64 {
    match outcome {
        StepOutcome::Accepted { events, .. } => events.len() as u64,
        _ => 0,
    }
}
/// The events `handled` wrote, as a tree by causation under its command.
fn command_flow(handled: &Handled) -> Option<CommandFlow> {
    let first = handled.steps.first()?;
    let events: Vec<FlowEvent> = handled
        .events()
        .map(|e| FlowEvent {
            seq: e.seq,
            id: e.id.clone(),
            stream: e.stream.to_string(),
            event_type: e.event_type.to_string(),
            causation_id: e.causation_id(),
        })
        .collect();
    let lines = causation_tree(events);
    let via = lines
        .iter()
        .map(|line| {
            handled
                .steps
                .iter()
                .find_map(|step| match (&step.command.origin, &step.outcome) {
                    (Origin::Policy { policy, .. }, StepOutcome::Accepted { events, .. })
                        if events.iter().any(|e| e.seq == line.event.seq) =>
                    {
                        Some(*policy)
                    }
                    _ => None,
                })
        })
        .collect();
    Some(CommandFlow {
        correlation_id: first.correlation_id.clone(),
        command_id: first.command_id.clone(),
        command: format!("{} {}", first.command.name(), first.command.stream),
        lines,
        via,
    })
}
/// A command of the domain file worth trying: its first one a person
/// issues, on a new stream of its kind, with each field's hint.
fn file_example(file: &crate::domain_file::Domain, streams: &[String]) -> String {
    let entries = crate::cqrs::domain_command_specs(file);
    let Some(entry) = entries.iter().find(|e| !e.issued_by_policy) else {
        return String::new();
    };
    let taken = sorted_names::with_prefix(streams, &entry.stream_prefix).len();
    let mut text = format!("{} {}{}", entry.name, entry.stream_prefix, taken + 1);
    for field in &entry.fields {
        let value = match &field.names_stream {
            Some(prefix) => sorted_names::with_prefix(streams, prefix)
                .first()
                .cloned()
                .unwrap_or_else(|| field.hint.clone()),
            None => field.hint.clone(),
        };
        text.push_str(&format!(" {}={value}", field.name));
    }
    text
}

/// Said instead of an example on a log of a domain of its own.
pub const NO_COMMANDS: &str = "no commands for these events: add NAME.domain.toml beside the log";

/// A command worth trying on this log, naming a stream it has.
fn example(domain: Option<Domain>, streams: &[String]) -> String {
    let first = |prefix: &str| sorted_names::with_prefix(streams, prefix).first().cloned();
    match domain {
        Some(Domain::Bank) => match first(ACCOUNT_PREFIX) {
            Some(account) => format!("Deposit {account} amount=500"),
            None => "OpenAccount account-1 owner=Ada".into(),
        },
        _ => match first(CUSTOMER_PREFIX) {
            Some(customer) => format!(
                "ChangeCustomerAddress {customer} street=\"1 Main St\" city=Leeds postcode=\"LS1 1AA\" country=UK"
            ),
            None => {
                "RegisterCustomer customer-1 name=Ada email=ada@example.com street=\"1 Main St\" \
                     city=Leeds postcode=\"LS1 1AA\" country=UK"
                    .into()
            }
        },
    }
}
