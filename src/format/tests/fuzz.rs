//! The readers under hostile input: arbitrary bytes, and valid inputs with
//! bytes flipped, cut, repeated or spliced in. Whatever comes in, reading
//! never panics, and every refusal is one line naming its line and column.
//!
//! The suite runs a bounded number of cases; run longer with, e.g.,
//! `PROPTEST_CASES=100000 cargo test --release --lib format::tests::fuzz`.

use proptest::prelude::*;

use super::{T, cloud_event};
use crate::format::{Format, ReadError, read_events};

/// Reads `input` to the end, accepting every event; checks the refusal,
/// if any, and returns it.
fn read_checked(input: &[u8], format: Format) -> Result<(), TestCaseError> {
    let lines = input.split(|&b| b == b'\n').count() as u64;
    let result = read_events(input, format, |_| Ok::<(), String>(()));
    let error = match result {
        Ok(_) => return Ok(()),
        Err(ReadError::Format(error)) => error,
        Err(other) => {
            return Err(TestCaseError::fail(format!(
                "reading a slice can only fail on its text: {other}"
            )));
        }
    };
    let message = error.to_string();
    prop_assert!(!message.contains('\n'), "one line: {:?}", message);
    prop_assert!(
        error.line >= 1 && error.line <= lines,
        "line {} of {}: {}",
        error.line,
        lines,
        message
    );
    prop_assert!(error.column.is_some(), "no column: {}", message);
    prop_assert!(
        message.starts_with(&format!("line {}, column ", error.line)),
        "{}",
        message
    );
    Ok(())
}

fn native_line(n: u32) -> String {
    format!(
        "{{\"stream\":\"s-{n}\",\"version\":{n},\"type\":\"T\",\"id\":\"e{n}\",\"time\":\"{T}\",\"data\":{{\"a\":[1,\"x\\\\y\"]}},\"metadata\":{{\"correlation_id\":\"c\"}}}}"
    )
}

/// Valid inputs of every shape the readers take.
fn valid_input() -> impl Strategy<Value = (Vec<u8>, Format)> {
    let lines = |make: fn(u32) -> String| {
        (1u32..4).prop_map(move |n| (1..=n).map(make).collect::<Vec<_>>().join("\n"))
    };
    prop_oneof![
        lines(native_line).prop_map(|t| (t.into_bytes(), Format::Native)),
        lines(cloud_event).prop_map(|t| (t.into_bytes(), Format::CloudEvents)),
        lines(cloud_event).prop_map(|t| (
            format!("[\n{}\n]", t.replace('\n', ",\n")).into_bytes(),
            Format::CloudEvents
        )),
    ]
}

/// One change to a byte string.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Set { at: usize, byte: u8 },
    Cut { at: usize },
    Remove { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Repeat { at: usize, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Bytes that matter to JSON and to the splitter, more often than others.
    let byte = prop_oneof![
        prop::sample::select(&b"{}[],:\"\\\n\r 0-eE.u"[..]),
        any::<u8>(),
    ];
    let at = any::<usize>();
    prop_oneof![
        (at, 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (at, byte.clone()).prop_map(|(at, byte)| Mutation::Set { at, byte }),
        at.prop_map(|at| Mutation::Cut { at }),
        (at, 1usize..8).prop_map(|(at, len)| Mutation::Remove { at, len }),
        (at, prop::collection::vec(byte, 1..6))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (at, 1usize..40).prop_map(|(at, len)| Mutation::Repeat { at, len }),
    ]
}

fn apply(input: &mut Vec<u8>, mutation: &Mutation) {
    let place = |at: usize, len: usize| if len == 0 { 0 } else { at % (len + 1) };
    match mutation {
        Mutation::Flip { at, bit } if !input.is_empty() => {
            let at = at % input.len();
            input[at] ^= 1 << bit;
        }
        Mutation::Set { at, byte } if !input.is_empty() => {
            let at = at % input.len();
            input[at] = *byte;
        }
        Mutation::Cut { at } => input.truncate(place(*at, input.len())),
        Mutation::Remove { at, len } => {
            let start = place(*at, input.len());
            let end = (start + len).min(input.len());
            input.drain(start..end);
        }
        Mutation::Insert { at, bytes } => {
            let at = place(*at, input.len());
            input.splice(at..at, bytes.iter().copied());
        }
        Mutation::Repeat { at, len } => {
            let start = place(*at, input.len());
            let end = (start + len).min(input.len());
            let copy = input[start..end].to_vec();
            input.splice(end..end, copy);
        }
        _ => {}
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_and_errors_are_placed(
        bytes in prop::collection::vec(any::<u8>(), 0..300),
        format in prop::sample::select(&Format::ALL[..]),
    ) {
        read_checked(&bytes, format)?;
    }

    #[test]
    fn arbitrary_json_like_text_never_panics_and_errors_are_placed(
        text in "[\\[\\]{}\",:0-9a-z\\\\ \n]{0,200}",
        format in prop::sample::select(&Format::ALL[..]),
    ) {
        read_checked(text.as_bytes(), format)?;
        read_checked(format!("[{text}").as_bytes(), Format::CloudEvents)?;
    }

    #[test]
    fn mutated_valid_inputs_never_panic_and_errors_are_placed(
        (input, format) in valid_input(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let mut input = input;
        for mutation in &mutations {
            apply(&mut input, mutation);
        }
        read_checked(&input, format)?;
    }
}

#[test]
fn quoted_line_ends_keep_a_message_on_one_line() {
    for line in [
        r#"{"stream":"s","type":"T","time":"a\nb"}"#,
        r#"{"stream":"s","type":"T","x\ny":1}"#,
    ] {
        read_checked(line.as_bytes(), Format::Native).unwrap();
    }
    let cloud = cloud_event(1).replace("\"type\"", "\"ty\\npe\"");
    read_checked(cloud.as_bytes(), Format::CloudEvents).unwrap();
}
