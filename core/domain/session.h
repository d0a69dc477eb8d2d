#pragma once
// The domain model: everything any supported format can carry (docs/formats.md section 11).
// Optional fields are std::optional: a format that does not carry a field leaves it empty and the
// CLI prints null, never a made-up 0.
#include "secretbytes.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariantMap>
#include <optional>
#include <vector>

namespace sd {

// One DC authorization: a permanent (or temporary) auth key for one data centre.
struct DcAuth {
    int dcId = 0;
    QString address;            // IP or host name; empty when the format does not carry it
    int port = 0;               // 0 = not carried
    bool ipv6 = false;
    bool mediaOnly = false;
    std::optional<bool> testMode;
    SecretBytes authKey;        // 256 bytes normally; may be empty (logged out / not created yet)
    std::optional<qint64> salt;
    bool isTemp = false;        // temporary (PFS) key
    std::optional<qint64> expiresAt; // temp keys: unix seconds
    QVariantMap extra;          // format-specific leftovers kept for lossless round trips

    QString authKeyId() const { return sd::authKeyId(authKey); }
};

// Peer kinds. Bot and Supergroup are refinements that some formats carry (Pyrogram's type text,
// ferogram flags); kind() folds them into the three kinds of marked ids.
enum class PeerType { User, Bot, Chat, Channel, Supergroup };
enum class PeerKind { User, Chat, Channel };

PeerKind peerKind(PeerType type);
QString peerKindName(PeerKind kind);       // "user" | "chat" | "channel"
QString peerTypeName(PeerType type);       // "user" | "bot" | "chat" | "channel" | "supergroup"
struct Peer;
// What a person calls the peer: peerTypeName, except that a community (mtcute's `community` /
// `communityForbidden` constructors, ferogram's community flag; docs/formats.md 4.1) is
// "community", although its id and hash are a channel's.
QString peerSubtypeName(const Peer &peer);
std::optional<PeerKind> peerKindFromName(const QString &name);

// Marked (Bot-API style) ids, docs/formats.md 0.2.
constexpr qint64 kZeroChannelId = -1000000000000LL;
qint64 markedId(qint64 bareId, PeerKind kind);
// Splits a marked id; returns nullopt for 0.
std::optional<std::pair<qint64, PeerKind>> unmarkId(qint64 markedId);

struct Peer {
    qint64 id = 0;                     // bare positive id
    PeerType type = PeerType::User;
    std::optional<qint64> accessHash;
    QStringList usernames;             // first = active/main username
    std::optional<QString> phone;
    std::optional<QString> name;       // display name ("First Last" or title)
    bool isMin = false;
    std::optional<qint64> updated;     // unix seconds (formats in ms are converted)
    QByteArray raw;                    // optional format-specific blob (mtcute "complete" TL object)
    QString rawFormat;                 // format id that produced raw (raw is kept only within that format)
    QVariantMap extra;

    PeerKind kind() const { return peerKind(type); }
    qint64 markedId() const { return sd::markedId(id, kind()); }
    std::optional<QString> username() const
    {
        return usernames.isEmpty() ? std::nullopt : std::optional<QString>(usernames.first());
    }
};

struct UpdateState {
    std::optional<qint64> pts;
    std::optional<qint64> qts;
    std::optional<qint64> date;
    std::optional<qint64> seq;
    QMap<qint64, qint64> channelPts;   // bare channel id -> pts
};

// A conversation-state row (mtgo-labs conversations table).
struct Conversation {
    qint64 chatId = 0;
    qint64 userId = 0;
    QString name;
    QString step;
    QByteArray data;
    std::optional<qint64> created;
    std::optional<qint64> updated;
    QVariantMap extra;
};

struct PeerCounts {
    qint64 users = 0;
    qint64 chats = 0;
    qint64 channels = 0;
    // Taken from the server's statistics instead of a count (a PostgreSQL table too big to scan at
    // once, docs/formats.md 7.2); shown as an estimate until the exact counts replace it.
    bool estimated = false;
    qint64 total() const { return users + chats + channels; }
    void add(PeerKind kind, qint64 n = 1);
};

// One logged-in account (one session).
struct Session {
    int dcId = 0;                       // primary DC, 0 = unknown
    std::optional<bool> testMode;
    std::optional<qint64> userId;
    std::optional<bool> isBot;
    std::optional<qint32> apiId;
    std::optional<QString> apiHash;
    std::optional<QString> firstName;
    std::optional<QString> lastName;
    std::optional<QString> username;
    std::optional<QString> phone;
    std::optional<qint64> takeoutId;
    std::optional<int> mediaDcId;

    std::vector<DcAuth> dcs;            // every DC entry (permanent and temp, media)
    std::optional<UpdateState> updateState;
    std::vector<Peer> peers;
    // Set by readers that were asked not to load peers: the counts only.
    std::optional<PeerCounts> peerCountsOnly;
    std::vector<Conversation> conversations;
    std::optional<qint64> conversationCountOnly;
    QVariantMap extra;                  // format-specific leftovers (e.g. tdata keys to destroy)

    // The primary DC's permanent auth entry: dc == dcId, not temp, not media-only if possible.
    const DcAuth *primary() const;
    DcAuth *primary();
    // Adds or replaces the permanent key entry for dcId (not temp, not media-only).
    DcAuth &upsertDc(int dc, bool mediaOnly = false, bool temp = false);
    PeerCounts peerCounts() const;
    qint64 conversationCount() const;
    // Newest activity timestamp the format keeps (peer updated, update_state date...), unix seconds.
    std::optional<qint64> newestTimestamp() const;
};

// What a source holds: one or more accounts plus how it was read.
struct Store {
    QString formatId;
    std::optional<int> formatVersion;
    QString variant;                    // e.g. "kurigram", "pyrofork", "gramjs-ipv6"
    std::vector<Session> accounts;
    QStringList warnings;               // non-fatal notes from the reader
};

} // namespace sd
