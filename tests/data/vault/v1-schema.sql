-- The SessionDesk vault schema version 1, frozen as it was released (used by tst_vaultmigration to
-- build an old vault, and by make-v1.py to make v1.sqlite). Do not edit: add a new version instead.
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (1);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE accounts ( id TEXT PRIMARY KEY, label TEXT NOT NULL DEFAULT '', format TEXT NOT NULL, format_version INTEGER, dc_id INTEGER NOT NULL DEFAULT 0, test_mode INTEGER, user_id INTEGER, is_bot INTEGER, api_id INTEGER, first_name TEXT, last_name TEXT, username TEXT, phone TEXT, takeout_id INTEGER, media_dc_id INTEGER, auth_key_id TEXT NOT NULL DEFAULT '', imported_at INTEGER NOT NULL);
CREATE TABLE dcs ( account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, idx INTEGER NOT NULL, dc_id INTEGER NOT NULL, address TEXT, port INTEGER, ipv6 INTEGER NOT NULL DEFAULT 0, media_only INTEGER NOT NULL DEFAULT 0, test_mode INTEGER, salt INTEGER, is_temp INTEGER NOT NULL DEFAULT 0, expires_at INTEGER, auth_key_id TEXT NOT NULL DEFAULT '', key_size INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (account_id, idx));
CREATE TABLE update_state ( account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE, pts INTEGER, qts INTEGER, date INTEGER, seq INTEGER);
CREATE TABLE peers ( account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, id INTEGER NOT NULL, type TEXT NOT NULL, access_hash INTEGER, usernames TEXT, phone TEXT, name TEXT, is_min INTEGER NOT NULL DEFAULT 0, updated INTEGER, raw BLOB, raw_format TEXT, extra BLOB);
CREATE INDEX peers_account ON peers (account_id);
