-- mtgo-labs/storage GORM adapter on PostgreSQL (docs/formats.md 7.2): what GORM's AutoMigrate creates for
-- SessionRecord, PeerRecord, ConversationRecord, UpdateStateRecord, ChannelUpdateStateRecord,
-- UpdateDedupRecord and DurableUpdateRecord (size:255 strings = varchar(255), int/int64 = bigint,
-- int32 = integer, bool = boolean, []byte = bytea).
CREATE TABLE mtgo_sessions (
    session_id varchar(255), dc bigint, api_id integer, api_hash text, test_mode boolean, auth_key bytea, state bytea,
    user_id bigint, is_bot boolean, first_name text, last_name text, username text, date bigint, addr text, port bigint,
    PRIMARY KEY (session_id)
);
CREATE TABLE mtgo_peers (
    session_id varchar(255), id bigint, type bigint, access_hash bigint, username text, usernames text, first_name text,
    last_name text, phone_number text, is_bot boolean, photo_id bigint, language text, last_updated bigint,
    PRIMARY KEY (session_id, id)
);
CREATE INDEX idx_mtgo_peers_session_id ON mtgo_peers(session_id);
CREATE INDEX idx_mtgo_peers_username ON mtgo_peers(username);
CREATE TABLE mtgo_conversations (
    session_id varchar(255), chat_id bigint, user_id bigint, name text, step bigint, data bytea, created_at bigint, updated_at bigint,
    PRIMARY KEY (session_id, chat_id, user_id)
);
CREATE TABLE mtgo_update_state (
    session_id varchar(255), pts integer, qts integer, date integer, seq integer, updated_at bigint, PRIMARY KEY (session_id)
);
CREATE TABLE mtgo_channel_update_state (
    session_id varchar(255), channel_id bigint, pts integer, updated_at bigint, PRIMARY KEY (session_id, channel_id)
);
CREATE TABLE mtgo_update_dedup (session_id varchar(255), dedup_key varchar(255), created_at bigint, PRIMARY KEY (session_id, dedup_key));
CREATE TABLE mtgo_durable_updates (
    session_id varchar(255), id varchar(255), payload bytea, attempts bigint, last_error text, created_at bigint, updated_at bigint,
    PRIMARY KEY (session_id, id)
);
