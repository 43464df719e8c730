//! The write model of the stream the command line names, as shown: its
//! state rebuilt from its events, and the state before the last command.

use serde::Serialize;
use serde_json::Value;

use crate::cqrs::bank::Account;
use crate::cqrs::retail::{Customer, Order};
use crate::cqrs::{WriteModel, fold};
use crate::domain::bank::ACCOUNT_PREFIX;
use crate::domain::retail::{CUSTOMER_PREFIX, ORDER_PREFIX};
use crate::domain_file::Domain;
use crate::jq;
use crate::store::EventLog;

/// The write model of one stream, as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct WriteModelView {
    /// The command it is the write model of: a domain file's commands
    /// each fold their stream their own way.
    pub command: String,
    pub stream: String,
    pub version: u64,
    /// The state rebuilt from the stream (null before it exists), or why not.
    pub state: Result<Value, String>,
    /// The state before the last command, to mark what it changed.
    pub before: Option<Value>,
}

/// The write model of `stream` for `command`, rebuilt from its events: by
/// `file`'s fold when the file defines the command, else by the built-in
/// one of the stream's kind.
pub fn read_write_model(
    log: &EventLog,
    command: &str,
    stream: &str,
    file: Option<&Domain>,
) -> WriteModelView {
    let events = log.read_stream(stream).map_err(|e| e.to_string());
    let version = events.as_ref().map_or(0, |e| e.len() as u64);
    let def = file.and_then(|file| file.command(command));
    let state = events.and_then(|events| {
        if let Some(def) = def {
            let model = def.model(&events).map_err(|e| e.to_string())?;
            jq::to_json(&model).map_err(|e| e.0.to_string())
        } else if stream.starts_with(CUSTOMER_PREFIX) {
            folded::<Option<Customer>>(&events)
        } else if stream.starts_with(ORDER_PREFIX) {
            folded::<Option<Order>>(&events)
        } else if stream.starts_with(ACCOUNT_PREFIX) {
            folded::<Option<Account>>(&events)
        } else {
            Err(format!("{stream} has no write model here"))
        }
    });
    WriteModelView {
        command: command.to_string(),
        stream: stream.to_string(),
        version,
        state,
        before: None,
    }
}

fn folded<M: WriteModel + Serialize>(events: &[crate::event::Event]) -> Result<Value, String> {
    let model: M = fold(events).map_err(|e| e.to_string())?;
    serde_json::to_value(&model).map_err(|e| e.to_string())
}
