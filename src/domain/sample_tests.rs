//! The bundled sample logs keep their promises: correct envelopes, a
//! consistent story, and the teaching stories the sample-data README
//! points at.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use super::{bank as b, retail as r};
use crate::event::Timestamp;

#[derive(Debug, Deserialize)]
struct Line {
    stream: String,
    version: u64,
    #[serde(rename = "type")]
    event_type: String,
    id: String,
    time: String,
    data: serde_json::Value,
    metadata: Metadata,
}

#[derive(Debug, Deserialize)]
struct Metadata {
    correlation_id: String,
    causation_id: String,
}

impl Line {
    fn data<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.data.clone())
            .unwrap_or_else(|e| panic!("{}: {} data does not fit: {e}", self.id, self.event_type))
    }
}

fn read_sample(name: &str) -> Vec<Line> {
    let path = format!("{}/sample-data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .map(|line| {
            // Compact, keys in the documented order.
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(serde_json::to_string(&value).unwrap(), line, "not compact");
            let keys: Vec<&str> = value
                .as_object()
                .unwrap()
                .keys()
                .map(|k| k.as_str())
                .collect();
            assert_eq!(
                keys,
                [
                    "stream", "version", "type", "id", "time", "data", "metadata"
                ]
            );
            serde_json::from_value(value).unwrap()
        })
        .collect()
}

/// Versions gapless per stream, times in order, ids unique, every cause
/// earlier, and an event caused by another shares its correlation id.
fn check_envelopes(lines: &[Line]) {
    let mut versions: HashMap<&str, u64> = HashMap::new();
    let mut flow_of: HashMap<&str, &str> = HashMap::new();
    let mut previous = Timestamp::EPOCH;
    for line in lines {
        let version = versions.entry(&line.stream).or_insert(0);
        *version += 1;
        assert_eq!(line.version, *version, "{} in {}", line.id, line.stream);
        let time = Timestamp::parse_rfc3339(&line.time).unwrap();
        assert!(time >= previous, "{} goes back in time", line.id);
        previous = time;
        let cause = line.metadata.causation_id.as_str();
        if !cause.starts_with("cmd-") {
            let cause_flow = flow_of.get(cause).copied();
            assert_eq!(
                cause_flow,
                Some(line.metadata.correlation_id.as_str()),
                "{}",
                line.id
            );
        }
        let fresh = flow_of
            .insert(&line.id, &line.metadata.correlation_id)
            .is_none();
        assert!(fresh, "{} is not unique", line.id);
    }
}

fn city(address: &r::Address) -> &str {
    &address.city
}

#[test]
fn the_retail_sample_is_consistent_and_tells_its_stories() {
    let lines = read_sample("retail.jsonl");
    assert!((250..=400).contains(&lines.len()), "{} events", lines.len());
    check_envelopes(&lines);

    let mut names: HashMap<&str, String> = HashMap::new();
    let mut addresses: HashMap<&str, r::Address> = HashMap::new();
    let mut moves: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut ended: HashSet<&str> = HashSet::new();
    let mut orders: HashMap<&str, (r::OrderPlaced, usize, &str)> = HashMap::new();
    let mut shipped_after_a_move = 0;
    let mut interleaved = 0;
    for (seq, line) in lines.iter().enumerate().map(|(i, line)| (i + 1, line)) {
        let stream = line.stream.as_str();
        assert!(
            !ended.contains(stream),
            "{} follows the end of {stream}",
            line.id
        );
        let previous_type = orders.get(stream).map(|(_, _, t)| *t);
        match line.event_type.as_str() {
            r::CUSTOMER_REGISTERED => {
                let data: r::CustomerRegistered = line.data();
                names.insert(stream, data.name);
                addresses.insert(stream, data.address);
            }
            r::CUSTOMER_ADDRESS_CHANGED => {
                let data: r::CustomerAddressChanged = line.data();
                assert_ne!(addresses.insert(stream, data.address), None, "{stream}");
                moves.entry(stream).or_default().push(seq);
            }
            r::CUSTOMER_EMAIL_CHANGED => {
                assert!(line.data::<r::CustomerEmailChanged>().email.contains('@'));
            }
            r::CUSTOMER_DEACTIVATED => {
                line.data::<r::CustomerDeactivated>();
                ended.insert(stream);
            }
            r::ORDER_PLACED => {
                let data: r::OrderPlaced = line.data();
                let customer = data.customer.as_str();
                assert!(
                    addresses.contains_key(customer),
                    "{} by unknown {customer}",
                    line.id
                );
                assert!(
                    !ended.contains(customer),
                    "{} by a deactivated customer",
                    line.id
                );
                assert_eq!(data.total, r::order_total(&data.items), "{}", line.id);
                if orders.values().any(|(_, _, t)| !is_end(t)) {
                    interleaved += 1;
                }
                orders.insert(stream, (data, seq, r::ORDER_PLACED));
            }
            r::PAYMENT_REQUESTED | r::PAYMENT_RECEIVED => {
                let amount = line.data["amount"].as_i64();
                let (placed, _, _) = &orders[stream];
                assert_eq!(amount, Some(placed.total), "{}", line.id);
                let expected_before = if line.event_type == r::PAYMENT_REQUESTED {
                    r::ORDER_PLACED
                } else {
                    r::PAYMENT_REQUESTED
                };
                assert_eq!(previous_type, Some(expected_before), "{}", line.id);
            }
            r::ORDER_SHIPPED => {
                let data: r::OrderShipped = line.data();
                let (placed, placed_at, _) = &orders[stream];
                assert_eq!(previous_type, Some(r::PAYMENT_RECEIVED), "{}", line.id);
                let customer = placed.customer.as_str();
                assert_eq!(Some(&data.address), addresses.get(customer), "{}", line.id);
                let moves_of_customer = moves.get(customer).into_iter().flatten();
                if moves_of_customer.copied().any(|at| at > *placed_at) {
                    shipped_after_a_move += 1;
                }
            }
            r::ORDER_CANCELLED => {
                assert!(!line.data::<r::OrderCancelled>().reason.is_empty());
            }
            other => panic!("{}: unexpected type {other}", line.id),
        }
        if let Some(order) = orders.get_mut(stream) {
            order.2 = r::EVENT_TYPES
                .iter()
                .find(|t| **t == line.event_type)
                .unwrap();
            if is_end(order.2) {
                ended.insert(stream);
            }
        }
    }

    // Ada moved twice; her city now comes from the second move.
    let (ada, _) = names
        .iter()
        .find(|(_, name)| *name == "Ada Lovelace")
        .unwrap();
    assert!(
        moves[ada].len() >= 2,
        "Ada moved {} times",
        moves[ada].len()
    );
    assert_eq!(city(&addresses[ada]), "Edinburgh");
    assert!(
        shipped_after_a_move >= 1,
        "no order shipped to a newer address"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.event_type == r::CUSTOMER_EMAIL_CHANGED)
    );
    assert!(
        lines
            .iter()
            .any(|l| l.event_type == r::CUSTOMER_DEACTIVATED)
    );
    let count_ending = |end: &str| orders.values().filter(|(_, _, t)| *t == end).count();
    assert!(count_ending(r::ORDER_SHIPPED) >= 20);
    assert!(count_ending(r::ORDER_CANCELLED) >= 3);
    assert!(
        orders.values().any(|(_, _, t)| *t == r::PAYMENT_RECEIVED),
        "none paid, unshipped"
    );
    assert!(
        orders.values().any(|(_, _, t)| *t == r::ORDER_PLACED),
        "none just placed"
    );
    assert!(
        interleaved >= 10,
        "only {interleaved} orders placed while another was open"
    );
    let cities: HashSet<&str> = addresses.values().map(city).collect();
    let countries: HashSet<&str> = addresses.values().map(|a| a.country.as_str()).collect();
    assert!(cities.len() >= 10 && countries.len() >= 8, "{countries:?}");
}

