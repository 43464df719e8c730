//! Tests of the write side: given / when / then per domain, handling and
//! policies, and the two command forms.

mod bank;
mod customer;
pub(crate) mod fixtures;
mod handling;
pub(crate) mod harness;
mod history;
mod library;
mod order;
mod parsing;
mod policies;
mod short_form;
