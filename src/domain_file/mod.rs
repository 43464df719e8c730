//! Domain files: a domain described to eventscope as data.
//!
//! One TOML file holds a domain's projections (jq folds over the log), its
//! commands (a write model folded from the target stream, rules that reject,
//! the events a command becomes), its policies (when event X, issue command
//! Y) and its flows mapping (the source's entities, the consumer's moments
//! of work, the link between them). TOML because it is the Rust world's
//! habit for hand-written files, it has comments, and its literal strings
//! (`'...'`, `'''...'''`) hold jq without a single escape, so a column in a
//! jq error is a column in the file.
//!
//! [`load`] reads a file and compiles every expression once; an error names
//! the file, line and column and the part of the domain it is in.
//!
//! ```toml
//! name = "library"
//!
//! [projections.on-loan]
//! init = '{}'
//! when.BookBorrowed = '.[$event.stream] = $event.data.member'
//! when.BookReturned = 'del(.[$event.stream])'
//! ```

mod decide;
mod error;
mod event_value;
mod fold;
mod projection;
mod propose;
mod registry;
mod schema;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use decide::{DecideError, Reaction, Verdict, in_category};
pub use error::{DomainError, line_column};
pub use event_value::{EventFields, EventValues, event_value};
pub use fold::{Fold, FoldError, Step};
pub use projection::JqProjection;
pub use propose::{Proposal, candidates, category, propose};
pub use registry::Projections;

use crate::jq::{self, Program, Val};
use schema::{Expr, FileText, FoldRef};

/// A domain, read and compiled.
pub struct Domain {
    pub name: String,
    pub summary: String,
    /// The file it was read from, as the person named it.
    pub file: String,
    pub projections: Vec<ProjectionDef>,
    pub commands: Vec<CommandDef>,
    pub policies: Vec<PolicyDef>,
    pub flows: Option<FlowsDef>,
}

/// The compiled jq programs have no useful form to print: a domain shows
/// what it is called, where it came from and what it holds.
impl std::fmt::Debug for Domain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Domain")
            .field("name", &self.name)
            .field("file", &self.file)
            .field("projections", &self.projections.len())
            .field("commands", &self.commands.len())
            .field("policies", &self.policies.len())
            .field("flows", &self.flows)
            .finish()
    }
}

impl Domain {
    /// The command called `name`, if the file defines one.
    pub fn command(&self, name: &str) -> Option<&CommandDef> {
        self.commands.iter().find(|command| command.name == name)
    }
}

/// A projection of the domain: a named fold over the whole log.
pub struct ProjectionDef {
    pub name: String,
    pub summary: String,
    /// Shared by every instance: compiled once.
    pub fold: Arc<Fold>,
}

/// A command: the stream category it targets, its fields, its write model,
/// its rules and the events it becomes.
pub struct CommandDef {
    pub name: String,
    pub summary: String,
    /// `book` for streams `book-<n>`.
    pub stream_category: String,
    pub fields: Vec<FieldDef>,
    pub model: Fold,
    pub rules: Vec<RuleDef>,
    pub emits: Vec<EmitDef>,
    pub by_policy: bool,
}

/// One field of a command's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDef {
    pub name: String,
    pub kind: FieldKind,
}

/// The shape a command field's value must have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Email,
    Cents,
    Number,
    /// The name of a stream of this category.
    Stream(String),
    /// Any JSON value.
    Json,
}

pub struct RuleDef {
    /// `.` is the write model; `$command` the command's data, `$stream` its
    /// target stream.
    pub reject_if: Located<Program>,
    pub reason: Located<Program>,
}

pub struct EmitDef {
    pub event_type: String,
    pub data: Located<Program>,
}

/// When an event of type `when` happens and `condition` holds of it, issue
/// command `then` to the stream `stream` gives, with the data `data` gives.
/// Each expression reads the event as `.` and as `$event`.
pub struct PolicyDef {
    pub name: String,
    pub when: String,
    pub condition: Option<Located<Program>>,
    pub then: String,
    pub stream: Located<Program>,
    pub data: Located<Program>,
}

/// The flows mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowsDef {
    pub source_category: String,
    pub work: Vec<String>,
    pub link: Option<Link>,
    /// The entity's fields the work reads (`address` for shipping); empty
    /// for all of them.
    pub needs: Vec<String>,
}

impl std::fmt::Display for FlowsDef {
    /// `source customer · work OrderShipped · link OrderPlaced.customer · needs address`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "source {} · work {}",
            self.source_category,
            self.work.join(",")
        )?;
        match &self.link {
            Some(link) => write!(f, " · link {link}")?,
            None => f.write_str(" · no link (each change of an entity is work on it)")?,
        }
        if !self.needs.is_empty() {
            write!(f, " · needs {}", self.needs.join(","))?;
        }
        Ok(())
    }
}

/// How a work event finds the entity it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A field of the work event's own data.
    Field(String),
    /// A field of an earlier event of the work event's stream, of this type.
    Earlier { event_type: String, field: String },
}

