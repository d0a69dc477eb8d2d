// Translation between mtgo-labs/storage's Go structs and the domain model (docs/formats.md 7, 7.2).
// The extras (mtgo_first_name, mtgo_usernames, ...) use the same names as the mtgo-sqlite reader,
// so a session moves between mtgo's SQLite file and its server stores without loss.
#include "formats/mtgo/mtgo-records.h"

#include "domain/dcaddress.h"
#include "formats/mtgo/mtgo-sqlite.h"

#include <QJsonDocument>
#include <QJsonValue>

namespace sd::mtgo {

namespace {
std::optional<QString> nonEmpty(const QString &s) { return s.isEmpty() ? std::nullopt : std::optional<QString>(s); }

// Go scans TEXT columns into string: a NULL would fail mtgo's LoadSession/LoadPeers, so an absent
// text is the empty string, never a null QString (which binds as NULL).
void notNull(QString &s)
{
    if (s.isNull())
        s = QLatin1String("");
}

Result<QJsonObject> parseObject(const QByteArray &json, const char *what)
{
    QJsonParseError e{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject())
        return Error::badInput(QStringLiteral("mtgo %1 value is not a JSON object").arg(QString::fromLatin1(what)));
    return doc.object();
}

QByteArray compact(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }
} // namespace

Session sessionFromRec(const SessionRec &r)
{
    Session s;
    s.dcId = r.dc;
    s.testMode = r.testMode;
    if (r.apiId != 0)
        s.apiId = static_cast<qint32>(r.apiId);
    s.apiHash = nonEmpty(r.apiHash);
    if (r.userId != 0) {
        s.userId = r.userId;
        s.isBot = r.isBot;
    }
    s.firstName = nonEmpty(r.firstName);
    s.lastName = nonEmpty(r.lastName);
    s.username = nonEmpty(r.username);
    s.extra.insert(QStringLiteral("mtgo_session_id"), r.sessionId);
    if (r.date != 0)
        s.extra.insert(QStringLiteral("mtgo_date"), r.date);
    if (r.state)
        s.extra.insert(QStringLiteral("mtgo_state"), QString::fromLatin1(r.state->toBase64()));
    if (r.dc > 0) {
        DcAuth d;
        d.dcId = r.dc;
        d.address = r.addr;
        d.ipv6 = r.addr.contains(QLatin1Char(':'));
        d.port = r.port;
        d.testMode = r.testMode;
        d.authKey = r.authKey;
        d.extra.insert(QStringLiteral("mtgo_row"), true);
        s.dcs.push_back(std::move(d));
    }
    return s;
}

SessionRec recFromSession(const Session &s, const QString &name)
{
    SessionRec r;
    r.sessionId = name.isNull() ? s.extra.value(QStringLiteral("mtgo_session_id")).toString() : name;
    const DcAuth *primary = s.primary();
    r.dc = s.dcId > 0 ? s.dcId : primary ? primary->dcId : 0;
    r.testMode = s.testMode.value_or(primary && primary->testMode.value_or(false));
    r.apiId = s.apiId.value_or(0);
    r.apiHash = s.apiHash.value_or(QString());
    if (primary) {
        r.authKey = primary->authKey;
        r.addr = primary->address;
        r.port = primary->port;
    }
    if (r.addr.isEmpty() || r.port <= 0) {
        if (const auto a = defaultDcAddress(r.dc, r.testMode, primary && primary->ipv6)) {
            r.addr = a->address;
            r.port = a->port;
        }
    }
    const QVariant state = s.extra.value(QStringLiteral("mtgo_state"));
    if (state.isValid() && !state.isNull())
        r.state = QByteArray::fromBase64(state.toString().toLatin1());
    r.userId = s.userId.value_or(0);
    r.isBot = s.isBot.value_or(false);
    r.firstName = s.firstName.value_or(QString());
    r.lastName = s.lastName.value_or(QString());
    r.username = s.username.value_or(QString());
    r.date = s.extra.value(QStringLiteral("mtgo_date"), 0).toLongLong();
    for (QString *t : {&r.sessionId, &r.apiHash, &r.firstName, &r.lastName, &r.username, &r.addr})
        notNull(*t);
    return r;
}

Peer peerFromRec(const PeerRec &r)
{
    Peer p;
    p.id = r.id;
    if (r.id < 0) {
        if (auto u = unmarkId(r.id))
            p.id = u->first;
        p.extra.insert(QStringLiteral("mtgo_marked_id"), true);
    }
    p.type = r.type == 1 ? PeerType::Chat : r.type == 2 ? PeerType::Channel : r.isBot ? PeerType::Bot : PeerType::User;
    if (r.type < 0 || r.type > 2)
        p.extra.insert(QStringLiteral("mtgo_type"), r.type);
    if (r.accessHash != 0 || p.kind() != PeerKind::Chat)
        p.accessHash = r.accessHash;
    if (!r.username.isEmpty())
        p.usernames << r.username;
    if (!r.usernames.isEmpty()) {
        p.extra.insert(QStringLiteral("mtgo_usernames"), r.usernames);
        for (const QString &u : splitUsernames(r.usernames))
            if (!p.usernames.contains(u))
                p.usernames << u;
    }
    const QString name = QString(r.firstName + QLatin1Char(' ') + r.lastName).trimmed();
    if (!name.isEmpty())
        p.name = name;
    if (!r.firstName.isEmpty())
        p.extra.insert(QStringLiteral("mtgo_first_name"), r.firstName);
    if (!r.lastName.isEmpty())
        p.extra.insert(QStringLiteral("mtgo_last_name"), r.lastName);
    p.phone = nonEmpty(r.phone);
    if (r.photoId != 0)
        p.extra.insert(QStringLiteral("mtgo_photo_id"), r.photoId);
    if (!r.language.isEmpty())
        p.extra.insert(QStringLiteral("mtgo_language"), r.language);
    if (r.lastUpdated > 0) {
        if (r.lastUpdated > 100000000000LL) { // milliseconds (inferred from the size): kept as is
            p.updated = r.lastUpdated / 1000;
            p.extra.insert(QStringLiteral("updated_ms"), r.lastUpdated);
        } else {
            p.updated = r.lastUpdated;
        }
    }
    return p;
}

PeerRec recFromPeer(const Peer &p)
{
    PeerRec r;
    r.type = p.extra.value(QStringLiteral("mtgo_type"), p.kind() == PeerKind::Chat ? 1 : p.kind() == PeerKind::Channel ? 2 : 0).toLongLong();
    r.id = p.extra.value(QStringLiteral("mtgo_marked_id")).toBool() ? p.markedId() : p.id;
    r.accessHash = p.accessHash.value_or(0);
    r.username = p.usernames.value(0);
    const auto rawIt = p.extra.constFind(QStringLiteral("mtgo_usernames"));
    if (rawIt != p.extra.constEnd()) {
        QStringList merged = p.usernames.mid(0, 1);
        for (const QString &u : splitUsernames(rawIt->toString()))
            if (!merged.contains(u))
                merged << u;
        if (merged == p.usernames)
            r.usernames = rawIt->toString();
    }
    if (r.usernames.isEmpty() && p.usernames.size() > 1)
        r.usernames = p.usernames.join(QLatin1Char(','));
    r.firstName = p.extra.value(QStringLiteral("mtgo_first_name")).toString();
    r.lastName = p.extra.value(QStringLiteral("mtgo_last_name")).toString();
    if (QString(r.firstName + QLatin1Char(' ') + r.lastName).trimmed() != p.name.value_or(QString()).trimmed()) {
        r.firstName = p.name.value_or(QString());
        r.lastName.clear();
    }
    r.phone = p.phone.value_or(QString());
    r.isBot = p.type == PeerType::Bot;
    r.photoId = p.extra.value(QStringLiteral("mtgo_photo_id"), 0).toLongLong();
    r.language = p.extra.value(QStringLiteral("mtgo_language")).toString();
    r.lastUpdated = p.updated.value_or(0);
    if (const auto ms = p.extra.constFind(QStringLiteral("updated_ms")); ms != p.extra.constEnd() && p.updated
        && ms->toLongLong() / 1000 == *p.updated && ms->toLongLong() > 100000000000LL)
        r.lastUpdated = ms->toLongLong();
    for (QString *t : {&r.username, &r.usernames, &r.firstName, &r.lastName, &r.phone, &r.language})
        notNull(*t);
    return r;
}

qint64 recMarkedId(const PeerRec &r)
{
    if (r.id < 0)
        return r.id;
    return markedId(r.id, r.type == 1 ? PeerKind::Chat : r.type == 2 ? PeerKind::Channel : PeerKind::User);
}

QByteArray sessionToJson(const SessionRec &r)
{
    QJsonObject o;
    o.insert(QStringLiteral("session_id"), r.sessionId);
    o.insert(QStringLiteral("dc"), r.dc);
    o.insert(QStringLiteral("api_id"), r.apiId);
    o.insert(QStringLiteral("api_hash"), r.apiHash);
    o.insert(QStringLiteral("test_mode"), r.testMode);
    QByteArray key = r.authKey.exposeUnsafe();
    QByteArray keyB64 = key.toBase64();
    o.insert(QStringLiteral("auth_key"), r.authKey.isEmpty() ? QJsonValue() : QJsonValue(QString::fromLatin1(keyB64)));
    wipe(key);
    wipe(keyB64);
    o.insert(QStringLiteral("state"), r.state ? QJsonValue(QString::fromLatin1(r.state->toBase64())) : QJsonValue());
    o.insert(QStringLiteral("user_id"), r.userId);
    o.insert(QStringLiteral("is_bot"), r.isBot);
    o.insert(QStringLiteral("first_name"), r.firstName);
    o.insert(QStringLiteral("last_name"), r.lastName);
    o.insert(QStringLiteral("username"), r.username);
    o.insert(QStringLiteral("date"), r.date);
    o.insert(QStringLiteral("addr"), r.addr);
    o.insert(QStringLiteral("port"), r.port);
    return compact(o);
}

Result<SessionRec> sessionFromJson(const QByteArray &json)
{
    auto o = parseObject(json, "session");
    if (!o)
        return o.error();
    SessionRec r;
    r.sessionId = o->value(QStringLiteral("session_id")).toString();
    r.dc = o->value(QStringLiteral("dc")).toInt();
    r.apiId = o->value(QStringLiteral("api_id")).toInteger();
    r.apiHash = o->value(QStringLiteral("api_hash")).toString();
    r.testMode = o->value(QStringLiteral("test_mode")).toBool();
    const QJsonValue key = o->value(QStringLiteral("auth_key"));
    if (key.isString()) {
        QByteArray b64 = key.toString().toLatin1();
        auto bytes = QByteArray::fromBase64Encoding(b64, QByteArray::AbortOnBase64DecodingErrors);
        wipe(b64);
        if (!bytes)
            return Error::badInput(QStringLiteral("mtgo session: auth_key is not standard base64"));
        r.authKey = SecretBytes::fromByteArray(*bytes);
        wipe(*bytes);
    }
    const QJsonValue state = o->value(QStringLiteral("state"));
    if (state.isString())
        r.state = QByteArray::fromBase64(state.toString().toLatin1());
    r.userId = o->value(QStringLiteral("user_id")).toInteger();
    r.isBot = o->value(QStringLiteral("is_bot")).toBool();
    r.firstName = o->value(QStringLiteral("first_name")).toString();
    r.lastName = o->value(QStringLiteral("last_name")).toString();
    r.username = o->value(QStringLiteral("username")).toString();
    r.date = o->value(QStringLiteral("date")).toInteger();
    r.addr = o->value(QStringLiteral("addr")).toString();
    r.port = o->value(QStringLiteral("port")).toInt();
    return r;
}

QByteArray peerToJson(const PeerRec &r)
{
    // Field order and omitempty as Go's encoding/json writes storage.Peer.
    QJsonObject o;
    o.insert(QStringLiteral("id"), r.id);
    o.insert(QStringLiteral("type"), r.type);
    o.insert(QStringLiteral("access_hash"), r.accessHash);
    o.insert(QStringLiteral("username"), r.username);
    if (!r.usernames.isEmpty())
        o.insert(QStringLiteral("usernames"), r.usernames);
    o.insert(QStringLiteral("first_name"), r.firstName);
    o.insert(QStringLiteral("last_name"), r.lastName);
    if (!r.phone.isEmpty())
        o.insert(QStringLiteral("phone_number"), r.phone);
    if (r.isBot)
        o.insert(QStringLiteral("is_bot"), true);
    if (r.photoId != 0)
        o.insert(QStringLiteral("photo_id"), r.photoId);
    if (!r.language.isEmpty())
        o.insert(QStringLiteral("language"), r.language);
    o.insert(QStringLiteral("last_updated"), r.lastUpdated);
    return compact(o);
}

Result<PeerRec> peerFromJson(const QByteArray &json)
{
    auto o = parseObject(json, "peer");
    if (!o)
        return o.error();
    PeerRec r;
    r.id = o->value(QStringLiteral("id")).toInteger();
    r.type = o->value(QStringLiteral("type")).toInteger();
    r.accessHash = o->value(QStringLiteral("access_hash")).toInteger();
    r.username = o->value(QStringLiteral("username")).toString();
    r.usernames = o->value(QStringLiteral("usernames")).toString();
    r.firstName = o->value(QStringLiteral("first_name")).toString();
    r.lastName = o->value(QStringLiteral("last_name")).toString();
    r.phone = o->value(QStringLiteral("phone_number")).toString();
    r.isBot = o->value(QStringLiteral("is_bot")).toBool();
    r.photoId = o->value(QStringLiteral("photo_id")).toInteger();
    r.language = o->value(QStringLiteral("language")).toString();
    r.lastUpdated = o->value(QStringLiteral("last_updated")).toInteger();
    return r;
}

QByteArray conversationToJson(const Conversation &c)
{
    QJsonObject o;
    o.insert(QStringLiteral("chat_id"), c.chatId);
    o.insert(QStringLiteral("user_id"), c.userId);
    o.insert(QStringLiteral("name"), c.name);
    o.insert(QStringLiteral("step"), c.step.toLongLong());
    if (!c.data.isEmpty())
        o.insert(QStringLiteral("data"), QString::fromLatin1(c.data.toBase64()));
    o.insert(QStringLiteral("created_at"), c.created.value_or(0));
    o.insert(QStringLiteral("updated_at"), c.updated.value_or(0));
    return compact(o);
}

Result<Conversation> conversationFromJson(const QByteArray &json)
{
    auto o = parseObject(json, "conversation");
    if (!o)
        return o.error();
    Conversation c;
    c.chatId = o->value(QStringLiteral("chat_id")).toInteger();
    c.userId = o->value(QStringLiteral("user_id")).toInteger();
    c.name = o->value(QStringLiteral("name")).toString();
    c.step = QString::number(o->value(QStringLiteral("step")).toInteger());
    if (o->value(QStringLiteral("data")).isString())
        c.data = QByteArray::fromBase64(o->value(QStringLiteral("data")).toString().toLatin1());
    else
        c.extra.insert(QStringLiteral("data_null"), true);
    c.created = o->value(QStringLiteral("created_at")).toInteger();
    c.updated = o->value(QStringLiteral("updated_at")).toInteger();
    return c;
}

QByteArray updateStateToJson(const QString &sessionId, const UpdateState &u)
{
    QJsonObject o;
    o.insert(QStringLiteral("session_id"), sessionId);
    o.insert(QStringLiteral("pts"), u.pts.value_or(0));
    o.insert(QStringLiteral("qts"), u.qts.value_or(0));
    o.insert(QStringLiteral("date"), u.date.value_or(0));
    o.insert(QStringLiteral("seq"), u.seq.value_or(0));
    return compact(o);
}

QByteArray channelPtsToJson(const QString &sessionId, qint64 channelId, qint64 pts)
{
    QJsonObject o;
    o.insert(QStringLiteral("session_id"), sessionId);
    o.insert(QStringLiteral("channel_id"), channelId);
    o.insert(QStringLiteral("pts"), pts);
    return compact(o);
}

Result<UpdateState> updateStateFromJson(const QByteArray &json)
{
    auto o = parseObject(json, "update_state");
    if (!o)
        return o.error();
    UpdateState u;
    u.pts = o->value(QStringLiteral("pts")).toInteger();
    u.qts = o->value(QStringLiteral("qts")).toInteger();
    u.date = o->value(QStringLiteral("date")).toInteger();
    u.seq = o->value(QStringLiteral("seq")).toInteger();
    return u;
}

} // namespace sd::mtgo
