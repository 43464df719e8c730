//! What each read model answers about the entity of the write model shown,
//! worked out in `update` (it reads the log to judge staleness) so the view
//! only draws it.

use serde_json::Value;

use crate::domain::bank::ACCOUNT_PREFIX;
use crate::domain::retail::{CUSTOMER_PREFIX, ORDER_PREFIX};
use crate::projection::builtin::{AddressBook, Balances, Customers, Orders, Streams};
use crate::projection::{EventSource, Path};
use crate::ui::views::cqrs::read_models::ReadModel;
use crate::ui::views::cqrs::write_model::WriteModelView;

/// One read model's line in the view.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadRow {
    /// Its index among the read models.
    pub model: usize,
    pub name: String,
    pub lag_events: u64,
    pub delay_secs: u64,
    pub applied_seq: u64,
    pub last_seq: u64,
    pub problem: Option<String>,
    pub state: RowState,
}

/// What the row says.
#[derive(Clone, Debug, PartialEq)]
pub enum RowState {
    /// Its first state is being built.
    Building,
    /// It answers no question about the stream shown; what it answers.
    Idle(String),
    Answer(Answer),
}

/// A read model's answer about one entity.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub entity: String,
    /// None: the read model does not know the entity (yet).
    pub value: Option<Value>,
    /// An event it has not applied yet changes this answer.
    pub stale: bool,
    /// Where the read model and the write model disagree: field, read,
    /// write; one entry with no field when the read model lacks the entity.
    pub differences: Vec<(String, Value, Value)>,
}

/// The rows for `models`: those that can answer about the stream of
/// `shown` (all of them, idle, when none is shown).
pub fn rows(
    models: &[ReadModel],
    shown: Option<&WriteModelView>,
    log: &dyn EventSource,
    last_seq: u64,
) -> Vec<ReadRow> {
    let stream = shown.map(|w| w.stream.as_str());
    let truth = shown.and_then(|w| w.state.as_ref().ok());
    let version = shown.map_or(0, |w| w.version);
    models
        .iter()
        .enumerate()
        .filter(|(_, model)| stream.is_none_or(|s| model.from_file || relevant(&model.name, s)))
        .map(|(index, model)| {
            let asked = |s: &str| match model.from_file {
                // Keyed by stream, as the library's projections are.
                true => Some(Query {
                    entity: s.to_string(),
                    path: Path::keys([s]),
                    truth: None,
                }),
                false => query(&model.name, s, truth, version),
            };
            let state = if !model.is_ready() {
                RowState::Building
            } else {
                match stream.and_then(asked) {
                    Some(query) => RowState::Answer(answer(model, &query, log, last_seq)),
                    None if model.from_file => RowState::Idle(model.summary.clone()),
                    None => RowState::Idle(answers(&model.name).to_string()),
                }
            };
            ReadRow {
                model: index,
                name: model.name.clone(),
                lag_events: model.lag_events,
                delay_secs: model.delay_secs,
                applied_seq: model.applied_seq,
                last_seq,
                problem: model.problem.clone(),
                state,
            }
        })
        .collect()
}

/// A question for a read model: the entity, where its answer is, and the
/// write model's view of the same (when the write model shown is that entity's).
struct Query {
    entity: String,
    path: Path,
    truth: Option<Value>,
}

fn relevant(model: &str, stream: &str) -> bool {
    let retail = stream.starts_with(CUSTOMER_PREFIX) || stream.starts_with(ORDER_PREFIX);
    match model {
        Customers::NAME | AddressBook::NAME | Orders::NAME => retail,
        Balances::NAME => stream.starts_with(ACCOUNT_PREFIX),
        Streams::NAME => true,
        _ => false,
    }
}

/// What a read model answers, for a row with no question.
fn answers(model: &str) -> &'static str {
    match model {
        Customers::NAME => "answers: a customer's name, email, address",
        AddressBook::NAME => "answers: where to ship for a customer",
        Orders::NAME => "answers: an order's status and total (name an order-<n>)",
        Balances::NAME => "answers: an account's balance",
        Streams::NAME => "answers: a stream's version and last event",
        _ => "",
    }
}

fn query(model: &str, stream: &str, truth: Option<&Value>, version: u64) -> Option<Query> {
    let is_customer = stream.starts_with(CUSTOMER_PREFIX);
    // An order's customer, for the customer read models.
    let customer = if is_customer {
        Some(stream.to_string())
    } else {
        truth
            .and_then(|t| t.get("customer"))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let own = |path: Path, truth: Option<Value>| Query {
        entity: stream.to_string(),
        path,
        truth,
    };
    match model {
        Customers::NAME => customer.map(|c| Query {
            path: Path::keys([c.as_str()]),
            truth: truth.filter(|_| is_customer).cloned(),
            entity: c,
        }),
        AddressBook::NAME => customer.map(|c| Query {
            path: Path::keys([c.as_str()]),
            truth: truth
                .filter(|_| is_customer)
                .and_then(|t| t.get("address"))
                .cloned(),
            entity: c,
        }),
        Orders::NAME if stream.starts_with(ORDER_PREFIX) => {
            Some(own(Path::keys(["orders", stream]), truth.cloned()))
        }
        Balances::NAME => Some(own(Path::keys(["accounts", stream]), truth.cloned())),
        Streams::NAME => Some(own(
            Path::keys([stream]),
            Some(serde_json::json!({"version": version})),
        )),
        _ => None,
    }
}

fn answer(model: &ReadModel, query: &Query, log: &dyn EventSource, last_seq: u64) -> Answer {
    let value = model.answer(&query.path);
    let stale = model.is_stale(log, last_seq, &query.path);
    let differences = match (&value, &query.truth) {
        (Some(read), Some(write)) if stale => differences(read, write),
        (None, Some(write)) if stale && !write.is_null() => {
            vec![(String::new(), Value::Null, write.clone())]
        }
        _ => Vec::new(),
    };
    Answer {
        entity: query.entity.clone(),
        value,
        stale,
        differences,
    }
}

/// The leaves both values have, where they differ: (dotted path, a, b).
pub fn differences(a: &Value, b: &Value) -> Vec<(String, Value, Value)> {
    let mut left = Vec::new();
    leaves("", a, &mut left);
    let mut right = Vec::new();
    leaves("", b, &mut right);
    left.into_iter()
        .filter_map(|(path, value)| {
            let (_, other) = right.iter().find(|(p, _)| *p == path)?;
            (*other != value).then(|| (path, value, other.clone()))
        })
        .collect()
}

fn leaves(prefix: &str, value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                leaves(&path, child, out);
            }
        }
        other => out.push((prefix.to_string(), other.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differences_name_the_leaves_both_sides_have() {
        let read =
            json!({"name": "Ada", "address": {"city": "Oslo", "street": "1 Main"}, "active": true});
        let write = json!({"name": "Ada", "address": {"city": "Leeds", "street": "1 Main"}, "deactivated": null});
        assert_eq!(
            differences(&read, &write),
            [("address.city".to_string(), json!("Oslo"), json!("Leeds"))]
        );
        assert!(differences(&read, &read).is_empty());
    }

    #[test]
    fn an_order_asks_the_customer_models_about_its_customer() {
        let order = json!({"customer": "customer-3", "status": "placed"});
        let asked = query(Customers::NAME, "order-9", Some(&order), 1).unwrap();
        assert_eq!(asked.entity, "customer-3");
        assert_eq!(asked.truth, None);
        assert!(query(Orders::NAME, "customer-3", None, 2).is_none());
        assert!(relevant(Balances::NAME, "account-1") && !relevant(Balances::NAME, "order-1"));
    }
}
