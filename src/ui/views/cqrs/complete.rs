//! Completion for the CQRS command line, as pure functions of the text typed,
//! the log's stream names (sorted, so a prefix is a binary search away
//! even with hundreds of thousands of streams) and the catalogue of
//! commands (the built-in ones and the domain file's).
//!
//! The word under the cursor (the last one) decides what is offered: a
//! command name first, then a stream of the kind the command changes, then
//! the command's field keys, and streams again for a field that names one
//! (`customer=`).

use std::borrow::Cow;

use crate::ui::sorted_names::{common_prefix, with_prefix};

use crate::cqrs::CatalogueEntry;
use crate::cqrs::spec::{OPEN_ACCOUNT, PLACE_ORDER, REGISTER_CUSTOMER};

/// How many candidates are kept for display.
pub const SHOWN: usize = 8;

/// What can complete the last word of the command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Candidates<'a> {
    /// Where the part being completed starts in the text (after `=` for a value).
    pub start: usize,
    /// The first few candidates, in order.
    pub shown: Vec<Cow<'a, str>>,
    /// How many there are in all.
    pub total: usize,
    /// The longest prefix every candidate shares.
    pub common: String,
    /// What follows a unique completion: a space, or `=` after a key.
    pub suffix: &'static str,
}

/// The candidates for the last word of `text`; `streams` is every stream
/// name of the log in name order, `catalogue` the commands that can be sent.
pub fn candidates<'a>(
    text: &str,
    streams: &'a [String],
    catalogue: &'a [CatalogueEntry],
) -> Candidates<'a> {
    let (index, start) = last_word(text);
    let word = &text[start..];
    let first = text.split_whitespace().next().unwrap_or("");
    if index == 0 {
        let mut names: Vec<&str> = catalogue
            .iter()
            .map(|entry| entry.name.as_str())
            .filter(|name| name.starts_with(word))
            .collect();
        names.sort_unstable();
        return from_list(start, names, " ");
    }
    let Some(entry) = catalogue.iter().find(|entry| entry.name == first) else {
        return Candidates::default();
    };
    if index == 1 {
        return stream_candidates(start, word, &entry.stream_prefix, streams, creates(entry));
    }
    if let Some((key, value)) = word.split_once('=') {
        let referenced = entry
            .fields
            .iter()
            .find(|field| field.name == key)
            .and_then(|field| field.names_stream.as_deref());
        return match referenced {
            Some(prefix) => stream_candidates(start + key.len() + 1, value, prefix, streams, false),
            None => Candidates::default(),
        };
    }
    let used: Vec<&str> = text[..start]
        .split_whitespace()
        .filter_map(|w| w.split_once('=').map(|(k, _)| k))
        .collect();
    let keys: Vec<&str> = entry
        .fields
        .iter()
        .flat_map(|field| field.keys.iter().map(String::as_str))
        .chain(crate::cqrs::spec::ENVELOPE_KEYS)
        .filter(|key| key.starts_with(word))
        .filter(|key| *key == crate::cqrs::spec::ITEM_KEY || !used.contains(key))
        .collect();
    from_list(start, keys, "=")
}

/// `text` with its last word completed as far as the candidates agree; the
/// text unchanged when nothing completes it.
pub fn complete(text: &str, streams: &[String], catalogue: &[CatalogueEntry]) -> String {
    let found = candidates(text, streams, catalogue);
    let typed = &text[found.start.min(text.len())..];
    let mut out = text[..found.start.min(text.len())].to_string();
    match found.total {
        1 => {
            out.push_str(&found.common);
            out.push_str(found.suffix);
        }
        _ if found.common.len() > typed.len() => out.push_str(&found.common),
        _ => return text.to_string(),
    }
    out
}

/// The index of the last word and where it starts; a quoted value with
/// spaces (`street="1 Main St"`) is one word.
pub fn last_word(text: &str) -> (usize, usize) {
    let mut index = 0;
    let mut start = 0;
    let mut quoted = false;
    let mut in_word = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    index += 1;
                    in_word = false;
                }
                start = i + c.len_utf8();
                continue;
            }
            _ => {}
        }
        in_word = true;
    }
    (index, start)
}

/// Whether the command makes a new stream (so an unused name is offered).
/// A domain file does not say which of its commands do; they are offered
/// the streams there are.
fn creates(entry: &CatalogueEntry) -> bool {
    [REGISTER_CUSTOMER, PLACE_ORDER, OPEN_ACCOUNT].contains(&entry.name.as_str())
}

fn from_list<'a>(start: usize, items: Vec<&'a str>, suffix: &'static str) -> Candidates<'a> {
    Candidates {
        start,
        total: items.len(),
        common: common_prefix(items.first().copied(), items.last().copied()),
        shown: items.into_iter().take(SHOWN).map(Cow::Borrowed).collect(),
        suffix,
    }
}

