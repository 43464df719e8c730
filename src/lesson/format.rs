//! A lesson as its file holds it: the title, the log it runs on, and the
//! steps, each with its narration, scene, claims and an optional task.
//!
//! ```toml
//! title = "Event Sourcing"
//! log = "retail"
//!
//! [[step]]
//! title = "Ada's address is a fold"
//! narration = """Three events, one address."""
//! notice = "The city changes at seq 78 and 217."
//! claims = ["es-replay"]
//! scene = { view = "projections", seq = 78, projection = "customers", field = "customer-1.address.city" }
//! try = { ask = "Press b to find who set the city", check = { blame = "customer-1.address.city" } }
//! ```

use serde::Deserialize;

/// A lesson, read and shaped (not yet checked against a log).
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// The file's stem: what `--lesson` and the picker call it.
    pub name: String,
    /// The file as the person named it, for messages.
    pub file: String,
    pub title: String,
    pub summary: String,
    /// The log it runs on: a bundled sample's name, or a path.
    pub log: String,
    /// Where the picker lists it (lower first).
    pub order: i64,
    pub steps: Vec<Step>,
}

/// One step of a lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The line of the step's `[[step]]` header.
    pub line: usize,
    pub title: String,
    pub narration: String,
    /// What to notice in the figures on screen.
    pub notice: Option<String>,
    /// The ids of the claims (see [`super::claims`]) the step shows.
    pub claims: Vec<String>,
    pub scene: Scene,
    pub try_it: Option<TryIt>,
}

/// Which view a scene shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SceneView {
    #[default]
    Log,
    Projections,
    Cqrs,
    Flows,
}

/// What the explorer is set to when a step begins. Anything left out is
/// as the lesson's start left it (the log view at the first event, default
/// flows, no command typed).
#[derive(Clone, Debug, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    #[serde(default)]
    pub view: SceneView,
    /// The event under the cursor.
    pub seq: Option<u64>,
    /// Show only this stream's events in the log view.
    pub stream: Option<String>,
    /// The projection shown in the projections view.
    pub projection: Option<String>,
    /// A field of the projection's state to unfold down to and select,
    /// written as `customer-1.address.city`.
    pub field: Option<String>,
    /// A command typed ready on the CQRS command line (not sent).
    pub command: Option<String>,
    /// Whether events trigger further commands in the CQRS view.
    pub policies: Option<bool>,
    /// Read models of the CQRS view that trail the log.
    #[serde(default)]
    pub lag: Vec<Lag>,
    pub flows: Option<FlowsScene>,
}

/// A read model that trails the write side.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lag {
    pub model: String,
    #[serde(default)]
    pub events: u64,
    #[serde(default)]
    pub seconds: u64,
}

/// The flows view's settings and moment.
#[derive(Clone, Debug, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FlowsScene {
    /// The log position the clock is moved to.
    pub at: Option<u64>,
    /// Seq ranges `[first, last]` during which the source is down.
    #[serde(default)]
    pub outages: Vec<[u64; 2]>,
    #[serde(default)]
    pub drop: f64,
    #[serde(default)]
    pub duplicate: f64,
    #[serde(default)]
    pub reorder: f64,
    #[serde(default = "yes")]
    pub version_checks: bool,
    /// The customer compared.
    pub customer: Option<String>,
}

fn yes() -> bool {
    true
}

/// Something the learner is asked to do, and how the explorer sees that
/// they did.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TryIt {
    /// What to do, as the dock says it ("Take the source down with o").
    pub ask: String,
    pub check: Check,
}

/// What must have happened since the step began. Each is judged against
/// the explorer as the step's scene left it, so none passes before the
/// learner acts.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Check {
    /// The source was taken down with `o` in the flows view.
    SourceDown,
    /// A drop, duplicate or reorder rate was changed.
    FaultsChanged,
    /// The replica's version checks were turned on or off.
    VersionChecksToggled,
    /// The flows clock moved on.
    FlowsStepped,
    /// A command was sent and the write side accepted it.
    CommandAccepted,
    /// A command was sent and the write model refused it (a rule broken).
    CommandRejected,
    /// A command was refused because its stream moved on (expected version).
    Conflict,
    /// Blame ran on this field (`customer-1.address.city`).
    Blame(String),
    /// This view was opened.
    View(SceneView),
    /// The cursor reached this seq or went past it.
    Reached(u64),
    /// A rebuild from scratch finished.
    Rebuilt,
    /// The snapshot path and the genesis path were compared.
    Agreement,
    /// A read model's lag or delay was changed.
    Lagged,
}

impl Check {
    /// The check as a teacher reads it in a handout.
    pub fn describe(&self) -> String {
        match self {
            Check::SourceDown => "the source is taken down".into(),
            Check::FaultsChanged => "a fault rate is changed".into(),
            Check::VersionChecksToggled => "version checks are switched".into(),
            Check::FlowsStepped => "the flows clock moves on".into(),
            Check::CommandAccepted => "a command is accepted".into(),
            Check::CommandRejected => "a command is rejected by a rule".into(),
            Check::Conflict => "a command is refused as a conflict".into(),
            Check::Blame(field) => format!("blame runs on {field}"),
            Check::View(view) => format!("the {} view is opened", view.name()),
            Check::Reached(seq) => format!("the cursor reaches seq {seq}"),
            Check::Rebuilt => "a rebuild finishes".into(),
            Check::Agreement => "the two paths are compared".into(),
            Check::Lagged => "a read model's lag is changed".into(),
        }
    }
}

impl SceneView {
    pub fn name(self) -> &'static str {
        match self {
            SceneView::Log => "log",
            SceneView::Projections => "projections",
            SceneView::Cqrs => "CQRS",
            SceneView::Flows => "flows",
        }
    }
}

/// The file's shape, as serde reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LessonFile {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub log: String,
    #[serde(default)]
    pub order: i64,
    #[serde(default)]
    pub step: Vec<toml::Spanned<StepFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StepFile {
    pub title: String,
    pub narration: String,
    pub notice: Option<String>,
    #[serde(default)]
    pub claims: Vec<String>,
    #[serde(default)]
    pub scene: Scene,
    #[serde(rename = "try")]
    pub try_it: Option<TryIt>,
}
