//! Several short texts in one allocation, e.g. a customer's name, email and
//! address lines. Restoring a snapshot of many customers then costs one
//! allocation per customer instead of six.

use super::codec::{Reader, Writer};
use super::traits::ProjectionError;

/// `N` texts stored back to back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packed<const N: usize> {
    text: Box<str>,
    ends: [u32; N],
}

impl<const N: usize> Packed<N> {
    pub fn new(fields: [&str; N]) -> Packed<N> {
        let mut text = String::with_capacity(fields.iter().map(|f| f.len()).sum());
        let mut ends = [0u32; N];
        for (end, field) in ends.iter_mut().zip(fields) {
            text.push_str(field);
            // Payloads are far below 4 GiB; saturate rather than wrap if not.
            *end = u32::try_from(text.len()).unwrap_or(u32::MAX);
        }
        Packed {
            text: text.into_boxed_str(),
            ends,
        }
    }

    pub fn get(&self, index: usize) -> &str {
        let start = if index == 0 {
            0
        } else {
            self.ends.get(index - 1).copied().unwrap_or(0)
        };
        let end = self.ends.get(index).copied().unwrap_or(start);
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    pub fn fields(&self) -> [&str; N] {
        std::array::from_fn(|i| self.get(i))
    }

    /// A copy with the fields from `first` on replaced by `values`.
    pub fn with(&self, first: usize, values: &[&str]) -> Packed<N> {
        let mut fields = self.fields();
        for (slot, value) in fields.iter_mut().skip(first).zip(values) {
            *slot = value;
        }
        Packed::new(fields)
    }

    pub fn save(&self, w: &mut Writer) {
        for field in self.fields() {
            w.str(field);
        }
    }

    /// Reads the texts back with one allocation and one UTF-8 check for
    /// all of them: restoring a large snapshot is mostly this.
    pub fn restore(r: &mut Reader<'_>) -> Result<Packed<N>, ProjectionError> {
        let mut fields: [&[u8]; N] = [&[]; N];
        for field in &mut fields {
            *field = r.text_bytes()?;
        }
        let mut bytes = Vec::with_capacity(fields.iter().map(|f| f.len()).sum());
        let mut ends = [0u32; N];
        for (end, field) in ends.iter_mut().zip(fields) {
            bytes.extend_from_slice(field);
            *end = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| ProjectionError::Snapshot("a text is not UTF-8".into()))?;
        // Each text on its own must have been UTF-8 too.
        if !ends.iter().all(|&end| text.is_char_boundary(end as usize)) {
            return Err(ProjectionError::Snapshot("a text is not UTF-8".into()));
        }
        Ok(Packed {
            text: text.into_boxed_str(),
            ends,
        })
    }
}

impl<const N: usize> Default for Packed<N> {
    fn default() -> Self {
        Packed::new([""; N])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_kept_apart_and_replaced() {
        let packed = Packed::new(["Ada", "", "ada@example.org"]);
        assert_eq!(packed.fields(), ["Ada", "", "ada@example.org"]);
        let changed = packed.with(1, &["x", "y"]);
        assert_eq!(changed.fields(), ["Ada", "x", "y"]);
        let mut w = Writer::new();
        changed.save(&mut w);
        let bytes = w.finish();
        assert_eq!(
            Packed::<3>::restore(&mut Reader::new(&bytes)).unwrap(),
            changed
        );
    }
}
