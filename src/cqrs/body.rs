//! The body of a command: what it asks for, typed, grouped by the kind of
//! stream it changes; and its `data` object in the JSON form.

use serde_json::{Value, json};

use super::error::CommandError;
use super::fields::DataFields;
pub use super::order_line::OrderLine;
use super::spec::{self, CommandSpec, command_spec};
use crate::domain::retail::{Address, CUSTOMER_PREFIX};

/// What the command asks for, grouped by the kind of stream it changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandBody {
    Customer(CustomerCommand),
    Order(OrderCommand),
    Account(AccountCommand),
    /// A command of a domain file, decided through the file's rules.
    Domain(DomainCommand),
}

/// A command a domain file defines: its name and its `data`, checked
/// against the file's fields when read and again when decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainCommand {
    pub name: String,
    pub data: Value,
}

/// Commands on a `customer-<n>` stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomerCommand {
    Register {
        name: String,
        email: String,
        address: Address,
    },
    ChangeAddress {
        address: Address,
    },
    ChangeEmail {
        email: String,
    },
    Deactivate {
        reason: String,
    },
}

/// Commands on an `order-<n>` stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderCommand {
    Place {
        customer: String,
        items: Vec<OrderLine>,
    },
    RequestPayment,
    Pay {
        amount: i64,
    },
    Ship,
    Cancel {
        reason: String,
    },
}

/// Commands on an `account-<n>` stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountCommand {
    Open { owner: String },
    Deposit { amount: i64 },
    Withdraw { amount: i64 },
    Close,
}

impl CommandBody {
    /// The command's name, e.g. `PlaceOrder`.
    pub fn name(&self) -> &str {
        use spec::*;
        match self {
            CommandBody::Customer(command) => match command {
                CustomerCommand::Register { .. } => REGISTER_CUSTOMER,
                CustomerCommand::ChangeAddress { .. } => CHANGE_CUSTOMER_ADDRESS,
                CustomerCommand::ChangeEmail { .. } => CHANGE_CUSTOMER_EMAIL,
                CustomerCommand::Deactivate { .. } => DEACTIVATE_CUSTOMER,
            },
            CommandBody::Order(command) => match command {
                OrderCommand::Place { .. } => PLACE_ORDER,
                OrderCommand::RequestPayment => REQUEST_PAYMENT,
                OrderCommand::Pay { .. } => PAY_ORDER,
                OrderCommand::Ship => SHIP_ORDER,
                OrderCommand::Cancel { .. } => CANCEL_ORDER,
            },
            CommandBody::Account(command) => match command {
                AccountCommand::Open { .. } => OPEN_ACCOUNT,
                AccountCommand::Deposit { .. } => DEPOSIT,
                AccountCommand::Withdraw { .. } => WITHDRAW,
                AccountCommand::Close => CLOSE_ACCOUNT,
            },
            CommandBody::Domain(command) => &command.name,
        }
    }

    /// The catalogue entry for this command (none for a domain file's:
    /// its file holds its fields).
    pub fn spec(&self) -> Option<&'static CommandSpec> {
        command_spec(self.name())
    }

    /// The `data` object of the JSON form.
    pub fn data(&self) -> Value {
        match self {
            CommandBody::Customer(command) => match command {
                CustomerCommand::Register {
                    name,
                    email,
                    address,
                } => json!({"name": name, "email": email, "address": address_json(address)}),
                CustomerCommand::ChangeAddress { address } => {
                    json!({"address": address_json(address)})
                }
                CustomerCommand::ChangeEmail { email } => json!({"email": email}),
                CustomerCommand::Deactivate { reason } => json!({"reason": reason}),
            },
            CommandBody::Order(command) => match command {
                OrderCommand::Place { customer, items } => {
                    let items: Vec<Value> = items
                        .iter()
                        .map(|line| json!({"sku": line.sku, "qty": line.qty, "price": line.price}))
                        .collect();
                    json!({"customer": customer, "items": items})
                }
                OrderCommand::Pay { amount } => json!({"amount": amount}),
                OrderCommand::Cancel { reason } => json!({"reason": reason}),
                OrderCommand::RequestPayment | OrderCommand::Ship => json!({}),
            },
            CommandBody::Account(command) => match command {
                AccountCommand::Open { owner } => json!({"owner": owner}),
                AccountCommand::Deposit { amount } | AccountCommand::Withdraw { amount } => {
                    json!({"amount": amount})
                }
                AccountCommand::Close => json!({}),
            },
            CommandBody::Domain(command) => command.data.clone(),
        }
    }

    /// Builds the body of the command `spec` from its checked fields.
    pub(crate) fn from_data(
        spec: &'static CommandSpec,
        data: &DataFields<'_>,
    ) -> Result<CommandBody, CommandError> {
        use spec::*;
        let body = match spec.name {
            REGISTER_CUSTOMER => CommandBody::Customer(CustomerCommand::Register {
                name: data.text("name")?,
                email: data.email("email")?,
                address: data.address("address")?,
            }),
            CHANGE_CUSTOMER_ADDRESS => CommandBody::Customer(CustomerCommand::ChangeAddress {
                address: data.address("address")?,
            }),
            CHANGE_CUSTOMER_EMAIL => CommandBody::Customer(CustomerCommand::ChangeEmail {
                email: data.email("email")?,
            }),
            DEACTIVATE_CUSTOMER => CommandBody::Customer(CustomerCommand::Deactivate {
                reason: data.text("reason")?,
            }),
            PLACE_ORDER => CommandBody::Order(OrderCommand::Place {
                customer: data.stream_ref("customer", CUSTOMER_PREFIX)?,
                items: data.items("items")?,
            }),
            REQUEST_PAYMENT => CommandBody::Order(OrderCommand::RequestPayment),
            PAY_ORDER => CommandBody::Order(OrderCommand::Pay {
                amount: data.cents("amount")?,
            }),
            SHIP_ORDER => CommandBody::Order(OrderCommand::Ship),
            CANCEL_ORDER => CommandBody::Order(OrderCommand::Cancel {
                reason: data.text("reason")?,
            }),
            OPEN_ACCOUNT => CommandBody::Account(AccountCommand::Open {
                owner: data.text("owner")?,
            }),
            DEPOSIT => CommandBody::Account(AccountCommand::Deposit {
                amount: data.cents("amount")?,
            }),
            WITHDRAW => CommandBody::Account(AccountCommand::Withdraw {
                amount: data.cents("amount")?,
            }),
            CLOSE_ACCOUNT => CommandBody::Account(AccountCommand::Close),
            other => {
                return Err(CommandError::UnknownCommand {
                    name: other.to_string(),
                });
            }
        };
        Ok(body)
    }
}

fn address_json(address: &Address) -> Value {
    json!({
        "street": address.street,
        "city": address.city,
        "postcode": address.postcode,
        "country": address.country,
    })
}