fn is_end(event_type: &str) -> bool {
    event_type == r::ORDER_SHIPPED || event_type == r::ORDER_CANCELLED
}

#[test]
fn the_bank_sample_never_overdraws_and_closes_empty_accounts() {
    let lines = read_sample("bank.jsonl");
    assert!((60..=120).contains(&lines.len()), "{} events", lines.len());
    check_envelopes(&lines);

    let mut balances: HashMap<&str, i64> = HashMap::new();
    let mut closed: HashSet<&str> = HashSet::new();
    let mut streams_of_flow: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut closed_after_paying_out = 0;
    for (i, line) in lines.iter().enumerate() {
        let stream = line.stream.as_str();
        assert!(
            !closed.contains(stream),
            "{} after {stream} closed",
            line.id
        );
        let flow = line.metadata.correlation_id.as_str();
        streams_of_flow.entry(flow).or_default().insert(stream);
        match line.event_type.as_str() {
            b::ACCOUNT_OPENED => {
                assert!(!line.data::<b::AccountOpened>().owner.is_empty());
                assert_eq!(balances.insert(stream, 0), None, "{stream} opened twice");
            }
            b::MONEY_DEPOSITED => {
                let amount = line.data::<b::MoneyDeposited>().amount;
                assert!(amount > 0, "{}", line.id);
                *balances.get_mut(stream).unwrap() += amount;
            }
            b::MONEY_WITHDRAWN => {
                let amount = line.data::<b::MoneyWithdrawn>().amount;
                let balance = balances.get_mut(stream).unwrap();
                assert!(
                    amount > 0 && amount <= *balance,
                    "{} overdraws {stream}",
                    line.id
                );
                *balance -= amount;
            }
            b::ACCOUNT_CLOSED => {
                line.data::<b::AccountClosed>();
                assert_eq!(
                    balances[stream], 0,
                    "{} closes a non-empty account",
                    line.id
                );
                closed.insert(stream);
                let before = &lines[i.saturating_sub(1)];
                if before.event_type == b::MONEY_WITHDRAWN && before.metadata.correlation_id == flow
                {
                    closed_after_paying_out += 1;
                }
            }
            other => panic!("{}: unexpected type {other}", line.id),
        }
    }
    assert!(
        closed_after_paying_out >= 1,
        "no account paid out then closed"
    );
    assert!(closed.len() >= 2, "{} closed", closed.len());
    let transfers = streams_of_flow
        .values()
        .filter(|streams| streams.len() == 2)
        .count();
    assert!(transfers >= 1, "no flow spans two accounts");
    assert!(balances.values().any(|&balance| balance > 0));
}
