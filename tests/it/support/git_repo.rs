//! A small git repository built by the tests themselves, with fixed names
//! and dates so that its commit ids are the same on every run.

use std::path::Path;
use std::process::Command;

use super::Fixture;

/// Runs git in `repo` with fixed names and dates (one day per call to
/// `commit_at`), returning stdout.
pub fn git(repo: &Path, args: &[&str], day: u32) -> String {
    let date = format!("2024-01-{day:02}T12:00:00Z");
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .env(
            "GIT_AUTHOR_NAME",
            if day.is_multiple_of(2) {
                "Ada"
            } else {
                "Grace"
            },
        )
        .env("GIT_AUTHOR_EMAIL", "dev@example.com")
        .env("GIT_COMMITTER_NAME", "Ada")
        .env("GIT_COMMITTER_EMAIL", "dev@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", repo)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn write(repo: &Path, path: &str, text: &str) {
    let path = repo.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// main: c1 adds, c2 edits and deletes, c3 renames and adds; side: s1
/// adds and edits; main: c4 edits; the merge; c5 renames with an edit and
/// makes a file executable.
pub fn build_repository(f: &Fixture) -> std::path::PathBuf {
    let repo = f.path("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"], 1);
    write(&repo, "a.txt", "alpha\n");
    write(&repo, "b.txt", "beta\n");
    write(&repo, "dir/c.txt", "gamma gamma gamma\n");
    git(&repo, &["add", "-A"], 1);
    git(&repo, &["commit", "-qm", "c1: three files"], 1);
    write(&repo, "a.txt", "alpha\nmore\n");
    std::fs::remove_file(repo.join("b.txt")).unwrap();
    git(&repo, &["add", "-A"], 2);
    git(&repo, &["commit", "-qm", "c2: edit and delete"], 2);
    git(&repo, &["mv", "dir/c.txt", "dir/d.txt"], 3);
    write(&repo, "e.bin", "0123456789");
    git(&repo, &["add", "-A"], 3);
    git(&repo, &["commit", "-qm", "c3: rename and add"], 3);
    git(&repo, &["checkout", "-q", "-b", "side"], 4);
    write(&repo, "s.txt", "side\n");
    write(&repo, "e.bin", "0123456789abcdef");
    git(&repo, &["add", "-A"], 4);
    git(&repo, &["commit", "-qm", "s1: on the side"], 4);
    git(&repo, &["checkout", "-q", "main"], 5);
    write(&repo, "a.txt", "alpha\nmore\nand more\n");
    git(&repo, &["commit", "-qam", "c4: edit on main"], 5);
    git(
        &repo,
        &["merge", "-q", "--no-ff", "side", "-m", "merge side"],
        6,
    );
    let text = std::fs::read_to_string(repo.join("a.txt")).unwrap();
    std::fs::remove_file(repo.join("a.txt")).unwrap();
    write(&repo, "f.txt", &format!("{text}last\n"));
    git(&repo, &["add", "-A"], 7);
    git(&repo, &["update-index", "--chmod=+x", "dir/d.txt"], 7);
    git(
        &repo,
        &["commit", "-qm", "c5: rename with an edit, chmod"],
        7,
    );
    repo
}
