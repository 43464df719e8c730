//! Event text made safe for a terminal, for the explorer and the command
//! line alike.
//!
//! Event data comes from anywhere; a stream name or a payload string holding
//! `ESC [2J` must not clear the screen of the person reading it, a bidi
//! override must not reorder what is on screen, and a zero-width joiner must
//! not make two cells one. Every place that draws event text passes it
//! through [`printable`]; JSON written to stdout passes through
//! [`json_printable`].
//!
//! Escaped are: control characters (C0, DEL, C1), the backslash itself (so a
//! literal `\e` in the data never looks like an escaped ESC), bidi controls,
//! and the characters a terminal draws unpredictably: format and
//! zero-width characters, variation selectors, regional indicators (flag
//! pairs), emoji modifiers and tag characters. What is left has a width
//! every terminal agrees on, so measuring it in cells (`unicode-width`, as
//! ratatui does) is exact.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every character of [`needs_escape`] shown as an escape: `\e`
/// for ESC, `\t`, `\n`, `\r`, `\\` for a backslash, and `\u{..}` for the
/// rest.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c == '\\' || needs_escape(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => out.push_str("\\\\"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// JSON text with every character of [`needs_escape`] written as a JSON
/// `\uXXXX` escape (a surrogate pair above U+FFFF): the same JSON value,
/// safe to print on a terminal. Outside strings JSON holds only ASCII
/// punctuation, digits, letters and whitespace, so every such character is
/// inside a string and the replacement keeps the text valid JSON.
/// serde_json already escapes C0 controls, quotes and backslashes.
pub fn json_printable(json: &str) -> Cow<'_, str> {
    // Most JSON is printable ASCII: one cheap pass over the bytes settles
    // it (in chunks without early exit, which the compiler vectorizes),
    // where checking each char against the escape list tripled the time
    // of an export.
    let plain = json.as_bytes().chunks(32).all(|chunk| {
        chunk
            .iter()
            .fold(true, |all, &b| all & is_plain_json_byte(b))
    });
    if plain {
        return Cow::Borrowed(json);
    }
    if !json
        .chars()
        .any(|c| needs_escape(c) && !is_json_whitespace(c))
    {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if needs_escape(c) && !is_json_whitespace(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Printable ASCII or JSON whitespace: never escaped. Written without
/// branches so that a chunk of them is checked at once.
fn is_plain_json_byte(byte: u8) -> bool {
    (byte.wrapping_sub(b' ') <= b'~' - b' ') | (byte == b'\t') | (byte == b'\n') | (byte == b'\r')
}

fn is_json_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Whether `c` is escaped by [`printable`] (besides the backslash).
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // bidi controls: marks, embeddings, overrides, isolates
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                // soft hyphen, combining grapheme joiner, Mongolian vowel separator
                | '\u{00ad}'
                | '\u{034f}'
                | '\u{180e}'
                // zero-width space, non-joiner, joiner; line and paragraph separators
                | '\u{200b}'..='\u{200d}'
                | '\u{2028}'
                | '\u{2029}'
                // word joiner, invisible operators, deprecated format characters
                | '\u{2060}'..='\u{2064}'
                | '\u{206a}'..='\u{206f}'
                // variation selectors
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{e0100}'..='\u{e01ef}'
                // byte order mark / zero-width no-break space, interlinear annotations
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                // regional indicators (flags are pairs of them), emoji modifiers
                | '\u{1f1e6}'..='\u{1f1ff}'
                | '\u{1f3fb}'..='\u{1f3ff}'
                // tag characters
                | '\u{e0000}'..='\u{e007f}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn escape_sequences_are_shown_not_sent() {
        assert_eq!(printable("\u{1b}[2J"), "\\e[2J");
        assert_eq!(printable("bell\u{7}"), "bell\\u{7}");
        assert_eq!(printable("a\tb\nc\r"), "a\\tb\\nc\\r");
        assert_eq!(printable("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(printable("\u{202e}evil"), "\\u{202e}evil");
        assert_eq!(printable("del\u{7f}"), "del\\u{7f}");
    }

    #[test]
    fn a_literal_backslash_cannot_pass_for_an_escape() {
        // The data holds a backslash and an `e`, not ESC: the two must look
        // different on screen.
        assert_eq!(printable("\\e[2J"), "\\\\e[2J");
        assert_ne!(printable("\\e[2J"), printable("\u{1b}[2J"));
    }

    #[test]
    fn zero_width_and_format_characters_are_shown() {
        assert_eq!(printable("a\u{200b}b"), "a\\u{200b}b");
        assert_eq!(printable("\u{feff}x"), "\\u{feff}x");
        // A family emoji joined by ZWJ: the terminal may draw one glyph or
        // three; escaped, every cell is accounted for.
        assert_eq!(printable("👨\u{200d}👩"), "👨\\u{200d}👩");
        // A flag is a pair of regional indicators.
        assert_eq!(printable("\u{1f1ec}\u{1f1e7}"), "\\u{1f1ec}\\u{1f1e7}");
        assert_eq!(printable("👍\u{1f3fd}"), "👍\\u{1f3fd}");
        assert_eq!(printable("x\u{fe0f}"), "x\\u{fe0f}");
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            printable("customer-17 ü ✓ 東京"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(json_printable(r#"{"a":"ü ✓"}"#), Cow::Borrowed(_)));
    }

    #[test]
    fn json_escapes_keep_the_value() {
        let value = serde_json::json!({
            "csi": "\u{9b}2J", "rlo": "\u{202e}abc", "del": "\u{7f}",
            "flag": "\u{1f1ec}\u{1f1e7}", "nl": "a\nb", "bs": "\\e"
        });
        let text = serde_json::to_string_pretty(&value).unwrap();
        let safe = json_printable(&text);
        assert!(!safe.chars().any(|c| needs_escape(c) && c != '\n'));
        assert!(safe.contains("\\u009b") && safe.contains("\\ud83c\\uddec"));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn the_ascii_fast_path_stops_at_del_and_raw_controls() {
        assert!(matches!(json_printable("\" ~\"\n\t\r"), Cow::Borrowed(_)));
        assert_eq!(json_printable("\"~\u{7f}\""), "\"~\\u007f\"");
        assert_eq!(json_printable("\"\u{1}\""), "\"\\u0001\"");
        // Past the first chunk of 32 bytes too.
        let long = format!("\"{}\u{9b}\"", "a".repeat(40));
        assert_eq!(
            json_printable(&long),
            format!("\"{}\\u009b\"", "a".repeat(40))
        );
    }

    proptest! {
        #[test]
        fn output_never_holds_a_character_that_needs_escaping(text in any::<String>()) {
            let shown = printable(&text);
            prop_assert!(!shown.chars().any(needs_escape));
        }

        #[test]
        fn escaped_text_is_one_cell_per_char_or_two_for_wide(text in any::<String>()) {
            // What remains is drawn predictably: its width is the sum of
            // its characters' widths, no sequence merges cells.
            let shown = printable(&text);
            let per_char: usize = shown
                .chars()
                .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
                .sum();
            prop_assert_eq!(shown.width(), per_char);
        }

        #[test]
        fn text_without_controls_is_kept(text in "[a-zA-Z0-9 äö✓{}\\[\\]\"-]*") {
            prop_assert_eq!(printable(&text), text.as_str());
        }

        #[test]
        fn json_output_is_the_same_value(text in any::<String>()) {
            let json = serde_json::to_string(&serde_json::json!({ "s": text })).unwrap();
            let safe = json_printable(&json);
            prop_assert!(!safe.chars().any(needs_escape));
            let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
            prop_assert_eq!(back["s"].as_str(), Some(text.as_str()));
        }
    }
}
