//! `export -o PATH`: what PATH is decides how it is written. A regular file
//! is replaced whole, a link's target is replaced and the link kept, a
//! device or FIFO is written in place, and the log itself is refused.

use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;
use std::process::Command;

use crate::support::*;

fn export_to(db: &Path, output: &Path) -> std::process::Output {
    eventscope(&["export", "--db", s(db), "-o", s(output)])
}

#[test]
fn the_log_itself_is_refused_by_path_link_or_hard_link() {
    let f = Fixture::new();
    let db = f.bank();
    let before = std::fs::read(&db).unwrap();
    let link = f.path("link-to-log");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    let hard = f.path("hard-link-to-log");
    std::fs::hard_link(&db, &hard).unwrap();
    for output in [&db, &link, &hard] {
        let out = export_to(&db, output);
        assert_eq!(out.status.code(), Some(1), "{}", output.display());
        assert_eq!(
            stderr(&out),
            format!(
                "error: {} is the log being exported: write the export to another file\n",
                output.display()
            )
        );
        assert!(std::fs::read(&db).unwrap() == before, "the log changed");
    }
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(eventscope(&["verify", s(&db)]).status.success());
}

#[test]
fn a_link_keeps_being_a_link_and_its_target_gets_the_export() {
    let f = Fixture::new();
    let db = f.bank();
    let target = f.write("target.jsonl", "old contents\n");
    let link = f.path("link.jsonl");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = export_to(&db, &link);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_link(&link).unwrap(), target);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), f.export(&db));
    let dangling = f.path("dangling");
    std::os::unix::fs::symlink(f.path("nowhere"), &dangling).unwrap();
    let out = export_to(&db, &dangling);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {} is a link to a file that does not exist\n",
            dangling.display()
        )
    );
    assert!(!f.path("nowhere").exists());
}

#[test]
fn a_fifo_is_written_in_place_not_replaced() {
    let f = Fixture::new();
    let db = f.bank();
    let fifo = f.path("fifo");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let export = binary()
        .args(["export", "--db", s(&db), "-o", s(&fifo)])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Opening the reading end waits for the export to open the writing end;
    // an export that renamed a file over the FIFO would never open it, so
    // the reader is left behind rather than joined when that happens.
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = export.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO is still a FIFO, not {kind:?}");
    assert_eq!(reader.join().unwrap(), f.export(&db));
}

#[test]
fn dev_null_stays_a_character_device() {
    let f = Fixture::new();
    let db = f.bank();
    let null = Path::new("/dev/null");
    let before = std::fs::metadata(null).unwrap();
    let out = export_to(&db, null);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = std::fs::metadata(null).unwrap();
    assert!(after.file_type().is_char_device());
    assert_eq!((after.ino(), after.rdev()), (before.ino(), before.rdev()));
    let partials: Vec<_> = std::fs::read_dir("/dev")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".null.partial"))
        .collect();
    assert!(partials.is_empty(), "{partials:?}");
}

#[test]
fn a_regular_file_is_replaced_whole_and_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    let db = f.bank();
    let file = f.write("out.jsonl", "old\n");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = export_to(&db, &file);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), f.export(&db));
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let names: Vec<String> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("partial")), "{names:?}");
}

#[test]
fn a_directory_is_refused_in_one_line() {
    let f = Fixture::new();
    let db = f.bank();
    let out = export_to(&db, f.dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {} is a directory: name a file\n",
            f.dir.path().display()
        )
    );
}

#[test]
fn import_export_round_trips_are_identical_in_both_formats() {
    let f = Fixture::new();
    for format in ["native", "cloudevents"] {
        let first_db = f.log(&format!("first-{format}"));
        let first = f.export_as(&first_db, format);
        let exported = f.write(&format!("exported.{format}"), &first);
        let second_db = f.path(&format!("second-{format}"));
        let out = eventscope(&[
            "import",
            s(&exported),
            "--db",
            s(&second_db),
            "--format",
            format,
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let second = f.export_as(&second_db, format);
        assert_eq!(first, second, "{format}");
        assert_eq!(first.lines().count(), 3);
    }
}

#[test]
fn every_field_survives_an_export() {
    let f = Fixture::new();
    let db = f.log("log");
    let native = f.export_as(&db, "native");
    let lines: Vec<serde_json::Value> = native
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[1]["id"], "ada-moves-2");
    assert_eq!(lines[1]["version"], 2);
    assert_eq!(lines[1]["time"], "2024-03-02T09:30:00Z", "converted to UTC");
    assert_eq!(lines[2]["time"], "2024-03-03T09:30:00.5Z");
    assert_eq!(lines[2]["data"]["note"], "tab\there \u{1b}[31m red");
    assert_eq!(lines[2]["metadata"]["extra"]["nested"][1], 2);
    assert_eq!(lines[0]["id"], "customer-1/1", "a derived id");
    let ce = f.export_as(&db, "cloudevents");
    let first: serde_json::Value = serde_json::from_str(ce.lines().next().unwrap()).unwrap();
    assert_eq!(first["subject"], "customer-1");
    assert_eq!(first["specversion"], "1.0");
    assert_eq!(first["streamversion"], 1);
}

#[test]
fn export_to_a_file_touches_nothing_else_beside_it() {
    let f = Fixture::new();
    let db = f.log("log");
    let neighbour = f.write("out.partial", "mine");
    let target = f.path("out.jsonl");
    let out = eventscope(&["export", "--db", s(&db), "-o", s(&target)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&neighbour).unwrap(), "mine");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        f.export_as(&db, "native")
    );
    let files = std::fs::read_dir(f.dir.path()).unwrap().count();
    let missing = eventscope(&["export", "--db", s(&db), "-o", "/no/such/dir/x.jsonl"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("/no/such/dir/x.jsonl"));
    assert_eq!(std::fs::read_dir(f.dir.path()).unwrap().count(), files);
}

/// Text is never written over a log: not by `export -o` through a link to
/// another log, nor by `generate -o`, `lesson export -o` or `exec --gwt`.
#[test]
fn text_output_never_replaces_a_log() {
    let f = Fixture::new();
    let db = f.retail();
    let other = f.log("other");
    let before = std::fs::read(&other).unwrap();
    let link = f.path("link-to-other");
    std::os::unix::fs::symlink(&other, &link).unwrap();
    let runs: [&[&str]; 5] = [
        &["export", "--db", s(&db), "-o", s(&link)],
        &["export", "--db", s(&db), "-o", s(&other)],
        &[
            "generate",
            "--domain",
            "bank",
            "--events",
            "10",
            "-o",
            s(&other),
        ],
        &["lesson", "export", "introduction", "-o", s(&other)],
        &[
            "exec",
            s(&db),
            "--dry-run",
            "--gwt",
            s(&other),
            "PayOrder order-67 amount=4896",
        ],
    ];
    for args in runs {
        let out = eventscope(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("is a redb database"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(
            std::fs::read(&other).unwrap() == before,
            "{args:?}: the log was replaced"
        );
    }
    // `-` is standard output for the handout, as for generate.
    let out = Command::new(env!("CARGO_BIN_EXE_eventscope"))
        .args(["lesson", "export", "introduction", "-o", "-"])
        .current_dir(f.path(""))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8(out.stdout).unwrap().starts_with('#'));
    assert!(!f.path("-").exists(), "no file named -");
}
