//! The explorer on a log described by a domain file (the library sample):
//! the file's jq projections in the projections view, its commands and
//! policies in the CQRS view, its errors shown in place, and a save of the
//! file reloading both while the explorer runs.

use std::sync::Arc;

use super::support::{self, Harness, render_screen};
use eventscope::Timestamp;
use eventscope::cqrs::{Handled, StepOutcome};
use eventscope::ui::Msg;
use eventscope::ui::keymap::Action;
use ratatui::crossterm::event::KeyCode;
use serde_json::json;

const LIBRARY: &str = include_str!("../../../sample-data/library.domain.toml");

/// A projection that fails at the first fine (seq 24): a number has no case.
const FAILING: &str = "
[projections.fines]
summary = 'What each member was fined'
init = '{}'
when.FineCharged = '.[$event.stream] += ($event.data.amount | ascii_downcase)'
";

fn jump(h: &mut Harness, seq: u64) {
    h.keys(":");
    h.keys(&seq.to_string());
    h.press(KeyCode::Enter);
}

fn projection_at(h: &mut Harness, name: &str, seq: u64) {
    jump(h, seq);
    h.keys("2");
    h.app.select_projection(name).unwrap();
    h.settle();
}

fn in_cqrs(h: &mut Harness) {
    h.app
        .set_clock(Arc::new(|| Timestamp::from_unix_millis(1_717_200_000_000)));
    h.keys("3");
}

fn send_command(h: &mut Harness, command: &str) {
    h.keys(":");
    h.keys(command);
    h.press(KeyCode::Enter);
    h.press(KeyCode::Esc);
}

fn handled(h: &Harness) -> &Handled {
    match &h.app.cqrs().outcome {
        Some(eventscope::ui::CqrsOutcome::Handled(handled)) => handled,
        other => panic!("not handled: {other:?}"),
    }
}

#[test]
fn the_files_projections_are_listed_with_their_summaries_after_the_built_ins() {
    let mut h = Harness::library(100, 30);
    h.keys("2p");
    let screen = h.screen(100, 30);
    for name in ["types", "streams", "catalogue", "members", "on-loan"] {
        assert!(screen.contains(name), "{name} listed:\n{screen}");
    }
    assert!(
        screen.contains("The books out on loan"),
        "a file projection's summary is shown:\n{screen}"
    );
    assert!(screen.contains("domain library.domain.toml"), "{screen}");
}

#[test]
fn the_view_opens_on_a_projection_of_the_file() {
    let mut h = Harness::library(100, 30);
    h.keys("2");
    assert_eq!(h.app.projection_name(), Some("catalogue"));
}

#[test]
fn a_jq_projections_state_at_the_cursor_is_the_one_worked_out_by_hand() {
    let mut h = Harness::library(100, 30);
    projection_at(&mut h, "on-loan", 20);
    // Out at 20: book-1 (member-1), book-5 (member-3), book-3 (member-4);
    // book-2 and book-4 came back at 18 and 20.
    assert_eq!(
        h.app.projection_state().unwrap(),
        &json!({
            "book-1": {"member": "member-1", "due": "2024-05-20"},
            "book-3": {"member": "member-4", "due": "2024-05-28"},
            "book-5": {"member": "member-3", "due": "2024-05-23"},
        })
    );
    let changes: Vec<String> = h
        .app
        .projection_changes()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(changes[0].starts_with("- book-4"), "{changes:?}");
    // Stepping on costs one event and gives the state at 21.
    h.keys("l");
    assert_eq!(h.seq(), 21);
    assert_eq!(
        h.app.projection_state().unwrap()["book-4"],
        json!({"member": "member-3", "due": "2024-06-02"})
    );
}

#[test]
fn a_jq_projection_rebuilds_travels_from_its_snapshots_blames_and_agrees_with_genesis() {
    let mut h = Harness::library(100, 30);
    projection_at(&mut h, "members", 29);
    h.keys("r");
    // After the rebuild the state at the cursor is computed afresh, from
    // the nearest snapshot it saved.
    let screen = h.screen(100, 30);
    assert!(screen.contains("rebuilt 34 events"), "{screen}");
    assert!(
        screen.contains("time travel from the snapshot at #"),
        "{screen}"
    );
    assert_eq!(h.app.projection_state().unwrap()["member-3"]["owed"], 80);
    // Blame of member-3's email: changed at 16.
    let line = h
        .app
        .projection_lines()
        .iter()
        .position(|l| l.path == "member-3/email")
        .expect("member-3's email is on screen");
    while h.app.projection_cursor() != line {
        let key = if h.app.projection_cursor() < line {
            'j'
        } else {
            'k'
        };
        h.keys(&key.to_string());
    }
    h.keys("b");
    assert_eq!(h.app.blamed_seq(), Some(16));
    h.keys("a");
    let screen = h.screen(100, 30);
    assert!(screen.contains("agree: snapshot #"), "{screen}");
}

