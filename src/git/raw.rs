//! Reading `git log --raw -z` with the header of [`super::run`]'s format.

use std::fmt;

/// One commit and what it changed against its first parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    pub id: String,
    pub parents: Vec<String>,
    pub author_name: String,
    pub author_email: String,
    /// ISO 8601 / RFC 3339, as `%aI` gives it.
    pub author_time: String,
    pub message: String,
    pub changes: Vec<FileChange>,
}

/// One line of `--raw` output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileChange {
    Added {
        path: String,
        blob: String,
        mode: String,
    },
    /// Content or mode (or kind) changed.
    Changed {
        path: String,
        blob: String,
        old_blob: String,
        mode: String,
    },
    Deleted {
        path: String,
        old_blob: String,
    },
    Renamed {
        from: String,
        path: String,
        blob: String,
        old_blob: String,
        mode: String,
        similarity: u32,
    },
}

impl FileChange {
    /// The blob the path holds after the change, if any.
    pub fn new_blob(&self) -> Option<&str> {
        match self {
            FileChange::Added { blob, .. }
            | FileChange::Changed { blob, .. }
            | FileChange::Renamed { blob, .. } => Some(blob),
            FileChange::Deleted { .. } => None,
        }
    }
}

/// What in git's output could not be read, with the byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawError {
    pub offset: usize,
    pub reason: String,
}

impl fmt::Display for RawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.reason)
    }
}

impl std::error::Error for RawError {}

/// NUL-separated tokens with their offsets.
struct Tokens<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Tokens<'a> {
    fn next(&mut self) -> Option<(usize, &'a [u8])> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let start = self.at;
        let end = self.bytes[start..]
            .iter()
            .position(|&b| b == 0)
            .map_or(self.bytes.len(), |n| start + n);
        self.at = end + 1;
        Some((start, &self.bytes[start..end]))
    }

    fn peek(&self) -> Option<&'a [u8]> {
        let mut copy = Tokens {
            bytes: self.bytes,
            at: self.at,
        };
        copy.next().map(|(_, token)| token)
    }

    fn text(&mut self, what: &str) -> Result<String, RawError> {
        match self.next() {
            Some((_, token)) => Ok(String::from_utf8_lossy(token).into_owned()),
            None => Err(RawError {
                offset: self.bytes.len(),
                reason: format!("the output ends before the {what}"),
            }),
        }
    }
}

/// Reads every commit of the output, in the order given.
pub fn parse_log(bytes: &[u8]) -> Result<Vec<Commit>, RawError> {
    let mut tokens = Tokens { bytes, at: 0 };
    let mut commits = Vec::new();
    while let Some((offset, token)) = tokens.next() {
        let token = trim_newlines(token);
        if token.is_empty() {
            continue;
        }
        let Some(id) = token.strip_prefix(b"\x01") else {
            return Err(RawError {
                offset,
                reason: "a commit header was expected".into(),
            });
        };
        let id = String::from_utf8_lossy(id).into_owned();
        let parents = tokens.text("parents")?;
        let author_name = tokens.text("author")?;
        let author_email = tokens.text("author's email")?;
        let author_time = tokens.text("author time")?;
        let message = tokens.text("message")?;
        let mut changes = Vec::new();
        while let Some(next) = tokens.peek() {
            let next = trim_newlines(next);
            if next.starts_with(b"\x01") {
                break;
            }
            let (offset, token) = tokens.next().unwrap_or((bytes.len(), b""));
            let token = trim_newlines(token);
            if token.is_empty() {
                continue;
            }
            changes.push(change(offset, token, &mut tokens)?);
        }
        commits.push(Commit {
            id,
            parents: parents.split_whitespace().map(str::to_owned).collect(),
            author_name,
            author_email,
            author_time,
            message: message.trim_end().to_owned(),
            changes,
        });
    }
    Ok(commits)
}

fn trim_newlines(token: &[u8]) -> &[u8] {
    let start = token
        .iter()
        .position(|&b| b != b'\n')
        .unwrap_or(token.len());
    &token[start..]
}

/// `:old_mode new_mode old_blob new_blob STATUS`, then its path(s).
fn change(offset: usize, meta: &[u8], tokens: &mut Tokens<'_>) -> Result<FileChange, RawError> {
    let bad = |reason: &str| RawError {
        offset,
        reason: reason.to_string(),
    };
    let meta = String::from_utf8_lossy(meta);
    let Some(meta) = meta.strip_prefix(':') else {
        return Err(bad("a --raw line was expected"));
    };
    let fields: Vec<&str> = meta.split(' ').collect();
    let [_old_mode, mode, old_blob, blob, status] = fields[..] else {
        return Err(bad("a --raw line has five fields"));
    };
    let (mode, old_blob, blob) = (mode.to_owned(), old_blob.to_owned(), blob.to_owned());
    let kind = status
        .chars()
        .next()
        .ok_or_else(|| bad("the status is empty"))?;
    Ok(match kind {
        'A' => FileChange::Added {
            path: tokens.text("path")?,
            blob,
            mode,
        },
        'M' | 'T' => FileChange::Changed {
            path: tokens.text("path")?,
            blob,
            old_blob,
            mode,
        },
        'D' => FileChange::Deleted {
            path: tokens.text("path")?,
            old_blob,
        },
        'R' => FileChange::Renamed {
            from: tokens.text("old path")?,
            path: tokens.text("new path")?,
            blob,
            old_blob,
            mode,
            similarity: status[1..].parse().unwrap_or(0),
        },
        other => {
            return Err(bad(&format!(
                "the status `{other}` is not one git log gives here"
            )));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_root_commit_and_a_rename_are_read() {
        let z = "0".repeat(40);
        let a = "a".repeat(40);
        let b = "b".repeat(40);
        let text = format!(
            "\x01c1\0\0Ada\0ada@x\02024-01-01T00:00:00Z\0first\n\0\0\n:000000 100644 {z} {a} A\0a.txt\0\
             \x01c2\0c1\0Ada\0ada@x\02024-01-02T00:00:00+01:00\0second\n\nbody\n\0\0\n:100644 100644 {a} {a} R100\0a.txt\0b.txt\0\
             :100644 100644 {a} {b} M\0c\0\x01c3\0c2\0Ada\0ada@x\02024-01-03T00:00:00Z\0empty\n\0"
        );
        let commits = parse_log(text.as_bytes()).unwrap();
        assert_eq!(commits.len(), 3);
        assert!(commits[0].parents.is_empty());
        assert_eq!(commits[1].message, "second\n\nbody");
        assert_eq!(commits[1].changes.len(), 2);
        assert!(matches!(&commits[1].changes[0],
            FileChange::Renamed { from, path, similarity: 100, .. } if from == "a.txt" && path == "b.txt"));
        assert!(commits[2].changes.is_empty());
    }

    #[test]
    fn output_that_is_not_a_log_is_refused_with_its_offset() {
        let error = parse_log(b"hello\0").unwrap_err();
        assert_eq!(error.offset, 0);
        let error = parse_log(b"\x01c1\0\0Ada").unwrap_err();
        assert!(error.reason.contains("ends before"), "{error}");
    }
}
