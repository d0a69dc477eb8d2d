#pragma once
// mtgo-labs/storage SQLite (formats.md 7): the schema its runtime initSchema() creates.
#include "formats/mtcute/sqlpeertable.h"

namespace sd::mtgo {

inline constexpr const char *kFormatId = "mtgo-sqlite";

SqlPeerSchema peerSchema();
// Splits mtgo's free-form usernames text (JSON array, or comma/space separated).
QStringList splitUsernames(const QString &text);
Result<Store> readSqlite(const QString &path, const ReadOptions &options);
Status writeSqlite(const Store &store, const QString &path, const WriteOptions &options);

} // namespace sd::mtgo
