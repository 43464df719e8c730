//! Lookups in a sorted list of names (the log's stream names): a prefix is a
//! binary search away even with hundreds of thousands of streams.

/// The names in sorted `names` that start with `prefix`.
pub fn with_prefix<'a>(names: &'a [String], prefix: &str) -> &'a [String] {
    let start = names.partition_point(|s| s.as_str() < prefix);
    let end = start + names[start..].partition_point(|s| s.starts_with(prefix));
    &names[start..end]
}

/// The longest prefix every name of a sorted list shares: that of its
/// first and last.
pub fn common_prefix(first: Option<&str>, last: Option<&str>) -> String {
    let (Some(first), Some(last)) = (first, last) else {
        return String::new();
    };
    let end = first
        .char_indices()
        .zip(last.chars())
        .take_while(|((_, a), b)| a == b)
        .last()
        .map_or(0, |((i, a), _)| i + a.len_utf8());
    first[..end].to_string()
}

/// [`common_prefix`] of a sorted slice.
pub fn common_prefix_of(names: &[String]) -> String {
    common_prefix(
        names.first().map(String::as_str),
        names.last().map(String::as_str),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_stops_where_names_differ() {
        let names = ["order-10".to_string(), "order-11".into(), "order-1".into()];
        assert_eq!(common_prefix_of(&names), "order-1");
        assert_eq!(common_prefix_of(&names[..1]), "order-10");
        assert_eq!(common_prefix_of(&[]), "");
    }

    #[test]
    fn a_prefix_selects_a_run_of_the_sorted_names() {
        let names = ["a-1".to_string(), "b-1".into(), "b-2".into(), "c-1".into()];
        assert_eq!(with_prefix(&names, "b-"), &names[1..3]);
        assert!(with_prefix(&names, "d").is_empty());
    }
}
