#pragma once
// mtcute SQLite storage (docs/formats.md 4.1/4.2): reader, writer and the SQL peer schema.
#include "format/format.h"
#include "sqlite/sqlpeerengine.h"
#include "sqlite/sqlitedb.h"

namespace sd::mtcute {

inline constexpr const char *kFormatId = "mtcute-sqlite";
// Session::extra keys that keep mtcute-only data for a lossless mtcute -> mtcute round trip.
inline constexpr const char *kExtraKv = "mtcute_kv";              // other key_value rows: key -> base64
inline constexpr const char *kExtraMessageRefs = "mtcute_message_refs"; // [[peer_id, chat_id, msg_id]...]
inline constexpr const char *kExtraPremium = "mtcute_premium";
inline constexpr const char *kExtraUsernames = "mtcute_usernames";

const FormatDescriptor &descriptor();
// hasNameFunction: the connection has sd_mtcute_name() (name search and sort in SQL).
SqlPeerView peerView(bool hasIsMin, bool hasNameFunction);
Result<Store> readSqlite(SqliteDb &db, const ReadOptions &options);
Status writeSqlite(const Session &session, const QString &path, const WriteOptions &options);

} // namespace sd::mtcute
