#pragma once
// ferogram SqliteBackend / LibSqlBackend (formats.md 8.4).
#include "formats/mtcute/sqlpeertable.h"

namespace sd::ferogram_sqlite {

inline constexpr const char *kFormatId = "ferogram-sqlite";

struct PeerColumns {
    bool isChat = true;
    bool channelKind = true;
    bool isCommunity = true;
};
SqlPeerSchema peerSchema(const PeerColumns &cols);
// "ip:port" / "[ipv6]:port" <-> address + port.
bool splitAddr(const QString &addr, QString *host, int *port);
QString joinAddr(const QString &host, int port);
Result<Store> readSqlite(const QString &path, const ReadOptions &options);
Status writeSqlite(const Store &store, const QString &path, const WriteOptions &options);

} // namespace sd::ferogram_sqlite
