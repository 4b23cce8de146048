//! The admin token: what `Authorization: Bearer` must carry on the admin routes. A new random
//! one each start, unless `ADMIN_TOKEN` gives one.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use subtle::ConstantTimeEq;

#[derive(Clone)]
pub struct AdminToken(String);

impl AdminToken {
    /// 256 random bits, base64url (43 characters).
    pub fn random() -> AdminToken {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        AdminToken(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A token chosen by the developer: printable ASCII without spaces, so that it fits in a
    /// header and a URL fragment as it is.
    pub fn given(token: &str) -> Result<AdminToken, String> {
        if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(String::from(
                "ADMIN_TOKEN must be printable ASCII without spaces (or unset for a random one)",
            ));
        }
        Ok(AdminToken(token.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `presented` is the token, compared in constant time.
    pub fn matches(&self, presented: &str) -> bool {
        self.0.as_bytes().ct_eq(presented.as_bytes()).into()
    }
}

impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminToken(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_tokens_differ_and_match_only_themselves() {
        let a = AdminToken::random();
        let b = AdminToken::random();
        assert_eq!(a.as_str().len(), 43);
        assert!(a.matches(a.as_str()));
        assert!(!a.matches(b.as_str()));
        assert!(!a.matches(""));
        assert!(!a.matches(&a.as_str()[..42]));
    }

    #[test]
    fn a_given_token_is_printable_ascii() {
        assert!(AdminToken::given("s3cret-token")
            .unwrap()
            .matches("s3cret-token"));
        for bad in ["", "with space", "tab\t", "é"] {
            assert!(AdminToken::given(bad).is_err(), "{bad:?}");
        }
    }
}
