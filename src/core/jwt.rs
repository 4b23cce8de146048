//! A JWT's three dot-separated base64url parts (RFC 7519), decoded to the bytes of its header and
//! payload JSON. Reading that JSON is the browser's job; the shell then fills a [`Jwt`].
//!
//! [`Jwt`]: crate::core::claims::Jwt

use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

/// base64url as JWTs are written, and as lenient as the JWT libraries sites sign with: padding
/// and non-zero trailing bits are accepted, any other character is not.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// The decoded parts of a JWT's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segments {
    /// The header's bytes (JSON, if the token is sound).
    pub header: Vec<u8>,
    /// The payload's bytes.
    pub payload: Vec<u8>,
    /// Whether the signature part is not empty.
    pub signed: bool,
}

/// The parts of `text` (surrounding ASCII white space ignored), or `None` when it is not three
/// base64url parts.
pub fn segments(text: &str) -> Option<Segments> {
    let mut parts = text.trim_ascii().split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    // The signature is not checked (an HS256 secret never reaches the browser), but it must be
    // base64url like the rest.
    BASE64URL.decode(signature).ok()?;
    Some(Segments {
        header: BASE64URL.decode(header).ok()?,
        payload: BASE64URL.decode(payload).ok()?,
        signed: !signature.is_empty(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_base64url_parts() {
        let parts = segments(" eyJhIjoxfQ.e30.c2ln\n").expect("a JWT");
        assert_eq!(parts.header, br#"{"a":1}"#);
        assert_eq!(parts.payload, b"{}");
        assert!(parts.signed);
        assert!(!segments("eyJhIjoxfQ.e30.").expect("unsigned").signed);
        assert!(
            segments("e30=.e30.c2lnbmF0dXJlMQ==").is_some(),
            "padding is accepted"
        );
        for bad in [
            "",
            "a.b",
            "a.b.c.d",
            "e30.e30.ab==cd",
            "e3+.e30.c2ln",
            "e30.e30.c2l*",
            "e30 .e30.x",
            "e30.e30.abcde",
        ] {
            assert_eq!(segments(bad), None, "{bad:?}");
        }
    }
}
