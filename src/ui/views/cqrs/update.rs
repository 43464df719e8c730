//! The CQRS view's part of `update`: entering the view, the command line,
//! submitting a command to the write side, and the read models catching up.

use crate::cqrs::{Command, CommandHandler, Handled, Origin, StepOutcome, command_spec};
use crate::domain::Domain;
use crate::domain::bank::ACCOUNT_PREFIX;
use crate::domain::retail::CUSTOMER_PREFIX;
use crate::projection::builtin::{BANK, RETAIL, Streams};
use crate::store::EventLog;
use crate::ui::app::{App, Notice, View};
use crate::ui::chain::{FlowEvent, causation_tree};
use crate::ui::keymap::Action;
use crate::ui::line_edit::Edit;
use crate::ui::msg::Job;
use crate::ui::sorted_names;
use crate::ui::views::cqrs::complete;
use crate::ui::views::cqrs::msg::ReadModelsMsg;
use crate::ui::views::cqrs::read_models::ReadModel;
use crate::ui::views::cqrs::read_rows::{self};
use crate::ui::views::cqrs::state::{Clock, CommandFlow, CqrsState, MAX_HISTORY, Outcome};
use crate::ui::views::cqrs::work;
use crate::ui::views::cqrs::write_model::{WriteModelView, read_write_model};

impl App {
    /// Replaces the clock (the system's by default).
    pub fn set_clock(&mut self, clock: Clock) {
        self.cqrs.clock = clock;
    }

    /// The log the explorer reads and the CQRS view writes to.
    pub fn event_log(&self) -> &EventLog {
        &self.log
    }

    /// The CQRS view's state.
    pub fn cqrs(&self) -> &CqrsState {
        &self.cqrs
    }

    /// Every stream name of the log in name order, once loaded.
    pub fn stream_list(&self) -> &[String] {
        self.streams.as_deref().unwrap_or(&[])
    }

    /// What Tab could complete the command line with: the first few
    /// candidates and how many there are.
    pub fn command_completions(&self) -> (Vec<String>, usize) {
        let found = complete::candidates(&self.cqrs.input, self.stream_list());
        (
            found.shown.into_iter().map(|c| c.into_owned()).collect(),
            found.total,
        )
    }

    /// Whether keys go to the CQRS command line.
    pub fn editing_command(&self) -> bool {
        self.view == View::Cqrs && self.cqrs.editing
    }

