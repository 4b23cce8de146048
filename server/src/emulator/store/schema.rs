//! The tables, created on start when missing. The constraints are the directory's invariants,
//! enforced by SQLite whatever the code above does.

use rusqlite::Connection;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS signing_keys (
    kid        TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A user record: authenticated when it has an external_id; an unauthenticated visitor's record
-- is named by the SDK's anonymousId until a login merges it away or makes it authenticated.
CREATE TABLE IF NOT EXISTS users (
    id           TEXT PRIMARY KEY,
    external_id  TEXT UNIQUE,
    anonymous_id TEXT UNIQUE,
    name         TEXT,
    created_ms   INTEGER NOT NULL,
    CHECK (external_id IS NULL OR anonymous_id IS NULL)
);

CREATE TABLE IF NOT EXISTS email_identities (
    user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    address  TEXT NOT NULL,
    verified INTEGER NOT NULL CHECK (verified IN (0, 1)),
    PRIMARY KEY (user_id, address)
);
-- An address is a verified identity of one record at most.
CREATE UNIQUE INDEX IF NOT EXISTS one_verified_holder
    ON email_identities(address) WHERE verified = 1;
CREATE INDEX IF NOT EXISTS identities_by_address ON email_identities(address);

CREATE TABLE IF NOT EXISTS messages (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text          TEXT NOT NULL,
    authenticated INTEGER NOT NULL CHECK (authenticated IN (0, 1)),
    at_ms         INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_user ON messages(user_id);
";

pub fn create(connection: &Connection) -> rusqlite::Result<()> {
    connection.execute_batch(SCHEMA)
}
