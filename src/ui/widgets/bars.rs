//! Horizontal bars for comparing two numbers side by side, and numbers
//! written for people (`12,345`).

/// Eighths of a cell, for the end of a bar.
const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/// A bar of `value` against `max`, at most `width` cells; a value above 0
/// always shows at least a sliver, so "a little" never looks like "none".
pub fn bar(value: f64, max: f64, width: usize) -> String {
    // NaN fails both tests, so it draws nothing.
    let positive = |x: f64| x > 0.0;
    if width == 0 || !positive(value) || !positive(max) {
        return String::new();
    }
    let eighths = ((value.min(max) / max) * (width * 8) as f64).round() as usize;
    let eighths = eighths.max(1);
    let mut out = "█".repeat(eighths / 8);
    let rest = eighths % 8;
    if rest > 0 {
        out.push(PARTS[rest]);
    }
    out
}

pub use crate::simulation::grouped;

/// Virtual milliseconds for people: `60 ms`, `12.5 ms`, `24.3 s`.
pub fn duration(ms: f64) -> String {
    if ms >= 1_000.0 {
        format!("{:.1} s", ms / 1_000.0)
    } else if ms.fract() == 0.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_larger_value_fills_the_width() {
        assert_eq!(bar(10.0, 10.0, 4), "████");
        assert_eq!(bar(5.0, 10.0, 4), "██");
        assert_eq!(bar(1.0, 16.0, 2), "▏");
    }

    #[test]
    fn nothing_draws_nothing_and_a_little_draws_a_sliver() {
        assert_eq!(bar(0.0, 10.0, 4), "");
        assert_eq!(bar(0.0, 0.0, 4), "");
        assert_eq!(bar(f64::NAN, 10.0, 4), "");
        assert_eq!(bar(1.0, 1_000_000.0, 4), "▏");
        assert_eq!(bar(3.0, 3.0, 0), "");
    }

    #[test]
    fn a_bar_is_never_wider_than_its_room() {
        for value in 0..=100 {
            let drawn = bar(value as f64, 100.0, 7);
            assert!(drawn.chars().count() <= 7, "{value}: {drawn}");
        }
    }

    #[test]
    fn durations_switch_to_seconds_from_one_second() {
        assert_eq!(duration(60.0), "60 ms");
        assert_eq!(duration(57.94), "57.9 ms");
        assert_eq!(duration(999.0), "999 ms");
        assert_eq!(duration(24_334.0), "24.3 s");
        assert_eq!(duration(500_010.0), "500.0 s");
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(12_345_678), "12,345,678");
    }
}
