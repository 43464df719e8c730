//! A domain file's commands read in both forms: the same envelope as the
//! built-in ones (`stream`, `expected_version`, `id`, `correlation_id`), and
//! `data` checked against the fields the file gives, so a command that does
//! not fit is refused before any log is opened.

use serde_json::{Map, Value};

use super::body::{CommandBody, DomainCommand};
use super::error::CommandError;
use super::spec::{ENVELOPE_KEYS, command_specs};
use crate::domain_file::{CommandDef, Domain, FieldKind};

/// The body of `def` for `stream` with `data` (absent or null: no fields).
pub(crate) fn body(
    def: &CommandDef,
    stream: &str,
    data: Option<&Value>,
) -> Result<CommandBody, CommandError> {
    let data = match data {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(data) => data.clone(),
    };
    def.check(stream, &data)
        .map_err(|error| CommandError::Invalid(error.to_string()))?;
    Ok(CommandBody::Domain(DomainCommand {
        name: def.name.clone(),
        data,
    }))
}

/// The `data` of `def` from short-form `key=value` words, each value typed
/// by its field's kind; the envelope keys are handed back apart.
pub(crate) fn short_data(
    def: &CommandDef,
    words: impl Iterator<Item = String>,
) -> Result<(Value, Map<String, Value>), CommandError> {
    let mut data = Map::new();
    let mut envelope = Map::new();
    for word in words {
        let Some((key, value)) = word.split_once('=') else {
            return Err(CommandError::Syntax(format!(
                "`{word}` is not key=value; {} takes: {}",
                def.name,
                usage(def)
            )));
        };
        if data.contains_key(key) || envelope.contains_key(key) {
            return Err(CommandError::Syntax(format!("`{key}` is given twice")));
        }
        if ENVELOPE_KEYS.contains(&key) {
            let value = match key {
                "expected_version" => super::short_form::number_or_text(value),
                _ => Value::from(value),
            };
            envelope.insert(key.to_owned(), value);
            continue;
        }
        let Some(field) = def.fields.iter().find(|field| field.name == key) else {
            let known: Vec<&str> = def
                .fields
                .iter()
                .map(|f| f.name.as_str())
                .chain(ENVELOPE_KEYS)
                .collect();
            return Err(CommandError::Invalid(format!(
                "{} has no field `{key}` (its fields: {})",
                def.name,
                known.join(", ")
            )));
        };
        data.insert(key.to_owned(), typed(&field.kind, value));
    }
    Ok((Value::Object(data), envelope))
}

/// A typed word as the value its field's kind reads: numbers for `number`
/// and `cents`, JSON for `json` (text when it is not JSON), text otherwise.
/// A word that does not fit stays text, for the field check to report.
fn typed(kind: &FieldKind, word: &str) -> Value {
    match kind {
        FieldKind::Cents => super::short_form::number_or_text(word),
        FieldKind::Number => match super::short_form::number_or_text(word) {
            Value::String(_) => word
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or_else(|| Value::from(word), Value::Number),
            number => number,
        },
        FieldKind::Json => serde_json::from_str(word).unwrap_or_else(|_| Value::from(word)),
        FieldKind::Text | FieldKind::Email | FieldKind::Stream(_) => Value::from(word),
    }
}

/// A usage line, e.g. `BorrowBook book-<id> member=member-<id> due=<text>`.
pub fn usage(def: &CommandDef) -> String {
    let mut line = format!("{} {}-<id>", def.name, def.stream_category);
    for field in &def.fields {
        line.push_str(&format!(" {}={}", field.name, hint(&field.kind)));
    }
    line
}

/// What a value of `kind` looks like, for usage lines and completion.
pub fn hint(kind: &FieldKind) -> String {
    match kind {
        FieldKind::Text => "<text>".into(),
        FieldKind::Email => "<email>".into(),
        FieldKind::Cents => "<cents>".into(),
        FieldKind::Number => "<number>".into(),
        FieldKind::Stream(category) => format!("{category}-<id>"),
        FieldKind::Json => "<json>".into(),
    }
}

/// The error for a command neither the built-ins nor `domain` define.
pub(crate) fn unknown(name: String, domain: Option<&Domain>) -> CommandError {
    match domain {
        None => CommandError::UnknownCommand { name },
        Some(domain) => CommandError::UnknownInDomain {
            name,
            domain: domain.name.clone(),
            known: domain
                .commands
                .iter()
                .map(|def| def.name.clone())
                .chain(command_specs().iter().map(|spec| spec.name.to_owned()))
                .collect(),
        },
    }
}
