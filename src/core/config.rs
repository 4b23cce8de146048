//! Options of `init()` and of the script tag's `data-` attributes: defaults, validation, which
//! source wins, and whether a later `init()` agrees with the first.

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
    /// Anything else.
    Other,
}

/// An option the SDK cannot accept; the message names it and says what is expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// For the developer.
    pub message: String,
}

/// The option names, in SPEC.md's order, with their `data-` attribute names (after `data-`).
pub const OPTIONS: [(&str, &str); 6] = [
    ("authEndpoint", "auth-endpoint"),
    ("storage", "storage"),
    ("tokenProfile", "token-profile"),
    ("refreshLeewaySeconds", "refresh-leeway-seconds"),
    ("timeoutMs", "timeout-ms"),
    ("revalidateOnLoad", "revalidate-on-load"),
];

/// Upper bounds that catch unit mistakes (a leeway in milliseconds, a timeout in microseconds).
const MAX_LEEWAY_SECONDS: u32 = 86_400;
const MAX_TIMEOUT_MS: u32 = 300_000;

/// The options of one initialisation, and what was wrong with the script tag's attributes.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The options in force.
    pub config: Config,
    /// Bad `data-` attributes, each replaced by its default: reported on the console, since no
    /// call of the page could be rejected for them.
    pub warnings: Vec<ConfigError>,
}

/// The options from the defaults, then the script tag's `data-` attributes (`[name after data-,
/// value]`), then the options given to `init()`, each overriding the one before. A bad option
/// of `init()` fails the whole; a bad attribute is a warning and keeps the default.
pub fn resolve(
    attributes: &[(String, String)],
    options: &[(String, OptionValue)],
) -> Result<Resolved, ConfigError> {
    let mut config = Config::default();
    let mut warnings = Vec::new();
    for (attribute, text) in attributes {
        if let Err(error) = config.set_attribute(attribute, text) {
            warnings.push(error);
        }
    }
    for (name, value) in options {
        config.set(name, value.clone())?;
    }
    Ok(Resolved { config, warnings })
}

impl Config {
    /// Whether a later `init()` asking for `asked` can succeed once the SDK runs with these
    /// options: options are set once, so it must ask for the same.
    pub fn agrees_with(&self, asked: &Config) -> Result<(), ConfigError> {
        if self == asked {
            return Ok(());
        }
        Err(ConfigError {
            message: "messenger.init: already initialised with other options. Options are set once: give them as data- attributes of the script tag (it initialises the SDK when it loads), or call init() first (through the stub before the script loads).".into(),
        })
    }

    /// Sets one option given to `init()`.
    pub fn set(&mut self, name: &str, value: OptionValue) -> Result<(), ConfigError> {
        if value == OptionValue::Unset {
            return if OPTIONS.iter().any(|(known, _)| *known == name) {
                Ok(())
            } else {
                Err(unknown(name))
            };
        }
        match (name, value) {
            ("authEndpoint", OptionValue::Str(url)) if !url.trim().is_empty() => {
                self.auth_endpoint = Some(url)
            }
            ("authEndpoint", _) => {
                return Err(bad(name, "a non-empty URL string, such as \"/auth/jwt\""))
            }
            ("storage", value) => {
                self.storage = match as_str(&value) {
                    Some("session") => StorageKind::Session,
                    Some("local") => StorageKind::Local,
                    Some("memory") => StorageKind::Memory,
                    _ => return Err(bad(name, "\"session\", \"local\" or \"memory\"")),
                }
            }
            ("tokenProfile", value) => {
                self.token_profile = match as_str(&value) {
                    Some("any") => TokenProfile::Any,
                    Some("messaging") => TokenProfile::Messaging,
                    Some("contact-center") => TokenProfile::ContactCenter,
                    _ => return Err(bad(name, "\"any\", \"messaging\" or \"contact-center\"")),
                }
            }
            ("refreshLeewaySeconds", value) => {
                self.refresh_leeway_seconds = whole_number(&value, 0, MAX_LEEWAY_SECONDS)
                    .ok_or_else(|| bad(name, "a whole number of seconds from 0 to 86400"))?
            }
            ("timeoutMs", value) => {
                self.timeout_ms = whole_number(&value, 1, MAX_TIMEOUT_MS)
                    .ok_or_else(|| bad(name, "a whole number of milliseconds from 1 to 300000"))?
            }
            ("revalidateOnLoad", OptionValue::Bool(b)) => self.revalidate_on_load = b,
            ("revalidateOnLoad", _) => return Err(bad(name, "true or false")),
            _ => return Err(unknown(name)),
        }
        Ok(())
    }

