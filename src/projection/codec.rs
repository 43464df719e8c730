//! A compact binary encoding for snapshots: LEB128 varints, zigzag signed
//! integers and length-prefixed strings. Restoring a snapshot must take a
//! few milliseconds even for large states, which JSON text cannot do.

use super::traits::ProjectionError;

/// Appends encoded values to a byte buffer.
#[derive(Debug, Default)]
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    pub fn new() -> Writer {
        Writer::default()
    }

    pub fn u64(&mut self, value: u64) {
        crate::varint::put(&mut self.bytes, value);
    }

    /// Makes room for at least `additional` more bytes.
    pub fn reserve(&mut self, additional: usize) {
        self.bytes.reserve(additional);
    }

    pub fn i64(&mut self, value: i64) {
        self.u64(((value << 1) ^ (value >> 63)) as u64);
    }

    pub fn bool(&mut self, value: bool) {
        self.bytes.push(u8::from(value));
    }

    pub fn str(&mut self, text: &str) {
        self.u64(text.len() as u64);
        self.bytes.extend_from_slice(text.as_bytes());
    }

    pub fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

/// Reads values written by [`Writer`], failing on truncated or damaged input.
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, position: 0 }
    }

    fn truncated() -> ProjectionError {
        ProjectionError::Snapshot("it ends too early".into())
    }

    pub fn u64(&mut self) -> Result<u64, ProjectionError> {
        let rest = &self.bytes[self.position.min(self.bytes.len())..];
        match crate::varint::read(rest) {
            Some((value, used)) => {
                self.position += used;
                Ok(value)
            }
            // Ten bytes that all say "more" are too long; fewer, too early.
            None if rest.len() >= 10 => {
                Err(ProjectionError::Snapshot("a number is too long".into()))
            }
            None => Err(Self::truncated()),
        }
    }

    pub fn i64(&mut self) -> Result<i64, ProjectionError> {
        let raw = self.u64()?;
        Ok(((raw >> 1) as i64) ^ -((raw & 1) as i64))
    }

    /// A count of items still to read; bounded by the bytes left so that a
    /// damaged count cannot make the reader reserve huge amounts of memory.
    pub fn count(&mut self) -> Result<usize, ProjectionError> {
        let count = self.u64()?;
        let left = (self.bytes.len() - self.position) as u64;
        if count > left {
            return Err(ProjectionError::Snapshot(format!(
                "it claims {count} items in {left} bytes"
            )));
        }
        Ok(count as usize)
    }

    pub fn bool(&mut self) -> Result<bool, ProjectionError> {
        match self.u64()? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(ProjectionError::Snapshot(format!(
                "{other} is not a boolean"
            ))),
        }
    }

    pub fn str(&mut self) -> Result<&'a str, ProjectionError> {
        std::str::from_utf8(self.text_bytes()?)
            .map_err(|_| ProjectionError::Snapshot("a text is not UTF-8".into()))
    }

    /// The bytes of a text written by [`Writer::str`], not yet checked to
    /// be UTF-8: for callers that check several texts at once.
    pub fn text_bytes(&mut self) -> Result<&'a [u8], ProjectionError> {
        let len = self.count()?;
        let end = self.position + len;
        let slice = self
            .bytes
            .get(self.position..end)
            .ok_or_else(Self::truncated)?;
        self.position = end;
        Ok(slice)
    }

    /// Fails unless every byte has been read.
    pub fn finish(self) -> Result<(), ProjectionError> {
        if self.position == self.bytes.len() {
            Ok(())
        } else {
            Err(ProjectionError::Snapshot(format!(
                "{} bytes are left over",
                self.bytes.len() - self.position
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        let mut w = Writer::new();
        for n in [0, 1, 127, 128, 300, u64::MAX] {
            w.u64(n);
        }
        for n in [0, -1, 1, i64::MIN, i64::MAX, -12345] {
            w.i64(n);
        }
        w.str("héllo");
        w.bool(true);
        let bytes = w.finish();
        let mut r = Reader::new(&bytes);
        for n in [0, 1, 127, 128, 300, u64::MAX] {
            assert_eq!(r.u64().unwrap(), n);
        }
        for n in [0, -1, 1, i64::MIN, i64::MAX, -12345] {
            assert_eq!(r.i64().unwrap(), n);
        }
        assert_eq!(r.str().unwrap(), "héllo");
        assert!(r.bool().unwrap());
        r.finish().unwrap();
    }

    #[test]
    fn truncated_input_is_an_error_not_a_panic() {
        let mut w = Writer::new();
        w.str("a long enough text");
        let bytes = w.finish();
        for cut in 0..bytes.len() {
            let mut r = Reader::new(&bytes[..cut]);
            assert!(r.str().is_err(), "cut at {cut}");
        }
    }
}
