//! The short form: what it reads, its errors, the catalogue behind it, and
//! that every command survives a round trip through both forms.

use proptest::prelude::*;

use super::fixtures::{address, leeds};
use crate::cqrs::{
    AccountCommand, Command, CommandBody, CustomerCommand, FieldKind, OrderCommand, OrderLine,
    command_specs,
};

fn error(text: &str) -> String {
    Command::parse_short(text).unwrap_err().to_string()
}

#[test]
fn the_documented_examples_read_as_expected() {
    let moved = Command::parse_short(
        r#"ChangeCustomerAddress customer-7 street="1 Main St" city=Leeds postcode="LS1 1AA" country=UK"#,
    );
    let address = leeds();
    let expected = CommandBody::Customer(CustomerCommand::ChangeAddress { address });
    assert_eq!(moved, Ok(Command::new("customer-7", expected)));

    let deposit = Command::parse_short("Deposit   account-3\tamount=500 expected_version=4");
    let expected = CommandBody::Account(AccountCommand::Deposit { amount: 500 });
    assert_eq!(
        deposit,
        Ok(Command::new("account-3", expected).expecting_version(4))
    );
}

#[test]
fn numbers_are_numbers_only_where_the_field_is_a_number() {
    let command = Command::parse_short(
        "ChangeCustomerAddress customer-7 street=1 city=2 postcode=12345 country=3 id=42",
    )
    .unwrap();
    let address = address("1", "2", "12345", "3");
    let expected = CommandBody::Customer(CustomerCommand::ChangeAddress { address });
    assert_eq!(command, Command::new("customer-7", expected).with_id("42"));
}

#[test]
fn items_repeat_and_may_hold_colons_in_their_sku() {
    let command = Command::parse_short(
        r#"PlaceOrder order-9 customer=customer-7 item=A:B:2:1500 item="BIG MUG:1:800""#,
    )
    .unwrap();
    let line = |sku: &str, qty, price| OrderLine {
        sku: sku.into(),
        qty,
        price,
    };
    let items = vec![line("A:B", 2, 1500), line("BIG MUG", 1, 800)];
    let customer = "customer-7".into();
    let expected = CommandBody::Order(OrderCommand::Place { customer, items });
    assert_eq!(command, Command::new("order-9", expected));
}

