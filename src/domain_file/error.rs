//! What is wrong with a domain file, said once, with its place.

use std::fmt;

/// An error in a domain file: the file, the line and column (1-based, in
/// characters), the part of the domain it is in, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// e.g. "projection `on-loan`, when `BookBorrowed`"; empty for the file
    /// as a whole.
    pub place: String,
    pub message: String,
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if !self.place.is_empty() {
            write!(f, "{}: ", self.place)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for DomainError {}

/// Line and column (1-based, the column in characters) of byte `offset` in
/// `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_one_based_in_characters() {
        let text = "a = 1\nbé = 'x'\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        // `=` after `bé `: byte 10, character column 4.
        assert_eq!(line_column(text, 10), (2, 4));
        assert_eq!(line_column(text, 999), (3, 1));
    }
}
