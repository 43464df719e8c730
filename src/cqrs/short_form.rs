//! The short form of a command, for typing at a prompt:
//!
//! ```text
//! ChangeCustomerAddress customer-7 street="1 Main St" city=Leeds postcode="LS1 1AA" country=UK
//! PlaceOrder order-9 customer=customer-7 item=BOOK-1:2:1500 item=MUG:1:800
//! Deposit account-3 amount=500 expected_version=4
//! ```
//!
//! The name, then the stream, then `key=value` words. Double quotes group
//! words with spaces (`\"` and `\\` escape inside them). An address is given
//! as its four keys; each order item as `item=sku:qty:price`. Numbers are read
//! as numbers only where the field is a number, so a postcode of digits stays
//! text. `expected_version`, `id` and `correlation_id` may follow.

use std::borrow::Cow;

use serde_json::{Map, Value, json};

use super::command::{Command, CommandBody, THE_COMMAND, check_stream, expected_version};
use super::domain_command;
use super::error::CommandError;
use super::fields::{DataFields, optional_text};
use super::spec::{ADDRESS_KEYS, ENVELOPE_KEYS, FieldKind, ITEM_KEY, command_spec};
use crate::domain_file::Domain;

impl Command {
    /// Reads the short form of a built-in command.
    pub fn parse_short(text: &str) -> Result<Command, CommandError> {
        Command::parse_short_in(text, None)
    }

    /// Reads the short form of a built-in command or one of `domain`'s (the
    /// file's name wins over a built-in one: the person chose the file).
    pub fn parse_short_in(text: &str, domain: Option<&Domain>) -> Result<Command, CommandError> {
        let mut words = split_words(text)?.into_iter();
        let name = words.next().ok_or_else(|| {
            CommandError::Syntax(
                "the command is empty: type a name and a stream, e.g. Deposit account-3 amount=500"
                    .into(),
            )
        })?;
        if let Some(def) = domain.and_then(|domain| domain.command(&name)) {
            let stream = match words.next() {
                Some(stream) if !stream.contains('=') => stream,
                _ => {
                    return Err(CommandError::Syntax(format!(
                        "{} needs a stream before its fields: {}",
                        def.name,
                        domain_command::usage(def)
                    )));
                }
            };
            let (data, envelope) = domain_command::short_data(def, words)?;
            let body = domain_command::body(def, &stream, Some(&data))?;
            return with_envelope(Command::new(stream, body), THE_COMMAND, &envelope);
        }
        let spec = command_spec(&name).ok_or_else(|| domain_command::unknown(name, domain))?;
        let stream = match words.next() {
            Some(stream) if !stream.contains('=') => stream,
            _ => {
                return Err(CommandError::Syntax(format!(
                    "{} needs a stream before its fields: {}",
                    spec.name,
                    spec.usage()
                )));
            }
        };
        check_stream(spec, &stream)?;

        let mut data = Map::new();
        let mut envelope = Map::new();
        let mut seen: Vec<String> = Vec::new();
        for word in words {
            let Some((key, value)) = word.split_once('=') else {
                return Err(CommandError::Syntax(format!(
                    "`{word}` is not key=value; {} takes: {}",
                    spec.name,
                    spec.usage()
                )));
            };
            if key != ITEM_KEY && seen.iter().any(|k| k == key) {
                return Err(CommandError::Syntax(format!("`{key}` is given twice")));
            }
            seen.push(key.to_string());
            if ENVELOPE_KEYS.contains(&key) {
                let value = if key == "expected_version" {
                    number_or_text(value)
                } else {
                    Value::from(value)
                };
                envelope.insert(key.to_string(), value);
                continue;
            }
            let field = spec
                .fields
                .iter()
                .find(|field| field.short_keys().contains(&key))
                .ok_or_else(|| CommandError::UnknownField {
                    command: spec.name,
                    field: key.to_string(),
                    known: spec.short_keys(),
                })?;
            let slot = data.entry(field.name);
            match field.kind {
                FieldKind::Address => {
                    if let Value::Object(address) = slot.or_insert_with(|| json!({})) {
                        address.insert(key.to_string(), value.into());
                    }
                }
                FieldKind::Items => {
                    let item = item_from_word(spec.name, value)?;
                    if let Value::Array(items) = slot.or_insert_with(|| json!([])) {
                        items.push(item);
                    }
                }
                FieldKind::Cents => {
                    slot.or_insert(number_or_text(value));
                }
                FieldKind::Text | FieldKind::Email | FieldKind::StreamRef(_) => {
                    slot.or_insert(value.into());
                }
            }
        }

        let data = Value::Object(data);
        let body = CommandBody::from_data(spec, &DataFields::new(spec, Some(&data))?)?;
        with_envelope(Command::new(stream, body), spec.name, &envelope)
    }

