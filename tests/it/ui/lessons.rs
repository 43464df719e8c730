//! Lessons in the explorer: every step of every bundled lesson drawn at
//! 100x30 and 80x24 (snapshots); each lesson played first to last doing
//! what each task asks, each check passing only after the action; a broken
//! lesson reported with its place while the explorer keeps working;
//! leaving a lesson puts the explorer back.

use eventscope::lesson::{self, Check, Lesson};
use eventscope::ui::lesson::CheckState;
use eventscope::ui::{self, Msg, View};
use ratatui::crossterm::event::KeyCode;

use super::support::Harness;

fn bundled() -> Vec<Lesson> {
    lesson::bundled_lessons()
        .into_iter()
        .map(|l| l.unwrap())
        .collect()
}

/// The retail sample, fresh, named as the bundled sample, at `size`.
fn retail(width: u16, height: u16) -> Harness {
    let mut harness = Harness::retail(width, height);
    harness.app.set_sample("retail");
    harness.app.set_title("the bundled retail sample");
    harness
}

fn start(harness: &mut Harness, name: &str) {
    harness.app.open_lesson(name).unwrap();
    harness.settle();
}

/// Presses the keys the task asks for.
fn do_the_task(harness: &mut Harness, check: &Check) {
    let keys: Vec<KeyCode> = match check {
        Check::SourceDown => vec![KeyCode::Char('o'), KeyCode::Char('.')],
        Check::FaultsChanged => vec![KeyCode::Char('d')],
        Check::VersionChecksToggled => vec![KeyCode::Char('v')],
        Check::FlowsStepped => vec![KeyCode::Char('.'), KeyCode::Char('.')],
        Check::CommandAccepted | Check::CommandRejected | Check::Conflict => {
            vec![KeyCode::Enter]
        }
        Check::Blame(_) => vec![KeyCode::Char('b')],
        Check::View(view) => vec![KeyCode::Char(match view {
            lesson::SceneView::Log => '1',
            lesson::SceneView::Projections => '2',
            lesson::SceneView::Cqrs => '3',
            lesson::SceneView::Flows => '4',
        })],
        Check::Reached(seq) => {
            // j steps the log view's list, l the projections view.
            let step = match harness.app.view() {
                View::Projections => 'l',
                _ => 'j',
            };
            let now = harness.app.selected_seq().unwrap_or(0);
            vec![KeyCode::Char(step); seq.saturating_sub(now) as usize]
        }
        Check::Rebuilt => vec![KeyCode::Char('r')],
        Check::Agreement => vec![KeyCode::Char('a')],
        Check::Lagged => vec![KeyCode::Char('+')],
    };
    for key in keys {
        harness.press(key);
    }
}

#[test]
fn every_lesson_plays_first_to_last_and_each_check_waits_for_its_action() {
    for found in bundled() {
        let mut harness = retail(100, 30);
        start(&mut harness, &found.name);
        for (index, step) in found.steps.iter().enumerate() {
            if index > 0 {
                harness.press(KeyCode::Char('>'));
            }
            let place = format!("{} step {}", found.name, index + 1);
            assert_eq!(
                harness.app.lesson_position().map(|(_, n, _)| n),
                Some(index + 1),
                "{place}"
            );
            assert!(harness.app.lesson_scene_ready(), "{place}: scene not set");
            let Some(try_it) = &step.try_it else {
                assert_eq!(harness.app.lesson_check(), Some(CheckState::NoTask));
                continue;
            };
            // Time passes and nothing is done: the check still waits.
            for _ in 0..3 {
                harness.send(Msg::Tick);
            }
            assert_eq!(
                harness.app.lesson_check(),
                Some(CheckState::Waiting),
                "{place}: passed before the learner acted"
            );
            do_the_task(&mut harness, &try_it.check);
            assert_eq!(
                harness.app.lesson_check(),
                Some(CheckState::Passed),
                "{place}: {:?} did not pass after the action",
                try_it.check
            );
        }
        harness.press(KeyCode::Char('X'));
        assert!(harness.app.lesson_position().is_none());
    }
}

#[test]
fn leaving_a_lesson_puts_the_explorer_back_as_it_was() {
    let mut harness = retail(100, 30);
    // Somewhere of the learner's own: seq 3 in the log view, on the flows
    // view's default run.
    harness.press(KeyCode::Char('j'));
    harness.press(KeyCode::Char('j'));
    let before = ui::render_text(&harness.app, 100, 30);
    start(&mut harness, "state-transfer");
    harness.press(KeyCode::Char('>'));
    harness.press(KeyCode::Char('>'));
    assert_eq!(harness.app.view(), View::Flows);
    harness.press(KeyCode::Char('X'));
    assert_eq!(harness.app.view(), View::Log);
    assert_eq!(harness.app.selected_seq(), Some(3));
    assert_eq!(harness.app.flows_simulation().params().outages.len(), 0);
    let after = ui::render_text(&harness.app, 100, 30);
    // The same screen, but for the notice that the lesson was left.
    let strip = |screen: &str| -> Vec<String> {
        screen
            .lines()
            .filter(|l| !l.contains("the bundled retail sample │"))
            .map(String::from)
            .collect()
    };
    assert_eq!(strip(&before), strip(&after));
}

