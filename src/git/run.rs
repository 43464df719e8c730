//! Running git: the log of the first-parent line, and blob sizes.

use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::raw::{Commit, RawError, parse_log};

/// The commit header: a marker, then fields split by NUL; the message
/// last, ended by the NUL `-z` puts after each commit's header.
const FORMAT: &str = "--format=%x01%H%x00%P%x00%an%x00%ae%x00%aI%x00%B";

/// Why a history could not be read.
#[derive(Debug)]
pub enum GitError {
    /// `git` is not installed, or not on PATH.
    Missing,
    /// The folder is not inside a git repository.
    NotARepository(PathBuf),
    /// The repository has no commit yet.
    NoCommits(PathBuf),
    /// git failed: its first line of complaint.
    Failed { what: &'static str, message: String },
    /// git's output was not what it should be.
    Output(RawError),
}

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GitError::Missing => f.write_str("git is not installed (no `git` on PATH)"),
            GitError::NotARepository(path) => {
                write!(f, "{} is not a git repository", path.display())
            }
            GitError::NoCommits(path) => write!(f, "{} has no commits yet", path.display()),
            GitError::Failed { what, message } => write!(f, "git {what} failed: {message}"),
            GitError::Output(error) => write!(f, "git's output cannot be read: {error}"),
        }
    }
}

impl std::error::Error for GitError {}

/// The first-parent line of HEAD in `repo`, oldest first, and the size of
/// every blob it names (absent for a submodule's commit).
pub fn read_history(repo: &Path) -> Result<(Vec<Commit>, HashMap<String, u64>), GitError> {
    let head = git(repo, &["rev-parse", "--verify", "-q", "HEAD"]);
    match head {
        Ok(_) => {}
        Err(GitError::Failed { message, .. }) if message.contains("not a git repository") => {
            return Err(GitError::NotARepository(repo.to_path_buf()));
        }
        // `rev-parse -q --verify` says nothing when there is no HEAD.
        Err(GitError::Failed { message, .. }) if message.is_empty() => {
            return Err(GitError::NoCommits(repo.to_path_buf()));
        }
        Err(error) => return Err(error),
    }
    let output = git(
        repo,
        &[
            "log",
            "--reverse",
            "--first-parent",
            "--diff-merges=first-parent",
            "-M",
            "--raw",
            "-z",
            "--no-abbrev",
            "--no-color",
            "--no-ext-diff",
            FORMAT,
            "HEAD",
        ],
    )?;
    let commits = parse_log(&output).map_err(GitError::Output)?;
    let mut blobs: Vec<&str> = commits
        .iter()
        .flat_map(|c| &c.changes)
        .filter_map(|change| change.new_blob())
        .collect();
    blobs.sort_unstable();
    blobs.dedup();
    let sizes = sizes(repo, &blobs)?;
    Ok((commits, sizes))
}

/// Runs git in `repo`, returning its stdout, or its first line of stderr.
fn git(repo: &Path, args: &[&'static str]) -> Result<Vec<u8>, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(spawn_error)?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    Err(GitError::Failed {
        what: args.first().copied().unwrap_or("git"),
        message: first_line(&output.stderr),
    })
}

fn spawn_error(error: std::io::Error) -> GitError {
    if error.kind() == std::io::ErrorKind::NotFound {
        GitError::Missing
    } else {
        GitError::Failed {
            what: "start",
            message: error.to_string(),
        }
    }
}

fn first_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

/// The sizes of `blobs` through one `git cat-file --batch-check`; ids git
/// does not hold (a submodule's commit) are left out.
fn sizes(repo: &Path, blobs: &[&str]) -> Result<HashMap<String, u64>, GitError> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["cat-file", "--batch-check=%(objectname) %(objectsize)"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(spawn_error)?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(GitError::Failed {
            what: "cat-file",
            message: "its pipes could not be opened".into(),
        });
    };
    let mut sizes = HashMap::with_capacity(blobs.len());
    let read = std::thread::scope(|scope| {
        // Written on its own thread: git answers as it reads, and a full
        // pipe either way would stop both.
        let writer = scope.spawn(move || -> std::io::Result<()> {
            let mut input = std::io::BufWriter::new(&mut stdin);
            for blob in blobs {
                writeln!(input, "{blob}")?;
            }
            input.flush()
        });
        let mut result = Ok(());
        for line in BufReader::new(stdout).lines() {
            let line = match line {
                Ok(line) => line,
                Err(error) => {
                    result = Err(error.to_string());
                    break;
                }
            };
            // `<id> <size>`, or `<id> missing`.
            if let Some((id, size)) = line.split_once(' ')
                && let Ok(size) = size.parse::<u64>()
            {
                sizes.insert(id.to_string(), size);
            }
        }
        let written = writer.join();
        match (result, written) {
            (Err(message), _) => Err(message),
            (Ok(()), Ok(Ok(()))) => Ok(()),
            (Ok(()), Ok(Err(error))) => Err(error.to_string()),
            (Ok(()), Err(_)) => Err("the writer stopped".into()),
        }
    });
    let status = child.wait().map_err(|e| GitError::Failed {
        what: "cat-file",
        message: e.to_string(),
    })?;
    match read {
        Ok(()) if status.success() => Ok(sizes),
        Ok(()) => Err(GitError::Failed {
            what: "cat-file",
            message: format!("it ended with {status}"),
        }),
        Err(message) => Err(GitError::Failed {
            what: "cat-file",
            message,
        }),
    }
}
