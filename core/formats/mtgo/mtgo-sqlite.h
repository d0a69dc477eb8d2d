#pragma once
// mtgo-labs/storage SQLite (docs/formats.md 7): the schema its runtime initSchema() creates.
#include "format/format.h"
#include "sqlite/sqlitedb.h"
#include "sqlite/sqlpeerengine.h"

namespace sd::mtgo {

inline constexpr const char *kFormatId = "mtgo-sqlite";

const FormatDescriptor &descriptor();
// The peer view of mtgo's peers table (SQLite files; PostgreSQL stores pass their dialect).
SqlPeerView peerView(const SqlDialect &dialect = SqlDialect::sqlite());
// Splits mtgo's free-form usernames text (JSON array, or comma/space separated).
QStringList splitUsernames(const QString &text);
Result<Store> readSqlite(SqliteDb &db, const ReadOptions &options);
Status writeSqlite(const Session &session, const QString &path, const WriteOptions &options);

} // namespace sd::mtgo
