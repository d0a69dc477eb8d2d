-- mtgo-labs/storage postgres adapter, newer layout (docs/formats.md 7.2): the SQLite runtime tables with
-- BYTEA/BIGINT types, plus session_id and the update tables.
CREATE TABLE sessions (
    session_id     TEXT DEFAULT '',
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
CREATE TABLE conversations (
    chat_id    BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    name       TEXT   NOT NULL,
    step       INTEGER DEFAULT 0,
    data       BYTEA,
    created_at BIGINT DEFAULT 0,
    updated_at BIGINT DEFAULT 0,
    PRIMARY KEY (chat_id, user_id)
);
CREATE TABLE update_state (
    session_id TEXT PRIMARY KEY,
    pts INTEGER NOT NULL DEFAULT 0,
    qts INTEGER NOT NULL DEFAULT 0,
    date INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE channel_update_state (
    session_id TEXT NOT NULL,
    channel_id BIGINT NOT NULL,
    pts INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, channel_id)
);