/// Streams of the kind `prefix` that start with `word`; for a command that
/// creates a stream, the next unused number first.
fn stream_candidates<'a>(
    start: usize,
    word: &str,
    prefix: &str,
    streams: &'a [String],
    creating: bool,
) -> Candidates<'a> {
    let lookup = if prefix.starts_with(word) {
        prefix
    } else if word.starts_with(prefix) {
        word
    } else {
        return Candidates::default();
    };
    let existing = with_prefix(streams, lookup);
    if creating {
        // Ids are dense in the sample logs: one past the count is usually free.
        let fresh = format!("{prefix}{}", with_prefix(streams, prefix).len() + 1);
        if fresh.starts_with(word) && streams.binary_search(&fresh).is_err() {
            return Candidates {
                start,
                common: fresh.clone(),
                shown: vec![Cow::Owned(fresh)],
                total: 1,
                suffix: " ",
            };
        }
    }
    // With no stream of the kind yet, the kind's prefix still completes.
    let common = if existing.is_empty() {
        lookup.to_string()
    } else {
        common_prefix(
            existing.first().map(String::as_str),
            existing.last().map(String::as_str),
        )
    };
    Candidates {
        start,
        total: existing.len(),
        shown: existing
            .iter()
            .take(SHOWN)
            .map(|s| Cow::Borrowed(s.as_str()))
            .collect(),
        common,
        suffix: " ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::sync::LazyLock;

    static BUILT_IN: LazyLock<Vec<CatalogueEntry>> = LazyLock::new(|| crate::cqrs::catalogue(None));

    fn complete(text: &str, streams: &[String]) -> String {
        super::complete(text, streams, &BUILT_IN)
    }

    fn candidates<'a>(text: &str, streams: &'a [String]) -> Candidates<'a> {
        super::candidates(text, streams, &BUILT_IN)
    }

    fn streams() -> Vec<String> {
        let mut names: Vec<String> = [
            "customer-1",
            "customer-2",
            "customer-10",
            "order-1",
            "order-2",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        names.sort();
        names
    }

    #[test]
    fn a_command_name_completes_as_far_as_the_names_agree() {
        let streams = streams();
        assert_eq!(complete("Cha", &streams), "ChangeCustomer");
        let found = candidates("ChangeCustomer", &streams);
        assert_eq!(
            found.shown,
            ["ChangeCustomerAddress", "ChangeCustomerEmail"]
        );
        assert_eq!(complete("Dep", &streams), "Deposit ");
    }

    #[test]
    fn the_stream_word_offers_streams_of_the_commands_kind() {
        let streams = streams();
        assert_eq!(
            complete("ChangeCustomerEmail ", &streams),
            "ChangeCustomerEmail customer-"
        );
        let found = candidates("ChangeCustomerEmail customer-1", &streams);
        assert_eq!(found.shown, ["customer-1", "customer-10"]);
        assert!(
            candidates("ChangeCustomerEmail order-", &streams)
                .shown
                .is_empty()
        );
    }

    #[test]
    fn a_creating_command_is_offered_an_unused_stream() {
        let streams = streams();
        assert_eq!(
            complete("RegisterCustomer ", &streams),
            "RegisterCustomer customer-4 "
        );
        assert_eq!(
            complete("OpenAccount acc", &streams),
            "OpenAccount account-1 "
        );
    }

    #[test]
    fn field_keys_complete_with_an_equals_sign_and_are_offered_once() {
        let streams = streams();
        assert_eq!(
            complete("ChangeCustomerEmail customer-1 em", &streams),
            "ChangeCustomerEmail customer-1 email="
        );
        let both = candidates("ChangeCustomerEmail customer-1 e", &streams);
        assert_eq!(both.shown, ["email", "expected_version"]);
        let text = "ChangeCustomerAddress customer-1 street=\"1 Main St\" ";
        let keys = candidates(text, &streams);
        assert!(!keys.shown.contains(&Cow::Borrowed("street")));
        assert!(keys.shown.contains(&Cow::Borrowed("city")));
    }

    #[test]
    fn a_field_naming_a_stream_completes_from_the_log() {
        let streams = streams();
        let text = "PlaceOrder order-9 customer=customer-";
        let found = candidates(text, &streams);
        assert_eq!(found.total, 3);
        assert_eq!(found.start, "PlaceOrder order-9 customer=".len());
    }

    #[test]
    fn quoted_spaces_stay_inside_one_word() {
        assert_eq!(last_word("A b street=\"1 Main"), (2, 4));
        assert_eq!(last_word("A b "), (2, 4));
        assert_eq!(last_word(""), (0, 0));
    }

    #[test]
    fn unknown_commands_complete_nothing() {
        let streams = streams();
        assert_eq!(complete("Nope cust", &streams), "Nope cust");
        assert_eq!(complete("Zzz", &streams), "Zzz");
    }

    #[test]
    fn a_domain_files_commands_and_fields_complete() {
        let domain = crate::domain_file::parse(
            include_str!("../../../../sample-data/library.domain.toml"),
            "library.domain.toml",
        )
        .unwrap();
        let catalogue = crate::cqrs::catalogue(Some(&domain));
        let streams: Vec<String> = ["book-1", "book-2", "member-1", "member-2"]
            .into_iter()
            .map(String::from)
            .collect();
        let complete = |text: &str| super::complete(text, &streams, &catalogue);
        assert_eq!(complete("Bor"), "BorrowBook ");
        assert_eq!(complete("BorrowBook "), "BorrowBook book-");
        assert_eq!(
            complete("BorrowBook book-1 me"),
            "BorrowBook book-1 member="
        );
        assert_eq!(
            complete("BorrowBook book-1 member=me"),
            "BorrowBook book-1 member=member-"
        );
        let keys = super::candidates("BorrowBook book-1 member=member-1 ", &streams, &catalogue);
        assert_eq!(keys.shown[0], "due");
        assert!(!keys.shown.contains(&Cow::Borrowed("member")));
        // The built-in commands are still there.
        assert_eq!(complete("Dep"), "Deposit ");
    }
}
