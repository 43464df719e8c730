//! The projections view on a state with many entries: the tree lists every
//! key, fetches an entry's value only when it is unfolded or changed, and
//! grows with the number of entries, not with their content.

use super::support::Harness;
use eventscope::domain::Domain;
use eventscope::domain::generate::generate;
use eventscope::projection::{self, Path, Projection};
use eventscope::ui::LineKind;
use ratatui::crossterm::event::KeyCode;
use serde_json::Value;

/// Above this many entries the view lists a map by its keys.
const MANY: usize = 1_000;

/// The retail projection `name` folded over the app's events `1..=seq`.
fn reference(h: &Harness, name: &str, seq: u64) -> Box<dyn Projection> {
    let mut projection = projection::builtin(name).unwrap();
    for s in 1..=seq {
        projection.apply(&h.app_event(s)).unwrap();
    }
    projection
}

#[test]
fn a_directory_of_many_customers_is_listed_by_key_and_fetched_on_demand() {
    // Given a retail log with well over a thousand customers
    let mut events = Vec::new();
    generate::<()>(Domain::Retail, 12_000, 7, |e| {
        events.push(e);
        Ok(())
    })
    .unwrap();
    let changed_at = events
        .iter()
        .rposition(|e| {
            e.event_type == "CustomerEmailChanged" || e.event_type == "CustomerAddressChanged"
        })
        .unwrap() as u64
        + 1;
    let mut h = Harness::with_events(events, 120, 40);
    let before = reference(&h, "customers", changed_at - 1);
    let keys = before.keys_at(&Path::root()).unwrap();
    assert!(keys.len() > MANY, "{} customers", keys.len());

    // When the view opens on the event before a customer's change
    h.keys(&format!(":{}", changed_at - 1));
    h.press(KeyCode::Enter);
    h.keys("2");
    h.app.select_projection("customers").unwrap();
    h.settle();

    // Then every customer is listed in order, folded and not fetched
    let listed = |h: &Harness| -> Vec<String> {
        h.app
            .projection_lines()
            .iter()
            .filter(|l| l.depth == 1)
            .filter_map(|l| l.key.clone())
            .collect()
    };
    assert_eq!(listed(&h), keys);
    let lines = h.app.projection_lines();
    let unfetched = lines
        .iter()
        .filter(|l| l.kind == LineKind::Unfetched)
        .count();
    let held = h.app.projection_state().unwrap().as_object().unwrap().len();
    assert_eq!(unfetched + held, keys.len());
    assert!(
        held <= 1,
        "only what the event there changed is fetched: {held}"
    );
    // ... and the tree grows with the entries, not with their content.
    assert!(
        lines.len() <= keys.len() + 2 + 20 * held,
        "{} lines",
        lines.len()
    );

    // When stepping onto the change
    h.keys("l");
    assert_eq!(h.seq(), changed_at);
    let after = reference(&h, "customers", changed_at);
    let stream = h.app_event(changed_at).stream.to_string();
    // Then the changed customer is fetched, as `get` answers, and selected
    let state = h.app.projection_state().unwrap();
    assert_eq!(
        state.get(&stream),
        after.get(&Path::keys([stream.as_str()])).as_ref()
    );
    assert!(!h.app.projection_changes().is_empty());
    let selected = &h.app.projection_lines()[h.app.projection_cursor()];
    assert!(
        selected.path.starts_with(&format!("{stream}/")),
        "{selected:?} is under {stream}"
    );
    assert_eq!(listed(&h), after.keys_at(&Path::root()).unwrap());

    // When unfolding an entry not fetched yet
    for _ in 0..40 {
        if h.app.projection_lines()[h.app.projection_cursor()].kind == LineKind::Unfetched {
            break;
        }
        h.keys("j");
    }
    let line = h.app.projection_lines()[h.app.projection_cursor()].clone();
    assert_eq!(line.kind, LineKind::Unfetched);
    let key = line.key.unwrap();
    h.press(KeyCode::Enter);
    // Then its value is exactly what `get` returns, shown unfolded
    let fetched: Option<&Value> = h.app.projection_state().unwrap().get(&key);
    assert_eq!(fetched, after.get(&Path::keys([key.as_str()])).as_ref());
    let shown = h.app.projection_lines();
    assert!(shown.iter().any(|l| l.path == format!("{key}/email")));
    assert_eq!(shown[h.app.projection_cursor()].path, key);

    // And a field of it can be blamed
    while h.app.projection_lines()[h.app.projection_cursor()].path != format!("{key}/email") {
        h.keys("j");
    }
    h.keys("b");
    let blamed = h.app.blamed_seq().unwrap();
    let event = h.app_event(blamed);
    assert_eq!(event.stream.to_string(), key);
    assert!(
        event.event_type.contains("Customer"),
        "{}",
        event.event_type
    );
}
