//! The text of a domain file, as serde reads it from TOML. Nothing here is
//! checked beyond its shape: [`super::compile`] turns it into programs.
//!
//! Every jq expression is kept with its place in the file ([`Spanned`]), so
//! an error in it names the file, line and column.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A jq expression and where its text stands in the file.
pub type Expr = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileText {
    /// What the domain is called, e.g. `library`.
    pub name: String,
    /// One line saying what the domain is.
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub projections: BTreeMap<String, ProjectionText>,
    #[serde(default)]
    pub commands: BTreeMap<String, CommandText>,
    #[serde(default)]
    pub policies: Vec<PolicyText>,
    pub flows: Option<FlowsText>,
}

/// A fold: `init`, then `reduce` over every event, or `when` one
/// expression per event type (the others leave the state as it is).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FoldText {
    pub init: Option<Expr>,
    pub reduce: Option<Expr>,
    #[serde(default)]
    pub when: BTreeMap<String, Expr>,
}

/// A projection: a summary and a fold. (The fold's keys are repeated
/// rather than flattened in: serde's flatten would lose their places.)
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectionText {
    #[serde(default)]
    pub summary: String,
    pub init: Option<Expr>,
    pub reduce: Option<Expr>,
    #[serde(default)]
    pub when: BTreeMap<String, Expr>,
}

impl ProjectionText {
    pub fn fold(&self) -> FoldRef<'_> {
        FoldRef {
            init: self.init.as_ref(),
            reduce: self.reduce.as_ref(),
            when: &self.when,
        }
    }
}

impl FoldText {
    pub fn fold(&self) -> FoldRef<'_> {
        FoldRef {
            init: self.init.as_ref(),
            reduce: self.reduce.as_ref(),
            when: &self.when,
        }
    }
}

/// The parts of a fold, wherever they were written.
#[derive(Clone, Copy)]
pub struct FoldRef<'a> {
    pub init: Option<&'a Expr>,
    pub reduce: Option<&'a Expr>,
    pub when: &'a BTreeMap<String, Expr>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandText {
    #[serde(default)]
    pub summary: String,
    /// The category of the streams it targets: `book` for `book-<n>`.
    pub stream: String,
    /// Field name -> kind (`text`, `email`, `cents`, `number`,
    /// `stream:<category>`, `json`), in the order a person types them.
    #[serde(default)]
    pub fields: toml::Table,
    /// The write model: a fold over the target stream's own events.
    pub model: Option<FoldText>,
    #[serde(default)]
    pub rules: Vec<RuleText>,
    pub emit: Vec<EmitText>,
    /// Normally issued by a policy rather than a person (who still may).
    #[serde(default)]
    pub by_policy: bool,
}

/// A rule: when `reject_if` is true of the write model and the command,
/// the command is refused with `reason`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleText {
    pub reject_if: Expr,
    pub reason: Expr,
}

/// One event a command becomes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmitText {
    #[serde(rename = "type")]
    pub event_type: String,
    pub data: Expr,
}

/// When an event of type `when` happens (and `if` holds), issue `then`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyText {
    pub name: String,
    pub when: String,
    #[serde(rename = "if")]
    pub condition: Option<Expr>,
    pub then: String,
    /// The stream of the command issued.
    pub stream: Expr,
    pub data: Expr,
}

/// Which streams are the source's entities, which events are the
/// consumer's moments of work, and how each finds its entity.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowsText {
    /// The category of the source's entities: `member` for `member-<n>`.
    pub source: String,
    /// The event types at which the consumer does its work.
    #[serde(default)]
    pub work: Vec<String>,
    /// The field of a work event's data that names the entity's stream; or
    /// `<Type>.<field>` for a field of an earlier event of the work event's
    /// own stream (as `OrderPlaced.customer` is for shipping).
    pub link: Option<String>,
    /// The entity's fields the work reads; without it, all of them.
    #[serde(default)]
    pub needs: Vec<String>,
}
