//! Event text made safe for the terminal.
//!
//! Event data comes from anywhere; a stream name or a payload string holding
//! `ESC [2J` must not clear the screen of the person reading it. Every place
//! that draws event text passes it through [`printable`], so control
//! characters are shown as escapes and never reach the terminal.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control character shown as an escape: `\e` for ESC,
/// `\t`, `\n`, `\r`, and `\u{..}` for the rest (C0, DEL, C1 and the bidi
/// overrides that could reorder what is on screen).
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escape_sequences_are_shown_not_sent() {
        assert_eq!(printable("\u{1b}[2J"), "\\e[2J");
        assert_eq!(printable("bell\u{7}"), "bell\\u{7}");
        assert_eq!(printable("a\tb\nc\r"), "a\\tb\\nc\\r");
        assert_eq!(printable("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(printable("\u{202e}evil"), "\\u{202e}evil");
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(printable("customer-17 ü ✓"), Cow::Borrowed(_)));
    }

    proptest! {
        #[test]
        fn output_never_holds_a_control_character(text in any::<String>()) {
            let shown = printable(&text);
            prop_assert!(!shown.chars().any(needs_escape));
        }

        #[test]
        fn text_without_controls_is_kept(text in "[a-zA-Z0-9 äö✓{}\\[\\]\"-]*") {
            prop_assert_eq!(printable(&text), text.as_str());
        }
    }
}
