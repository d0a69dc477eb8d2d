#include "json.h"
#include "report/text.h"

#include <QDateTime>
#include <QJsonDocument>

namespace sd {

QJsonValue jsonOpt(const std::optional<qint64> &v)
{
    // Qt 6 keeps qint64 exact in JSON (written as an integer, not through double).
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}
QJsonValue jsonOpt(const std::optional<QString> &v) { return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null); }
QJsonValue jsonOpt(const std::optional<bool> &v) { return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null); }

QJsonObject dcJson(const DcAuth &dc)
{
    QJsonObject o;
    o[QStringLiteral("dc_id")] = dc.dcId;
    o[QStringLiteral("server_address")] = dc.address.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(dc.address);
    o[QStringLiteral("port")] = dc.port ? QJsonValue(dc.port) : QJsonValue(QJsonValue::Null);
    o[QStringLiteral("auth_key_id")] = dc.authKey.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(dc.authKeyId());
    o[QStringLiteral("ipv6")] = dc.ipv6;
    o[QStringLiteral("media_only")] = dc.mediaOnly;
    o[QStringLiteral("temporary")] = dc.isTemp;
    if (dc.testMode)
        o[QStringLiteral("test_mode")] = *dc.testMode;
    return o;
}

QJsonObject accountJson(const Session &s)
{
    QJsonObject a;
    const DcAuth *p = s.primary();
    a[QStringLiteral("dc_id")] = s.dcId ? QJsonValue(s.dcId) : (p ? QJsonValue(p->dcId) : QJsonValue(QJsonValue::Null));
    a[QStringLiteral("server_address")] = p && !p->address.isEmpty() ? QJsonValue(p->address) : QJsonValue(QJsonValue::Null);
    a[QStringLiteral("port")] = p && p->port ? QJsonValue(p->port) : QJsonValue(QJsonValue::Null);
    a[QStringLiteral("test_mode")] = jsonOpt(s.testMode);
    a[QStringLiteral("auth_key_id")] = p && !p->authKey.isEmpty() ? QJsonValue(p->authKeyId()) : QJsonValue(QJsonValue::Null);
    a[QStringLiteral("user_id")] = jsonOpt(s.userId);
    a[QStringLiteral("is_bot")] = jsonOpt(s.isBot);
    a[QStringLiteral("api_id")] = s.apiId ? QJsonValue(*s.apiId) : QJsonValue(QJsonValue::Null);
    if (s.mediaDcId)
        a[QStringLiteral("media_dc_id")] = *s.mediaDcId;
    if (s.username)
        a[QStringLiteral("username")] = *s.username;
    if (s.firstName || s.lastName)
        a[QStringLiteral("name")] = QStringList{s.firstName.value_or(QString()), s.lastName.value_or(QString())}.join(QLatin1Char(' ')).trimmed();
    QJsonArray dcs;
    for (const DcAuth &d : s.dcs)
        dcs.append(dcJson(d));
    a[QStringLiteral("dcs")] = dcs;
    if (s.updateState) {
        QJsonObject u;
        u[QStringLiteral("pts")] = jsonOpt(s.updateState->pts);
        u[QStringLiteral("qts")] = jsonOpt(s.updateState->qts);
        u[QStringLiteral("date")] = jsonOpt(s.updateState->date);
        u[QStringLiteral("seq")] = jsonOpt(s.updateState->seq);
        u[QStringLiteral("channels")] = static_cast<qint64>(s.updateState->channelPts.size());
        a[QStringLiteral("update_state")] = u;
    } else {
        a[QStringLiteral("update_state")] = QJsonValue::Null;
    }
    const PeerCounts pc = s.peerCounts();
    QJsonObject peers;
    peers[QStringLiteral("users")] = pc.users;
    peers[QStringLiteral("chats")] = pc.chats;
    peers[QStringLiteral("channels")] = pc.channels;
    peers[QStringLiteral("total")] = pc.total();
    a[QStringLiteral("peers")] = peers;
    a[QStringLiteral("conversations")] = s.conversationCount();
    return a;
}