#[test]
fn a_jq_error_at_an_event_is_shown_in_the_pane_with_its_place_and_the_rest_works() {
    let mut h = Harness::library_with(&format!("{LIBRARY}{FAILING}"), 100, 30);
    projection_at(&mut h, "fines", 30);
    let screen = h.screen(100, 30);
    assert!(h.app.projection_state().is_none(), "no state is shown");
    assert!(screen.contains("stopped at event 24"), "{screen}");
    let line = LIBRARY.lines().count() + 5;
    assert!(
        screen.contains(&format!("library.domain.toml:{line}:")),
        "the file, line and column:\n{screen}"
    );
    // The other projections and views go on.
    h.app.select_projection("on-loan").unwrap();
    h.settle();
    assert!(h.app.projection_state().is_some());
    h.keys("1j");
    assert_eq!(h.seq(), 31);
}

#[test]
fn a_file_that_does_not_compile_is_shown_with_its_place_and_the_built_ins_run() {
    let broken = LIBRARY.replace("'del(.[$event.stream])'", "'del(.[$event.stream]'");
    let mut h = Harness::library_with(&broken, 100, 30);
    assert!(h.app.domain().is_none());
    let error = h.app.domain_error().unwrap().to_string();
    assert!(error.starts_with("library.domain.toml:18:"), "{error}");
    h.keys("2");
    let screen = h.screen(100, 30);
    assert!(screen.contains("✗ library.domain.toml:18:"), "{screen}");
    assert!(screen.contains("the built-in projections"), "{screen}");
    h.app.select_projection("types").unwrap();
    h.settle();
    assert!(h.app.projection_state().is_some());
    assert!(h.app.select_projection("on-loan").is_err());
}

#[test]
fn the_files_commands_are_decided_by_its_rules_and_policies_chain_them() {
    let mut h = Harness::library(100, 30);
    in_cqrs(&mut h);
    let before = h.app.event_log().last_seq().unwrap();
    send_command(&mut h, "BorrowBook book-3 member=member-1 due=2024-06-20");
    let step = &handled(&h).steps[0];
    assert!(matches!(step.outcome, StepOutcome::Accepted { .. }));
    assert_eq!(h.app.event_log().last_seq().unwrap(), before + 1);
    let borrowed = h.app_event(before + 1);
    assert_eq!(&*borrowed.event_type, "BookBorrowed");
    assert_eq!(
        borrowed.data.value(),
        json!({"member": "member-1", "due": "2024-06-20"})
    );

    // The file's projections are the read models: on-loan has the loan.
    let screen = h.screen(100, 30);
    let on_loan = screen
        .lines()
        .find(|line| line.contains("on-loan "))
        .expect("on-loan is a read model");
    assert!(
        on_loan.contains("book-3") && on_loan.contains("member-1"),
        "{screen}"
    );

    // A rule rejects, with the file's reason on screen; nothing written.
    send_command(&mut h, "BorrowBook book-3 member=member-2 due=2024-06-21");
    let screen = h.screen(100, 30);
    assert!(screen.contains("book-3 is on loan to member-1"), "{screen}");
    assert_eq!(h.app.event_log().last_seq().unwrap(), before + 1);

    // A stale expected version is refused.
    send_command(&mut h, "ReturnBook book-3 days_late=0 expected_version=1");
    assert!(
        matches!(handled(&h).steps[0].outcome, StepOutcome::Conflict { .. }),
        "{:?}",
        handled(&h).steps[0].outcome
    );
    assert_eq!(h.app.event_log().last_seq().unwrap(), before + 1);

    // Late: the fines policy charges the member, in the same flow.
    send_command(&mut h, "ReturnBook book-3 days_late=2");
    let handled = handled(&h);
    assert_eq!(handled.steps.len(), 2, "{handled:?}");
    let returned = h.app_event(before + 2);
    let fined = h.app_event(before + 3);
    assert_eq!(&*fined.event_type, "FineCharged");
    assert_eq!(&*fined.stream, "member-1");
    assert_eq!(fined.data.value()["amount"], 40);
    assert_eq!(fined.causation_id().as_deref(), Some(returned.id.as_str()));
    assert_eq!(fined.correlation_id(), returned.correlation_id());
    let screen = h.screen(100, 30);
    assert!(screen.contains("FineCharged"), "{screen}");
    assert!(screen.contains("fines"), "the policy is named:\n{screen}");
}

