//! The projections view's state (filled in once the projection engine lands).

use std::sync::mpsc::Sender;

use super::app::App;
use super::jobs::Jobs;
use super::keymap::Action;
use super::msg::Msg;
use crate::store::EventLog;

/// A worker's answer about projections.
#[derive(Debug)]
pub enum ProjectionMsg {}

/// The projections view.
#[derive(Debug, Default)]
pub struct ProjectionsState {}

impl ProjectionsState {
    pub fn init(&mut self, _log: &EventLog) {}

    pub fn follow_cursor(&mut self, _log: &std::sync::Arc<EventLog>, _tx: &Sender<Msg>, _jobs: &mut Jobs, _seq: Option<u64>) {}

    pub fn rebuilding(&self) -> bool {
        false
    }

    pub fn picker_entries(&self) -> Vec<(String, String)> {
        Vec::new()
    }
}

impl App {
    /// Shows the projection named `name` in the projections view.
    pub fn select_projection(&mut self, name: &str) -> Result<(), String> {
        Err(format!("no projection named `{name}`"))
    }

    pub(crate) fn projections_action(&mut self, _action: Action) {}

    pub(crate) fn projection_picker_action(&mut self, _action: Action, _selected: usize) {
        self.overlay = super::app::Overlay::None;
    }

    pub(crate) fn projection_msg(&mut self, _generation: u64, msg: ProjectionMsg) {
        match msg {}
    }
}