    /// Sets one option from a script-tag attribute such as `data-timeout-ms="5000"`, whose
    /// values are always strings. `attribute` is the name after `data-`; the page's own `data-`
    /// attributes are none of the SDK's business.
    pub fn set_attribute(&mut self, attribute: &str, text: &str) -> Result<(), ConfigError> {
        let Some(&(name, _)) = OPTIONS.iter().find(|(_, a)| *a == attribute) else {
            return Ok(());
        };
        let value = match (name, text.trim()) {
            ("refreshLeewaySeconds" | "timeoutMs", digits) => match digits.parse::<u32>() {
                Ok(n) => OptionValue::Num(n.into()),
                Err(_) => OptionValue::Str(text.into()),
            },
            ("revalidateOnLoad", "true" | "") => OptionValue::Bool(true),
            ("revalidateOnLoad", "false") => OptionValue::Bool(false),
            _ => OptionValue::Str(text.into()),
        };
        self.set(name, value).map_err(|e| ConfigError {
            message: format!(
                "{} (from the script tag's data-{attribute} attribute)",
                e.message
            ),
        })
    }
}

fn bad(name: &str, expected: &str) -> ConfigError {
    ConfigError {
        message: format!("messenger.init: option \"{name}\" must be {expected}"),
    }
}

fn unknown(name: &str) -> ConfigError {
    let known: Vec<&str> = OPTIONS.iter().map(|(name, _)| *name).collect();
    ConfigError {
        message: format!(
            "messenger.init: unknown option \"{name}\"; the options are {}",
            known.join(", ")
        ),
    }
}

fn as_str(value: &OptionValue) -> Option<&str> {
    match value {
        OptionValue::Str(s) => Some(s),
        _ => None,
    }
}

fn whole_number(value: &OptionValue, min: u32, max: u32) -> Option<u32> {
    match *value {
        OptionValue::Num(n) if n.fract() == 0.0 && n >= min.into() && n <= max.into() => {
            Some(n as u32)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn init_options_override_attributes_which_override_defaults() {
        let attributes = attrs(&[
            ("auth-endpoint", "/a"),
            ("timeout-ms", " 5000 "),
            ("page-thing", "x"),
        ]);
        let options = [("authEndpoint".to_string(), OptionValue::Str("/b".into()))];
        let resolved = resolve(&attributes, &options).expect("valid");
        assert_eq!(resolved.config.auth_endpoint.as_deref(), Some("/b"));
        assert_eq!(resolved.config.timeout_ms, 5000);
        assert!(resolved.warnings.is_empty());
    }

    #[test]
    fn a_bad_attribute_is_a_warning_and_keeps_the_default() {
        let resolved =
            resolve(&attrs(&[("storage", "disk"), ("timeout-ms", "1e3")]), &[]).expect("valid");
        assert_eq!(resolved.config, Config::default());
        assert_eq!(resolved.warnings.len(), 2);
        assert!(resolved.warnings[0].message.contains("data-storage"));
    }

    #[test]
    fn a_bad_init_option_fails_and_names_it() {
        for (name, value, expected) in [
            ("storage", OptionValue::Str("disk".into()), "\"storage\""),
            ("timeoutMs", OptionValue::Num(0.5), "\"timeoutMs\""),
            ("timeoutMs", OptionValue::Num(300_001.0), "300000"),
            ("refreshLeewaySeconds", OptionValue::Num(-1.0), "86400"),
            (
                "revalidateOnLoad",
                OptionValue::Str("yes".into()),
                "true or false",
            ),
            ("authEndpoint", OptionValue::Str("  ".into()), "URL"),
            ("authEndpoint", OptionValue::Other, "URL"),
            ("colour", OptionValue::Unset, "unknown option \"colour\""),
        ] {
            let error = resolve(&[], &[(name.to_string(), value)]).expect_err(name);
            assert!(error.message.contains(expected), "{}", error.message);
        }
    }

    #[test]
    fn a_later_init_must_agree() {
        let first = Config::default();
        assert!(first.agrees_with(&Config::default()).is_ok());
        let other = Config {
            timeout_ms: 1,
            ..Config::default()
        };
        assert!(first.agrees_with(&other).is_err());
    }
}