#[test]
fn completion_offers_the_files_commands_streams_and_fields() {
    let mut h = Harness::library(100, 30);
    in_cqrs(&mut h);
    h.keys(":Bor");
    h.press(KeyCode::Tab);
    assert_eq!(&*h.app.cqrs().input, "BorrowBook ");
    h.press(KeyCode::Tab);
    assert_eq!(&*h.app.cqrs().input, "BorrowBook book-");
    h.keys("3 me");
    h.press(KeyCode::Tab);
    assert_eq!(&*h.app.cqrs().input, "BorrowBook book-3 member=");
    let (shown, total) = h.app.command_completions();
    assert_eq!(total, 5, "{shown:?}");
    assert_eq!(shown[0], "member-1");
    // The write model shown is BorrowBook's fold of book-3.
    let model = h.app.cqrs().write_model.as_ref().unwrap();
    assert_eq!(model.stream, "book-3");
    assert_eq!(model.state.as_ref().unwrap()["status"], "on the shelf");
}

#[test]
fn saving_the_domain_file_reloads_the_projections_and_the_commands() {
    let mut h = Harness::library(100, 30);
    projection_at(&mut h, "on-loan", 12);
    let path = h.dir().join("library.domain.toml");
    assert_eq!(
        h.app.projection_state().unwrap()["book-1"],
        json!({"member": "member-1", "due": "2024-05-20"})
    );

    // The reducer now keeps the member only: the state is replayed with it.
    let edited = LIBRARY.replace(
        "'.[$event.stream] = {member: $event.data.member, due: $event.data.due}'",
        "'.[$event.stream] = $event.data.member'",
    );
    std::fs::write(&path, &edited).unwrap();
    h.tick_until("the new on-loan", |app| {
        app.projection_state()
            .is_some_and(|s| s["book-1"] == json!("member-1"))
    });
    assert!(h.screen(100, 30).contains("library.domain.toml reloaded"));

    // A broken save: the error with its place, the last good code runs on.
    std::fs::write(
        &path,
        edited.replace("[commands.AddBook]", "[commands.AddBook"),
    )
    .unwrap();
    h.tick_until("the error", |app| app.domain_error().is_some());
    let screen = h.screen(100, 30);
    assert!(screen.contains("✗ library.domain.toml:"), "{screen}");
    assert!(screen.contains("the last good version runs"), "{screen}");
    assert!(
        screen.contains("\"member-1\""),
        "the state stays:\n{screen}"
    );
    h.keys("3");
    send_command(&mut h, "ReserveBook book-1 member=member-3");
    assert!(matches!(
        handled(&h).steps[0].outcome,
        StepOutcome::Accepted { .. }
    ));

    // Fixed, with a command more, saved while a command is being typed:
    // the typing goes on, and the new command completes and can be sent.
    h.keys(":Ren");
    let renew = "\n[commands.RenewBook]\nstream = \"book\"\nfields = { due = \"text\" }\n\
                 emit = [{ type = \"BookRenewed\", data = '{due: $command.due}' }]\n";
    std::fs::write(&path, format!("{edited}{renew}")).unwrap();
    h.tick_until("the fixed file", |app| app.domain_error().is_none());
    assert!(h.app.editing_command());
    h.press(KeyCode::Tab);
    assert_eq!(&*h.app.cqrs().input, "RenewBook ");
    h.keys("book-1 due=2024-07-01");
    h.press(KeyCode::Enter);
    h.press(KeyCode::Esc);
    assert!(matches!(
        handled(&h).steps[0].outcome,
        StepOutcome::Accepted { .. }
    ));
    let last = h.app.event_log().last_seq().unwrap();
    assert_eq!(&*h.app_event(last).event_type, "BookRenewed");
    h.send(Msg::Action(Action::ShowLog));
}

#[test]
fn the_render_command_finds_the_domain_file_beside_the_log() {
    let log = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data/library.jsonl");
    let screen = render_screen(
        &[
            log,
            "--view",
            "projections",
            "--projection",
            "on-loan",
            "--at",
            "12",
        ],
        100,
        30,
    );
    assert!(
        screen.contains("on-loan (jq) at #12 BookBorrowed"),
        "{screen}"
    );
    assert!(screen.contains("domain library.domain.toml"), "{screen}");
}

