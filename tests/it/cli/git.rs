//! `import --git`: a repository the test builds (adds, edits, deletes,
//! renames, a mode change, a merge) as an event log; the tree at every
//! commit is `git ls-tree -r` there, and blame names the commit git names.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::fixture::*;
use crate::support::git_repo::{build_repository, git};
use crate::support::*;

/// `git ls-tree -r -l` at `commit`: path -> (mode, blob, size).
fn ls_tree(repo: &Path, commit: &str) -> BTreeMap<String, (String, String, u64)> {
    git(repo, &["ls-tree", "-r", "-l", "-z", commit], 8)
        .split('\0')
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (meta, path) = line.split_once('\t').unwrap();
            let fields: Vec<&str> = meta.split_whitespace().collect();
            (
                path.to_string(),
                (
                    fields[0].to_string(),
                    fields[2].to_string(),
                    fields[3].parse().unwrap(),
                ),
            )
        })
        .collect()
}

fn tree_at(db: &Path, seq: u64) -> BTreeMap<String, (String, String, u64)> {
    let out = json_of(&eventscope(&[
        "replay",
        s(db),
        "-p",
        "git-tree",
        "--at",
        &seq.to_string(),
    ]));
    out["git-tree"]["state"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(path, entry)| {
            (
                path.clone(),
                (
                    entry["mode"].as_str().unwrap().to_string(),
                    entry["blob"].as_str().unwrap().to_string(),
                    entry["size"].as_u64().unwrap(),
                ),
            )
        })
        .collect()
}

fn exported(db: &Path) -> Vec<Value> {
    let out = eventscope(&["export", "--db", s(db)]);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn the_tree_at_every_commit_is_ls_tree_and_blame_names_gits_commit() {
    let f = Fixture::new();
    let repo = build_repository(&f);
    let db = f.path("history.redb");
    let out = eventscope(&["import", "--git", s(&repo), "--db", s(&db)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let events = exported(&db);
    let commits: Vec<String> = git(
        &repo,
        &["rev-list", "--reverse", "--first-parent", "HEAD"],
        8,
    )
    .lines()
    .map(str::to_owned)
    .collect();
    assert_eq!(commits.len(), 6, "c1, c2, c3, c4, the merge, c5");
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    for wanted in ["FileAdded", "FileChanged", "FileDeleted", "FileRenamed"] {
        assert!(types.contains(&wanted), "{wanted} in {types:?}");
    }
    let commit_of = |event: &Value| event["metadata"]["commit"].as_str().unwrap().to_string();
    let mut last_seq = BTreeMap::new();
    for event in &events {
        last_seq.insert(commit_of(event), event["seq"].as_u64().unwrap());
    }
    let mut blamed = 0;
    for (index, commit) in commits.iter().enumerate() {
        let seq = last_seq[commit];
        let tree = tree_at(&db, seq);
        assert_eq!(
            tree,
            ls_tree(&repo, commit),
            "the tree at {commit} (seq {seq})"
        );
        // The commits the log holds in order: the log's order is git's.
        assert_eq!(
            events[..seq as usize]
                .iter()
                .filter(|e| e["type"] == "CommitRecorded")
                .count(),
            index + 1
        );
        for path in tree.keys() {
            let quoted = serde_json::to_string(path).unwrap();
            let blame = json_of(&eventscope(&[
                "replay",
                s(&db),
                "-p",
                "git-tree",
                "--at",
                &seq.to_string(),
                "--blame",
                &quoted,
            ]));
            let changed_at = blame["git-tree"]["changed_at"].as_u64().unwrap();
            let by = commit_of(&events[changed_at as usize - 1]);
            let expected = git(
                &repo,
                &[
                    "log",
                    "-1",
                    "--first-parent",
                    "--format=%H",
                    commit,
                    "--",
                    path,
                ],
                8,
            );
            assert_eq!(by, expected.trim(), "blame of {path} at {commit}");
            blamed += 1;
        }
    }
    assert!(blamed > 15, "{blamed} paths blamed");
}

#[test]
fn each_event_carries_its_commit_and_its_parent() {
    let f = Fixture::new();
    let repo = build_repository(&f);
    let db = f.path("history.redb");
    eventscope(&["import", "--git", s(&repo), "--db", s(&db)]);
    let events = exported(&db);
    let head = git(&repo, &["rev-parse", "HEAD"], 8);
    let parent = git(&repo, &["rev-parse", "HEAD^"], 8);
    let last = events.last().unwrap();
    assert_eq!(last["metadata"]["correlation_id"], head.trim());
    assert_eq!(last["metadata"]["causation_id"], parent.trim());
    assert_eq!(last["metadata"]["author"], "Grace <dev@example.com>");
    assert_eq!(
        last["metadata"]["message"],
        "c5: rename with an edit, chmod"
    );
    assert_eq!(last["time"], "2024-01-07T12:00:00Z");
    let renamed = events
        .iter()
        .find(|e| e["type"] == "FileRenamed" && e["data"]["path"] == "f.txt")
        .expect("a.txt -> f.txt is a rename");
    assert_eq!(renamed["data"]["from"], "a.txt");
    let first = &events[0];
    assert!(first["metadata"].get("causation_id").is_none());

    let authors = json_of(&eventscope(&["replay", s(&db), "-p", "git-authors"]));
    let state = &authors["git-authors"]["state"];
    let total: u64 = ["Ada <dev@example.com>", "Grace <dev@example.com>"]
        .iter()
        .map(|a| state[a]["commits"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 6);
    assert_eq!(state["Grace <dev@example.com>"]["by_month"]["2024-01"], 4);
    let hot = json_of(&eventscope(&["replay", s(&db), "-p", "git-hot-files"]));
    let top = &hot["git-hot-files"]["state"]["top"][0];
    // a.txt: added, edited twice, renamed to f.txt.
    assert_eq!(top["path"], "f.txt");
    assert_eq!(top["changes"], 4);
}

#[test]
fn a_folder_that_is_not_a_repository_is_one_line_and_makes_no_log() {
    let f = Fixture::new();
    let folder = f.path("plain");
    std::fs::create_dir(&folder).unwrap();
    let db = f.path("never.redb");
    let out = eventscope(&["import", "--git", s(&folder), "--db", s(&db)]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("is not a git repository"), "{message}");
    assert!(!db.exists());

    let out = binary()
        .args(["import", "--git", s(&folder), "--db", s(&db)])
        .env("PATH", "")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: git is not installed (no `git` on PATH)\n"
    );
    assert!(!db.exists());
}

#[test]
fn importing_into_an_existing_log_that_refuses_leaves_it_as_it_was() {
    let f = Fixture::new();
    let repo = build_repository(&f);
    let db = f.path("history.redb");
    eventscope(&["import", "--git", s(&repo), "--db", s(&db)]);
    let before = std::fs::read(&db).unwrap();
    // The same history again: its ids are already in the log.
    let out = eventscope(&["import", "--git", s(&repo), "--db", s(&db)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(std::fs::read(&db).unwrap() == before, "the log changed");
}

#[test]
fn a_repository_without_commits_is_one_line() {
    let f = Fixture::new();
    let repo = f.path("empty");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"], 1);
    let db = f.path("never.redb");
    let out = eventscope(&["import", "--git", s(&repo), "--db", s(&db)]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.ends_with("has no commits yet\n"), "{message}");
    assert!(!db.exists());
}
