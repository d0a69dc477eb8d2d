#include "vaultschema.h"

namespace sd::vaultschema {

QStringList stepStatements(int from)
{
    switch (from) {
    case 0:
        // Version 1: accounts, their DC entries (auth_key_id only, never the key), peers, update state.
        return {
            QStringLiteral("CREATE TABLE schema_version (version INTEGER NOT NULL)"),
            QStringLiteral("INSERT INTO schema_version (version) VALUES (0)"),
            QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE accounts ("
                           " id TEXT PRIMARY KEY,"
                           " label TEXT NOT NULL DEFAULT '',"
                           " format TEXT NOT NULL,"
                           " format_version INTEGER,"
                           " dc_id INTEGER NOT NULL DEFAULT 0,"
                           " test_mode INTEGER,"
                           " user_id INTEGER,"
                           " is_bot INTEGER,"
                           " api_id INTEGER,"
                           " first_name TEXT, last_name TEXT, username TEXT, phone TEXT,"
                           " takeout_id INTEGER, media_dc_id INTEGER,"
                           " auth_key_id TEXT NOT NULL DEFAULT '',"
                           " imported_at INTEGER NOT NULL)"),
            QStringLiteral("CREATE TABLE dcs ("
                           " account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
                           " idx INTEGER NOT NULL,"
                           " dc_id INTEGER NOT NULL,"
                           " address TEXT, port INTEGER,"
                           " ipv6 INTEGER NOT NULL DEFAULT 0, media_only INTEGER NOT NULL DEFAULT 0,"
                           " test_mode INTEGER, salt INTEGER,"
                           " is_temp INTEGER NOT NULL DEFAULT 0, expires_at INTEGER,"
                           " auth_key_id TEXT NOT NULL DEFAULT '',"
                           " key_size INTEGER NOT NULL DEFAULT 0,"
                           " PRIMARY KEY (account_id, idx))"),
            QStringLiteral("CREATE TABLE update_state ("
                           " account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,"
                           " pts INTEGER, qts INTEGER, date INTEGER, seq INTEGER)"),
            QStringLiteral("CREATE TABLE peers ("
                           " account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
                           " id INTEGER NOT NULL, type TEXT NOT NULL, access_hash INTEGER,"
                           " usernames TEXT, phone TEXT, name TEXT, is_min INTEGER NOT NULL DEFAULT 0,"
                           " updated INTEGER, raw BLOB, raw_format TEXT, extra BLOB)"),
            QStringLiteral("CREATE INDEX peers_account ON peers (account_id)"),
        };
    case 1:
        // Version 2: conversations, per-channel pts, the source variant and origin, a key index
        // for duplicate detection.
        return {
            QStringLiteral("ALTER TABLE accounts ADD COLUMN variant TEXT"),
            QStringLiteral("ALTER TABLE accounts ADD COLUMN source TEXT"),
            QStringLiteral("CREATE TABLE channel_pts ("
                           " account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
                           " channel_id INTEGER NOT NULL, pts INTEGER NOT NULL,"
                           " PRIMARY KEY (account_id, channel_id))"),
            QStringLiteral("CREATE TABLE conversations ("
                           " account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
                           " chat_id INTEGER NOT NULL, user_id INTEGER NOT NULL,"
                           " name TEXT, step TEXT, data BLOB, created INTEGER, updated INTEGER, extra BLOB)"),
            QStringLiteral("CREATE INDEX conversations_account ON conversations (account_id)"),
            QStringLiteral("CREATE INDEX dcs_auth_key_id ON dcs (auth_key_id)"),
        };
    case 2:
        // Version 3: keychain entries that are being written (an import) or deleted (a removal),
        // recorded before the keychain is touched, so that a crash in between leaves no orphan.
        return {
            QStringLiteral("CREATE TABLE pending_secrets ("
                           " key TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('import', 'remove')),"
                           " since INTEGER NOT NULL)"),
        };
    default:
        return {};
    }
}

Result<int> version(SqliteDb &db)
{
    auto tables = db.tables();
    if (!tables)
        return tables.error();
    if (tables->isEmpty())
        return 0;
    if (!tables->contains(QStringLiteral("schema_version")) || !tables->contains(QStringLiteral("accounts")))
        return Error::badInput(QStringLiteral("this SQLite file is not a SessionDesk vault"));
    auto q = db.exec(QStringLiteral("SELECT max(version) FROM schema_version"));
    if (!q)
        return q.error();
    if (!q->next())
        return Error::badInput(QStringLiteral("the vault's schema_version table is empty"));
    const auto v = sqlInt(q->value(0));
    if (!v || *v < 0)
        return Error::badInput(QStringLiteral("the vault's schema_version is unreadable"));
    return static_cast<int>(*v);
}

Status migrate(SqliteDb &db)
{
    auto v = version(db);
    if (!v)
        return v.error();
    if (*v > kCurrentVersion)
        return Error::badInput(QStringLiteral("the vault has schema version %1, newer than this SessionDesk "
                                              "understands (%2); use a newer SessionDesk")
                                   .arg(*v)
                                   .arg(kCurrentVersion));
    if (*v == kCurrentVersion)
        return {};
    auto began = db.exec(QStringLiteral("BEGIN IMMEDIATE"));
    if (!began)
        return began.error();
    // Re-read inside the write lock: another process may have migrated meanwhile.
    auto again = version(db);
    if (!again) {
        db.rollback();
        return again.error();
    }
    for (int from = *again; from < kCurrentVersion; ++from) {
        auto st = db.execAll(stepStatements(from));
        if (st) {
            auto rec = db.exec(QStringLiteral("UPDATE schema_version SET version = ?"), {from + 1});
            if (!rec)
                st = rec.error();
        }
        if (!st) {
            db.rollback();
            return Error::badInput(QStringLiteral("migrating the vault from schema %1 to %2 failed: %3")
                                       .arg(from)
                                       .arg(from + 1)
                                       .arg(st.error().message));
        }
    }
    auto done = db.exec(QStringLiteral("COMMIT"));
    if (!done) {
        db.rollback();
        return done.error();
    }
    return {};
}

} // namespace sd::vaultschema
