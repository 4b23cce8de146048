//! The typed values the shell reads JSON into: a JWT's header and claims. The browser parses the
//! text (`JSON.parse`) and the shell reads the own properties of what it made into these; every
//! rule about them is the core's (`token.rs`, `record.rs`, `answer.rs`).

/// One own member of a parsed JSON object, by its JSON type. `S` is what a string is read as:
/// its text, or (where the string is a token) the [`Jwt`] the shell decoded from it.
#[derive(Clone, Debug, PartialEq)]
pub enum Field<S = String> {
    /// The object has no such own member.
    Absent,
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as the browser read it (a double: integers beyond 2^53 are already rounded).
    Number(f64),
    /// A string.
    String(S),
    /// An array or an object.
    Other,
}

impl<S> Field<S> {
    /// The same field, its string read by `read`.
    pub fn map<T>(self, read: impl FnOnce(S) -> T) -> Field<T> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Bool(b) => Field::Bool(b),
            Field::Number(n) => Field::Number(n),
            Field::String(s) => Field::String(read(s)),
            Field::Other => Field::Other,
        }
    }
}

/// The JWT header members the SDK checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    /// `alg`.
    pub alg: Field,
    /// `kid`.
    pub kid: Field,
}

impl Header {
    /// The header whose own members `member(key)` gives.
    pub fn read(member: impl Fn(&str) -> Field) -> Header {
        Header {
            alg: member("alg"),
            kid: member("kid"),
        }
    }
}

/// The payload claims the SDK checks (SPEC.md "Checks on the token"); the others it hands to the
/// page unread, in `user.claims`.
#[derive(Clone, Debug, PartialEq)]
pub struct Claims {
    /// `exp`, seconds since the epoch.
    pub exp: Field,
    /// `iat`.
    pub iat: Field,
    /// `nbf`.
    pub nbf: Field,
    /// `external_id`: a string, or an integer read as its decimal text.
    pub external_id: Field,
    /// `sub`.
    pub sub: Field,
    /// `email`.
    pub email: Field,
    /// `email_verified`.
    pub email_verified: Field,
    /// `name`.
    pub name: Field,
    /// `scope`.
    pub scope: Field,
}

impl Claims {
    /// The claims whose own members `member(key)` gives.
    pub fn read(member: impl Fn(&str) -> Field) -> Claims {
        Claims {
            exp: member("exp"),
            iat: member("iat"),
            nbf: member("nbf"),
            external_id: member("external_id"),
            sub: member("sub"),
            email: member("email"),
            email_verified: member("email_verified"),
            name: member("name"),
            scope: member("scope"),
        }
    }
}

/// A JWT as the shell received it: its text and, when its first two parts are base64url JSON
/// objects, what they hold. `P` is the payload as the shell keeps it for the page (the parsed
/// object itself, in the browser); the core only carries it.
#[derive(Clone, Debug, PartialEq)]
pub struct Jwt<P> {
    /// The text as received.
    pub text: String,
    /// `None`: not three base64url parts, or a header or payload that is not a JSON object.
    pub decoded: Option<Decoded<P>>,
}

/// The readable parts of a JWT.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded<P> {
    /// The header.
    pub header: Header,
    /// The payload's checked claims.
    pub claims: Claims,
    /// The payload as the page will see it (`user.claims`).
    pub payload: P,
    /// Whether the third part (the signature) is not empty.
    pub signed: bool,
}
