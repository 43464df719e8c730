//! Laws over generated small logs: the state at N is the same whether
//! reached from a snapshot or from genesis, and blame agrees with a
//! brute-force search, for every built-in projection.

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::event::Event;
use crate::projection::testing::LogBuilder;
use crate::projection::*;

/// A projection that does not name the stream behind a path, which forces
/// blame through snapshots or genesis.
pub struct WithoutStreamHint(pub Box<dyn Projection>);

/// A projection that gives no hints at all: no stream and the whole state
/// as every event's scope.
pub struct WithoutHints(pub WithoutStreamHint);

impl Projection for WithoutHints {
    fn name(&self) -> &str {
        self.0.name()
    }
    fn version(&self) -> u32 {
        self.0.version()
    }
    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        self.0.apply(event)
    }
    fn state(&self) -> Value {
        self.0.state()
    }
    fn save(&self) -> Vec<u8> {
        self.0.save()
    }
    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError> {
        self.0.restore(bytes)
    }
}

impl Projection for WithoutStreamHint {
    fn name(&self) -> &str {
        self.0.name()
    }
    fn version(&self) -> u32 {
        self.0.version()
    }
    fn apply(&mut self, event: &Event) -> Result<(), ProjectionError> {
        self.0.apply(event)
    }
    fn state(&self) -> Value {
        self.0.state()
    }
    fn get(&self, path: &Path) -> Option<Value> {
        self.0.get(path)
    }
    fn scope(&self, event: &crate::event_view::EventView<'_>) -> Vec<Path> {
        self.0.scope(event)
    }
    fn save(&self) -> Vec<u8> {
        self.0.save()
    }
    fn restore(&mut self, bytes: &[u8]) -> Result<(), ProjectionError> {
        self.0.restore(bytes)
    }
}

/// One generated step: (kind, entity, value, seconds after the last).
type Step = (u8, u8, u8, u32);

fn address(v: u8) -> Value {
    let cities = ["Lima", "Quito", "La Paz"];
    json!({"street": format!("{v} Calle"), "city": cities[v as usize % 3], "postcode": format!("{}", v % 4), "country": "PE"})
}

/// Turns steps into a log that mixes retail, bank and generic events.
fn build_log(steps: &[Step]) -> MemoryLog {
    let mut log = LogBuilder::new();
    let mut seconds = 0i64;
    for &(kind, entity, v, gap) in steps {
        seconds += i64::from(gap);
        let e = entity % 4;
        let customer = format!("customer-{e}");
        let order = format!("order-{e}");
        let account = format!("account-{e}");
        let (stream, event_type, data) = match kind % 15 {
            0 => (
                customer,
                "CustomerRegistered",
                json!({"name": format!("n{v}"), "email": format!("{v}@x"), "address": address(v)}),
            ),
            1 => (
                customer,
                "CustomerAddressChanged",
                json!({"address": address(v)}),
            ),
            2 => (
                customer,
                "CustomerEmailChanged",
                json!({"email": format!("{}@y", v % 3)}),
            ),
            3 => (customer, "CustomerDeactivated", json!({"reason": "r"})),
            4 => (
                order,
                "OrderPlaced",
                json!({"customer": format!("customer-{}", v % 4), "items": [{"sku": "s", "qty": 1, "price": v}], "total": v}),
            ),
            5 => (order, "PaymentRequested", json!({"amount": v})),
            6 => (order, "PaymentReceived", json!({"amount": v})),
            7 => (order, "OrderShipped", json!({"address": address(v)})),
            8 => (order, "OrderCancelled", json!({"reason": "r"})),
            9 => (
                account,
                "AccountOpened",
                json!({"owner": format!("o{}", v % 2)}),
            ),
            10 => (account, "MoneyDeposited", json!({"amount": v})),
            11 => (account, "MoneyWithdrawn", json!({"amount": v % 50})),
            12 => (account, "AccountClosed", json!({})),
            13 => {
                let value = if v % 4 == 0 {
                    Value::Null
                } else {
                    json!(v % 3)
                };
                (
                    format!("thing.{e}"),
                    "ThingChanged",
                    json!({ format!("k{}", v % 3): value }),
                )
            }
            _ => (format!("thing.{e}"), "ThingRemoved", json!({"why": v % 2})),
        };
        log.push_at(&stream, event_type, data, seconds);
    }
    log.build()
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let gap = prop_oneof![0u32..5, 0u32..100_000];
    proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), gap), 0..60)
}

