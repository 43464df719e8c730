//! Setting a step's scene on the App, and saving and restoring the App
//! around a lesson. Everything goes through what the views do for keys
//! (move, pick, show, the stream prompt), so a scene looks exactly as if
//! the learner had got there by hand.

use std::sync::Arc;

use crate::lesson::{FlowsScene, Scene, SceneView};
use crate::projection::Path;
use crate::simulation::{SeqRange, SimParams};
use crate::ui::app::{App, Focus, Overlay, PromptKind, View};
use crate::ui::ctx::ctx;
use crate::ui::keymap::Action;
use crate::ui::views::cqrs::lesson::CqrsScene;
use crate::ui::views::flows::state::EntityChoice;
use crate::ui::views::log::list::Filter;
use crate::ui::views::projections::lazy_state::tree_path;

/// The App as it was before a lesson began.
pub struct Saved {
    view: View,
    focus: Focus,
    seq: Option<u64>,
    filter: Option<Filter>,
    projection: usize,
    folded: std::collections::HashSet<String>,
    flows_params: SimParams,
    flows_seq: u64,
    flows_customer: EntityChoice,
    cqrs: Option<CqrsScene>,
}

impl Saved {
    pub fn of(app: &App) -> Saved {
        Saved {
            view: app.view,
            focus: app.focus,
            seq: app.selected_seq(),
            filter: app.list.filter.clone(),
            projection: app.projections.selected,
            folded: app.projections.folded.clone(),
            flows_params: app.flows.params(),
            flows_seq: app.flows.run.seq(),
            flows_customer: app.flows.entity.clone(),
            cqrs: (!app.cqrs.read_models.is_empty()).then(|| app.cqrs.scene()),
        }
    }

    /// Puts the App back as it was saved.
    pub fn restore(self, app: &mut App) {
        app.overlay = Overlay::None;
        app.list.filter = self.filter;
        let index = self.seq.map_or(0, |seq| app.list.position_of(seq).0);
        app.window.clear();
        app.move_to(index);
        if app.projections.selected != self.projection {
            let seq = app.selected_seq();
            app.projections.pick(&mut ctx!(app), self.projection, seq);
        }
        app.projections.folded = self.folded;
        set_flows(app, self.flows_params, self.flows_seq);
        app.flows.entity = self.flows_customer;
        let cqrs = self.cqrs.unwrap_or(CqrsScene {
            command: None,
            policies: true,
            lags: Vec::new(),
        });
        app.cqrs.set_scene(&mut ctx!(app), &cqrs);
        app.show(self.view, self.focus);
    }
}

fn view_of(view: SceneView) -> View {
    match view {
        SceneView::Log => View::Log,
        SceneView::Projections => View::Projections,
        SceneView::Cqrs => View::Cqrs,
        SceneView::Flows => View::Flows,
    }
}

/// The simulation's parameters a scene asks for.
fn flows_params(flows: Option<&FlowsScene>) -> SimParams {
    let mut params = SimParams::default();
    if let Some(flows) = flows {
        params.outages = flows
            .outages
            .iter()
            .map(|[first, last]| SeqRange::new(*first, *last))
            .collect();
        params.drop_rate = flows.drop;
        params.duplicate_rate = flows.duplicate;
        params.reorder_rate = flows.reorder;
        params.version_checks = flows.version_checks;
    }
    params
}

/// The flows view at `params` and log position `seq`; the simulation runs
/// again only when the parameters change.
fn set_flows(app: &mut App, params: SimParams, seq: u64) {
    app.flows.playing = false;
    if app.flows.params() != params {
        // The parameters came from a lesson file already checked, or from
        // the App itself: valid either way, so a refusal cannot happen.
        let _ = app.set_flows_params(params);
    }
    app.seek_flows(seq);
}

/// Sets `scene`; returns the tree path of the field still to select once
/// the projection's state has arrived.
pub fn set(app: &mut App, scene: &Scene) -> Option<String> {
    app.overlay = Overlay::None;
    app.notice = None;
    // The list: one stream's events, or all; the cursor on the scene's seq.
    app.list.filter = None;
    if let Some(stream) = &scene.stream {
        app.open_prompt(PromptKind::Stream);
        for c in stream.chars() {
            app.prompt_input(c);
        }
        app.prompt_action(Action::Submit);
        app.overlay = Overlay::None;
    }
    let index = scene.seq.map_or(0, |seq| app.list.position_of(seq).0);
    // A fresh window: the filter may have changed under the same index.
    app.window.clear();
    app.move_to(index);
    // The projection, and what its last findings were: forgotten.
    if let Some(name) = &scene.projection
        && app.projection_name() != Some(name.as_str())
    {
        // Checked against the log when the lesson was opened.
        let _ = app.select_projection(name);
    }
    app.projections.forget_findings();
    let field = scene
        .field
        .as_deref()
        .and_then(|f| Path::parse(f).ok())
        .map(|path| tree_path(&path));
    // The flows view.
    let flows = scene.flows.as_ref();
    set_flows(
        app,
        flows_params(flows),
        flows.and_then(|f| f.at).unwrap_or(0),
    );
    app.flows.entity = match flows.and_then(|f| f.customer.as_deref()) {
        Some(name) => EntityChoice::Picked(Arc::from(name)),
        None => EntityChoice::Follow,
    };
    // The CQRS view: entered first, so that its read models exist.
    let view = view_of(scene.view);
    let wants_cqrs = view == View::Cqrs || !app.cqrs.read_models.is_empty();
    app.show(view, Focus::List);
    if wants_cqrs {
        let cqrs = CqrsScene {
            command: scene.command.clone(),
            policies: scene.policies.unwrap_or(true),
            lags: scene
                .lag
                .iter()
                .map(|l| (l.model.clone(), l.events, l.seconds))
                .collect(),
        };
        app.cqrs.set_scene(&mut ctx!(app), &cqrs);
    }
    field
}
