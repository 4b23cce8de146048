//! Options of `init()` and of the script tag's `data-` attributes: defaults and validation.

use crate::core::json::{ReadJson, Value};
use crate::core::text::concat;
use alloc::string::String;

/// Where the SDK keeps its state across reloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageKind {
    /// `sessionStorage`: per tab (the default).
    Session,
    /// `localStorage`: shared by the origin's tabs, kept across browser restarts.
    Local,
    /// Nothing written anywhere.
    Memory,
}

/// Which claim rules a token must follow (SPEC.md "Checks on the token").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenProfile {
    /// HS256 or ES256; each claim present must be valid.
    Any,
    /// HS256 with `kid`, `scope: "user"`, `external_id`.
    Messaging,
    /// ES256 with `exp`.
    ContactCenter,
}

/// The SDK's options, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// URL of the site's authentication endpoint.
    pub auth_endpoint: Option<String>,
    /// Where state is kept.
    pub storage: StorageKind,
    /// Claim rules.
    pub token_profile: TokenProfile,
    /// Seconds before `exp` at which a token stops being fresh.
    pub refresh_leeway_seconds: u32,
    /// Time limit of one endpoint request or jwtCallback call.
    pub timeout_ms: u32,
    /// Revalidate a restored session with one request on page load.
    pub revalidate_on_load: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            auth_endpoint: None,
            storage: StorageKind::Session,
            token_profile: TokenProfile::Any,
            refresh_leeway_seconds: 60,
            timeout_ms: 10_000,
            revalidate_on_load: true,
        }
    }
}

/// One option value as the page gave it.
#[derive(Clone, Debug, PartialEq)]
pub enum OptionValue {
    /// `undefined` or `null`: keep the default.
    Unset,
    /// A string.
    Str(String),
    /// A number.
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// Anything else; the JavaScript type name, for the message.
    Other(&'static str),
}

/// An option the SDK cannot accept; the message names it and says what is expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// For the developer.
    pub message: String,
}

/// The option names, in SPEC.md's order.
pub const OPTION_NAMES: [&str; 6] = [
    "authEndpoint",
    "storage",
    "tokenProfile",
    "refreshLeewaySeconds",
    "timeoutMs",
    "revalidateOnLoad",
];

/// Upper bounds that catch unit mistakes (a leeway in milliseconds, a timeout in microseconds).
const MAX_LEEWAY_SECONDS: f64 = 86_400.0;
const MAX_TIMEOUT_MS: f64 = 300_000.0;

fn bad(name: &str, expected: &str) -> ConfigError {
    ConfigError {
        message: concat(&["messenger.init: option \"", name, "\" must be ", expected]),
    }
}

impl Config {
    /// Sets one option given to `init()`.
    pub fn set(&mut self, name: &str, value: OptionValue) -> Result<(), ConfigError> {
        if value == OptionValue::Unset {
            return if OPTION_NAMES.contains(&name) {
                Ok(())
            } else {
                Err(unknown(name))
            };
        }
        match name {
            "authEndpoint" => match value {
                OptionValue::Str(url) if !url.trim_ascii().is_empty() => {
                    self.auth_endpoint = Some(url)
                }
                _ => return Err(bad(name, "a non-empty URL string, such as \"/auth/jwt\"")),
            },
            "storage" => {
                self.storage = match as_str(&value) {
                    Some("session") => StorageKind::Session,
                    Some("local") => StorageKind::Local,
                    Some("memory") => StorageKind::Memory,
                    _ => return Err(bad(name, "\"session\", \"local\" or \"memory\"")),
                }
            }
            "tokenProfile" => {
                self.token_profile = match as_str(&value) {
                    Some("any") => TokenProfile::Any,
                    Some("messaging") => TokenProfile::Messaging,
                    Some("contact-center") => TokenProfile::ContactCenter,
                    _ => return Err(bad(name, "\"any\", \"messaging\" or \"contact-center\"")),
                }
            }
            "refreshLeewaySeconds" => {
                self.refresh_leeway_seconds = whole_number(&value, 0.0, MAX_LEEWAY_SECONDS)
                    .ok_or_else(|| bad(name, "a whole number of seconds from 0 to 86400"))?
            }
            "timeoutMs" => {
                self.timeout_ms = whole_number(&value, 1.0, MAX_TIMEOUT_MS)
                    .ok_or_else(|| bad(name, "a whole number of milliseconds from 1 to 300000"))?
            }
            "revalidateOnLoad" => match value {
                OptionValue::Bool(b) => self.revalidate_on_load = b,
                _ => return Err(bad(name, "true or false")),
            },
            _ => return Err(unknown(name)),
        }
        Ok(())
    }

    /// Sets one option from a script-tag attribute such as `data-timeout-ms="5000"`, whose
    /// values are always strings. `attribute` is the name after `data-`; `read` reads numbers.
    pub fn set_attribute(
        &mut self,
        attribute: &str,
        text: &str,
        read: ReadJson,
    ) -> Result<(), ConfigError> {
        let name = match attribute {
            "auth-endpoint" => "authEndpoint",
            "storage" => "storage",
            "token-profile" => "tokenProfile",
            "refresh-leeway-seconds" => "refreshLeewaySeconds",
            "timeout-ms" => "timeoutMs",
            "revalidate-on-load" => "revalidateOnLoad",
            _ => return Ok(()), // other data- attributes belong to the page
        };
        let value = match name {
            // Read as a JSON number: the SDK's one number reader (no float tables in the wasm).
            "refreshLeewaySeconds" | "timeoutMs" => match read(text.trim_ascii().as_bytes()) {
                Some(Value::Number(n)) => OptionValue::Num(n.as_f64()),
                _ => OptionValue::Str(text.into()),
            },
            "revalidateOnLoad" => match text.trim_ascii() {
                "true" | "" => OptionValue::Bool(true),
                "false" => OptionValue::Bool(false),
                _ => OptionValue::Str(text.into()),
            },
            _ => OptionValue::Str(text.into()),
        };
        self.set(name, value).map_err(|e| ConfigError {
            message: concat(&[
                &e.message,
                " (from the script tag's data-",
                attribute,
                " attribute)",
            ]),
        })
    }
}

fn unknown(name: &str) -> ConfigError {
    let mut message = concat(&[
        "messenger.init: unknown option \"",
        name,
        "\"; the options are ",
    ]);
    for (i, known) in OPTION_NAMES.iter().enumerate() {
        if i > 0 {
            message.push_str(", ");
        }
        message.push_str(known);
    }
    ConfigError { message }
}

fn as_str(value: &OptionValue) -> Option<&str> {
    match value {
        OptionValue::Str(s) => Some(s),
        _ => None,
    }
}

fn whole_number(value: &OptionValue, min: f64, max: f64) -> Option<u32> {
    match *value {
        // In range first, so that the cast back is exact only for a whole number.
        OptionValue::Num(n) if n >= min && n <= max && f64::from(n as u32) == n => Some(n as u32),
        _ => None,
    }
}
