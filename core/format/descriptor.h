#pragma once
// What a format is, in one place owned by the format itself (docs/formats.md describes each one):
// its identity, what it carries, the name its library gives the file, and, for SQL stores, how
// its peer cache maps to SQL. Prune, dedupe, audit's schema check, the peer browser and the
// readers all take the facts from here; no other module keeps a table keyed by format id.
#include "domain/session.h"

#include <QFlags>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace sd {

enum class SourceKind { String, File, Directory };

enum class Capability : quint32 {
    DcId = 1u << 0,
    Address = 1u << 1,
    TestFlag = 1u << 2,
    AuthKey = 1u << 3,
    MultiDc = 1u << 4,          // keys for other DCs
    UserId = 1u << 5,
    IsBot = 1u << 6,
    ApiId = 1u << 7,
    UpdateState = 1u << 8,
    Peers = 1u << 9,
    Conversations = 1u << 10,
    MultiAccount = 1u << 11,
    MediaDc = 1u << 12,
    ApiHash = 1u << 13,
    ChannelPts = 1u << 14,      // per-channel pts inside update state
    PeerTimestamps = 1u << 15,
    Phones = 1u << 16,
};
Q_DECLARE_FLAGS(Capabilities, Capability)
Q_DECLARE_OPERATORS_FOR_FLAGS(Capabilities)

// Stable names used in `formats --json` ("carries").
QStringList capabilityNames(Capabilities caps);

// A table that hangs off the peer table: rows whose peer is gone are deleted after a prune.
struct SqlDependentRows {
    QString table;
    QString requiredColumn;     // the statement runs only when the table has this column
    QString sql;                // e.g. "DELETE FROM message_refs WHERE peer_id NOT IN (SELECT id FROM peers)"
};

enum class UsernameStore { None, Column, JsonArray };

// A side table of further usernames, several rows per peer (Kurigram's usernames(id, username)).
// Used only when the file's table has both columns.
struct SqlUsernameTable {
    QString table;
    QString peerColumn;
    QString usernameColumn;
};

// How an SQL store keeps its peer cache. Every expression is evaluated on one row of `table`
// (unqualified column names) and is standard SQL unless said otherwise.
struct SqlPeerMapping {
    QString table;                 // "entities", "peers"
    QString idColumn = QStringLiteral("id");   // the stored key (a marked id or a bare id)
    bool markedIds = false;        // idColumn holds marked ids (docs/formats.md 0.2): kinds are id ranges
    QString markedIdExpr;          // the marked id of a row
    QString kindExpr;              // 0 = user, 1 = chat, 2 = channel: the ONE definition of a row's kind
    QString timestampColumn;       // empty: the store keeps no peer timestamps
    QString timestampExpr;         // unix seconds, NULL when unknown (unit conversion included)
    bool timestampsFilled = true;  // false: the column exists but the library never fills it (mtgo)
    QString phoneColumn;           // empty: no phones
    QString phoneEmpty = QStringLiteral("NULL"); // what a cleared phone is
    QString hashColumn;            // the access hash column
    QString hashMissing;           // condition: no usable access hash
    UsernameStore usernames = UsernameStore::None;
    QString usernameColumn;
    std::optional<SqlUsernameTable> usernameTable;
    QString selfRow;               // rows that are not peers (Telethon's id = 0 self row); empty = none
    QString unjudgedRows;          // rows dedupe never judges (mtcute min peers); empty = none
    std::vector<SqlDependentRows> dependents;
    // Columns older layouts lack, and the value that stands in for them (ferogram's is_chat: "0").
    QList<QPair<QString, QString>> columnDefaults;

    // A table keyed by marked ids (Telethon, the Pyrogram family, mtcute): kinds are id ranges.
    static SqlPeerMapping markedIdTable(const QString &table);

    // This mapping for a table with these columns: a missing defaulted column is replaced by its
    // stand-in in every expression.
    SqlPeerMapping forColumns(const QStringList &columns) const;
    // Rows that are peers: NOT selfRow (or "1 = 1").
    QString peerRows() const;
    // The rows of one kind: an id range for marked ids (index friendly), else the kind expression.
    QString kindCondition(PeerKind kind) const;
};

// One table of a known schema version: its columns, or "*" for any (legacy tables).
struct KnownTable {
    QString table;
    QString columns;               // space separated
};

struct FormatDescriptor {
    QString id;
    QString displayName;
    SourceKind sourceKind = SourceKind::File;
    Capabilities capabilities;
    // Variants written with other capabilities than the default one: ferogram's native string is
    // the whole binary file (docs/formats.md 8.2), its compact strings one key. A conversion keeps
    // what the variant it writes can hold.
    QHash<QString, Capabilities> variantCapabilities;
    // The name the library gives its file, as a pattern: {base} is the caller's stem, {uid} the
    // account's user id. A trailing '/' marks a folder. fileNameNoUser is used when {uid} is
    // unknown. One place for the CLI batch convert, `convert` defaults and the export dialog.
    QString fileName;
    QString fileNameNoUser;
    QList<PeerKind> peerKinds = {PeerKind::User, PeerKind::Chat, PeerKind::Channel}; // what the cache can hold
    std::optional<SqlPeerMapping> sqlPeers;  // SQL stores: pruned and deduplicated in SQL
    bool pruneInMemory = false;    // other stores with a peer cache: read, prune, write back
    bool pruneByFormat = false;    // the format prunes itself (server stores: in one transaction on the server)
    bool namedSessions = false;    // several sessions keyed by name (ReadOptions::session, `--session NAME`)
    bool writable = true;          // false: read only by convert (a bundle is written by `bundle create`)
    bool takesPasscode = false;    // reading/writing uses the passcode options (tdata, gogram's file key)
    std::vector<KnownTable> knownSchema;     // SQL stores: every table/column a known version has

    bool canPrune() const { return sqlPeers.has_value() || pruneInMemory || pruneByFormat; }
    bool holdsPeerKind(PeerKind kind, const QString &variant = {}) const
    {
        return capabilitiesFor(variant).testFlag(Capability::Peers) && peerKinds.contains(kind);
    }
    Capabilities capabilitiesFor(const QString &variant) const { return variantCapabilities.value(variant, capabilities); }
    // The usual file (or folder, ending in '/') name for base and the account's user id.
    QString usualFileName(const QString &base, std::optional<qint64> userId = std::nullopt) const;
};

// Shared SQL fragments for stores keyed by marked ids (docs/formats.md 0.2).
QString markedKindExpr(const QString &idExpr = QStringLiteral("id"));
// The bare id of a marked id expression.
QString bareFromMarkedExpr(const QString &idExpr = QStringLiteral("id"));
// The marked id of a bare id and a kind expression (0/1/2).
QString markedFromBareExpr(const QString &bareExpr, const QString &kindExpr);

} // namespace sd
