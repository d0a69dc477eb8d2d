#pragma once
// ferogram SqliteBackend / LibSqlBackend (docs/formats.md 8.4).
#include "format/format.h"
#include "sqlite/sqlitedb.h"
#include "sqlite/sqlpeerengine.h"

namespace sd::ferogram_sqlite {

inline constexpr const char *kFormatId = "ferogram-sqlite";

struct PeerColumns {
    bool isChat = true;
    bool channelKind = true;
    bool isCommunity = true;
};
const FormatDescriptor &descriptor();
SqlPeerView peerView(const PeerColumns &cols);
Result<Store> readSqlite(SqliteDb &db, const ReadOptions &options);
Status writeSqlite(const Session &session, const QString &path, const WriteOptions &options);

} // namespace sd::ferogram_sqlite
