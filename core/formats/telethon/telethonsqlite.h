#pragma once
// Telethon v1 SQLite internals shared by the format and its tests.
#include "format/format.h"
#include "sqlite/sqlpeerengine.h"
#include "sqlite/sqlhelpers.h"

namespace sd {

const FormatDescriptor &telethonDescriptor();
// How the entities table maps to peers (hasDate: the v7 `date` column exists).
SqlPeerView telethonPeerView(bool hasDate = true);
// The peer view for an open file, or nullopt when it has no entities table.
Result<std::optional<SqlPeerView>> telethonPeerViewFor(SqliteDb &db);
Result<Store> readTelethonV1(SqliteDb &db, const ReadOptions &options);
Status writeTelethonV1(const Session &session, const QString &path, const WriteOptions &options);

} // namespace sd
