//! What a lesson's scene asks of the CQRS view: a command typed ready (not
//! sent), policies on or off, read models that trail, and the last
//! decision forgotten so that a task starts from nothing sent.

use crate::ui::ctx::Ctx;
use crate::ui::views::cqrs::state::CqrsState;

/// The part of the view a lesson sets and restores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CqrsScene {
    pub command: Option<String>,
    pub policies: bool,
    /// Read model name, lag in events, delay in seconds.
    pub lags: Vec<(String, u64, u64)>,
}

impl CqrsState {
    /// The view as it stands, as a scene.
    pub fn scene(&self) -> CqrsScene {
        CqrsScene {
            command: self.editing.then(|| self.input.value().to_string()),
            policies: self.policies,
            lags: self
                .read_models
                .iter()
                .map(|m| (m.name.to_string(), m.lag_events, m.delay_secs))
                .collect(),
        }
    }

    /// Sets the view to `scene`; read models it does not name trail by 0.
    pub fn set_scene(&mut self, ctx: &mut Ctx, scene: &CqrsScene) {
        self.outcome = None;
        self.flow = None;
        self.policies = scene.policies;
        for model in &mut self.read_models {
            let (events, seconds) = scene
                .lags
                .iter()
                .find(|(name, ..)| *name == model.name)
                .map_or((0, 0), |(_, events, seconds)| (*events, *seconds));
            model.lag_events = events;
            model.delay_secs = seconds;
        }
        self.history_at = None;
        match &scene.command {
            Some(text) => {
                self.input.set(text.clone());
                self.editing = true;
                self.write_model_follows_input(ctx);
            }
            None => {
                self.input.clear();
                self.editing = false;
            }
        }
        self.catch_up(ctx);
    }
}
