//! What if in the explorer: events skipped in the projections view, the
//! state without them set against the real one; and a git history
//! explored as any log. Screens at 100x30 and 80x24.

use super::support::Harness;
use crate::support::Fixture;
use crate::support::git_repo::build_repository;
use eventscope::projection::Change;
use ratatui::crossterm::event::KeyCode;

const SIZES: [(u16, u16); 2] = [(100, 30), (80, 24)];

fn at(h: &mut Harness, seq: u64) {
    h.keys(&format!(":{seq}"));
    h.press(KeyCode::Enter);
    h.keys("2");
}

/// Ada Lovelace moves London -> Manchester (seq 78) -> Edinburgh (seq 217).
#[test]
fn skipping_the_move_shows_the_state_without_it_and_unskipping_hides_it() {
    let mut h = Harness::retail(100, 30);
    at(&mut h, 217);
    assert_eq!(h.app.projection_name(), Some("customers"));
    h.keys("x");
    let view = match &h.app.skip_panel().result {
        Some(Ok(view)) => view,
        other => panic!("no skipped state: {other:?}"),
    };
    assert_eq!((view.at, view.skipped), (217, 1));
    assert!(
        view.changes.iter().any(|change| matches!(change,
            Change::Changed { path, old, new }
                if path.to_string() == "customer-1.address.city"
                    && old == "Edinburgh" && new == "Manchester")),
        "{:?}",
        view.changes
    );
    // Stepping on keeps the selection and computes it at the new seq.
    h.keys("l");
    assert!(matches!(&h.app.skip_panel().result, Some(Ok(v)) if v.at == 218));
    h.keys("h");
    h.keys("x");
    assert!(h.app.skip_panel().result.is_none());
}

#[test]
fn skipping_a_type_and_clearing() {
    let mut h = Harness::retail(100, 30);
    at(&mut h, 217);
    h.keys("T");
    let Some(Ok(view)) = &h.app.skip_panel().result else {
        panic!("no skipped state");
    };
    assert_eq!(
        h.app.skip_panel().skip.to_string(),
        "type:CustomerAddressChanged"
    );
    assert!(view.skipped > 1);
    h.keys("U");
    assert!(h.app.skip_panel().result.is_none());
    assert!(h.app.skip_panel().skip.is_empty());
}

#[test]
fn screens_of_the_skip_view() {
    for (width, height) in SIZES {
        let mut h = Harness::retail(width, height);
        at(&mut h, 217);
        h.keys("xS");
        insta::assert_snapshot!(
            format!("whatif_skip_{width}x{height}"),
            h.screen(width, height)
        );
    }
}

fn git_harness(width: u16, height: u16) -> (Fixture, Harness, u64) {
    let f = Fixture::new();
    let repo = build_repository(&f);
    let (commits, sizes) = eventscope::git::read_history(&repo).unwrap();
    let events = eventscope::git::history_events(&commits, &sizes).unwrap();
    let last = events.len() as u64;
    (f, Harness::with_events(events, width, height), last)
}

#[test]
fn a_git_history_shows_its_tree_in_the_projections_view() {
    let (_f, mut h, last) = git_harness(100, 30);
    at(&mut h, last);
    assert_eq!(h.app.projection_name(), Some("git-tree"));
    let state = h.app.projection_state().unwrap().clone();
    let files: Vec<&String> = state.as_object().unwrap().keys().collect();
    assert_eq!(files, ["dir/d.txt", "e.bin", "f.txt", "s.txt"]);
}

#[test]
fn screens_of_a_git_history() {
    for (width, height) in SIZES {
        let (_f, mut h, _) = git_harness(width, height);
        let log = h.screen(width, height);
        insta::assert_snapshot!(format!("whatif_git_log_{width}x{height}"), log);
        at(&mut h, 12);
        insta::assert_snapshot!(
            format!("whatif_git_tree_{width}x{height}"),
            h.screen(width, height)
        );
    }
}

const MOVE_TO_LEEDS: &str = r#"ChangeCustomerAddress customer-1 street="1 Main St" city=Leeds postcode="LS1 1AA" country=UK"#;

fn branch(h: &mut Harness, command: &str) {
    h.keys("B");
    h.keys(command);
    h.press(KeyCode::Enter);
}

#[test]
fn a_branch_tries_commands_on_the_past_and_writes_nothing() {
    let mut h = Harness::retail(100, 30);
    let before = h.log_bytes();
    at(&mut h, 100);
    branch(&mut h, MOVE_TO_LEEDS);
    let panel = h.app.branch_panel().expect("a branch");
    assert_eq!(panel.at, 100);
    assert!(panel.last_accepted, "{}", panel.last);
    assert_eq!(panel.events.len(), 1);
    assert_eq!(panel.events[0].seq, 101);
    assert_eq!(&*panel.events[0].event_type, "CustomerAddressChanged");
    let changes = panel.changes.as_ref().unwrap();
    assert!(
        changes.iter().any(|change| matches!(change,
            Change::Changed { path, old, new }
                if path.to_string() == "customer-1.address.city"
                    && old == "Manchester" && new == "Leeds")),
        "{changes:?}"
    );
    // A second command goes on from the first, on the same branch.
    branch(
        &mut h,
        "ChangeCustomerEmail customer-1 email=ada@leeds.example",
    );
    let panel = h.app.branch_panel().unwrap();
    assert_eq!(panel.events.len(), 2);
    assert_eq!(panel.events[1].version, panel.events[0].version + 1);
    // A command the past write model refuses writes nothing to the branch.
    branch(&mut h, &MOVE_TO_LEEDS.replace("customer-1", "customer-999"));
    let panel = h.app.branch_panel().unwrap();
    assert!(!panel.last_accepted);
    assert!(panel.last.starts_with("rejected"), "{}", panel.last);
    assert_eq!(panel.events.len(), 2);
    // Leaving: another seq, the real history again; the log as it was.
    h.keys("l");
    assert!(h.app.branch_panel().is_none());
    assert!(h.app.event_at(291).is_none());
    assert!(h.log_bytes() == before, "the log changed");
}

#[test]
fn screens_of_a_branch() {
    for (width, height) in SIZES {
        let mut h = Harness::retail(width, height);
        at(&mut h, 100);
        branch(&mut h, MOVE_TO_LEEDS);
        insta::assert_snapshot!(
            format!("whatif_branch_{width}x{height}"),
            h.screen(width, height)
        );
    }
}

#[test]
fn a_branch_decision_exported_from_the_explorer_checks_out() {
    let mut h = Harness::retail(100, 30);
    at(&mut h, 100);
    h.keys("E");
    let none: Vec<_> = cases_in(h.dir());
    assert!(none.is_empty(), "no branch, no case: {none:?}");
    branch(&mut h, MOVE_TO_LEEDS);
    h.keys("E");
    branch(&mut h, &MOVE_TO_LEEDS.replace("customer-1", "customer-999"));
    h.keys("E");
    let cases = cases_in(h.dir());
    assert_eq!(cases.len(), 2, "{cases:?}");
    let mut outcomes = Vec::new();
    for case in &cases {
        let out = crate::support::eventscope(&["check-case", case.to_str().unwrap()]);
        assert!(out.status.success(), "{}", crate::support::stderr(&out));
        outcomes.push(crate::support::stdout(&out));
    }
    outcomes.sort();
    assert!(
        outcomes[0].starts_with("ok: events: CustomerAddressChanged"),
        "{outcomes:?}"
    );
    assert!(outcomes[1].starts_with("ok: rejected: "), "{outcomes:?}");
}

fn cases_in(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut cases: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    cases.sort();
    cases
}
