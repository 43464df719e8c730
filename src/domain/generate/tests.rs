//! The generators' laws, checked on generated logs.

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;

use super::*;
use crate::domain::bank as b;
use crate::domain::retail as r;
use crate::event::NewEvent;

fn take(domain: Domain, events: u64, seed: u64) -> Vec<NewEvent> {
    let mut out = Vec::new();
    generate(domain, events, seed, |event| {
        out.push(event);
        Ok::<(), ()>(())
    })
    .unwrap();
    out
}

fn metadata(event: &NewEvent, key: &str) -> String {
    let metadata = event.metadata.as_ref().unwrap().value();
    metadata[key].as_str().unwrap().to_string()
}

/// Checks what holds for both domains: ids, versions, times, flows.
fn check_envelopes(events: &[NewEvent]) {
    let mut versions: HashMap<&str, u64> = HashMap::new();
    let mut flow_of: HashMap<String, String> = HashMap::new();
    let mut previous_time = None;
    for event in events {
        let id = event.id.clone().unwrap();
        let version = versions.entry(&event.stream).or_insert(0);
        *version += 1;
        assert_eq!(
            event.expected_version,
            Some(*version),
            "{id} in {}",
            event.stream
        );
        assert!(previous_time < Some(event.time), "{id} goes back in time");
        previous_time = Some(event.time);

        let flow = metadata(event, "correlation_id");
        let cause = metadata(event, "causation_id");
        match cause.strip_prefix("cmd-") {
            Some(command) => assert_eq!(flow, format!("flow-{command}"), "{id}"),
            None => assert_eq!(flow_of.get(&cause), Some(&flow), "{id} caused by {cause}"),
        }
        assert!(
            flow_of.insert(id.clone(), flow).is_none(),
            "{id} is not unique"
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_events() {
    for domain in Domain::ALL {
        assert_eq!(take(domain, 3_000, 42), take(domain, 3_000, 42), "{domain}");
    }
}

#[test]
fn different_seeds_give_different_events() {
    for domain in Domain::ALL {
        assert_ne!(take(domain, 200, 1), take(domain, 200, 2), "{domain}");
    }
}

#[test]
fn a_longer_log_starts_with_the_shorter_one() {
    let long = take(Domain::Retail, 2_000, 9);
    assert_eq!(take(Domain::Retail, 500, 9), long[..500]);
}

#[test]
fn the_sink_error_stops_generation() {
    let mut seen = 0;
    let result = generate(Domain::Bank, 100, 1, |_| {
        seen += 1;
        if seen == 10 { Err("full") } else { Ok(()) }
    });
    assert_eq!(result, Err("full"));
    assert_eq!(seen, 10);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn exactly_the_asked_number_of_events(events in 0u64..400, seed: u64) {
        for domain in Domain::ALL {
            let log = take(domain, events, seed);
            prop_assert_eq!(log.len() as u64, events);
            check_envelopes(&log);
        }
    }
}

#[test]
fn retail_flows_are_consistent() {
    let events = take(Domain::Retail, 60_000, 7);
    check_envelopes(&events);

    let mut address: HashMap<String, r::Address> = HashMap::new();
    let mut totals: HashMap<String, i64> = HashMap::new();
    let mut last_type: HashMap<String, String> = HashMap::new();
    let mut customer_of: HashMap<String, String> = HashMap::new();
    // Deactivated customers and shipped or cancelled orders.
    let mut ended: HashSet<String> = HashSet::new();
    for event in &events {
        let stream = event.stream.clone();
        assert!(!ended.contains(&stream), "{stream} changed after its end");
        match event.event_type.as_str() {
            r::CUSTOMER_REGISTERED => {
                let data: r::CustomerRegistered = event.data.parse().unwrap();
                assert!(data.email.contains('@') && data.name.contains(' '));
                address.insert(stream.clone(), data.address);
            }
            r::CUSTOMER_ADDRESS_CHANGED => {
                let data: r::CustomerAddressChanged = event.data.parse().unwrap();
                let old = address.insert(stream.clone(), data.address.clone());
                assert_ne!(old, Some(data.address), "{stream} moved to where it was");
            }
            r::CUSTOMER_EMAIL_CHANGED => {
                event.data.parse::<r::CustomerEmailChanged>().unwrap();
            }
            r::CUSTOMER_DEACTIVATED => {
                ended.insert(stream.clone());
            }
            r::ORDER_PLACED => {
                let data: r::OrderPlaced = event.data.parse().unwrap();
                assert!(
                    address.contains_key(&data.customer),
                    "unknown {}",
                    data.customer
                );
                assert!(
                    !ended.contains(&data.customer),
                    "{stream} by a gone customer"
                );
                assert!(!data.items.is_empty());
                assert_eq!(data.total, r::order_total(&data.items));
                totals.insert(stream.clone(), data.total);
                customer_of.insert(stream.clone(), data.customer);
            }
            r::PAYMENT_REQUESTED => {
                let data: r::PaymentRequested = event.data.parse().unwrap();
                assert_eq!(last_type[&stream], r::ORDER_PLACED);
                assert_eq!(Some(&data.amount), totals.get(&stream));
            }
            r::PAYMENT_RECEIVED => {
                let data: r::PaymentReceived = event.data.parse().unwrap();
                assert_eq!(last_type[&stream], r::PAYMENT_REQUESTED);
                assert_eq!(Some(&data.amount), totals.get(&stream));
            }
            r::ORDER_SHIPPED => {
                let data: r::OrderShipped = event.data.parse().unwrap();
                assert_eq!(last_type[&stream], r::PAYMENT_RECEIVED);
                let customer = &customer_of[&stream];
                assert_eq!(Some(&data.address), address.get(customer), "{stream}");
            }
            r::ORDER_CANCELLED => {
                event.data.parse::<r::OrderCancelled>().unwrap();
                let before = last_type[&stream].as_str();
                assert!(before != r::ORDER_SHIPPED && before != r::ORDER_CANCELLED);
            }
            other => panic!("unexpected type {other}"),
        }
        if matches!(
            event.event_type.as_str(),
            r::ORDER_SHIPPED | r::ORDER_CANCELLED
        ) {
            ended.insert(stream.clone());
        }
        last_type.insert(stream, event.event_type.clone());
    }
}

#[test]
fn retail_mix_is_realistic() {
    let events = take(Domain::Retail, 100_000, 3);
    let count = |t: &str| events.iter().filter(|e| e.event_type == t).count();
    let customers = count(r::CUSTOMER_REGISTERED);
    let orders = count(r::ORDER_PLACED);
    let shipped = count(r::ORDER_SHIPPED);
    let movers = count(r::CUSTOMER_ADDRESS_CHANGED);
    assert!(
        (8_000..14_000).contains(&customers),
        "{customers} customers"
    );
    assert!((15_000..27_000).contains(&orders), "{orders} orders");
    assert!(shipped * 100 > orders * 70, "{shipped} of {orders} shipped");
    assert!(
        count(r::ORDER_CANCELLED) * 100 > orders * 5,
        "too few cancelled"
    );
    assert!(movers * 10 > customers * 2, "too few moves");
    assert!(count(r::CUSTOMER_DEACTIVATED) > 0 && count(r::CUSTOMER_EMAIL_CHANGED) > 0);
    let streams: HashMap<&str, usize> =
        events.iter().fold(HashMap::new(), |mut versions, event| {
            *versions.entry(event.stream.as_str()).or_default() += 1;
            versions
        });
    let moved_twice = streams
        .iter()
        .filter(|(stream, versions)| stream.starts_with(r::CUSTOMER_PREFIX) && **versions >= 3)
        .count();
    assert!(
        moved_twice > 100,
        "customers with several changes: {moved_twice}"
    );
}

#[test]
fn retail_flows_interleave() {
    let events = take(Domain::Retail, 5_000, 11);
    // Between an order's placement and its end, other orders progress.
    let mut open: HashSet<&str> = HashSet::new();
    let mut most_open = 0;
    for event in &events {
        match event.event_type.as_str() {
            r::ORDER_PLACED => {
                open.insert(&event.stream);
            }
            r::ORDER_SHIPPED | r::ORDER_CANCELLED => {
                open.remove(event.stream.as_str());
            }
            _ => {}
        }
        most_open = most_open.max(open.len());
    }
    assert!(most_open >= 50, "at most {most_open} orders open at once");
}

#[test]
fn bank_accounts_never_overdraw_and_close_empty() {
    let events = take(Domain::Bank, 60_000, 5);
    check_envelopes(&events);
    let mut balance: HashMap<&str, i64> = HashMap::new();
    let mut closed: HashSet<&str> = HashSet::new();
    for event in &events {
        let stream = event.stream.as_str();
        assert!(!closed.contains(stream), "{stream} used after closing");
        match event.event_type.as_str() {
            b::ACCOUNT_OPENED => {
                let data: b::AccountOpened = event.data.parse().unwrap();
                assert!(!data.owner.is_empty());
                assert!(balance.insert(stream, 0).is_none(), "{stream} opened twice");
            }
            b::MONEY_DEPOSITED => {
                let data: b::MoneyDeposited = event.data.parse().unwrap();
                assert!(data.amount > 0);
                *balance.get_mut(stream).unwrap() += data.amount;
            }
            b::MONEY_WITHDRAWN => {
                let data: b::MoneyWithdrawn = event.data.parse().unwrap();
                let left = balance.get_mut(stream).unwrap();
                assert!(
                    data.amount > 0 && data.amount <= *left,
                    "{stream} overdrawn"
                );
                *left -= data.amount;
            }
            b::ACCOUNT_CLOSED => {
                event.data.parse::<b::AccountClosed>().unwrap();
                assert_eq!(balance[stream], 0, "{stream} closed with money in it");
                closed.insert(stream);
            }
            other => panic!("unexpected type {other}"),
        }
    }
    let count = |t: &str| events.iter().filter(|e| e.event_type == t).count();
    let opened = count(b::ACCOUNT_OPENED);
    assert!(opened > 2_000, "{opened} accounts");
    assert!(
        closed.len() * 100 > opened * 5,
        "{} of {opened} closed",
        closed.len()
    );
    assert!(count(b::MONEY_WITHDRAWN) > 10_000 && count(b::MONEY_DEPOSITED) > 10_000);
}

#[test]
fn generated_times_follow_the_day_from_new_year_2024() {
    let events = take(Domain::Retail, 1, 0);
    assert_eq!(events[0].time.unwrap().date(), "2024-01-01");

    let events = take(Domain::Bank, 50_000, 0);
    let last = events.last().unwrap().time.unwrap();
    assert!(
        last.unix_millis() - START_MILLIS > 2 * 86_400_000,
        "50k events within two days"
    );
    let hour =
        |event: &NewEvent| event.time.unwrap().unix_millis().rem_euclid(86_400_000) / 3_600_000;
    let afternoon = events
        .iter()
        .filter(|e| (13..17).contains(&hour(e)))
        .count();
    let night = events.iter().filter(|e| (1..5).contains(&hour(e))).count();
    assert!(
        afternoon > 3 * night,
        "{afternoon} events in the afternoon, {night} at night"
    );
}
