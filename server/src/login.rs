//! The body of `POST /login`, as JSON or as a form: `{ "username", "email"?, "name"?, "ttl"? }`,
//! checked before anything is kept.

use serde::{Deserialize, Serialize};

use crate::config::MAX_TOKEN_TTL;

/// Longest username (it becomes `external_id`, which SPEC.md limits to 255 characters) and name.
const MAX_TEXT: usize = 255;
/// Longest email address (RFC 5321's path limit).
const MAX_EMAIL: usize = 254;

/// A user of the demo site, as its session keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// The site's user id: the tokens' `external_id`.
    pub username: String,
    /// Given at login, or none.
    pub email: Option<String>,
    /// Given at login, or none (tokens then use the username).
    pub name: Option<String>,
    /// Whether the site has verified `email` (the login form's box): messaging tokens then say
    /// `email_verified: true`. Shown by `/me` only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub email_verified: bool,
}

/// A valid login: who, and the token lifetime the session asks for (none: the server's).
#[derive(Debug, PartialEq, Eq)]
pub struct Login {
    pub user: User,
    pub token_ttl: Option<u64>,
}

/// The fields as sent. Unknown fields are ignored (a form may carry a submit button's name).
#[derive(Deserialize)]
struct Fields {
    username: Option<String>,
    email: Option<String>,
    name: Option<String>,
    ttl: Option<Seconds>,
    email_verified: Option<Flag>,
}

/// A yes/no field: a JSON boolean, or a form checkbox (`on` when ticked, absent when not).
#[derive(Deserialize)]
#[serde(untagged)]
enum Flag {
    Bool(bool),
    Text(String),
    Other(serde::de::IgnoredAny),
}

/// A lifetime: a JSON number, or text (forms send only text); anything else is kept as wrong
/// so that the error names the field.
#[derive(Deserialize)]
#[serde(untagged)]
enum Seconds {
    Number(f64),
    Text(String),
    Other(serde::de::IgnoredAny),
}

/// The body's format, from its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    Json,
    Form,
}

impl BodyFormat {
    /// JSON or form for those media types (parameters such as `charset` ignored), else none.
    pub fn from_content_type(content_type: &str) -> Option<BodyFormat> {
        let essence = content_type.split(';').next().unwrap_or_default().trim();
        if essence.eq_ignore_ascii_case("application/json") {
            Some(BodyFormat::Json)
        } else if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            Some(BodyFormat::Form)
        } else {
            None
        }
    }
}

/// Reads and checks a login body. The error is a message for the client.
pub fn parse_login(format: BodyFormat, body: &[u8]) -> Result<Login, String> {
    let fields: Fields = match format {
        BodyFormat::Json => serde_json::from_slice(body).map_err(|e| format!("bad JSON: {e}"))?,
        BodyFormat::Form => {
            serde_urlencoded::from_bytes(body).map_err(|e| format!("bad form: {e}"))?
        }
    };
    let username =
        text_field("username", fields.username, MAX_TEXT)?.ok_or("username is required")?;
    let email = text_field("email", fields.email, MAX_EMAIL)?;
    if let Some(email) = &email {
        if !looks_like_email(email) {
            return Err(String::from("email is not an address"));
        }
    }
    let name = text_field("name", fields.name, MAX_TEXT)?;
    let email_verified = flag("email_verified", fields.email_verified)?;
    if email_verified && email.is_none() {
        return Err(String::from("email_verified needs an email"));
    }
    Ok(Login {
        user: User {
            username,
            email,
            name,
            email_verified,
        },
        token_ttl: token_ttl(fields.ttl)?,
    })
}

