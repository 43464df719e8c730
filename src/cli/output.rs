//! Standard output for the commands' results: every write returns its
//! error instead of panicking as `println!` does, so a reader that leaves
//! (`| head`) or a full disk ends the command with a clear outcome.
//!
//! JSON goes through [`json_printable`] (or is written by a [`JsonWriter`],
//! which escapes alike): characters a terminal would act on
//! or draw unpredictably (C1 controls, bidi overrides, DEL, ...) are written
//! as `\uXXXX` escapes, always, whether stdout is a terminal or a file. The
//! text stays valid JSON with the same values, and the bytes do not depend
//! on where the output goes.

use std::fmt;
use std::io::{self, BufWriter, Read, StdoutLock, Write};
use std::path::Path;

use eventscope::escape::{json_printable, printable};
use eventscope::json_writer::JsonWriter;
use serde_json::Value;

/// Buffered, locked standard output.
pub struct Stdout {
    out: BufWriter<StdoutLock<'static>>,
}

impl Stdout {
    pub fn lock() -> Stdout {
        Stdout {
            out: BufWriter::with_capacity(1 << 16, io::stdout().lock()),
        }
    }

    /// Writes `text` as it is.
    pub fn text(&mut self, text: &str) -> Result<(), StdoutError> {
        self.out.write_all(text.as_bytes()).map_err(StdoutError)
    }

    /// Writes `text` and a newline.
    pub fn line(&mut self, text: &str) -> Result<(), StdoutError> {
        self.text(text)?;
        self.text("\n")
    }

    /// Writes JSON text (one value or lines of them) made safe to print.
    pub fn json_text(&mut self, json: &str) -> Result<(), StdoutError> {
        self.text(&json_printable(json))
    }

    /// Writes `value` as one line of compact JSON.
    pub fn json_line(&mut self, value: &Value) -> Result<(), StdoutError> {
        self.json_text(&value.to_string())?;
        self.text("\n")
    }

    /// Writes `value` as indented JSON and a newline.
    pub fn json_pretty(&mut self, value: &Value) -> Result<(), StdoutError> {
        self.json_with(|json| {
            json.value(value);
            json.raw("\n");
        })
    }

    /// Writes indented JSON made safe to print, as `write` lays it out
    /// through a [`JsonWriter`]: the text of `serde_json::to_string_pretty`
    /// escaped as [`json_printable`] escapes it, in one pass.
    pub fn json_with(
        &mut self,
        write: impl FnOnce(&mut JsonWriter<'_>),
    ) -> Result<(), StdoutError> {
        let mut json = JsonWriter::new(&mut self.out);
        write(&mut json);
        json.finish().map_err(StdoutError)
    }

    /// Writes what is buffered; the command's output is complete only once
    /// this succeeds.
    pub fn finish(mut self) -> Result<(), StdoutError> {
        self.out.flush().map_err(StdoutError)
    }

    /// Writes what is buffered now, for output that arrives over time.
    pub fn flush(&mut self) -> Result<(), StdoutError> {
        self.out.flush().map_err(StdoutError)
    }
}

/// Standard output could not be written.
#[derive(Debug)]
pub struct StdoutError(pub io::Error);

impl StdoutError {
    /// The reader closed its end (`| head`): it has what it wanted, so this
    /// is no failure. The command exits quietly with success.
    pub fn is_closed_pipe(&self) -> bool {
        self.0.kind() == io::ErrorKind::BrokenPipe
    }
}

impl fmt::Display for StdoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write to stdout: {}", describe(&self.0))
    }
}

impl std::error::Error for StdoutError {}

impl From<io::Error> for StdoutError {
    fn from(error: io::Error) -> StdoutError {
        StdoutError(error)
    }
}

/// An I/O error as a person reads it: `No space left on device`, without
/// the `(os error 28)` that `io::Error` appends.
pub fn describe(error: &io::Error) -> String {
    let text = error.to_string();
    match (error.raw_os_error(), text.rfind(" (os error ")) {
        (Some(_), Some(at)) => text[..at].to_string(),
        _ => text,
    }
}

/// Whether `error` is stdout's reader having left, anywhere in its chain.
pub fn is_closed_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<StdoutError>())
        .any(StdoutError::is_closed_pipe)
}

/// The first bytes of every redb file.
const REDB_MAGIC: &[u8] = b"redb\x1a\x0a\xa9\x0d\x0a";

/// Refuses to write text over a database: `path` (a link followed) being
/// a redb file, an eventscope log most likely, `what` (the command's text
/// output) would replace it and every event in it.
pub fn refuse_a_database(path: &Path, what: &str) -> anyhow::Result<()> {
    // Only a regular file is read: opening a FIFO would wait for a writer.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    let mut start = [0; REDB_MAGIC.len()];
    let is_redb = std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut start))
        .is_ok_and(|()| start == REDB_MAGIC);
    if is_redb {
        anyhow::bail!(
            "{} is a redb database, an eventscope log perhaps: {what} would replace it; name another file, or remove it first",
            printable(&path.display().to_string())
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_are_worded_without_their_number() {
        let full = io::Error::from_raw_os_error(28);
        assert_eq!(
            StdoutError(full).to_string(),
            "cannot write to stdout: No space left on device"
        );
        let plain = io::Error::other("odd");
        assert_eq!(describe(&plain), "odd");
    }

    #[test]
    fn a_closed_pipe_is_found_under_context() {
        let pipe = StdoutError(io::Error::from(io::ErrorKind::BrokenPipe));
        let error = anyhow::Error::from(pipe).context("while showing the state");
        assert!(is_closed_pipe(&error));
        let full = anyhow::Error::from(StdoutError(io::Error::from_raw_os_error(28)));
        assert!(!is_closed_pipe(&full));
    }

    #[test]
    fn text_is_not_written_over_a_redb_file() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("log.redb");
        drop(redb::Database::create(&db).unwrap());
        let error = refuse_a_database(&db, "the export")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("is a redb database") && error.contains("the export"),
            "{error}"
        );
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        assert!(refuse_a_database(&link, "the export").is_err());
        let text = dir.path().join("old.jsonl");
        std::fs::write(&text, "{}\n").unwrap();
        assert!(refuse_a_database(&text, "the export").is_ok());
        assert!(refuse_a_database(&dir.path().join("none"), "the export").is_ok());
    }
}
