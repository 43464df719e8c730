//! `render --lesson L --step S` and `lesson export L -o FILE.md`.

use crate::support::{eventscope, s, stderr, stdout};

#[test]
fn render_lesson_prints_the_step_with_its_narration_and_scene() {
    let output = eventscope(&[
        "render",
        "--lesson",
        "event-sourcing",
        "--step",
        "5",
        "--size",
        "100x30",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let screen = stdout(&output);
    assert_eq!(screen.lines().count(), 30);
    assert!(screen.contains("Event Sourcing · step 5 of 7"), "{screen}");
    assert!(screen.contains("Try: Press b to find the event that set Ada's city"));
    // The scene: Ada's city at the end of the log, selected.
    assert!(screen.contains("▶       city: \"Edinburgh\""), "{screen}");
}

#[test]
fn render_lesson_refuses_a_step_it_does_not_have() {
    let output = eventscope(&["render", "--lesson", "cqrs", "--step", "99"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output).lines().next(),
        Some("error: the lesson `cqrs` has steps 1 to 6, not 99")
    );
    let output = eventscope(&["render", "--lesson", "nope", "--step", "1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("the bundled lessons are: introduction"));
}

#[test]
fn a_broken_lesson_file_is_one_line_naming_file_line_and_step() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(
        &path,
        "title = \"Mine\"\nlog = \"retail\"\n\n[[step]]\ntitle = \"a\"\nnarration = \"n\"\nscene = { view = \"timeline\" }\n",
    )
    .unwrap();
    let output = eventscope(&["render", "--lesson", s(&path), "--step", "1"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    let first = message.lines().next().unwrap();
    assert!(
        first.starts_with(&format!("error: {}:7: step 1: ", path.display())),
        "{message}"
    );
    assert!(first.contains("timeline"), "{message}");
}

#[test]
fn lesson_export_writes_every_step_as_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cqrs.md");
    let output = eventscope(&["lesson", "export", "cqrs", "-o", s(&out)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let markdown = std::fs::read_to_string(&out).unwrap();
    assert!(markdown.starts_with("# CQRS\n"));
    assert_eq!(markdown.matches("\n## Step ").count(), 6);
    assert_eq!(markdown.matches("```text\n").count(), 6);
    assert!(markdown.contains("**Try it:** Press Enter to send ShipOrder order-68"));
    assert!(markdown.contains("(done when a command is rejected by a rule)"));
    // Each screen is the step's own: the fourth has the stale writer's command typed.
    let fourth = markdown.split("## Step 4 of 6").nth(1).unwrap();
    assert!(fourth.contains("expected_version=2"), "{fourth}");
    assert!(!dir.path().join("cqrs.md.partial").exists());
}

#[test]
fn a_lesson_of_your_own_runs_on_the_log_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        crate::support::sample("bank.jsonl"),
        dir.path().join("bank.jsonl"),
    )
    .unwrap();
    let path = dir.path().join("bank-lesson.toml");
    std::fs::write(
        &path,
        "title = \"Balances\"\nlog = \"bank.jsonl\"\n\n[[step]]\ntitle = \"Ada's account\"\nnarration = \"Her balance, folded.\"\nscene = { view = \"projections\", seq = 2, projection = \"balances\" }\n",
    )
    .unwrap();
    // Run from elsewhere: the log is found beside the lesson.
    let output = crate::support::binary()
        .current_dir(std::env::temp_dir())
        .args(["render", "--lesson", s(&path), "--step", "1"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let screen = stdout(&output);
    assert!(screen.contains("Balances · step 1 of 1"), "{screen}");
    assert!(screen.contains("balances at #2"), "{screen}");
}

#[test]
fn a_lesson_on_a_bundled_sample_runs_with_the_sample_s_domain_file() {
    // The library sample's jq projections come from its domain file, as
    // when the sample's JSONL is opened beside it.
    let dir = tempfile::tempdir().unwrap();
    let screen = render_loans_lesson(dir.path(), "library", dir.path());
    assert!(screen.contains("Loans · step 1 of 1"), "{screen}");
    assert!(screen.contains("on-loan (jq) at #13"), "{screen}");
    // The state after two loans: book-1 with member-1, book-4 with member-2.
    assert!(screen.contains("book-1"), "{screen}");
    assert!(screen.contains("book-4"), "{screen}");
    assert!(screen.contains("member-2"), "{screen}");
}

#[test]
fn a_lesson_of_your_own_runs_with_the_domain_file_beside_its_log() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["library.jsonl", "library.domain.toml"] {
        std::fs::copy(crate::support::sample(file), dir.path().join(file)).unwrap();
    }
    // Run from elsewhere: the log and its domain file are found beside the
    // lesson, not in the working directory.
    let screen = render_loans_lesson(dir.path(), "library.jsonl", &std::env::temp_dir());
    assert!(screen.contains("on-loan (jq) at #13"), "{screen}");
    assert!(screen.contains("member-2"), "{screen}");
}

/// Writes `loans.toml` in `dir`, a one-step lesson on `log` whose scene is
/// the `on-loan` projection at seq 13, and renders that step from `cwd`.
fn render_loans_lesson(dir: &std::path::Path, log: &str, cwd: &std::path::Path) -> String {
    let path = dir.join("loans.toml");
    std::fs::write(
        &path,
        format!(
            "title = \"Loans\"\nlog = \"{log}\"\n\n[[step]]\ntitle = \"Out on loan\"\nnarration = \"Who has each book.\"\nscene = {{ view = \"projections\", seq = 13, projection = \"on-loan\" }}\n"
        ),
    )
    .unwrap();
    let output = crate::support::binary()
        .current_dir(cwd)
        .args([
            "render",
            "--lesson",
            s(&path),
            "--step",
            "1",
            "--size",
            "100x30",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}
