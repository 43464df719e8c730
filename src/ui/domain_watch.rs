//! The domain file the explorer reads, watched for saves.
//!
//! Watched by reading it again on the UI's tick (every 250 ms) and
//! comparing the text with the text last read, rather than with the
//! `notify` crate: a domain file is a few kilobytes, so the read costs
//! microseconds; it needs no new dependency or thread; it sees a save
//! however the editor makes it (editors that write a new file and rename it
//! over the old one leave an inotify watch on the old file); and it does
//! not miss two saves within one modification-time tick, as comparing
//! times and lengths can.
//!
//! A save that does not compile keeps the last good domain running (the
//! commands typed a moment ago still work, the states stay to compare
//! with) and the error, with its file, line and column, is shown until the
//! file compiles again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::domain_file::{self, Domain};

/// The domain file in use, the last good domain read from it, and what is
/// wrong with it now, if anything.
pub struct DomainWatch {
    path: PathBuf,
    /// What the file held when last read; None when it could not be read.
    text: Option<String>,
    good: Option<Arc<Domain>>,
    error: Option<String>,
}

/// What a look at the file found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seen {
    Unchanged,
    /// A new text that compiles: the domain to use now.
    Reloaded,
    /// A new text that does not compile (or the file is gone).
    Broken,
}

impl DomainWatch {
    /// Reads the domain file at `path`; an error in it is kept to show, not
    /// returned, so that the explorer opens and the file can be fixed while
    /// it runs.
    pub fn open(path: &Path) -> DomainWatch {
        let mut watch = DomainWatch {
            path: path.to_path_buf(),
            text: None,
            good: None,
            error: None,
        };
        watch.look();
        watch
    }

    /// The file's name, for the screen.
    pub fn file_name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        )
    }

    /// The last domain that compiled.
    pub fn domain(&self) -> Option<&Arc<Domain>> {
        self.good.as_ref()
    }

    /// What is wrong with the file now: `file:line:col: place: message`.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Reads the file again; compiles it when its text changed.
    pub fn look(&mut self) -> Seen {
        let text = crate::text_file::read(&self.path);
        if let (Ok(new), Some(old)) = (&text, &self.text)
            && new == old
        {
            return Seen::Unchanged;
        }
        // Errors name the file as the status line does: by its name, which
        // keeps `file:line:col` short enough to read in a pane.
        let label = self.file_name();
        let compiled = match &text {
            Ok(text) => domain_file::parse(text, &label).map_err(|e| e.to_string()),
            Err(error) => {
                if self.text.is_none() && self.error.is_some() {
                    // Still unreadable: said already.
                    return Seen::Unchanged;
                }
                Err(format!("{label}: cannot read the domain file: {error}"))
            }
        };
        self.text = text.ok();
        match compiled {
            Ok(domain) => {
                self.good = Some(Arc::new(domain));
                self.error = None;
                Seen::Reloaded
            }
            Err(error) => {
                self.error = Some(error);
                Seen::Broken
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "name = \"t\"\n[projections.count]\ninit = '0'\nreduce = '. + 1'\n";

    #[test]
    fn a_broken_save_keeps_the_last_good_domain_and_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.domain.toml");
        std::fs::write(&path, GOOD).unwrap();
        let mut watch = DomainWatch::open(&path);
        assert!(watch.domain().is_some());
        assert_eq!(watch.look(), Seen::Unchanged);

        std::fs::write(&path, GOOD.replace("'. + 1'", "'. +'")).unwrap();
        assert_eq!(watch.look(), Seen::Broken);
        let error = watch.error().unwrap();
        assert!(error.contains("t.domain.toml:4:"), "{error}");
        assert_eq!(watch.domain().unwrap().projections[0].name, "count");
        assert_eq!(watch.look(), Seen::Unchanged, "the same broken text");

        std::fs::write(&path, GOOD.replace("count", "total")).unwrap();
        assert_eq!(watch.look(), Seen::Reloaded);
        assert_eq!(watch.error(), None);
        assert_eq!(watch.domain().unwrap().projections[0].name, "total");
    }

    #[test]
    fn a_file_that_goes_away_is_said_once_and_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.domain.toml");
        std::fs::write(&path, GOOD).unwrap();
        let mut watch = DomainWatch::open(&path);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(watch.look(), Seen::Broken);
        assert!(watch.error().unwrap().contains("cannot read"));
        assert!(watch.domain().is_some(), "the last good one still runs");
        assert_eq!(watch.look(), Seen::Unchanged);
        std::fs::write(&path, GOOD).unwrap();
        assert_eq!(watch.look(), Seen::Reloaded);
    }
}