/// Whole screens on the library sample, at 100x30 and 80x24.
mod screens {
    use super::*;

    const SIZES: [(u16, u16); 2] = [(100, 30), (80, 24)];

    fn snapshot(name: &str, domain: &str, drive: impl Fn(&mut Harness)) {
        for (width, height) in SIZES {
            let mut h = Harness::library_with(domain, width, height);
            drive(&mut h);
            insta::assert_snapshot!(format!("{name}_{width}x{height}"), h.screen(width, height));
        }
    }

    #[test]
    fn library_log() {
        snapshot("library_log", LIBRARY, |h| jump(h, 23));
    }

    #[test]
    fn library_projection() {
        snapshot("library_on_loan", LIBRARY, |h| {
            projection_at(h, "on-loan", 23)
        });
    }

    #[test]
    fn library_cqrs() {
        snapshot("library_cqrs", LIBRARY, |h| {
            in_cqrs(h);
            send_command(h, "ReturnBook book-1 days_late=0");
            send_command(h, "ReturnBook book-2 days_late=2");
        });
    }

    #[test]
    fn library_jq_error() {
        snapshot("library_jq_error", &format!("{LIBRARY}{FAILING}"), |h| {
            projection_at(h, "fines", 30)
        });
    }

    #[test]
    fn library_broken_file() {
        let broken = LIBRARY.replace("'del(.[$event.stream])'", "'del(.[$event.stream]'");
        snapshot("library_broken_file", &broken, |h| h.keys("2"));
    }
}

#[test]
fn a_domain_files_names_and_summaries_reach_the_screen_escaped() {
    let hostile = "
[projections.\"evil\\u001b[31m\"]
summary = \"reads \\u202eright to left\"
init = '{}'
when.BookAdded = '.[$event.stream] = 1'
";
    let mut h = Harness::library_with(&format!("{LIBRARY}{hostile}"), 100, 30);
    h.keys("2");
    h.app.select_projection("evil\u{1b}[31m").unwrap();
    h.settle();
    h.keys("p");
    // Shown as escapes: in the pane's title and in the picker.
    let screen = h.screen(100, 30);
    assert!(screen.contains("evil\\e[31m (jq)"), "{screen}");
    assert!(screen.contains("evil\\e[31m  "), "{screen}");
    assert!(screen.contains("reads \\u{202e}right to left"), "{screen}");
    for bad in ['\u{1b}', '\u{202e}'] {
        assert!(!screen.contains(bad), "{bad:?} drawn raw:\n{screen}");
    }
    h.press(KeyCode::Esc);
    h.keys("3");
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("evil\\e[31m"),
        "a read model too:\n{screen}"
    );
}

#[test]
fn a_domain_file_named_that_is_not_there_is_one_line_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("library.redb");
    eventscope::ingest::import_into(
        &include_bytes!("../../../sample-data/library.jsonl")[..],
        &log,
        eventscope::format::Format::Native,
        |_| {},
    )
    .unwrap();
    let before = std::fs::read(&log).unwrap();
    let missing = dir.path().join("missing.domain.toml");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_eventscope"))
        .arg(&log)
        .arg("--domain")
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: cannot read the domain file"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&log).unwrap(), before, "the log as it was");
}

#[test]
fn a_log_of_a_domain_of_its_own_is_offered_neither_the_samples_commands_nor_their_read_models() {
    let events = vec![
        support::event(
            "room-1",
            "RoomBooked",
            1,
            json!({"guest": "Ada", "nights": 2}),
        ),
        support::event("room-1", "GuestCheckedIn", 2, json!({"guest": "Ada"})),
    ];
    let mut h = Harness::with_events(events, 100, 30);
    in_cqrs(&mut h);
    h.settle();
    let screen = h.screen(100, 30);
    assert!(screen.contains("no commands for these events"), "{screen}");
    assert!(screen.contains("No command for this log yet."), "{screen}");
    assert!(!screen.contains("like the example above"), "{screen}");
    for sample in ["RegisterCustomer", "customers", "address-book", "balances"] {
        assert!(!screen.contains(sample), "{sample}: {screen}");
    }
    let names: Vec<&str> = h
        .app
        .cqrs()
        .read_models
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(names, ["streams"]);
    // Enter on the empty line says the same, rather than suggest retail.
    h.keys(":");
    h.press(KeyCode::Enter);
    let screen = h.screen(100, 30);
    assert!(!screen.contains("e.g."), "{screen}");
}