#[test]
fn quotes_group_and_escape() {
    let command =
        Command::parse_short(r#"CancelOrder order-5 reason="say \"hi\" \\ bye""#).unwrap();
    let reason = r#"say "hi" \ bye"#.to_string();
    let expected = CommandBody::Order(OrderCommand::Cancel { reason });
    assert_eq!(command, Command::new("order-5", expected));
    assert_eq!(
        command.to_short(),
        r#"CancelOrder order-5 reason="say \"hi\" \\ bye""#
    );
}

#[test]
fn mistakes_are_explained() {
    let cases = [
        (
            "   ",
            "the command is empty: type a name and a stream, e.g. Deposit account-3 amount=500",
        ),
        (
            "Deposit amount=5",
            "Deposit needs a stream before its fields: Deposit account-<n> amount=<cents>",
        ),
        (
            "Deposit account-3 500",
            "`500` is not key=value; Deposit takes: Deposit account-<n> amount=<cents>",
        ),
        (
            "Deposit account-3 amount=5 amount=6",
            "`amount` is given twice",
        ),
        (
            "Deposit account-3 amont=5",
            "Deposit has no field `amont` (its fields: amount, expected_version, id, correlation_id)",
        ),
        (
            "CancelOrder order-5 reason=\"late",
            "a double quote is not closed: close it with \"",
        ),
        (
            "PlaceOrder order-5 customer=customer-7 item=BOOK",
            r#"field `item` of PlaceOrder must be sku:qty:price, not "BOOK""#,
        ),
        (
            "Deposit account-3 amount=lots",
            r#"field `amount` of Deposit must be a whole number of cents, not "lots""#,
        ),
        (
            "ChangeCustomerAddress customer-7 street=x city=y country=z",
            "ChangeCustomerAddress needs field `address.postcode`",
        ),
        (
            "Withdraw order-3 amount=5",
            "Withdraw applies to account-<n> streams, not `order-3`",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(error(text), message, "for {text:?}");
    }
    assert!(error("Depost account-3 amount=5").starts_with("unknown command `Depost`"));
}

/// A valid short form for each catalogued command, built from its spec alone.
fn sample(spec: &crate::cqrs::CommandSpec) -> String {
    let mut words = vec![spec.name.to_string(), format!("{}1", spec.stream_prefix)];
    for field in spec.fields {
        for key in field.short_keys() {
            let value = match field.kind {
                FieldKind::Text | FieldKind::Address => "\"some text\"".to_string(),
                FieldKind::Email => "a@b.c".into(),
                FieldKind::Cents => "5".into(),
                FieldKind::StreamRef(prefix) => format!("{prefix}2"),
                FieldKind::Items => "A:1:2".into(),
            };
            words.push(format!("{key}={value}"));
        }
    }
    words.join(" ")
}

#[test]
fn the_catalogue_and_the_parser_agree_on_every_command() {
    assert_eq!(command_specs().len(), 13);
    for spec in command_specs() {
        let text = sample(spec);
        let command = Command::parse_short(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(command.name(), spec.name);
        assert_eq!(command.body.spec(), Some(spec));
        assert_eq!(
            Command::parse_short(&command.to_short()),
            Ok(command.clone())
        );
        assert!(
            spec.usage()
                .starts_with(&format!("{} {}<n>", spec.name, spec.stream_prefix))
        );
        assert!(
            spec.short_keys()
                .ends_with(&["expected_version", "id", "correlation_id"])
        );
    }
    let policy_issued: Vec<&str> = command_specs()
        .iter()
        .filter(|spec| spec.issued_by_policy)
        .map(|spec| spec.name)
        .collect();
    assert_eq!(policy_issued, ["RequestPayment"]);
}

/// Text that is not blank, with the characters the short form must quote.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 \t\"\\\\=:@,.é-]{0,5}[a-zA-Z0-9é][a-zA-Z0-9 \t\"\\\\=:@,.é-]{0,5}"
}

fn email() -> impl Strategy<Value = String> {
    ("[a-z .]{0,3}[a-z][a-z .]{0,3}", "[a-z]{1,5}\\.[a-z]{2}")
        .prop_map(|(name, host)| format!("{name}@{host}"))
}

fn an_address() -> impl Strategy<Value = crate::domain::retail::Address> {
    (text(), text(), text(), text())
        .prop_map(|(street, city, postcode, country)| address(&street, &city, &postcode, &country))
}

fn body_and_prefix() -> impl Strategy<Value = (CommandBody, &'static str)> {
    use AccountCommand as A;
    use CustomerCommand as C;
    use OrderCommand as O;
    let line = (text(), any::<i64>(), any::<i64>()).prop_map(|(sku, qty, price)| OrderLine {
        sku,
        qty,
        price,
    });
    prop_oneof![
        (text(), email(), an_address()).prop_map(|(name, email, address)| CommandBody::Customer(
            C::Register {
                name,
                email,
                address
            }
        )),
        an_address().prop_map(|address| CommandBody::Customer(C::ChangeAddress { address })),
        email().prop_map(|email| CommandBody::Customer(C::ChangeEmail { email })),
        text().prop_map(|reason| CommandBody::Customer(C::Deactivate { reason })),
        ("customer-[0-9]{1,3}", prop::collection::vec(line, 1..4))
            .prop_map(|(customer, items)| CommandBody::Order(O::Place { customer, items })),
        Just(CommandBody::Order(O::RequestPayment)),
        any::<i64>().prop_map(|amount| CommandBody::Order(O::Pay { amount })),
        Just(CommandBody::Order(O::Ship)),
        text().prop_map(|reason| CommandBody::Order(O::Cancel { reason })),
        text().prop_map(|owner| CommandBody::Account(A::Open { owner })),
        any::<i64>().prop_map(|amount| CommandBody::Account(A::Deposit { amount })),
        any::<i64>().prop_map(|amount| CommandBody::Account(A::Withdraw { amount })),
        Just(CommandBody::Account(A::Close)),
    ]
    .prop_map(|body| {
        let prefix = body.spec().map_or("", |spec| spec.stream_prefix);
        (body, prefix)
    })
}

fn command() -> impl Strategy<Value = Command> {
    (
        body_and_prefix(),
        "[0-9]{1,4}",
        proptest::option::of(any::<u64>()),
        proptest::option::of(text()),
        proptest::option::of(text()),
    )
        .prop_map(
            |((body, prefix), id, expected_version, command_id, correlation_id)| {
                let mut command = Command::new(format!("{prefix}{id}"), body);
                command.expected_version = expected_version;
                command.id = command_id;
                command.correlation_id = correlation_id;
                command
            },
        )
}

proptest! {
    #[test]
    fn every_command_survives_the_short_form(command in command()) {
        let text = command.to_short();
        prop_assert_eq!(Command::parse(&text), Ok(command), "{}", text);
    }

    #[test]
    fn every_command_survives_the_json_form(command in command()) {
        let text = command.to_json().to_string();
        prop_assert_eq!(Command::parse(&text), Ok(command));
    }
}
