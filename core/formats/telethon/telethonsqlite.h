#pragma once
// Telethon v1 SQLite internals shared by the format and its tests.
#include "format/format.h"
#include "formats/sqlcommon/sqlcommon.h"

namespace sd {

// How the entities table maps to peers (hasDate: the v7 `date` column exists).
sqlc::PeerSql telethonPeerSql(bool hasDate = true);
// The peer SQL for an open file, or nullopt when it has no entities table.
Result<std::optional<sqlc::PeerSql>> telethonPeerSqlFor(SqliteDb &db);
Result<Store> readTelethonV1(SqliteDb &db, const ReadOptions &options);
Status writeTelethonV1(const Session &session, const QString &path, const WriteOptions &options);

} // namespace sd
