#pragma once
// The Go structs of mtgo-labs/storage (docs/formats.md 7 and 7.2: Session, Peer, Conversation,
// UpdateState) as plain records, and their translation to and from the domain model. Shared by the
// server adapters (mtgo-postgres, mtgo-gorm, mtgo-redis), whose columns and JSON fields carry
// exactly these fields.
#include "domain/session.h"
#include "format/format.h"
#include "util/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <optional>

namespace sd::mtgo {

struct SessionRec {
    QString sessionId;
    int dc = 0;
    qint64 apiId = 0;
    QString apiHash;
    bool testMode = false;
    SecretBytes authKey;
    std::optional<QByteArray> state;   // nullopt = NULL / JSON null
    qint64 userId = 0;
    bool isBot = false;
    QString firstName, lastName, username;
    qint64 date = 0;
    QString addr;                      // bare IP (no port)
    int port = 0;
};

struct PeerRec {
    qint64 id = 0;                     // bare id (a marked chat id can appear, docs/formats.md 7.1)
    qint64 type = 0;                   // 0 user, 1 chat, 2 channel
    qint64 accessHash = 0;
    QString username, usernames, firstName, lastName, phone;
    bool isBot = false;
    qint64 photoId = 0;
    QString language;
    qint64 lastUpdated = 0;
};

// One session (one account) from its record; the DC entry carries the key and address.
Session sessionFromRec(const SessionRec &r);
// The record mtgo would store for session s under name (falls back to s's own session id).
SessionRec recFromSession(const Session &s, const QString &name);

Peer peerFromRec(const PeerRec &r);
PeerRec recFromPeer(const Peer &p);
// Marked (Bot-API) id of a record, as mtgo's id/type say.
qint64 recMarkedId(const PeerRec &r);

// Go encoding/json of the structs (docs/formats.md 7.2: []byte = standard base64, nil = null).
// Callers wipe the returned bytes of sessionToJson (they hold the key).
QByteArray sessionToJson(const SessionRec &r);
Result<SessionRec> sessionFromJson(const QByteArray &json);
QByteArray peerToJson(const PeerRec &r);
Result<PeerRec> peerFromJson(const QByteArray &json);
QByteArray conversationToJson(const Conversation &c);
Result<Conversation> conversationFromJson(const QByteArray &json);
QByteArray updateStateToJson(const QString &sessionId, const UpdateState &u);
QByteArray channelPtsToJson(const QString &sessionId, qint64 channelId, qint64 pts);
Result<UpdateState> updateStateFromJson(const QByteArray &json);

// What a multi-session store's read gives (SqlStore, RedisStore): the session --session names, or
// every session, each read with readSession; noSession is the warning for a store without any.
template <class NamedStore>
Result<Store> readNamedSessions(NamedStore &store, const ReadOptions &options, const QString &noSession)
{
    Store out;
    QStringList names;
    if (!options.session.isEmpty()) {
        auto picked = store.pickSession(options.session);
        if (!picked)
            return picked.error();
        names << *picked;
    } else {
        auto all = store.sessionNames();
        if (!all)
            return all.error();
        names = *all;
    }
    if (names.isEmpty())
        out.warnings << noSession;
    for (const QString &n : names) {
        auto s = store.readSession(n, options);
        if (!s)
            return s.error();
        if (*s)
            out.accounts.push_back(std::move(**s));
    }
    return out;
}

} // namespace sd::mtgo
