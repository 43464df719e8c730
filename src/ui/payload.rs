//! A stored payload as the explorer draws it: a JSON tree, or why it cannot
//! be one. A log written by an older import may hold JSON that serde_json
//! will not read back as a tree (nesting deeper than its limit, a number
//! beyond f64, a lone surrogate escape); such a payload is shown as
//! unreadable with the reason and its text, never as `null`.

use serde_json::Value;

use crate::event::Json;

/// A payload that cannot be drawn as a tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// Why, in words: "nesting deeper than 127".
    pub reason: String,
}

impl Unreadable {
    /// What stands in the detail pane in place of the tree.
    pub fn shown(&self) -> String {
        format!("(cannot be shown: {})", self.reason)
    }
}

/// The payload's tree, or why there is none.
pub fn tree(json: &Json) -> Result<Value, Unreadable> {
    serde_json::from_str(json.as_str()).map_err(|e| Unreadable { reason: reason(&e) })
}

fn reason(error: &serde_json::Error) -> String {
    let text = error.to_string();
    if text.contains("recursion limit") {
        "nesting deeper than 127".into()
    } else if text.contains("number out of range") {
        "a number beyond what a 64-bit float holds".into()
    } else if text.contains("surrogate")
        || text.contains("hex escape")
        || text.contains("unicode code point")
    {
        "a lone surrogate escape in a string".into()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::value::RawValue;

    fn raw(text: &str) -> Json {
        Json::from_raw(&RawValue::from_string(text.to_string()).unwrap())
    }

    #[test]
    fn a_readable_payload_is_its_tree() {
        let json = Json::from_value(&serde_json::json!({"a": [1, 2]}));
        assert_eq!(tree(&json).unwrap(), serde_json::json!({"a": [1, 2]}));
    }

    /// Each reason, on a payload of its kind (tests/ui_hostile.rs draws
    /// them on screen).
    #[test]
    fn unreadable_payloads_say_why_instead_of_null() {
        let deep = "[".repeat(128) + &"]".repeat(128);
        assert_eq!(
            tree(&raw(&deep)).unwrap_err().reason,
            "nesting deeper than 127"
        );
        let big = tree(&raw("[-1e309]")).unwrap_err();
        assert_eq!(big.reason, "a number beyond what a 64-bit float holds");
        let lone = tree(&raw(r#"["\udfff"]"#)).unwrap_err();
        assert_eq!(lone.reason, "a lone surrogate escape in a string");
        assert_eq!(lone.shown(), format!("(cannot be shown: {})", lone.reason));
    }
}
