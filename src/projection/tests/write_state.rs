//! Every built-in projection writes its state as the `Value` of
//! [`Projection::state`] printed through serde_json and the escaping pass
//! would read, byte for byte, over logs full of hostile text.

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::escape::json_printable;
use crate::json_writer::JsonWriter;
use crate::projection::testing::LogBuilder;
use crate::projection::*;

/// Text a terminal would act on, text that looks like escapes, and the
/// stream name shapes the stream table splits in different ways.
const HOSTILE: [&str; 14] = [
    "\u{1b}[2J",
    "\u{9b}31m",
    "\u{202e}exe.gnp",
    "a\u{200b}b\u{200d}c\u{feff}",
    "x\u{7f}",
    "\\u001b \\e[2J \\\\",
    "\u{0}\u{7}\u{1f}\n\t\"",
    "\u{1f1ec}\u{1f1e7}\u{e0041}\u{fe0f}",
    "東京 ü ✓ 😀",
    "order-007",
    "order-0",
    "order-18446744073709551615",
    "",
    "customer-",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(&HOSTILE[..]).prop_map(str::to_string),
        any::<String>(),
        "[a-z]{0,2}-?[0-9]{0,3}",
    ]
}

/// (kind, stream, text, amount, seconds after the last).
type Step = (u8, String, String, i64, u32);

fn step() -> impl Strategy<Value = Step> {
    let stream = prop_oneof![
        (0u8..6).prop_map(|n| format!("order-{n}")),
        (0u8..6).prop_map(|n| format!("customer-{n}")),
        (0u8..3).prop_map(|n| format!("account-{n}")),
        text(),
    ];
    let amount = prop_oneof![0i64..1000, any::<i64>()];
    (any::<u8>(), stream, text(), amount, 0u32..100_000)
}

fn address(text: &str) -> Value {
    json!({"street": text, "city": format!("{text}!"), "postcode": "1", "country": text})
}

/// The event a step stands for: every type a built-in reads, with the
/// step's text wherever a projection shows text.
fn push(log: &mut LogBuilder, (kind, stream, text, amount, _): &Step, seconds: i64) {
    let (event_type, data) = match kind % 14 {
        0 => (
            "CustomerRegistered",
            json!({"name": text, "email": text, "address": address(text)}),
        ),
        1 => ("CustomerAddressChanged", json!({"address": address(text)})),
        2 => ("CustomerEmailChanged", json!({"email": text})),
        3 => ("CustomerDeactivated", json!({})),
        4 => (
            "OrderPlaced",
            json!({"customer": text, "items": [], "total": amount}),
        ),
        5 => ("PaymentRequested", json!({"amount": amount})),
        6 => ("PaymentReceived", json!({"amount": amount})),
        7 => ("OrderShipped", json!({"address": address(text)})),
        8 => ("OrderCancelled", json!({"reason": text})),
        9 => ("AccountOpened", json!({"owner": text})),
        10 => ("MoneyDeposited", json!({"amount": amount})),
        11 => ("MoneyWithdrawn", json!({"amount": amount})),
        12 => ("AccountClosed", json!({})),
        _ => (
            text.as_str(),
            json!({ text.as_str(): [text, amount, {"n": null}], "e": {}, "f": 0.5 }),
        ),
    };
    log.push_at(stream, event_type, data, seconds);
}

fn written(projection: &dyn Projection) -> String {
    let mut out = Vec::new();
    let mut writer = JsonWriter::new(&mut out);
    projection.write_state(&mut writer);
    writer.finish().unwrap();
    String::from_utf8(out).unwrap()
}

fn through_value(projection: &dyn Projection) -> String {
    let text = serde_json::to_string_pretty(&projection.state()).unwrap();
    json_printable(&text).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_builtin_writes_the_text_of_its_state(
        steps in prop::collection::vec(step(), 0..40)
    ) {
        let mut log = LogBuilder::new();
        let mut seconds = 0i64;
        for step in &steps {
            seconds += i64::from(step.4);
            push(&mut log, step, seconds);
        }
        for name in builtin::names() {
            let mut projection = builtin::builtin(name).unwrap();
            for event in log.events() {
                // A payload a projection refuses is skipped: whatever state
                // that leaves is as good to write as any.
                let _ = projection.apply(event);
            }
            prop_assert_eq!(written(&*projection), through_value(&*projection), "{}", name);
        }
    }
}