fn snapshot_all(log: &MemoryLog, interval: u64) -> MemorySnapshots {
    let mut all: Vec<_> = names().into_iter().map(|n| builtin(n).unwrap()).collect();
    crate::projection::testing::snapshots_every(log, &mut all, interval)
}

/// Every path to a leaf (or empty container) of `value`.
fn leaf_paths(value: &Value, prefix: Path, out: &mut Vec<Path>) {
    match value {
        Value::Object(members) if !members.is_empty() => {
            for (key, member) in members {
                leaf_paths(member, prefix.child(Segment::Key(key.clone())), out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (index, item) in items.iter().enumerate() {
                leaf_paths(item, prefix.child(Segment::Index(index)), out);
            }
        }
        _ => out.push(prefix),
    }
}

/// The last seq <= at where the value at `path` changed, found by looking
/// at the whole state after every event.
fn brute_force_blame(log: &MemoryLog, name: &str, path: &Path, at: u64) -> Option<u64> {
    let mut projection = builtin(name).unwrap();
    let mut current = path.lookup(&projection.state()).cloned();
    let mut changed_at = None;
    for event in &log.events()[..at as usize] {
        projection.apply(event).unwrap();
        let value = path.lookup(&projection.state()).cloned();
        if value != current {
            (current, changed_at) = (value, Some(event.seq));
        }
    }
    changed_at
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn state_from_a_snapshot_equals_state_from_genesis(steps in steps(), interval in 1u64..8) {
        let log = build_log(&steps);
        let store = snapshot_all(&log, interval);
        for name in names() {
            for at in 0..=log.events().len() as u64 {
                let (fast, report) = travel(&log, Some(&store), builtin(name).unwrap(), at).unwrap();
                let (slow, _) = travel(&log, None, builtin(name).unwrap(), at).unwrap();
                prop_assert_eq!(fast.state(), slow.state(), "{} at {}", name, at);
                prop_assert!(report.replayed < interval.max(1) + 1, "{} at {}: {:?}", name, at, report);
            }
        }
    }

    #[test]
    fn blame_agrees_with_brute_force(steps in steps(), interval in 1u64..8, pick in any::<prop::sample::Index>()) {
        let log = build_log(&steps);
        let store = snapshot_all(&log, interval);
        let end = log.events().len() as u64;
        for name in names() {
            let at = pick.index(end as usize + 1) as u64;
            let mut paths = Vec::new();
            let (full, _) = travel(&log, None, builtin(name).unwrap(), end).unwrap();
            leaf_paths(&full.state(), Path::root(), &mut paths);
            for path in paths.iter().take(25) {
                let expected = brute_force_blame(&log, name, path, at);
                let by_stream = blame(&log, None, builtin(name).unwrap(), path, at).unwrap();
                prop_assert_eq!(by_stream.changed_at, expected, "{} {} at {} by stream", name, path, at);
                let hidden = || Box::new(WithoutStreamHint(builtin(name).unwrap()));
                let by_genesis = blame(&log, None, hidden(), path, at).unwrap();
                prop_assert_eq!(by_genesis.changed_at, expected, "{} {} at {} from genesis", name, path, at);
                let by_snapshots = blame(&log, Some(&store), hidden(), path, at).unwrap();
                prop_assert_eq!(by_snapshots.changed_at, expected, "{} {} at {} by snapshots", name, path, at);
                let unhinted = Box::new(WithoutHints(WithoutStreamHint(builtin(name).unwrap())));
                let by_everything = blame(&log, Some(&store), unhinted, path, at).unwrap();
                prop_assert_eq!(by_everything.changed_at, expected, "{} {} at {} unhinted", name, path, at);
            }
        }
    }

    #[test]
    fn save_then_restore_keeps_the_state(steps in steps()) {
        let log = build_log(&steps);
        for name in names() {
            let (projection, _) = travel(&log, None, builtin(name).unwrap(), log.events().len() as u64).unwrap();
            let mut restored = builtin(name).unwrap();
            restored.restore(&projection.save()).unwrap();
            prop_assert_eq!(restored.state(), projection.state(), "{}", name);
        }
    }

    #[test]
    fn a_diff_within_the_scope_equals_the_diff_of_whole_states(steps in steps()) {
        let log = build_log(&steps);
        for name in names() {
            for seq in 1..=log.events().len() as u64 {
                let scoped = diff_at(&log, None, builtin(name).unwrap(), seq).unwrap();
                let unhinted = Box::new(WithoutHints(WithoutStreamHint(builtin(name).unwrap())));
                let whole = diff_at(&log, None, unhinted, seq).unwrap();
                prop_assert_eq!(scoped, whole, "{} at {}", name, seq);
            }
        }
    }
}

/// The same log in a redb store, as the commands read it.
fn stored(log: &MemoryLog) -> (tempfile::TempDir, crate::store::EventLog) {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::store::EventLog::create(dir.path().join("laws.redb")).unwrap();
    store
        .append(log.events().iter().map(|e| crate::event::NewEvent {
            stream: e.stream.to_string(),
            event_type: e.event_type.to_string(),
            id: Some(e.id.clone()),
            time: e.time,
            data: e.data.clone(),
            metadata: e.metadata.clone(),
            expected_version: Some(e.version),
        }))
        .unwrap();
    (dir, store)
}

/// Rebuilds every projection over the store, saving its snapshots there.
fn snapshot_all_in(store: &crate::store::EventLog, interval: u64) {
    let options = RebuildOptions {
        snapshots: Some((
            store,
            SnapshotPolicy {
                min_interval: interval,
                bytes_per_event: u64::MAX,
            },
        )),
        ..RebuildOptions::default()
    };
    let mut all: Vec<_> = names().into_iter().map(|n| builtin(n).unwrap()).collect();
    rebuild(store, &mut all, &options, &mut |_| {}).unwrap();
}

proptest! {
    // Each case makes a redb file: fewer cases than the laws in memory.
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn on_the_store_a_snapshot_gives_the_state_from_genesis(steps in steps(), interval in 1u64..8) {
        let log = build_log(&steps);
        let (_dir, store) = stored(&log);
        snapshot_all_in(&store, interval);
        for name in names() {
            for at in 0..=log.events().len() as u64 {
                let (fast, _) = travel(&store, Some(&store), builtin(name).unwrap(), at).unwrap();
                let (slow, _) = travel(&log, None, builtin(name).unwrap(), at).unwrap();
                prop_assert_eq!(fast.state(), slow.state(), "{} at {}", name, at);
            }
        }
    }

    #[test]
    fn on_the_store_blame_agrees_with_brute_force(steps in steps(), interval in 1u64..8, pick in any::<prop::sample::Index>()) {
        let log = build_log(&steps);
        let (_dir, store) = stored(&log);
        snapshot_all_in(&store, interval);
        let end = log.events().len() as u64;
        for name in names() {
            let at = pick.index(end as usize + 1) as u64;
            let mut paths = Vec::new();
            let (full, _) = travel(&log, None, builtin(name).unwrap(), end).unwrap();
            leaf_paths(&full.state(), Path::root(), &mut paths);
            for path in paths.iter().take(10) {
                let expected = brute_force_blame(&log, name, path, at);
                let by_stream = blame(&store, None, builtin(name).unwrap(), path, at).unwrap();
                prop_assert_eq!(by_stream.changed_at, expected, "{} {} at {} by stream", name, path, at);
                let hidden = Box::new(WithoutStreamHint(builtin(name).unwrap()));
                let by_snapshots = blame(&store, Some(&store), hidden, path, at).unwrap();
                prop_assert_eq!(by_snapshots.changed_at, expected, "{} {} at {} by snapshots", name, path, at);
            }
        }
    }
}
