//! The one line editor every prompt uses (the CQRS command line, jump `:`,
//! search `/`, the stream prompt): `tui-input` keeps the text and the
//! cursor; this adds what a prompt accepts, a length limit, and how the
//! line is drawn (escaped, in cells, scrolled to keep the cursor on screen).
//!
//! ```text
//!   > Deposit acc█unt-1 amount=5      (text before, cursor cell, text after)
//! ```

use std::fmt;
use std::ops::Deref;

use tui_input::{Input, InputRequest};

use crate::escape::printable;
use crate::ui::widgets::{cells, fit, fit_end};

/// An editing key, as the keymap names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Edit {
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
    /// Backspace.
    DeletePrevious,
    /// Delete.
    DeleteNext,
    /// Ctrl-W.
    DeleteWord,
    /// Ctrl-U: everything before the cursor.
    DeleteToStart,
}

/// A line of text being typed, with its cursor.
#[derive(Clone, Default)]
pub struct LineEdit {
    input: Input,
    max_chars: usize,
    digits_only: bool,
}

/// What [`LineEdit::drawn`] shows: the text before the cursor, the cell
/// under it (empty at the end), and the rest, escaped and cut to fit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drawn {
    pub before: String,
    pub under: String,
    pub after: String,
}

impl LineEdit {
    /// An empty line that takes up to `max_chars` characters.
    pub fn new(max_chars: usize) -> LineEdit {
        LineEdit {
            input: Input::default(),
            max_chars,
            digits_only: false,
        }
    }

    /// A line that takes only the digits 0-9 (a seq).
    pub fn digits(max_chars: usize) -> LineEdit {
        LineEdit {
            digits_only: true,
            ..LineEdit::new(max_chars)
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// Replaces the text; the cursor goes to its end.
    pub fn set(&mut self, text: impl Into<String>) {
        let text: String = text.into();
        let text: String = text.chars().take(self.max_chars).collect();
        self.input = Input::new(text);
    }

    pub fn clear(&mut self) {
        self.input.reset();
    }

    /// Types `c` at the cursor, if the line takes it. Whether it changed.
    pub fn insert(&mut self, c: char) -> bool {
        let fits = self.input.value().chars().count() < self.max_chars;
        let accepted = if self.digits_only {
            c.is_ascii_digit()
        } else {
            !c.is_control()
        };
        fits && accepted && self.input.handle(InputRequest::InsertChar(c)).is_some()
    }

    /// Applies an editing key. Whether the text changed.
    pub fn edit(&mut self, edit: Edit) -> bool {
        let request = match edit {
            Edit::Left => InputRequest::GoToPrevChar,
            Edit::Right => InputRequest::GoToNextChar,
            Edit::WordLeft => InputRequest::GoToPrevWord,
            Edit::WordRight => InputRequest::GoToNextWord,
            Edit::Home => InputRequest::GoToStart,
            Edit::End => InputRequest::GoToEnd,
            Edit::DeletePrevious => InputRequest::DeletePrevChar,
            Edit::DeleteNext => InputRequest::DeleteNextChar,
            Edit::DeleteWord => InputRequest::DeletePrevWord,
            Edit::DeleteToStart => InputRequest::DeleteFromStart,
        };
        self.input
            .handle(request)
            .is_some_and(|changed| changed.value)
    }

    /// The byte offset of the cursor in [`LineEdit::value`].
    fn cursor_byte(&self) -> usize {
        let value = self.input.value();
        value
            .char_indices()
            .nth(self.input.cursor())
            .map_or(value.len(), |(i, _)| i)
    }

    /// The line as drawn in `width` cells: escaped, and scrolled so that
    /// the cursor stays on screen (the start cut first).
    pub fn drawn(&self, width: usize) -> Drawn {
        let value = self.input.value();
        let (before, rest) = value.split_at(self.cursor_byte());
        let mut chars = rest.chars();
        let under = chars.next().map_or(String::new(), |c| {
            printable(c.encode_utf8(&mut [0; 4])).into_owned()
        });
        let before = printable(before).into_owned();
        let after = printable(chars.as_str()).into_owned();
        let room = width.saturating_sub(cells(&under).max(1));
        let before = fit_end(&before, room);
        let room = room.saturating_sub(cells(&before));
        Drawn {
            before,
            under,
            after: fit(&after, room),
        }
    }
}

impl Deref for LineEdit {
    type Target = str;

    fn deref(&self) -> &str {
        self.value()
    }
}

impl PartialEq<&str> for LineEdit {
    fn eq(&self, other: &&str) -> bool {
        self.value() == *other
    }
}

impl PartialEq<str> for LineEdit {
    fn eq(&self, other: &str) -> bool {
        self.value() == other
    }
}

impl Eq for LineEdit {}

impl fmt::Display for LineEdit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.value())
    }
}

impl fmt::Debug for LineEdit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.value(), f)
    }
}

impl PartialEq for LineEdit {
    fn eq(&self, other: &LineEdit) -> bool {
        self.value() == other.value() && self.input.cursor() == other.input.cursor()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> LineEdit {
        let mut line = LineEdit::new(100);
        for c in text.chars() {
            line.insert(c);
        }
        line
    }

    #[test]
    fn the_cursor_moves_and_text_goes_in_where_it_is() {
        let mut line = typed("Deposit amount=5");
        line.edit(Edit::Home);
        line.insert('>');
        assert_eq!(line, ">Deposit amount=5");
        line.edit(Edit::End);
        line.edit(Edit::Left);
        line.insert('0');
        assert_eq!(line, ">Deposit amount=05");
        line.edit(Edit::DeleteNext);
        assert_eq!(line, ">Deposit amount=0");
    }

    #[test]
    fn ctrl_w_deletes_a_word_and_ctrl_u_the_start() {
        let mut line = typed("Deposit account-1 amount");
        line.edit(Edit::DeleteWord);
        assert_eq!(line, "Deposit account-1 ");
        line.edit(Edit::Left);
        line.edit(Edit::DeleteToStart);
        assert_eq!(line, " ");
        line.edit(Edit::DeletePrevious);
        assert_eq!(line, " ");
        line.edit(Edit::End);
        line.edit(Edit::DeletePrevious);
        assert_eq!(line, "");
    }

    #[test]
    fn limits_and_digits() {
        let mut seq = LineEdit::digits(3);
        for c in "1a2345".chars() {
            seq.insert(c);
        }
        assert_eq!(seq, "123");
        let mut line = typed("a\u{7}b");
        assert_eq!(line, "ab");
        line.set("x".repeat(200));
        assert_eq!(line.value().len(), 100);
    }

    #[test]
    fn drawn_with_the_cursor_where_it_is_escaped_and_scrolled() {
        let mut line = typed("ab\u{200B}cd");
        line.edit(Edit::Left);
        line.edit(Edit::Left);
        let drawn = line.drawn(40);
        assert_eq!(drawn.before, "ab\\u{200b}");
        assert_eq!(drawn.under, "c");
        assert_eq!(drawn.after, "d");
        line.edit(Edit::End);
        assert_eq!(line.drawn(40).under, "");
        let long = typed(&"漢".repeat(30));
        let drawn = long.drawn(11);
        assert!(cells(&drawn.before) <= 10, "{drawn:?}");
        assert!(drawn.before.starts_with('…') && drawn.before.ends_with('漢'));
    }
}
