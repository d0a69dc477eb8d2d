#pragma once
// Telethon v1 SQLite internals shared by the format and its tests.
#include "format/format.h"
#include "sqlite/sqlpeerengine.h"
#include "sqlite/sqlhelpers.h"

struct sqlite3;

namespace sd {

const FormatDescriptor &telethonDescriptor();
// How the entities table maps to peers (hasDate: the v7 `date` column exists).
SqlPeerView telethonPeerView(bool hasDate = true);
// The peer view for an open file, or nullopt when it has no entities table.
Result<std::optional<SqlPeerView>> telethonPeerViewFor(SqliteDb &db);
Result<Store> readTelethonV1(SqliteDb &db, const ReadOptions &options);
// The audit's direct read (docs/formats.md 1.1-1.4) on an open read-only sqlite3 connection whose
// schema the caller has already read: the same Store readTelethonV1 returns with loadPeers and
// loadConversations off (peer counts only), except the sent_files upload cache, which the audit does
// not use. It covers the ordinary file only: every value of the type Telethon writes (INTEGER, TEXT,
// BLOB or NULL), a known version, the usual columns. Anything else, and any SQLite error, returns
// nullopt, and the caller reads the file with the full reader, which reports it exactly as before.
std::optional<Store> readTelethonV1ForAudit(sqlite3 *db, const QMap<QString, QStringList> &schema);
Status writeTelethonV1(const Session &session, const QString &path, const WriteOptions &options);

} // namespace sd