QJsonObject inspectJson(const Store &store, const QString &source)
{
    QJsonObject o;
    o[QStringLiteral("source")] = source;
    o[QStringLiteral("format")] = store.formatId;
    o[QStringLiteral("format_version")] = store.formatVersion ? QJsonValue(*store.formatVersion) : QJsonValue(QJsonValue::Null);
    if (!store.variant.isEmpty())
        o[QStringLiteral("variant")] = store.variant;
    QJsonArray accounts;
    for (const Session &s : store.accounts)
        accounts.append(accountJson(s));
    o[QStringLiteral("accounts")] = accounts;
    if (!store.warnings.isEmpty())
        o[QStringLiteral("warnings")] = QJsonArray::fromStringList(store.warnings);
    return o;
}

QJsonObject peerJson(const Peer &p)
{
    QJsonObject o;
    o[QStringLiteral("id")] = jsonOpt(std::optional<qint64>(p.id));
    o[QStringLiteral("type")] = peerKindName(p.kind());
    o[QStringLiteral("subtype")] = peerSubtypeName(p);
    o[QStringLiteral("marked_id")] = jsonOpt(std::optional<qint64>(p.markedId()));
    o[QStringLiteral("access_hash")] = jsonOpt(p.accessHash);
    o[QStringLiteral("username")] = jsonOpt(p.username());
    o[QStringLiteral("phone")] = jsonOpt(p.phone);
    o[QStringLiteral("name")] = jsonOpt(p.name);
    o[QStringLiteral("updated")] = jsonOpt(p.updated);
    if (p.usernames.size() > 1)
        o[QStringLiteral("usernames")] = QJsonArray::fromStringList(p.usernames);
    if (p.isMin)
        o[QStringLiteral("min")] = true;
    return o;
}

namespace {
// A string QJsonDocument writes as "<UTF-8>" with nothing escaped: no control character, quote,
// backslash or DEL, and no surrogate (lone surrogates are Qt's business).
bool plainJsonString(const QString &s)
{
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u == u'"' || u == u'\\' || u == 0x7f || (u >= 0xd800 && u <= 0xdfff))
            return false;
    }
    return true;
}

void appendString(QByteArray &out, const QString &s)
{
    out += '"';
    out += s.toUtf8();
    out += '"';
}

void appendOptString(QByteArray &out, const std::optional<QString> &s)
{
    if (s)
        appendString(out, *s);
    else
        out += "null";
}

void appendOptInt(QByteArray &out, const std::optional<qint64> &v)
{
    if (v)
        out += QByteArray::number(*v);
    else
        out += "null";
}
} // namespace

void appendPeerJsonCompact(QByteArray &out, const Peer &p)
{
    const std::optional<QString> username = p.username();
    bool plain = p.usernames.size() <= 1;
    for (const std::optional<QString> *s : {&username, &p.phone, &p.name})
        if (plain && *s && !plainJsonString(**s))
            plain = false;
    if (!plain) {
        out += QJsonDocument(peerJson(p)).toJson(QJsonDocument::Compact);
        return;
    }
    // QJsonObject keeps its keys sorted: access_hash, id, marked_id, min, name, phone, subtype,
    // type, updated, username.
    out += "{\"access_hash\":";
    appendOptInt(out, p.accessHash);
    out += ",\"id\":";
    out += QByteArray::number(p.id);
    out += ",\"marked_id\":";
    out += QByteArray::number(p.markedId());
    if (p.isMin)
        out += ",\"min\":true";
    out += ",\"name\":";
    appendOptString(out, p.name);
    out += ",\"phone\":";
    appendOptString(out, p.phone);
    out += ",\"subtype\":";
    appendString(out, peerSubtypeName(p));
    out += ",\"type\":";
    appendString(out, peerKindName(p.kind()));
    out += ",\"updated\":";
    appendOptInt(out, p.updated);
    out += ",\"username\":";
    appendOptString(out, username);
    out += '}';
}

