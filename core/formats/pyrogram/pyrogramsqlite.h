#pragma once
// Pyrogram-family SQLite internals (docs/formats.md 2.1-2.4): upstream Pyrogram (v2/v3), Kurigram (v4-v7)
// and Pyrofork (v4). Shared by the reader (pyrogram-sqlite.cpp) and the writer
// (pyrogram-sqlite-write.cpp).
#include "format/format.h"
#include "sqlite/sqlhelpers.h"
#include "sqlite/sqlpeerengine.h"

namespace sd::pyro {

enum class UsernamesLayout { None, Kurigram, Pyrofork };

struct Layout {
    QString variant;                 // "pyrogram" | "kurigram" | "pyrofork"
    int version = 0;
    bool peersUsername = false;      // peers.username exists
    UsernamesLayout usernames = UsernamesLayout::None;
    bool updateState = false;
    bool apiId = false;
    bool serverAddress = false;      // sessions.server_address/port (Kurigram v7)
};

// Tells the variant apart from the schema and version.number (docs/formats.md 2.4 "Conflict").
Layout layoutFor(const sqlc::Schema &schema, int version);
const FormatDescriptor &descriptor();
SqlPeerView peerView(const Layout &layout);

// Pyrogram's peers.type text <-> domain type. Unusual Kurigram types are kept in Peer::extra.
inline const QString kTypeExtra = QStringLiteral("pyrogram.type");
inline const QString kDateExtra = QStringLiteral("pyrogram.date");
PeerType typeFromText(const QString &text, PeerKind kindById, QString *unusual);
QString typeText(const Peer &peer, const QString &variant);

Status writeStore(const Session &session, const QString &path, const WriteOptions &options);

} // namespace sd::pyro
