//! Reading a command's `data` field by field, so that every error names the
//! field at fault and says what it should hold.

use serde_json::{Map, Value};

use super::error::CommandError;
use super::order_line::OrderLine;
use super::spec::{ADDRESS_KEYS, CommandSpec};
use crate::domain::retail::{Address, CUSTOMER_PREFIX};

const NON_BLANK: &str = "non-blank text";
const ITEM_KEYS: [&str; 3] = ["sku", "qty", "price"];
const ADDRESS: &str = "an address {street, city, postcode, country}";
const ITEM: &str = "an item {sku, qty, price}";

/// The `data` object of one command, checked against its spec.
pub(crate) struct DataFields<'a> {
    spec: &'static CommandSpec,
    object: Option<&'a Map<String, Value>>,
}

impl<'a> DataFields<'a> {
    /// Takes `data` (absent or null when the command has no fields) and
    /// rejects keys the command does not know.
    pub fn new(spec: &'static CommandSpec, data: Option<&'a Value>) -> Result<Self, CommandError> {
        let object = match data {
            None | Some(Value::Null) => None,
            Some(Value::Object(object)) => {
                let known: Vec<&'static str> = spec.fields.iter().map(|f| f.name).collect();
                check_keys(spec.name, "", object, &known)?;
                Some(object)
            }
            Some(other) => return Err(invalid(spec.name, "data".into(), "an object", other)),
        };
        Ok(DataFields { spec, object })
    }

    fn get(&self, field: &str) -> Option<&'a Value> {
        self.object.and_then(|object| object.get(field))
    }

    pub fn text(&self, field: &str) -> Result<String, CommandError> {
        required_text(self.spec.name, field.to_string(), self.get(field))
    }

    /// Text of the form `someone@somewhere`.
    pub fn email(&self, field: &str) -> Result<String, CommandError> {
        let email = self.text(field)?;
        let well_formed = email
            .split_once('@')
            .is_some_and(|(name, host)| !name.trim().is_empty() && !host.trim().is_empty());
        if well_formed {
            Ok(email)
        } else {
            Err(invalid(
                self.spec.name,
                field.to_string(),
                "an email address like someone@example.com",
                &Value::String(email),
            ))
        }
    }

    pub fn cents(&self, field: &str) -> Result<i64, CommandError> {
        whole_number(
            self.spec.name,
            field.to_string(),
            self.get(field),
            "a whole number of cents",
        )
    }

    /// The name of another stream, which must start with `prefix`.
    pub fn stream_ref(&self, field: &str, prefix: &str) -> Result<String, CommandError> {
        let stream = self.text(field)?;
        let fits = stream.strip_prefix(prefix).is_some_and(|id| !id.is_empty());
        if fits {
            Ok(stream)
        } else {
            let expected = if prefix == CUSTOMER_PREFIX {
                "a customer stream like customer-7"
            } else {
                "a stream of the right kind"
            };
            Err(invalid(
                self.spec.name,
                field.to_string(),
                expected,
                &Value::String(stream),
            ))
        }
    }

    pub fn address(&self, field: &str) -> Result<Address, CommandError> {
        let command = self.spec.name;
        let object = required_object(command, field, self.get(field), &ADDRESS_KEYS, ADDRESS)?;
        let part = |key: &str| required_text(command, format!("{field}.{key}"), object.get(key));
        Ok(Address {
            street: part("street")?,
            city: part("city")?,
            postcode: part("postcode")?,
            country: part("country")?,
        })
    }

    /// Order lines; their numbers are the decider's to judge.
    pub fn items(&self, field: &str) -> Result<Vec<OrderLine>, CommandError> {
        let command = self.spec.name;
        let expected = "a list of items {sku, qty, price}";
        let value = self.get(field).ok_or_else(|| missing(command, field))?;
        let Value::Array(items) = value else {
            return Err(invalid(command, field.to_string(), expected, value));
        };
        let mut lines = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let path = format!("{field}[{index}]");
            let object = required_object(command, &path, Some(item), &ITEM_KEYS, ITEM)?;
            let number = |key: &str| {
                whole_number(
                    command,
                    format!("{path}.{key}"),
                    object.get(key),
                    "a whole number",
                )
            };
            lines.push(OrderLine {
                sku: required_text(command, format!("{path}.sku"), object.get("sku"))?,
                qty: number("qty")?,
                price: number("price")?,
            });
        }
        Ok(lines)
    }
}

/// Optional text: absent or null gives `None`; anything else must be non-blank text.
pub(crate) fn optional_text(
    command: &'static str,
    field: &str,
    value: Option<&Value>,
) -> Result<Option<String>, CommandError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        value => required_text(command, field.to_string(), value).map(Some),
    }
}

/// A JSON value, shortened for an error message.
pub(crate) fn describe(value: &Value) -> String {
    const LIMIT: usize = 40;
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        text
    } else {
        let head: String = text.chars().take(LIMIT).collect();
        format!("{head}...")
    }
}

fn required_text(
    command: &'static str,
    field: String,
    value: Option<&Value>,
) -> Result<String, CommandError> {
    match value {
        None => Err(CommandError::MissingField { command, field }),
        Some(Value::String(text)) if !text.trim().is_empty() => Ok(text.clone()),
        Some(other) => Err(invalid(command, field, NON_BLANK, other)),
    }
}

fn whole_number(
    command: &'static str,
    field: String,
    value: Option<&Value>,
    expected: &'static str,
) -> Result<i64, CommandError> {
    match value {
        None => Err(CommandError::MissingField { command, field }),
        Some(value) => value
            .as_i64()
            .ok_or_else(|| invalid(command, field, expected, value)),
    }
}

fn required_object<'v>(
    command: &'static str,
    field: &str,
    value: Option<&'v Value>,
    keys: &[&'static str],
    expected: &'static str,
) -> Result<&'v Map<String, Value>, CommandError> {
    match value {
        None => Err(missing(command, field)),
        Some(Value::Object(object)) => {
            check_keys(command, field, object, keys)?;
            Ok(object)
        }
        Some(other) => Err(invalid(command, field.to_string(), expected, other)),
    }
}

fn check_keys(
    command: &'static str,
    parent: &str,
    object: &Map<String, Value>,
    known: &[&'static str],
) -> Result<(), CommandError> {
    match object.keys().find(|key| !known.contains(&key.as_str())) {
        Some(key) => Err(CommandError::UnknownField {
            command,
            field: if parent.is_empty() {
                key.clone()
            } else {
                format!("{parent}.{key}")
            },
            known: known.to_vec(),
        }),
        None => Ok(()),
    }
}

fn missing(command: &'static str, field: &str) -> CommandError {
    CommandError::MissingField {
        command,
        field: field.to_string(),
    }
}

fn invalid(
    command: &'static str,
    field: String,
    expected: &'static str,
    found: &Value,
) -> CommandError {
    CommandError::InvalidField {
        command,
        field,
        expected,
        found: describe(found),
    }
}