#[test]
fn every_step_draws_at_projector_and_small_sizes() {
    for (width, height) in [(100, 30), (80, 24)] {
        for found in bundled() {
            let mut harness = retail(width, height);
            start(&mut harness, &found.name);
            for index in 0..found.steps.len() {
                harness.app.go_to_step(index);
                harness.settle();
                let screen = ui::render_text(&harness.app, width, height);
                let step = &found.steps[index];
                // The narration's first words and the step's place are on
                // screen, and the scene above them.
                let first_words: String = step.narration.chars().take(20).collect();
                assert!(screen.contains(&first_words), "{screen}");
                assert!(screen.contains(&format!("step {} of", index + 1)));
                insta::assert_snapshot!(
                    format!("lesson_{}_{}_{width}x{height}", found.name, index + 1),
                    screen
                );
            }
        }
    }
}

#[test]
fn a_broken_lesson_says_where_and_the_explorer_keeps_working() {
    let dir = tempfile::tempdir().unwrap();
    let text = include_str!("../../../sample-data/lessons/introduction.toml")
        .replace("seq = 78, stream", "seq = 9999, stream");
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, &text).unwrap();
    let found = lesson::load_file(&path).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("title = \"One customer's story\""))
        .unwrap();
    let mut harness = retail(100, 30);
    harness.app.offer_lesson(Ok(found));
    let problem = harness.app.open_lesson("broken").unwrap_err();
    assert_eq!(
        problem,
        format!(
            "{}:{}: step 4: seq 9999 is not in the log, whose seqs run 1 to 290",
            path.display(),
            line
        )
    );
    assert!(harness.app.lesson_position().is_none());
    // A file that does not even read: listed in the picker with its place.
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "title = \"x\"\nlog = \"retail\"\n[[step]]\ntitle = 3\n",
    )
    .unwrap();
    harness.app.offer_lesson(lesson::load_file(&bad));
    harness.press(KeyCode::Char('L'));
    let screen = ui::render_text(&harness.app, 100, 30);
    assert!(screen.contains("bad.toml:4: step 1:"), "{screen}");
    harness.press(KeyCode::Enter);
    harness.press(KeyCode::Char('j'));
    assert_eq!(
        harness.app.selected_seq(),
        Some(2),
        "the explorer still moves"
    );
}

#[test]
fn a_command_step_passes_for_its_own_command_and_the_dock_says_how_to_go_on() {
    let mut harness = retail(100, 30);
    start(&mut harness, "cqrs");
    // Step 2 types `ShipOrder order-68` ready, the line focused: keys type
    // there, so the dock offers Enter and Esc, not `>`.
    harness.app.go_to_step(1);
    harness.settle();
    let screen = ui::render_text(&harness.app, 100, 30);
    assert!(
        screen.contains("Esc leave the line, then > next"),
        "{screen}"
    );
    assert!(!screen.contains("└ > next"), "{screen}");
    // A typo is rejected too (no such order), but it is not the step's
    // command: the check still waits.
    harness.press(KeyCode::Char('9'));
    harness.press(KeyCode::Enter);
    let screen = ui::render_text(&harness.app, 100, 30);
    assert!(screen.contains("order-689"), "{screen}");
    assert_eq!(harness.app.lesson_check(), Some(CheckState::Waiting));
    // Sent as typed, it passes; the line is left and `>` is the lesson's.
    harness.press(KeyCode::Char(':'));
    harness.keys("ShipOrder order-68");
    harness.press(KeyCode::Enter);
    assert_eq!(harness.app.lesson_check(), Some(CheckState::Passed));
    let screen = ui::render_text(&harness.app, 100, 30);
    assert!(screen.contains("└ > next"), "{screen}");
    assert!(screen.contains("> for the next step"), "{screen}");
    // The last step's praise says how to leave, not to go on.
    let last = bundled()
        .iter()
        .find(|l| l.name == "cqrs")
        .unwrap()
        .steps
        .len()
        - 1;
    harness.app.go_to_step(last);
    harness.settle();
    harness.press(KeyCode::Char('+'));
    assert_eq!(harness.app.lesson_check(), Some(CheckState::Passed));
    let screen = ui::render_text(&harness.app, 100, 30);
    assert!(screen.contains("that was the last step"), "{screen}");
}

#[test]
fn a_lesson_is_refused_on_a_sample_that_commands_have_grown() {
    let mut harness = retail(100, 30);
    let grown = super::support::event(
        "customer-1",
        "CustomerEmailChanged",
        9_000,
        serde_json::json!({"email": "new@example.com"}),
    );
    harness.app.event_log().append(vec![grown]).unwrap();
    harness.send(Msg::Tick);
    harness.settle();
    let problem = harness.app.open_lesson("introduction").unwrap_err();
    assert!(
        problem.contains("holds 291 events, not the 290")
            && problem.contains("eventscope --lesson introduction"),
        "{problem}"
    );
    assert!(harness.app.lesson_position().is_none());
}

#[test]
fn with_the_dock_leaving_too_small_a_view_only_the_lessons_keys_and_quit_act() {
    // 18 rows: the dock takes at least four, and the view above is too
    // small to draw, so it says so.
    let mut harness = retail(80, 18);
    start(&mut harness, "introduction");
    let screen = ui::render_text(&harness.app, 80, 18);
    assert!(screen.contains("at least 60x16"), "{screen}");
    let seq = harness.app.selected_seq();
    harness.press(KeyCode::Char('j'));
    harness.press(KeyCode::Char('2'));
    assert_eq!(harness.app.selected_seq(), seq);
    assert_eq!(harness.app.view(), View::Log);
    harness.press(KeyCode::Char('>'));
    assert_eq!(harness.app.lesson_position().map(|(_, n, _)| n), Some(2));
    harness.press(KeyCode::Char('X'));
    assert!(harness.app.lesson_position().is_none());
}
