//! base64url decoding of JWT parts (RFC 4648 §5), written out because it is twenty lines and a
//! general base64 crate costs kilobytes of wasm. Padding is optional (canonical or less, never
//! more); non-zero trailing bits are tolerated, as `atob` and Node do: the server that checks
//! the signature is the authority on the exact bytes.

use alloc::vec::Vec;

/// The bytes that the base64url text `bytes` encodes, or `None` if it is not base64url.
pub fn decode(bytes: &[u8]) -> Option<Vec<u8>> {
    // Counted rather than stripped with `strip_suffix`, whose generic slice code costs 300 bytes.
    let padding = bytes
        .iter()
        .rev()
        .take(2)
        .take_while(|&&b| b == b'=')
        .count();
    let body = bytes.get(..bytes.len() - padding)?;
    let remainder = body.len() % 4;
    if remainder == 1 || (padding > 0 && (remainder == 0 || remainder + padding > 4)) {
        return None;
    }
    // Exactly one byte per 8 bits read: written in place, without `push`'s growth code.
    let mut out = alloc::vec![0; body.len() * 3 / 4];
    let mut slots = out.iter_mut();
    let (mut bits, mut count) = (0u32, 0u32);
    for &c in body {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            if let Some(slot) = slots.next() {
                *slot = (bits >> count) as u8;
            }
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_with_and_without_padding() {
        assert_eq!(decode(b"").as_deref(), Some(&b""[..]));
        assert_eq!(decode(b"QQ").as_deref(), Some(&b"A"[..]));
        assert_eq!(decode(b"QQ==").as_deref(), Some(&b"A"[..]));
        assert_eq!(decode(b"QQ=").as_deref(), Some(&b"A"[..]));
        assert_eq!(decode(b"QUI").as_deref(), Some(&b"AB"[..]));
        assert_eq!(decode(b"QUI=").as_deref(), Some(&b"AB"[..]));
        assert_eq!(decode(b"QUJD").as_deref(), Some(&b"ABC"[..]));
        assert_eq!(decode(b"-_-_").as_deref(), Some(&[0xfb, 0xff, 0xbf][..]));
        assert_eq!(
            decode(b"abd").as_deref(),
            Some(&[0x69, 0xb7][..]),
            "trailing bits tolerated"
        );
    }

    #[test]
    fn refuses_what_is_not_base64url() {
        for text in [
            "Q", "QUJDR", "QUJD=", "QQ===", "Q===", "+/+/", "QU J", "QUI\n", "=", "==",
        ] {
            assert_eq!(decode(text.as_bytes()), None, "{text:?}");
        }
    }
}
