//! Splitting a JSON array that may span many lines into its elements, one at
//! a time, so that a large CloudEvents batch file is never held in memory.
//!
//! The splitter only tracks strings and nesting to find the commas between
//! elements; each element is then parsed (and its JSON checked) on its own,
//! with its start line and column kept for error messages.

use super::error::{FormatError, FormatErrorKind, ReadError};
use super::lines::Chunk;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the opening `[`.
    Open,
    /// After `[`: an element or `]`.
    First,
    /// After `,`: an element.
    Next,
    /// Inside an element.
    Element,
    /// After the closing `]`: only whitespace.
    Closed,
}

pub(super) struct ArraySplitter {
    state: State,
    element: String,
    start_line: u64,
    start_column: u64,
    /// Elements emitted so far.
    count: u64,
    depth: u32,
    in_string: bool,
    escaped: bool,
}

impl ArraySplitter {
    pub(super) fn new() -> Self {
        ArraySplitter {
            state: State::Open,
            element: String::new(),
            start_line: 0,
            start_column: 0,
            count: 0,
            depth: 0,
            in_string: false,
            escaped: false,
        }
    }

    /// Feeds one line (without its end); calls `emit` for each element
    /// completed in it.
    pub(super) fn feed<E>(
        &mut self,
        text: &str,
        line: u64,
        emit: &mut impl FnMut(&Chunk<'_>) -> Result<(), ReadError<E>>,
    ) -> Result<(), ReadError<E>> {
        let mut element_start = 0;
        for (index, byte) in text.bytes().enumerate() {
            if self.state == State::Element {
                if self.ends_element(byte) {
                    self.element.push_str(&text[element_start..index]);
                    self.emit(emit)?;
                    self.state = if byte == b',' {
                        State::Next
                    } else {
                        State::Closed
                    };
                }
                continue;
            }
            if byte.is_ascii_whitespace() {
                continue;
            }
            let unexpected = |expected| {
                let found = text[index..].chars().next().unwrap_or('?');
                ReadError::Format(FormatError {
                    line,
                    column: Some(index as u64 + 1),
                    element: None,
                    kind: FormatErrorKind::UnexpectedInArray { found, expected },
                })
            };
            match (self.state, byte) {
                (State::Open, b'[') => self.state = State::First,
                (State::Open, _) => return Err(unexpected("`[`")),
                (State::First, b']') => self.state = State::Closed,
                (State::First | State::Next, b',' | b']') => return Err(unexpected("an event")),
                (State::First | State::Next, _) => {
                    self.state = State::Element;
                    self.start_line = line;
                    self.start_column = index as u64 + 1;
                    self.depth = 0;
                    self.in_string = false;
                    self.escaped = false;
                    element_start = index;
                    // The first byte belongs to the element; it cannot end it.
                    self.ends_element(byte);
                }
                (State::Closed, _) => return Err(unexpected("nothing after the closing `]`")),
                (State::Element, _) => {}
            }
        }
        if self.state == State::Element {
            self.element.push_str(&text[element_start..]);
            self.element.push('\n');
        }
        Ok(())
    }

    /// Call at the end of the input, which is at `last_line` and `end_column`.
    /// An element still open is parsed as it stands, so that the error
    /// names what in it is unclosed or out of place, and where.
    pub(super) fn finish<E>(
        &mut self,
        last_line: u64,
        end_column: u64,
        emit: &mut impl FnMut(&Chunk<'_>) -> Result<(), ReadError<E>>,
    ) -> Result<(), ReadError<E>> {
        if self.state == State::Element {
            self.emit(emit)?;
        }
        match self.state {
            State::Closed => Ok(()),
            _ => Err(ReadError::Format(FormatError {
                line: last_line,
                column: Some(end_column),
                element: None,
                kind: FormatErrorKind::UnclosedArray,
            })),
        }
    }

    /// Tracks strings and nesting; true at the `,` or `]` ending the element.
    fn ends_element(&mut self, byte: u8) -> bool {
        if self.in_string {
            match byte {
                _ if self.escaped => self.escaped = false,
                b'\\' => self.escaped = true,
                b'"' => self.in_string = false,
                _ => {}
            }
            return false;
        }
        match byte {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' if self.depth > 0 => self.depth -= 1,
            b',' | b']' if self.depth == 0 => return true,
            _ => {}
        }
        false
    }

    fn emit<E>(
        &mut self,
        emit: &mut impl FnMut(&Chunk<'_>) -> Result<(), ReadError<E>>,
    ) -> Result<(), ReadError<E>> {
        self.count += 1;
        let chunk = Chunk {
            text: &self.element,
            line: self.start_line,
            column: self.start_column,
            element: Some(self.count),
        };
        let result = emit(&chunk);
        self.element.clear();
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits `input` and lists each element as (line, column, index, text).
    fn split(input: &str) -> Result<Vec<(u64, u64, u64, String)>, String> {
        let mut splitter = ArraySplitter::new();
        let mut found = Vec::new();
        let mut emit = |chunk: &Chunk<'_>| -> Result<(), ReadError<String>> {
            let element = chunk.element.unwrap_or(0);
            found.push((chunk.line, chunk.column, element, chunk.text.to_string()));
            Ok(())
        };
        let (mut last, mut end) = (0, 1);
        for (index, line) in input.split('\n').enumerate() {
            (last, end) = (index as u64 + 1, line.len() as u64 + 1);
            splitter
                .feed(line, last, &mut emit)
                .map_err(|e| e.to_string())?;
        }
        splitter
            .finish(last, end, &mut emit)
            .map_err(|e| e.to_string())?;
        Ok(found)
    }

    #[test]
    fn elements_are_split_at_top_level_commas_only() {
        let got = split("[{\"a\":\"x,]}\\\"\"},\n  {\"b\":[1,2]}\n]").unwrap();
        let want = vec![
            (1, 2, 1, "{\"a\":\"x,]}\\\"\"}".to_string()),
            (2, 3, 2, "{\"b\":[1,2]}\n".to_string()),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn an_element_may_span_lines() {
        let got = split("[\n  {\n    \"a\": 1\n  }\n]").unwrap();
        assert_eq!(got, vec![(2, 3, 1, "{\n    \"a\": 1\n  }\n".to_string())]);
    }

    #[test]
    fn empty_arrays_hold_nothing() {
        assert_eq!(split("  [ ]  ").unwrap(), vec![]);
    }

    #[test]
    fn structural_mistakes_are_placed() {
        assert_eq!(
            split("[{},]").unwrap_err(),
            "line 1, column 5: expected an event in the JSON array, found `]`"
        );
        assert_eq!(
            split("[,{}]").unwrap_err(),
            "line 1, column 2: expected an event in the JSON array, found `,`"
        );
        let trailing = split("[{}]\n x").unwrap_err();
        assert_eq!(
            trailing,
            "line 2, column 2: expected nothing after the closing `]` in the JSON array, found `x`"
        );
        assert_eq!(
            split("[{}\n").unwrap_err(),
            "line 2, column 1: the input ends inside the JSON array: `]` is missing"
        );
    }
}
