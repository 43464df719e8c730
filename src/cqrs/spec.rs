//! The command catalogue: every command's name, the streams it applies to and
//! the fields it takes. Parsing, the short form and completion all read it, so
//! they cannot disagree about what a command looks like.

use crate::domain::Domain;
use crate::domain::bank::ACCOUNT_PREFIX;
use crate::domain::retail::{CUSTOMER_PREFIX, ORDER_PREFIX};

pub const REGISTER_CUSTOMER: &str = "RegisterCustomer";
pub const CHANGE_CUSTOMER_ADDRESS: &str = "ChangeCustomerAddress";
pub const CHANGE_CUSTOMER_EMAIL: &str = "ChangeCustomerEmail";
pub const DEACTIVATE_CUSTOMER: &str = "DeactivateCustomer";
pub const PLACE_ORDER: &str = "PlaceOrder";
pub const REQUEST_PAYMENT: &str = "RequestPayment";
pub const PAY_ORDER: &str = "PayOrder";
pub const SHIP_ORDER: &str = "ShipOrder";
pub const CANCEL_ORDER: &str = "CancelOrder";
pub const OPEN_ACCOUNT: &str = "OpenAccount";
pub const DEPOSIT: &str = "Deposit";
pub const WITHDRAW: &str = "Withdraw";
pub const CLOSE_ACCOUNT: &str = "CloseAccount";

/// The keys of an address, in order; the short form takes them flattened.
pub const ADDRESS_KEYS: [&str; 4] = ["street", "city", "postcode", "country"];
/// The short-form key of one order item, `item=sku:qty:price`, repeated.
pub const ITEM_KEY: &str = "item";
/// Keys every command takes besides its fields (top level in the JSON form).
pub const ENVELOPE_KEYS: [&str; 3] = ["expected_version", "id", "correlation_id"];

/// What a command is called, where it applies and which fields it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandSpec {
    pub name: &'static str,
    pub domain: Domain,
    /// The streams it applies to start with this, e.g. `order-`.
    pub stream_prefix: &'static str,
    pub fields: &'static [FieldSpec],
    /// Normally issued by a policy rather than a person (who still may).
    pub issued_by_policy: bool,
    /// One line saying what it does.
    pub summary: &'static str,
}

/// One field of a command's `data`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: FieldKind,
}

/// The shape a field's value must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Text that is not blank.
    Text,
    /// Text of the form `someone@somewhere`.
    Email,
    /// A whole number of cents.
    Cents,
    /// The name of another stream, which starts with this prefix.
    StreamRef(&'static str),
    /// `{street, city, postcode, country}`; four keys in the short form.
    Address,
    /// `[{sku, qty, price}]`; one `item=sku:qty:price` each in the short form.
    Items,
}

impl FieldKind {
    /// What a value looks like, for usage lines and error messages.
    pub fn hint(self) -> &'static str {
        match self {
            FieldKind::Text => "<text>",
            FieldKind::Email => "<email>",
            FieldKind::Cents => "<cents>",
            FieldKind::StreamRef(CUSTOMER_PREFIX) => "customer-<n>",
            FieldKind::StreamRef(_) => "<stream>",
            FieldKind::Address => "<address>",
            FieldKind::Items => "<sku:qty:price>",
        }
    }
}

impl FieldSpec {
    /// The keys the short form uses for this field.
    pub fn short_keys(&self) -> Vec<&'static str> {
        match self.kind {
            FieldKind::Address => ADDRESS_KEYS.to_vec(),
            FieldKind::Items => vec![ITEM_KEY],
            _ => vec![self.name],
        }
    }
}

impl CommandSpec {
    /// Whether the command may be sent to `stream`: right prefix, some id after it.
    pub fn fits(&self, stream: &str) -> bool {
        stream
            .strip_prefix(self.stream_prefix)
            .is_some_and(|id| !id.is_empty())
    }

