//! LEB128 varints: seven bits a byte, low bits first, the high bit set on
//! every byte but the last. The stored events, their blocks and the
//! projections' snapshots all count and measure with them.

/// Appends `value` to `out`.
pub fn put(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// The varint at the start of `bytes` and how many bytes it took; None
/// when `bytes` ends inside it or it is longer than a u64 can be.
pub fn read(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn small_values_take_one_byte() {
        let mut out = Vec::new();
        put(&mut out, 127);
        assert_eq!(out, [127]);
        put(&mut out, 128);
        assert_eq!(out, [127, 0x80, 1]);
        assert_eq!(read(&out[1..]), Some((128, 2)));
    }

    #[test]
    fn truncated_and_overlong_input_is_refused() {
        assert_eq!(read(&[]), None);
        assert_eq!(read(&[0x80]), None);
        assert_eq!(read(&[0xff; 11]), None);
    }

    proptest! {
        #[test]
        fn every_value_reads_back(value in any::<u64>(), tail in any::<Vec<u8>>()) {
            let mut out = Vec::new();
            put(&mut out, value);
            let used = out.len();
            out.extend(tail);
            prop_assert_eq!(read(&out), Some((value, used)));
        }
    }
}