    /// The short form; [`Command::parse_short_in`] reads it back unchanged
    /// (the origin aside: a typed command is always a person's).
    pub fn to_short(&self) -> String {
        let data = self.body.data();
        let mut words = vec![self.name().to_string(), quote(&self.stream).into_owned()];
        let mut push = |key: &str, value: &str| words.push(format!("{key}={}", quote(value)));
        if let (CommandBody::Domain(_), Value::Object(fields)) = (&self.body, &data) {
            for (key, value) in fields {
                push(key, &plain(value));
            }
        }
        for field in self.body.spec().map_or(&[][..], |spec| spec.fields) {
            match (field.kind, data.get(field.name)) {
                (FieldKind::Address, Some(Value::Object(address))) => {
                    for key in ADDRESS_KEYS {
                        if let Some(value) = address.get(key) {
                            push(key, &plain(value));
                        }
                    }
                }
                (FieldKind::Items, Some(Value::Array(items))) => {
                    for item in items {
                        let part = |key: &str| item.get(key).map(plain).unwrap_or_default();
                        let word = format!("{}:{}:{}", part("sku"), part("qty"), part("price"));
                        push(ITEM_KEY, &word);
                    }
                }
                (_, Some(value)) => push(field.name, &plain(value)),
                (_, None) => {}
            }
        }
        if let Some(version) = self.expected_version {
            push("expected_version", &version.to_string());
        }
        if let Some(id) = &self.id {
            push("id", id);
        }
        if let Some(correlation_id) = &self.correlation_id {
            push("correlation_id", correlation_id);
        }
        words.join(" ")
    }
}

/// `command` with the envelope keys given in the short form.
fn with_envelope(
    mut command: Command,
    named: &'static str,
    envelope: &Map<String, Value>,
) -> Result<Command, CommandError> {
    command.expected_version = expected_version(named, envelope.get("expected_version"))?;
    command.id = optional_text(named, "id", envelope.get("id"))?;
    command.correlation_id =
        optional_text(named, "correlation_id", envelope.get("correlation_id"))?;
    Ok(command)
}

/// Splits on whitespace outside double quotes; quotes only group.
fn split_words(text: &str) -> Result<Vec<String>, CommandError> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut in_quotes = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                in_word = true;
            }
            '\\' if in_quotes => match chars.next() {
                Some(escaped @ ('"' | '\\')) => word.push(escaped),
                Some(other) => {
                    word.push('\\');
                    word.push(other);
                }
                None => word.push('\\'),
            },
            c if c.is_whitespace() && !in_quotes => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_quotes {
        return Err(CommandError::Syntax(
            "a double quote is not closed: close it with \"".into(),
        ));
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// Quotes a word when splitting would otherwise change it.
fn quote(word: &str) -> Cow<'_, str> {
    let needs_quotes = word.is_empty()
        || word
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '\\');
    if !needs_quotes {
        return Cow::Borrowed(word);
    }
    let mut quoted = String::with_capacity(word.len() + 2);
    quoted.push('"');
    for c in word.chars() {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    Cow::Owned(quoted)
}

/// `sku:qty:price`, split from the right so a sku may hold colons.
fn item_from_word(command: &'static str, word: &str) -> Result<Value, CommandError> {
    let mut parts = word.rsplitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(price), Some(qty), Some(sku)) => Ok(json!({
            "sku": sku,
            "qty": number_or_text(qty),
            "price": number_or_text(price),
        })),
        _ => Err(CommandError::InvalidField {
            command,
            field: ITEM_KEY.into(),
            expected: "sku:qty:price",
            found: format!("\"{word}\""),
        }),
    }
}

/// An integer as a JSON number; anything else as text, for the field check
/// to report in its own words.
pub(super) fn number_or_text(word: &str) -> Value {
    word.parse::<i64>()
        .map(Value::from)
        .or_else(|_| word.parse::<u64>().map(Value::from))
        .unwrap_or_else(|_| Value::from(word))
}

/// A value as typed: text without JSON quotes, numbers as digits.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
