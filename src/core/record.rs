//! The one record the SDK keeps in storage, and reading it back without trusting it.

use crate::core::id::is_anonymous_id;
use crate::core::json::{push_string, read_object, Number, ReadJson, Value};
use crate::core::session::Source;
use crate::core::text::push_u64;
use alloc::string::String;

/// The storage key (in `sessionStorage` or `localStorage`).
pub const STORAGE_KEY: &str = "messenger-auth";

/// Bumped when the shape changes: a record of another version is ignored.
const VERSION: u64 = 1;

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

impl Record {
    /// The text written to storage.
    pub fn encode(&self) -> String {
        let mut out = String::from("{\"v\":");
        push_u64(&mut out, VERSION);
        out.push_str(",\"anonymous_id\":");
        push_string(&mut out, &self.anonymous_id);
        if let Some(jwt) = &self.jwt {
            out.push_str(",\"jwt\":");
            push_string(&mut out, jwt);
        }
        if let Some(source) = self.source {
            out.push_str(",\"source\":");
            push_string(&mut out, source.as_str());
        }
        out.push('}');
        out
    }

    /// The record in `text` (read by `read`), or `None` when it is unreadable, of another
    /// version or tampered beyond use. The token in it is checked again by the session before
    /// any use.
    pub fn decode(text: &str, read: ReadJson) -> Option<Record> {
        let object = read_object(read, text.as_bytes())?;
        // A pattern, not `==` on a `Value`: deriving equality for any JSON costs 350 bytes of wasm.
        if !matches!(
            object.get("v"),
            Some(Value::Number(Number::Unsigned(VERSION)))
        ) {
            return None;
        }
        let field = |key| match object.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(Value::String(s)) => Some(Some(s.clone())),
            Some(_) => None, // of the wrong type: tampered
        };
        let anonymous_id = field("anonymous_id")?.filter(|id| is_anonymous_id(id))?;
        let source = match field("source")?.as_deref() {
            None => None,
            Some("callback") => Some(Source::Callback),
            Some("endpoint") => Some(Source::Endpoint),
            Some(_) => return None,
        };
        Some(Record {
            anonymous_id,
            jwt: field("jwt")?,
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::parse_utf8 as parse;

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    #[test]
    fn round_trip() {
        let record = Record {
            anonymous_id: ID.into(),
            jwt: Some("a.b.c".into()),
            source: Some(Source::Endpoint),
        };
        assert_eq!(Record::decode(&record.encode(), parse), Some(record));
        let bare = Record {
            anonymous_id: ID.into(),
            jwt: None,
            source: None,
        };
        assert_eq!(Record::decode(&bare.encode(), parse), Some(bare));
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
            assert_eq!(Record::decode(text, parse), None, "{text}");
        }
    }
}
