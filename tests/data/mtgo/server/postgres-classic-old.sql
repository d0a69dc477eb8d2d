-- mtgo-labs/storage postgres adapter, older layout (docs/formats.md 7.2): no session_id, no update tables.
CREATE TABLE sessions (
    dc_id          INTEGER PRIMARY KEY,
    api_id         INTEGER DEFAULT 0,
    api_hash       TEXT DEFAULT '',
    test_mode      INTEGER DEFAULT 0,
    auth_key       BYTEA,
    state          BYTEA,
    user_id        BIGINT DEFAULT 0,
    is_bot         INTEGER DEFAULT 0,
    first_name     TEXT DEFAULT '',
    last_name      TEXT DEFAULT '',
    username       TEXT DEFAULT '',
    date           INTEGER DEFAULT 0,
    server_address TEXT DEFAULT '',
    port           INTEGER DEFAULT 0
);
CREATE TABLE peers (
    id           BIGINT PRIMARY KEY,
    type         INTEGER NOT NULL,
    access_hash  BIGINT DEFAULT 0,
    username     TEXT DEFAULT '',
    usernames    TEXT DEFAULT '',
    first_name   TEXT DEFAULT '',
    last_name    TEXT DEFAULT '',
    phone_number TEXT DEFAULT '',
    is_bot       INTEGER DEFAULT 0,
    photo_id     BIGINT DEFAULT 0,
    language     TEXT DEFAULT '',
    last_updated BIGINT DEFAULT 0
);
CREATE INDEX idx_peers_username ON peers(username);
CREATE INDEX idx_peers_phone ON peers(phone_number);
