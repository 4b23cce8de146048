//! Building messages without `core::fmt`, which costs many kilobytes of wasm.

use alloc::string::String;

/// Appends the decimal form of `n` to `out`.
pub fn push_u64(out: &mut String, mut n: u64) {
    // Filled from the end; no index can fail (a bounds check would bring a panic message).
    let mut digits = [0u8; 20];
    let mut count = 0;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        count += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in digits.iter().skip(digits.len() - count) {
        out.push(d as char);
    }
}

/// Joins string pieces into one `String`.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for (n, s) in [
            (0, "0"),
            (7, "7"),
            (429, "429"),
            (u64::MAX, "18446744073709551615"),
        ] {
            let mut out = String::new();
            push_u64(&mut out, n);
            assert_eq!(out, s);
        }
    }
}