impl std::fmt::Display for Link {
    /// As written in a file or a flag: `member` or `OrderPlaced.customer`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Link::Field(field) => f.write_str(field),
            Link::Earlier { event_type, field } => write!(f, "{event_type}.{field}"),
        }
    }
}

/// A compiled expression and its place in the file, for errors at run time.
pub struct Located<T> {
    pub value: T,
    /// `file:line:column` of the expression's first character.
    pub place: String,
}

/// Reads and compiles the domain file at `path`.
pub fn load(path: &Path) -> Result<Domain, DomainError> {
    let label = path.display().to_string();
    let text = crate::text_file::read(path).map_err(|error| DomainError {
        file: label.clone(),
        line: 1,
        column: 1,
        place: String::new(),
        message: format!("cannot read the domain file: {error}"),
    })?;
    parse(&text, &label)
}

/// The domain file beside a log: `NAME.domain.toml` for `NAME.redb` or
/// `NAME.jsonl`, when there is one.
pub fn beside(log: &Path) -> Option<PathBuf> {
    let stem = log.file_stem()?;
    let mut name = stem.to_os_string();
    name.push(".domain.toml");
    let candidate = log.with_file_name(name);
    candidate.is_file().then_some(candidate)
}

/// Compiles the text of a domain file; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Domain, DomainError> {
    let at = Places { text, file };
    let raw: FileText = toml::from_str(text).map_err(|error| {
        let offset = error.span().map_or(0, |span| span.start);
        at.error(offset, "", error.message().trim_end().to_owned())
    })?;

    let mut projections = Vec::new();
    for (name, projection) in &raw.projections {
        let place = format!("projection `{name}`");
        if crate::projection::names().contains(&name.as_str()) {
            let offset = text.find(&format!("projections.{name}")).unwrap_or(0);
            return Err(at.error(
                offset,
                &place,
                format!("`{name}` is a built-in projection's name; give this one another"),
            ));
        }
        projections.push(ProjectionDef {
            name: name.clone(),
            summary: projection.summary.clone(),
            fold: Arc::new(at.fold(projection.fold(), &place)?),
        });
    }

    let mut commands = Vec::new();
    for (name, command) in &raw.commands {
        let place = format!("command `{name}`");
        let fields = command
            .fields
            .iter()
            .map(|(field, kind)| {
                let kind = kind
                    .as_str()
                    .and_then(field_kind)
                    .ok_or_else(|| DomainError {
                        place: format!("{place}, field `{field}`"),
                        message: format!(
                            "the kind must be one of text, email, cents, number, json, \
                             stream:<category>; found {kind}"
                        ),
                        ..at.error(0, "", String::new())
                    })?;
                Ok(FieldDef {
                    name: field.clone(),
                    kind,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        let model = match &command.model {
            Some(model) => at.fold(model.fold(), &format!("{place}, model"))?,
            None => Fold::empty(),
        };
        let vars = &["command", "stream"];
        let rules = command
            .rules
            .iter()
            .enumerate()
            .map(|(n, rule)| {
                let place = format!("{place}, rule {}", n + 1);
                Ok(RuleDef {
                    reject_if: at.program(&rule.reject_if, vars, &format!("{place}, reject_if"))?,
                    reason: at.program(&rule.reason, vars, &format!("{place}, reason"))?,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        let emits = command
            .emit
            .iter()
            .map(|emit| {
                let place = format!("{place}, emit `{}`", emit.event_type);
                Ok(EmitDef {
                    event_type: emit.event_type.clone(),
                    data: at.program(&emit.data, vars, &place)?,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        commands.push(CommandDef {
            name: name.clone(),
            summary: command.summary.clone(),
            stream_category: command.stream.clone(),
            fields,
            model,
            rules,
            emits,
            by_policy: command.by_policy,
        });
    }

    let mut policies = Vec::new();
    for policy in &raw.policies {
        let place = format!("policy `{}`", policy.name);
        if !raw.commands.contains_key(&policy.then) {
            let offset = text.find(&format!("\"{}\"", policy.then)).unwrap_or(0);
            return Err(at.error(
                offset,
                &place,
                format!(
                    "`then` names the command `{}`, which the file does not define",
                    policy.then
                ),
            ));
        }
        let vars = &["event"];
        policies.push(PolicyDef {
            name: policy.name.clone(),
            when: policy.when.clone(),
            condition: policy
                .condition
                .as_ref()
                .map(|c| at.program(c, vars, &format!("{place}, if")))
                .transpose()?,
            then: policy.then.clone(),
            stream: at.program(&policy.stream, vars, &format!("{place}, stream"))?,
            data: at.program(&policy.data, vars, &format!("{place}, data"))?,
        });
    }

    let flows = raw.flows.as_ref().map(|flows| FlowsDef {
        source_category: flows.source.clone(),
        work: flows.work.clone(),
        link: flows.link.as_deref().map(parse_link),
        needs: flows.needs.clone(),
    });

    Ok(Domain {
        name: raw.name,
        summary: raw.summary,
        file: file.to_owned(),
        projections,
        commands,
        policies,
        flows,
    })
}

fn field_kind(text: &str) -> Option<FieldKind> {
    Some(match text {
        "text" => FieldKind::Text,
        "email" => FieldKind::Email,
        "cents" => FieldKind::Cents,
        "number" => FieldKind::Number,
        "json" => FieldKind::Json,
        other => FieldKind::Stream(other.strip_prefix("stream:")?.to_owned()),
    })
}

/// Reads a link as written in a file or a flag: `Type.field` (the type
/// starts with a capital) or `field`.
pub fn parse_link(text: &str) -> Link {
    match text.split_once('.') {
        Some((event_type, field)) if event_type.starts_with(|c: char| c.is_uppercase()) => {
            Link::Earlier {
                event_type: event_type.to_owned(),
                field: field.to_owned(),
            }
        }
        _ => Link::Field(text.to_owned()),
    }
}

/// The file's text and name, to place errors.
struct Places<'a> {
    text: &'a str,
    file: &'a str,
}

impl Places<'_> {
    fn error(&self, offset: usize, place: &str, message: String) -> DomainError {
        let (line, column) = line_column(self.text, offset);
        DomainError {
            file: self.file.to_owned(),
            line,
            column,
            place: place.to_owned(),
            message,
        }
    }

    /// Byte offset in the file of the first character of `expr`'s content.
    fn content_start(&self, expr: &Expr) -> usize {
        let span = expr.span();
        let raw = self.text.get(span.clone()).unwrap_or("");
        let quote = ["'''", "\"\"\"", "'", "\""]
            .into_iter()
            .find(|q| raw.starts_with(q))
            .map_or(0, str::len);
        let mut start = span.start + quote;
        // A newline right after an opening triple quote is not content.
        if quote == 3 {
            let rest = self.text.get(start..).unwrap_or("");
            if rest.starts_with("\r\n") {
                start += 2;
            } else if rest.starts_with('\n') {
                start += 1;
            }
        }
        start
    }

    fn place_of(&self, expr: &Expr) -> String {
        let (line, column) = line_column(self.text, self.content_start(expr));
        format!("{}:{line}:{column}", self.file)
    }

    fn program(
        &self,
        expr: &Expr,
        vars: &[&str],
        place: &str,
    ) -> Result<Located<Program>, DomainError> {
        let program = Program::compile(expr.get_ref(), vars).map_err(|error| {
            // In literal strings the content is the file's text verbatim, so
            // the offset inside the expression is exact.
            self.error(
                self.content_start(expr) + error.offset,
                place,
                error.message,
            )
        })?;
        Ok(Located {
            value: program,
            place: self.place_of(expr),
        })
    }

    fn fold(&self, text: FoldRef<'_>, place: &str) -> Result<Fold, DomainError> {
        let init = match text.init {
            Some(expr) => {
                let program = self.program(expr, &[], &format!("{place}, init"))?;
                program.value.one(Val::Null, vec![]).map_err(|error| {
                    self.error(self.content_start(expr), &format!("{place}, init"), error.0)
                })?
            }
            None => jq::parse("{}").unwrap_or(Val::Null),
        };
        let step = match (text.reduce, text.when.is_empty()) {
            (Some(_), false) => {
                let offset = text.reduce.map_or(0, |e| e.span().start);
                return Err(self.error(
                    offset,
                    place,
                    "give either `reduce` or `when`, not both".into(),
                ));
            }
            (Some(reduce), true) => {
                Step::Reduce(self.program(reduce, &["event"], &format!("{place}, reduce"))?)
            }
            (None, _) => Step::When(
                text.when
                    .iter()
                    .map(|(event_type, expr)| {
                        let place = format!("{place}, when `{event_type}`");
                        Ok((event_type.clone(), self.program(expr, &["event"], &place)?))
                    })
                    .collect::<Result<_, DomainError>>()?,
            ),
        };
        let version = fold_version(text);
        let fields = text
            .reduce
            .into_iter()
            .chain(text.when.values())
            .fold(EventFields::NONE, |fields, expr| {
                fields.union(EventFields::read_by(expr.get_ref()))
            });
        Ok(Fold::new(init, step, version, fields))
    }
}

/// A version for the fold's snapshots that changes whenever its text does,
/// so editing a domain file never restores a state the new code did not
/// build.
fn fold_version(text: FoldRef<'_>) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    for expr in text.init.into_iter().chain(text.reduce) {
        hasher.update(expr.get_ref().as_bytes());
        hasher.update(&[0]);
    }
    for (event_type, expr) in text.when {
        hasher.update(event_type.as_bytes());
        hasher.update(&[0]);
        hasher.update(expr.get_ref().as_bytes());
        hasher.update(&[0]);
    }
    hasher.finalize()
}

#[cfg(test)]
mod engine_tests;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;
