//! The one record the SDK keeps in storage, and reading it back without trusting it.

use crate::core::id::is_anonymous_id;
use crate::core::session::Source;
use miniserde::{Deserialize, Serialize};

/// The storage key (in `sessionStorage` or `localStorage`).
pub const STORAGE_KEY: &str = "messenger-auth";

/// Bumped when the shape changes: a record of another version is ignored.
const VERSION: u32 = 1;

/// What survives a reload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The visitor's anonymous id.
    pub anonymous_id: String,
    /// The token, when there is one that may be written (see `Session`).
    pub jwt: Option<String>,
    /// Where that token came from.
    pub source: Option<Source>,
}

#[derive(Serialize, Deserialize)]
struct Wire {
    v: u32,
    anonymous_id: String,
    jwt: Option<String>,
    source: Option<String>,
}

impl Record {
    /// The text written to storage.
    pub fn encode(&self) -> String {
        miniserde::json::to_string(&Wire {
            v: VERSION,
            anonymous_id: self.anonymous_id.clone(),
            jwt: self.jwt.clone(),
            source: self.source.map(|s| s.as_str().into()),
        })
    }

    /// The record in `text`, or `None` when it is unreadable, of another version or tampered
    /// beyond use. The token in it is checked again by the session before any use.
    pub fn decode(text: &str) -> Option<Record> {
        let wire: Wire = miniserde::json::from_str(text).ok()?;
        if wire.v != VERSION || !is_anonymous_id(&wire.anonymous_id) {
            return None;
        }
        let source = match wire.source.as_deref() {
            None => None,
            Some("callback") => Some(Source::Callback),
            Some("endpoint") => Some(Source::Endpoint),
            Some(_) => return None,
        };
        Some(Record {
            anonymous_id: wire.anonymous_id,
            jwt: wire.jwt,
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    #[test]
    fn round_trip() {
        let record = Record {
            anonymous_id: ID.into(),
            jwt: Some("a.b.c".into()),
            source: Some(Source::Endpoint),
        };
        assert_eq!(Record::decode(&record.encode()), Some(record));
        let bare = Record {
            anonymous_id: ID.into(),
            jwt: None,
            source: None,
        };
        assert_eq!(Record::decode(&bare.encode()), Some(bare));
    }

    #[test]
    fn tampered_is_ignored() {
        for text in [
            "",
            "null",
            "{",
            "[]",
            r#"{"v":2,"anonymous_id":"0f8fad5b-d9cb-469f-a165-70867728950e"}"#,
            r#"{"v":1,"anonymous_id":"<img src=x>"}"#,
            r#"{"v":1,"anonymous_id":"0f8fad5b-d9cb-469f-a165-70867728950e","source":"evil"}"#,
            r#"{"v":1,"anonymous_id":"0f8fad5b-d9cb-469f-a165-70867728950e","jwt":5}"#,
        ] {
            assert_eq!(Record::decode(text), None, "{text}");
        }
    }
}