    /// On entering the view: the stream names for completion, an example,
    /// and the read models (built once, on a worker).
    pub(crate) fn entered_cqrs(&mut self) {
        self.cqrs.editing = false;
        if self.cqrs.entered {
            return;
        }
        self.cqrs.entered = true;
        self.load_streams();
        let domain = self
            .stats
            .as_ref()
            .ok()
            .and_then(|s| Domain::recognise(s.types.iter().map(|(t, _)| t.as_str())));
        self.cqrs.example = example(domain, self.streams.as_deref().unwrap_or(&[]));
        let names: Vec<&'static str> = match domain {
            Some(Domain::Retail) => RETAIL.to_vec(),
            // One domain read model only: the generic `streams` joins it.
            Some(Domain::Bank) => BANK.into_iter().chain([Streams::NAME]).collect(),
            None => RETAIL.into_iter().chain(BANK).collect(),
        };
        self.cqrs.read_models = names.into_iter().map(ReadModel::new).collect();
        let models = names_and_lags(&self.cqrs.read_models);
        let log = self.log.clone();
        self.jobs.spawn(Job::ReadModels, move |worker| {
            work::build(&log, worker, models)
        });
        self.refresh_rows();
    }

    fn load_streams(&mut self) {
        if self.streams.is_none() {
            match self.log.streams() {
                Ok(streams) => {
                    self.streams = Some(streams.into_iter().map(|(name, _)| name).collect())
                }
                Err(e) => self.notice = Some(Notice::Error(e.to_string())),
            }
        }
    }

    pub(crate) fn read_models_msg(&mut self, generation: u64, msg: ReadModelsMsg) {
        let slot = self.jobs.slot(Job::ReadModels);
        if !slot.is_current(generation) {
            return;
        }
        slot.finish();
        let ReadModelsMsg::Built(built) = msg;
        for (name, result) in built {
            if let Some(model) = self.cqrs.read_models.iter_mut().find(|m| m.name == name) {
                model.built(result);
            }
        }
        self.catch_up();
    }

    /// Time passes: read models with a delay may now see more events.
    pub(crate) fn cqrs_tick(&mut self) {
        let waiting = self
            .cqrs
            .read_models
            .iter()
            .any(|m| m.is_ready() && m.delay_secs > 0);
        if waiting {
            self.catch_up();
        }
    }

    /// Lets every read model apply what it may, then redraws the rows.
    fn catch_up(&mut self) {
        let last_seq = self.log.last_seq().unwrap_or(0);
        let now = self.cqrs.now();
        for model in &mut self.cqrs.read_models {
            model.catch_up(&*self.log, last_seq, now);
        }
        self.refresh_rows();
    }

    fn refresh_rows(&mut self) {
        let last_seq = self.log.last_seq().unwrap_or(0);
        self.cqrs.rows = read_rows::rows(
            &self.cqrs.read_models,
            self.cqrs.write_model.as_ref(),
            &*self.log,
            last_seq,
        );
        self.cqrs.selected = self
            .cqrs
            .selected
            .min(self.cqrs.rows.len().saturating_sub(1));
    }

    pub(crate) fn cqrs_action(&mut self, action: Action) {
        if self.editing_command() {
            self.command_line_action(action);
            return;
        }
        let last = self.cqrs.rows.len().saturating_sub(1);
        match action {
            Action::EditCommand => {
                self.cqrs.editing = true;
                self.load_streams();
            }
            Action::Down => self.cqrs.selected = (self.cqrs.selected + 1).min(last),
            Action::Up => self.cqrs.selected = self.cqrs.selected.saturating_sub(1),
            Action::MoreLag => self.change_lag(|m| m.lag_events = m.lag_events.saturating_add(1)),
            Action::LessLag => self.change_lag(|m| m.lag_events = m.lag_events.saturating_sub(1)),
            Action::MoreDelay => self.change_lag(|m| m.delay_secs = (m.delay_secs + 1).min(3_600)),
            Action::LessDelay => self.change_lag(|m| m.delay_secs = m.delay_secs.saturating_sub(1)),
            Action::TogglePolicies => {
                self.cqrs.policies = !self.cqrs.policies;
                self.notice = Some(Notice::Info(if self.cqrs.policies {
                    "policies on: an event can trigger the next command (order placed -> payment requested)".into()
                } else {
                    "policies off: a command writes only its own events".into()
                }));
            }
            _ => {}
        }
    }

    fn change_lag(&mut self, change: impl FnOnce(&mut ReadModel)) {
        let Some(index) = self.cqrs.rows.get(self.cqrs.selected).map(|row| row.model) else {
            return;
        };
        let Some(model) = self.cqrs.read_models.get_mut(index) else {
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
        self.notice = Some(Notice::Info(text));
        self.catch_up();
    }

    fn command_line_action(&mut self, action: Action) {
        match action {
            Action::Cancel => self.cqrs.editing = false,
            Action::Submit => self.submit(),
            Action::Backspace | Action::Edit(_) => {
                let edit = match action {
                    Action::Edit(edit) => edit,
                    _ => Edit::DeletePrevious,
                };
                if self.cqrs.input.edit(edit) {
                    self.input_changed();
                }
            }
            Action::Complete => {
                let streams = self.streams.as_deref().unwrap_or(&[]);
                let completed = complete::complete(&self.cqrs.input, streams);
                self.cqrs.input.set(completed);
                self.input_changed();
            }
            Action::Up | Action::Down => self.walk_history(action == Action::Up),
            _ => {}
        }
    }

    pub(crate) fn command_input(&mut self, c: char) {
        if self.cqrs.input.insert(c) {
            self.input_changed();
        }
    }

    fn walk_history(&mut self, back: bool) {
        let history = &self.cqrs.history;
        let at = match (self.cqrs.history_at, back) {
            (None, true) => history.len().checked_sub(1),
            (None, false) => None,
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) => (i + 1 < history.len()).then_some(i + 1),
        };
        let text = at.and_then(|i| history.get(i)).cloned().unwrap_or_default();
        self.cqrs.input.set(text);
        self.cqrs.history_at = at;
        self.write_model_follows_input();
    }

    fn input_changed(&mut self) {
        self.cqrs.history_at = None;
        self.write_model_follows_input();
    }

    /// Shows the write model of the stream the command line names, once it
    /// names one of the command's kind (and another than the one shown).
    fn write_model_follows_input(&mut self) {
        let mut words = self.cqrs.input.split_whitespace();
        let (Some(name), Some(stream)) = (words.next(), words.next()) else {
            return;
        };
        let fits = command_spec(name).is_some_and(|spec| spec.fits(stream));
        let shown = self.cqrs.write_model.as_ref().map(|w| w.stream.as_str());
        if fits && shown != Some(stream) {
            self.cqrs.write_model = Some(read_write_model(&self.log, stream));
            self.refresh_rows();
        }
    }

    fn submit(&mut self) {
        let text = self.cqrs.input.trim().to_string();
        if text.is_empty() {
            self.notice = Some(Notice::Info(format!(
                "type a command, e.g. {}",
                self.cqrs.example
            )));
            return;
        }
        if self.cqrs.history.last() != Some(&text) {
            self.cqrs.history.push(text.clone());
            if self.cqrs.history.len() > MAX_HISTORY {
                self.cqrs.history.remove(0);
            }
        }
        self.cqrs.history_at = None;
        let command = match Command::parse(&text) {
            Ok(command) => command,
            Err(error) => {
                // Keep the text, so it can be fixed.
                self.cqrs.outcome = Some(Outcome::Unreadable(error.to_string()));
                return;
            }
        };
        let stream = command.stream.clone();
        let now = self.cqrs.now();
        let handled = CommandHandler::new(&*self.log, now).handle(command, self.cqrs.policies);
        self.cqrs.input.clear();
        match handled {
            Err(error) => {
                self.cqrs.outcome = Some(Outcome::Failed(error.to_string()));
                self.cqrs.write_model = Some(read_write_model(&self.log, &stream));
            }
            Ok(handled) => {
                let first = handled.steps.first();
                self.cqrs.write_model = first.map(|step| WriteModelView {
                    stream: step.command.stream.clone(),
                    version: step.version() + step_events(&step.outcome),
                    state: Ok(step.after().clone()),
                    before: Some(step.before.clone()),
                });
                self.cqrs.flow = command_flow(&handled);
                if handled.events().next().is_some() {
                    let new_streams: Vec<String> =
                        handled.events().map(|e| e.stream.to_string()).collect();
                    self.log_grew(new_streams);
                }
                self.cqrs.outcome = Some(Outcome::Handled(handled));
            }
        }
        self.catch_up();
    }

    /// After an append: the counts, the list and the stream names follow.
    fn log_grew(&mut self, streams: Vec<String>) {
        self.stats = self.log.stats().map_err(|e| e.to_string());
        if let Ok(stats) = &self.stats {
            self.list.total = stats.events;
        }
        if let Some(known) = &mut self.streams {
            for stream in streams {
                if let Err(at) = known.binary_search(&stream) {
                    known.insert(at, stream);
                }
            }
        }
        self.window.clear();
        self.scroll_into_view();
        if self.list.total > 0 {
            self.start_rate();
        }
    }
}
fn names_and_lags(models: &[ReadModel]) -> Vec<(&'static str, u64)> {
    models.iter().map(|m| (m.name, m.lag_events)).collect()
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