QJsonObject formatJson(const Format &f)
{
    QJsonObject o;
    o[QStringLiteral("id")] = f.id();
    o[QStringLiteral("name")] = f.displayName();
    o[QStringLiteral("kind")] = f.sourceKind() == SourceKind::String ? QStringLiteral("string")
        : f.sourceKind() == SourceKind::File                         ? QStringLiteral("file")
                                                                     : QStringLiteral("directory");
    // Every registered format reads; all but the bundle are written by convert (docs/cli.md).
    o[QStringLiteral("read")] = true;
    o[QStringLiteral("write")] = f.descriptor().writable;
    o[QStringLiteral("file_name")] = f.descriptor().fileName;
    o[QStringLiteral("prune")] = f.canPrune();
    o[QStringLiteral("carries")] = QJsonArray::fromStringList(capabilityNames(f.capabilities()));
    return o;
}

QString inspectText(const Store &store, const QString &source)
{
    QString out;
    out += QStringLiteral("%1: %2").arg(escapeControls(source), store.formatId);
    if (store.formatVersion)
        out += QStringLiteral(" (version %1)").arg(*store.formatVersion);
    if (!store.variant.isEmpty())
        out += QStringLiteral(" [%1]").arg(escapeControls(store.variant));
    out += QLatin1Char('\n');
    int i = 0;
    for (const Session &s : store.accounts) {
        const DcAuth *p = s.primary();
        out += QStringLiteral("account %1\n").arg(i++);
        auto line = [&out](const QString &k, const QString &v) { out += QStringLiteral("  %1 %2\n").arg(k + QLatin1Char(':'), -16).arg(v); };
        auto opt = [](const auto &v, auto f) { return v ? f(*v) : QStringLiteral("unknown"); };
        line(QStringLiteral("DC"), s.dcId ? QString::number(s.dcId) : QStringLiteral("unknown"));
        if (p && !p->address.isEmpty())
            line(QStringLiteral("server"), QStringLiteral("%1:%2").arg(escapeControls(p->address)).arg(p->port));
        line(QStringLiteral("test mode"), opt(s.testMode, [](bool b) { return b ? QStringLiteral("yes") : QStringLiteral("no"); }));
        line(QStringLiteral("auth_key_id"), p && !p->authKey.isEmpty() ? p->authKeyId() : QStringLiteral("(no key)"));
        line(QStringLiteral("user id"), opt(s.userId, [](qint64 v) { return QString::number(v); }));
        line(QStringLiteral("bot"), opt(s.isBot, [](bool b) { return b ? QStringLiteral("yes") : QStringLiteral("no"); }));
        line(QStringLiteral("api id"), opt(s.apiId, [](qint32 v) { return QString::number(v); }));
        for (const DcAuth &d : s.dcs) {
            if (&d == p)
                continue;
            line(QStringLiteral("also DC %1%2").arg(d.dcId).arg(d.isTemp ? QStringLiteral(" (temp)") : d.mediaOnly ? QStringLiteral(" (media)") : QString()),
                 d.authKey.isEmpty() ? QStringLiteral("(no key)") : d.authKeyId());
        }
        if (s.updateState)
            line(QStringLiteral("update state"), QStringLiteral("pts %1, qts %2, date %3, seq %4, %5 channel(s)")
                                                     .arg(opt(s.updateState->pts, [](qint64 v) { return QString::number(v); }),
                                                          opt(s.updateState->qts, [](qint64 v) { return QString::number(v); }),
                                                          opt(s.updateState->date, [](qint64 v) { return QString::number(v); }),
                                                          opt(s.updateState->seq, [](qint64 v) { return QString::number(v); }))
                                                     .arg(s.updateState->channelPts.size()));
        const PeerCounts pc = s.peerCounts();
        line(QStringLiteral("peers"), QStringLiteral("%1 (%2 users, %3 chats, %4 channels)").arg(pc.total()).arg(pc.users).arg(pc.chats).arg(pc.channels));
        if (s.conversationCount())
            line(QStringLiteral("conversations"), QString::number(s.conversationCount()));
    }
    for (const QString &w : store.warnings)
        out += QStringLiteral("warning: %1\n").arg(escapeControls(w));
    return out;
}

} // namespace sd