/// A trimmed text field: none when absent or blank; an error when too long or holding control
/// characters (they would end up in tokens and on the page).
fn text_field(name: &str, value: Option<String>, max: usize) -> Result<Option<String>, String> {
    let Some(value) = value else { return Ok(None) };
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > max {
        return Err(format!("{name} is longer than {max} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("{name} has control characters"));
    }
    Ok(Some(value.to_owned()))
}

/// Something `@` something, without spaces: the demo does not verify addresses, it only keeps
/// obvious mistakes out.
fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && !domain.is_empty() && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// A yes/no field: true, "true", "on" (a ticked checkbox) or "1"; absent, false, "", "false",
/// "off" or "0" is no.
fn flag(name: &str, value: Option<Flag>) -> Result<bool, String> {
    match value {
        None | Some(Flag::Bool(false)) => Ok(false),
        Some(Flag::Bool(true)) => Ok(true),
        Some(Flag::Text(text)) => match text.trim() {
            "" | "false" | "off" | "0" => Ok(false),
            "true" | "on" | "1" => Ok(true),
            _ => Err(format!("{name} wants true or false")),
        },
        Some(Flag::Other(_)) => Err(format!("{name} wants true or false")),
    }
}

fn token_ttl(ttl: Option<Seconds>) -> Result<Option<u64>, String> {
    let seconds = match ttl {
        None => return Ok(None),
        Some(Seconds::Text(text)) if text.trim().is_empty() => return Ok(None),
        Some(Seconds::Text(text)) => text.trim().parse::<u64>().ok(),
        // Whole and in range (checked below) is exact in an f64.
        Some(Seconds::Number(n)) if n.fract() == 0.0 && n >= 0.0 && n <= MAX_TOKEN_TTL as f64 => {
            Some(n as u64)
        }
        Some(Seconds::Number(_) | Seconds::Other(_)) => None,
    };
    match seconds {
        Some(n) if (1..=MAX_TOKEN_TTL).contains(&n) => Ok(Some(n)),
        _ => Err(format!("ttl wants whole seconds from 1 to {MAX_TOKEN_TTL}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(body: &str) -> Result<Login, String> {
        parse_login(BodyFormat::Json, body.as_bytes())
    }

    #[test]
    fn content_types() {
        assert_eq!(
            BodyFormat::from_content_type("application/json"),
            Some(BodyFormat::Json)
        );
        assert_eq!(
            BodyFormat::from_content_type("Application/JSON; charset=utf-8"),
            Some(BodyFormat::Json)
        );
        assert_eq!(
            BodyFormat::from_content_type("application/x-www-form-urlencoded;charset=UTF-8"),
            Some(BodyFormat::Form)
        );
        assert_eq!(BodyFormat::from_content_type("text/plain"), None);
        assert_eq!(BodyFormat::from_content_type(""), None);
    }

    #[test]
    fn json_and_form_give_the_same_login() {
        let from_json = json(
            r#"{"username": " ada ", "email": "ada@example.test", "name": "Ada Lovelace", "ttl": 90}"#,
        );
        let from_form = parse_login(
            BodyFormat::Form,
            b"username=ada&email=ada%40example.test&name=Ada+Lovelace&ttl=90&submit=",
        );
        let expected = Login {
            user: User {
                username: "ada".into(),
                email: Some("ada@example.test".into()),
                name: Some("Ada Lovelace".into()),
                email_verified: false,
            },
            token_ttl: Some(90),
        };
        assert_eq!(from_json, Ok(expected));
        assert_eq!(
            from_form,
            json(
                r#"{"username": "ada", "email": "ada@example.test", "name": "Ada Lovelace", "ttl": "90"}"#
            )
        );
    }

    #[test]
    fn email_verified_from_json_or_a_checkbox() {
        let verified = |body: &str| json(body).map(|login| login.user.email_verified);
        assert_eq!(
            verified(r#"{"username": "a", "email": "a@b.test"}"#),
            Ok(false)
        );
        assert_eq!(
            verified(r#"{"username": "a", "email": "a@b.test", "email_verified": true}"#),
            Ok(true)
        );
        assert_eq!(
            verified(r#"{"username": "a", "email": "a@b.test", "email_verified": "on"}"#),
            Ok(true)
        );
        assert_eq!(
            verified(r#"{"username": "a", "email": "a@b.test", "email_verified": false}"#),
            Ok(false)
        );
        let form = parse_login(
            BodyFormat::Form,
            b"username=a&email=a%40b.test&email_verified=on",
        );
        assert_eq!(form.map(|login| login.user.email_verified), Ok(true));
        assert!(verified(r#"{"username": "a", "email_verified": true}"#)
            .unwrap_err()
            .contains("needs an email"));
        assert!(
            verified(r#"{"username": "a", "email": "a@b.test", "email_verified": "maybe"}"#)
                .unwrap_err()
                .contains("email_verified")
        );
        assert!(
            verified(r#"{"username": "a", "email": "a@b.test", "email_verified": 1}"#)
                .unwrap_err()
                .contains("email_verified")
        );
    }

    #[test]
    fn optional_fields_may_be_absent_or_blank() {
        let login = json(r#"{"username": "bo", "email": "", "name": "  ", "ttl": ""}"#).unwrap();
        assert_eq!(
            login.user,
            User {
                username: "bo".into(),
                email: None,
                name: None,
                email_verified: false,
            }
        );
        assert_eq!(login.token_ttl, None);
    }

    #[test]
    fn bad_input_is_an_error_naming_the_field() {
        for (body, expected) in [
            (r#"{}"#, "username is required"),
            (r#"{"username": "   "}"#, "username is required"),
            (r#"{"username": 7}"#, "bad JSON"),
            (r#"["ada"]"#, "bad JSON"),
            (r#"{"username": "ada""#, "bad JSON"),
            ("", "bad JSON"),
            (r#"{"username": "a\u0000b"}"#, "control characters"),
            (
                r#"{"username": "ada", "email": "nobody"}"#,
                "email is not an address",
            ),
            (r#"{"username": "ada", "ttl": 0}"#, "ttl wants"),
            (r#"{"username": "ada", "ttl": 86401}"#, "ttl wants"),
            (r#"{"username": "ada", "ttl": -5}"#, "ttl wants"),
            (r#"{"username": "ada", "ttl": "soon"}"#, "ttl wants"),
            (r#"{"username": "ada", "ttl": 1.5}"#, "ttl wants"),
            (r#"{"username": "ada", "ttl": true}"#, "ttl wants"),
        ] {
            let error = json(body).unwrap_err();
            assert!(error.contains(expected), "{body}: {error}");
        }
        let long = format!(r#"{{"username": "{}"}}"#, "x".repeat(256));
        assert!(json(&long).unwrap_err().contains("longer than 255"));
        assert!(json(&format!(r#"{{"username": "{}"}}"#, "é".repeat(255))).is_ok());
        // Forms are decoded leniently (bad UTF-8 becomes U+FFFD); a field given twice is refused.
        assert!(parse_login(BodyFormat::Form, b"username=a&username=b")
            .unwrap_err()
            .contains("bad form"));
    }
}
