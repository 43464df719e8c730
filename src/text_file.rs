//! Reading a hand-written file (a domain file, a lesson, a given/when/then
//! case) whole, with a bound: a path to something that never ends
//! (`/dev/zero`, a FIFO left open) or to a large binary file is refused
//! once past the bound, never read into memory for ever.

use std::io::{self, Read};
use std::path::Path;

/// Larger than any file a person writes by hand.
pub const MAX_BYTES: u64 = 16 << 20;

/// The text of the file at `path`, if it is UTF-8 and at most
/// [`MAX_BYTES`] long.
pub fn read(path: &Path) -> io::Result<String> {
    read_at_most(path, MAX_BYTES)
}

fn read_at_most(path: &Path, limit: u64) -> io::Result<String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "it is larger than {} MiB: not a file written by hand",
                limit >> 20
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|error| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "invalid UTF-8 at byte {}",
                error.utf8_error().valid_up_to() + 1
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_never_ends_is_refused_at_the_bound() {
        let error = read_at_most(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(error.to_string().contains("larger than 1 MiB"), "{error}");
    }

    #[test]
    fn a_small_file_is_read_and_bad_utf8_is_placed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "title = \"x\"\n").unwrap();
        assert_eq!(read(&path).unwrap(), "title = \"x\"\n");
        std::fs::write(&path, b"ab\xFF").unwrap();
        assert_eq!(
            read(&path).unwrap_err().to_string(),
            "invalid UTF-8 at byte 3"
        );
    }
}