    /// Every key the short form accepts for this command, fields first.
    pub fn short_keys(&self) -> Vec<&'static str> {
        let fields = self.fields.iter().flat_map(FieldSpec::short_keys);
        fields.chain(ENVELOPE_KEYS).collect()
    }

    /// A usage line, e.g. `Deposit account-<n> amount=<cents>`.
    pub fn usage(&self) -> String {
        let mut line = format!("{} {}<n>", self.name, self.stream_prefix);
        for field in self.fields {
            match field.kind {
                FieldKind::Address => {
                    for key in ADDRESS_KEYS {
                        line.push_str(&format!(" {key}=<text>"));
                    }
                }
                FieldKind::Items => line.push_str(" item=<sku:qty:price>..."),
                kind => line.push_str(&format!(" {}={}", field.name, kind.hint())),
            }
        }
        line
    }
}

/// Every command the write side knows, retail first, then bank.
pub fn command_specs() -> &'static [CommandSpec] {
    &COMMAND_SPECS
}

/// The command called `name`, if there is one.
pub fn command_spec(name: &str) -> Option<&'static CommandSpec> {
    COMMAND_SPECS.iter().find(|spec| spec.name == name)
}

const fn field(name: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec { name, kind }
}

const fn spec(
    name: &'static str,
    domain: Domain,
    stream_prefix: &'static str,
    fields: &'static [FieldSpec],
    summary: &'static str,
) -> CommandSpec {
    CommandSpec {
        name,
        domain,
        stream_prefix,
        fields,
        issued_by_policy: false,
        summary,
    }
}

const REASON: FieldSpec = field("reason", FieldKind::Text);
const AMOUNT: FieldSpec = field("amount", FieldKind::Cents);
const ADDRESS: FieldSpec = field("address", FieldKind::Address);
const EMAIL: FieldSpec = field("email", FieldKind::Email);

static COMMAND_SPECS: [CommandSpec; 13] = {
    use Domain::{Bank, Retail};
    [
        spec(
            REGISTER_CUSTOMER,
            Retail,
            CUSTOMER_PREFIX,
            &[field("name", FieldKind::Text), EMAIL, ADDRESS],
            "register a new customer",
        ),
        spec(
            CHANGE_CUSTOMER_ADDRESS,
            Retail,
            CUSTOMER_PREFIX,
            &[ADDRESS],
            "move an active customer to a new address",
        ),
        spec(
            CHANGE_CUSTOMER_EMAIL,
            Retail,
            CUSTOMER_PREFIX,
            &[EMAIL],
            "change an active customer's email",
        ),
        spec(
            DEACTIVATE_CUSTOMER,
            Retail,
            CUSTOMER_PREFIX,
            &[REASON],
            "deactivate a customer: no more orders or changes",
        ),
        spec(
            PLACE_ORDER,
            Retail,
            ORDER_PREFIX,
            &[
                field("customer", FieldKind::StreamRef(CUSTOMER_PREFIX)),
                field("items", FieldKind::Items),
            ],
            "place a new order for an active customer (the total is computed)",
        ),
        CommandSpec {
            issued_by_policy: true,
            ..spec(
                REQUEST_PAYMENT,
                Retail,
                ORDER_PREFIX,
                &[],
                "ask for payment of a placed order's total",
            )
        },
        spec(
            PAY_ORDER,
            Retail,
            ORDER_PREFIX,
            &[AMOUNT],
            "pay an order's total once payment is requested",
        ),
        spec(
            SHIP_ORDER,
            Retail,
            ORDER_PREFIX,
            &[],
            "ship a paid order to the customer's current address",
        ),
        spec(
            CANCEL_ORDER,
            Retail,
            ORDER_PREFIX,
            &[REASON],
            "cancel an order that has not shipped",
        ),
        spec(
            OPEN_ACCOUNT,
            Bank,
            ACCOUNT_PREFIX,
            &[field("owner", FieldKind::Text)],
            "open a new account",
        ),
        spec(
            DEPOSIT,
            Bank,
            ACCOUNT_PREFIX,
            &[AMOUNT],
            "pay money into an open account",
        ),
        spec(
            WITHDRAW,
            Bank,
            ACCOUNT_PREFIX,
            &[AMOUNT],
            "take money out of an open account, without overdraft",
        ),
        spec(
            CLOSE_ACCOUNT,
            Bank,
            ACCOUNT_PREFIX,
            &[],
            "close an open account whose balance is zero",
        ),
    ]
};
