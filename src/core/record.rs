//! The one record the SDK keeps in storage: what it writes, and reading it back without
//! trusting it.

use crate::core::claims::{Field, Jwt};
use crate::core::id::is_anonymous_id;
use crate::core::io::Source;
use serde::Serialize;

/// The storage key (in `sessionStorage` or `localStorage`).
pub const STORAGE_KEY: &str = "messenger-auth";

/// Bumped when the shape changes: a record of another version is ignored.
const VERSION: u32 = 1;

/// What survives a reload, as written: `{"v":1,"anonymous_id":...,"jwt"?:...,"source"?:...}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The shape's version.
    v: u32,
    /// The visitor's anonymous id.
    pub anonymous_id: String,
    /// The token, when there is one that may be written (see `Session`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwt: Option<String>,
    /// Where that token came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

impl Record {
    /// The record of this anonymous id and, if any, this token.
    pub fn new(anonymous_id: String, token: Option<(String, Source)>) -> Record {
        let (jwt, source) = token.unzip();
        Record {
            v: VERSION,
            anonymous_id,
            jwt,
            source,
        }
    }
}

/// A record as the shell read it back from storage: the own members of the parsed object, the
/// token already decoded.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredRecord<P> {
    /// `v`.
    pub version: Field,
    /// `anonymous_id`.
    pub anonymous_id: Field,
    /// `jwt`.
    pub jwt: Field<Jwt<P>>,
    /// `source`.
    pub source: Field,
}

/// What a stored record gives back: the visitor's id and, maybe, a token to check again.
#[derive(Clone, Debug, PartialEq)]
pub struct Restored<P> {
    /// The visitor's anonymous id.
    pub anonymous_id: String,
    /// The token, unchecked: the session checks it before any use.
    pub jwt: Option<Jwt<P>>,
    /// Where it came from.
    pub source: Option<Source>,
}

impl<P> StoredRecord<P> {
    /// The record whose own members `member(key)` gives, its token decoded by `jwt`.
    pub fn read(member: impl Fn(&str) -> Field, jwt: impl FnOnce(String) -> Jwt<P>) -> Self {
        StoredRecord {
            version: member("v"),
            anonymous_id: member("anonymous_id"),
            jwt: member("jwt").map(jwt),
            source: member("source"),
        }
    }

    /// What the record holds, or `None` when it is of another version or tampered beyond use.
    pub fn restore(self) -> Option<Restored<P>> {
        if self.version != Field::Number(VERSION.into()) {
            return None;
        }
        let anonymous_id = match self.anonymous_id {
            Field::String(id) if is_anonymous_id(&id) => id,
            _ => return None,
        };
        let source = match self.source {
            Field::Absent | Field::Null => None,
            Field::String(name) => Some(Source::from_name(&name)?),
            _ => return None,
        };
        let jwt = match self.jwt {
            Field::Absent | Field::Null => None,
            Field::String(jwt) => Some(jwt),
            _ => return None, // of the wrong type: tampered
        };
        Some(Restored {
            anonymous_id,
            jwt,
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    fn stored(version: Field, id: &str, jwt: Field<Jwt<()>>, source: Field) -> StoredRecord<()> {
        StoredRecord {
            version,
            anonymous_id: Field::String(id.into()),
            jwt,
            source,
        }
    }

    fn jwt(text: &str) -> Jwt<()> {
        Jwt {
            text: text.into(),
            decoded: None,
        }
    }

    #[test]
    fn sound_records_restore() {
        let one = Field::Number(1.0);
        let record = stored(
            one.clone(),
            ID,
            Field::String(jwt("a.b.c")),
            Field::String("endpoint".into()),
        );
        assert_eq!(
            record.restore(),
            Some(Restored {
                anonymous_id: ID.into(),
                jwt: Some(jwt("a.b.c")),
                source: Some(Source::Endpoint)
            })
        );
        let bare = stored(one, ID, Field::Absent, Field::Null)
            .restore()
            .expect("sound");
        assert_eq!((bare.jwt, bare.source), (None, None));
    }

    #[test]
    fn tampered_records_are_ignored() {
        let one = || Field::Number(1.0);
        for record in [
            stored(Field::Number(2.0), ID, Field::Absent, Field::Absent),
            stored(Field::String("1".into()), ID, Field::Absent, Field::Absent),
            stored(Field::Absent, ID, Field::Absent, Field::Absent),
            stored(one(), "<img src=x>", Field::Absent, Field::Absent),
            stored(one(), ID, Field::Absent, Field::String("evil".into())),
            stored(one(), ID, Field::Absent, Field::Bool(true)),
            stored(one(), ID, Field::Number(5.0), Field::Absent),
            stored(one(), ID, Field::Other, Field::Absent),
        ] {
            assert_eq!(record.clone().restore(), None, "{record:?}");
        }
    }

    #[test]
    fn written_shape() {
        let record = Record::new(ID.into(), Some(("a.b.c".into(), Source::Callback)));
        assert_eq!(
            (record.v, record.jwt.as_deref(), record.source),
            (1, Some("a.b.c"), Some(Source::Callback))
        );
        assert_eq!(Record::new(ID.into(), None).jwt, None);
    }
}
