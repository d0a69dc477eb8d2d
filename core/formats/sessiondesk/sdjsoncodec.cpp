#include "sdjsoncodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sd {

namespace {

// --- values ------------------------------------------------------------------------------------

QJsonValue optInt(const std::optional<qint64> &v) { return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null); }
QJsonValue optStr(const std::optional<QString> &v) { return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null); }
QJsonValue optBool(const std::optional<bool> &v) { return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null); }
QString b64(const QByteArray &b) { return QString::fromLatin1(b.toBase64()); }

// QVariantMap "extra" values: byte arrays are tagged so that they come back as bytes.
QJsonValue variantToJson(const QVariant &v, int depth = 0)
{
    if (depth > 16)
        return QJsonValue::Null;
    switch (v.typeId()) {
    case QMetaType::QByteArray:
        return QJsonObject{{QStringLiteral("$bytes"), b64(v.toByteArray())}};
    case QMetaType::QVariantMap: {
        QJsonObject o;
        const QVariantMap m = v.toMap();
        for (auto it = m.begin(); it != m.end(); ++it)
            o.insert(it.key(), variantToJson(it.value(), depth + 1));
        return o;
    }
    case QMetaType::QVariantList:
    case QMetaType::QStringList: {
        QJsonArray a;
        for (const QVariant &x : v.toList())
            a.append(variantToJson(x, depth + 1));
        return a;
    }
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
        return QJsonValue(v.toLongLong());
    case QMetaType::ULongLong:
        return QJsonValue(static_cast<qint64>(v.toULongLong()));
    default:
        return QJsonValue::fromVariant(v);
    }
}

QVariant jsonToVariant(const QJsonValue &v, int depth = 0)
{
    if (depth > 16)
        return {};
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        if (o.size() == 1 && o.contains(QStringLiteral("$bytes")))
            return QByteArray::fromBase64(o.value(QStringLiteral("$bytes")).toString().toLatin1());
        QVariantMap m;
        for (auto it = o.begin(); it != o.end(); ++it)
            m.insert(it.key(), jsonToVariant(it.value(), depth + 1));
        return m;
    }
    if (v.isArray()) {
        QVariantList l;
        for (const QJsonValue &x : v.toArray())
            l.append(jsonToVariant(x, depth + 1));
        return l;
    }
    if (v.isDouble()) {
        const qint64 i = v.toInteger();
        if (static_cast<double>(i) == v.toDouble())
            return QVariant(i);
        return v.toDouble();
    }
    return v.toVariant();
}

QJsonObject extraJson(const QVariantMap &m) { return variantToJson(m).toObject(); }
QVariantMap extraFrom(const QJsonObject &o, const char *key) { return jsonToVariant(o.value(QLatin1String(key))).toMap(); }

// --- readers with type checks ----------------------------------------------------------------

struct Reader {
    QString error;
    std::optional<qint64> optInt(const QJsonObject &o, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        if (!v.isDouble()) {
            fail(QStringLiteral("\"%1\" is not a number").arg(QLatin1String(key)));
            return std::nullopt;
        }
        return v.toInteger();
    }
    qint64 reqInt(const QJsonObject &o, const char *key)
    {
        auto v = optInt(o, key);
        if (!v)
            fail(QStringLiteral("\"%1\" is missing").arg(QLatin1String(key)));
        return v.value_or(0);
    }
    std::optional<QString> optStr(const QJsonObject &o, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        if (!v.isString()) {
            fail(QStringLiteral("\"%1\" is not a string").arg(QLatin1String(key)));
            return std::nullopt;
        }
        return v.toString();
    }
    std::optional<bool> optBool(const QJsonObject &o, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        if (!v.isBool()) {
            fail(QStringLiteral("\"%1\" is not true/false").arg(QLatin1String(key)));
            return std::nullopt;
        }
        return v.toBool();
    }
    QByteArray bytes(const QJsonObject &o, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return {};
        auto r = QByteArray::fromBase64Encoding(v.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!v.isString() || !r) {
            fail(QStringLiteral("\"%1\" is not base64").arg(QLatin1String(key)));
            return {};
        }
        return r.decoded;
    }
    QJsonArray array(const QJsonObject &o, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isArray())
            fail(QStringLiteral("\"%1\" is not a list").arg(QLatin1String(key)));
        return v.toArray();
    }
    void fail(const QString &m)
    {
        if (error.isEmpty())
            error = m;
    }
};

const char *kPeerTypes[] = {"user", "bot", "chat", "channel", "supergroup"};

// --- encode ----------------------------------------------------------------------------------

QJsonObject dcToJson(const DcAuth &d)
{
    QJsonObject o;
    o[QStringLiteral("dc_id")] = d.dcId;
    o[QStringLiteral("address")] = d.address;
    o[QStringLiteral("port")] = d.port;
    o[QStringLiteral("ipv6")] = d.ipv6;
    o[QStringLiteral("media_only")] = d.mediaOnly;
    o[QStringLiteral("test_mode")] = optBool(d.testMode);
    QByteArray key = d.authKey.exposeUnsafe();
    o[QStringLiteral("auth_key")] = b64(key);
    wipe(key);
    o[QStringLiteral("auth_key_id")] = d.authKey.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(d.authKeyId());
    o[QStringLiteral("salt")] = optInt(d.salt);
    o[QStringLiteral("temporary")] = d.isTemp;
    o[QStringLiteral("expires_at")] = optInt(d.expiresAt);
    o[QStringLiteral("extra")] = extraJson(d.extra);
    return o;
}

QJsonObject peerToJson(const Peer &p)
{
    QJsonObject o;
    o[QStringLiteral("id")] = p.id;
    o[QStringLiteral("type")] = peerTypeName(p.type);
    o[QStringLiteral("access_hash")] = optInt(p.accessHash);
    o[QStringLiteral("usernames")] = QJsonArray::fromStringList(p.usernames);
    o[QStringLiteral("phone")] = optStr(p.phone);
    o[QStringLiteral("name")] = optStr(p.name);
    o[QStringLiteral("min")] = p.isMin;
    o[QStringLiteral("updated")] = optInt(p.updated);
    if (!p.raw.isEmpty()) {
        o[QStringLiteral("raw")] = b64(p.raw);
        o[QStringLiteral("raw_format")] = p.rawFormat;
    }
    if (!p.extra.isEmpty())
        o[QStringLiteral("extra")] = extraJson(p.extra);
    return o;
}

QJsonObject sessionToJson(const Session &s)
{
    QJsonObject a;
    a[QStringLiteral("dc_id")] = s.dcId;
    a[QStringLiteral("test_mode")] = optBool(s.testMode);
    a[QStringLiteral("user_id")] = optInt(s.userId);
    a[QStringLiteral("is_bot")] = optBool(s.isBot);
    a[QStringLiteral("api_id")] = s.apiId ? QJsonValue(*s.apiId) : QJsonValue(QJsonValue::Null);
    a[QStringLiteral("api_hash")] = optStr(s.apiHash);
    a[QStringLiteral("first_name")] = optStr(s.firstName);
    a[QStringLiteral("last_name")] = optStr(s.lastName);
    a[QStringLiteral("username")] = optStr(s.username);
    a[QStringLiteral("phone")] = optStr(s.phone);
    a[QStringLiteral("takeout_id")] = optInt(s.takeoutId);
    a[QStringLiteral("media_dc_id")] = s.mediaDcId ? QJsonValue(*s.mediaDcId) : QJsonValue(QJsonValue::Null);
    QJsonArray dcs;
    for (const DcAuth &d : s.dcs)
        dcs.append(dcToJson(d));
    a[QStringLiteral("dcs")] = dcs;
    if (s.updateState) {
        const UpdateState &u = *s.updateState;
        QJsonArray channels;
        for (auto it = u.channelPts.begin(); it != u.channelPts.end(); ++it)
            channels.append(QJsonObject{{QStringLiteral("id"), it.key()}, {QStringLiteral("pts"), it.value()}});
        a[QStringLiteral("update_state")] = QJsonObject{{QStringLiteral("pts"), optInt(u.pts)},
                                                        {QStringLiteral("qts"), optInt(u.qts)},
                                                        {QStringLiteral("date"), optInt(u.date)},
                                                        {QStringLiteral("seq"), optInt(u.seq)},
                                                        {QStringLiteral("channels"), channels}};
    } else {
        a[QStringLiteral("update_state")] = QJsonValue::Null;
    }
    QJsonArray peers;
    for (const Peer &p : s.peers)
        peers.append(peerToJson(p));
    a[QStringLiteral("peers")] = peers;
    QJsonArray convs;
    for (const Conversation &c : s.conversations) {
        QJsonObject o;
        o[QStringLiteral("chat_id")] = c.chatId;
        o[QStringLiteral("user_id")] = c.userId;
        o[QStringLiteral("name")] = c.name;
        o[QStringLiteral("step")] = c.step;
        o[QStringLiteral("data")] = b64(c.data);
        o[QStringLiteral("created")] = optInt(c.created);
        o[QStringLiteral("updated")] = optInt(c.updated);
        if (!c.extra.isEmpty())
            o[QStringLiteral("extra")] = extraJson(c.extra);
        convs.append(o);
    }
    a[QStringLiteral("conversations")] = convs;
    a[QStringLiteral("extra")] = extraJson(s.extra);
    return a;
}

// --- decode ----------------------------------------------------------------------------------

std::optional<PeerType> peerTypeFrom(const QString &name)
{
    for (size_t i = 0; i < std::size(kPeerTypes); ++i)
        if (name == QLatin1String(kPeerTypes[i]))
            return static_cast<PeerType>(i);
    return std::nullopt;
}

Session sessionFrom(const QJsonObject &a, Reader &r)
{
    Session s;
    s.dcId = static_cast<int>(r.reqInt(a, "dc_id"));
    s.testMode = r.optBool(a, "test_mode");
    s.userId = r.optInt(a, "user_id");
    s.isBot = r.optBool(a, "is_bot");
    if (auto v = r.optInt(a, "api_id"))
        s.apiId = static_cast<qint32>(*v);
    s.apiHash = r.optStr(a, "api_hash");
    s.firstName = r.optStr(a, "first_name");
    s.lastName = r.optStr(a, "last_name");
    s.username = r.optStr(a, "username");
    s.phone = r.optStr(a, "phone");
    s.takeoutId = r.optInt(a, "takeout_id");
    if (auto v = r.optInt(a, "media_dc_id"))
        s.mediaDcId = static_cast<int>(*v);
    for (const QJsonValue &dv : r.array(a, "dcs")) {
        const QJsonObject o = dv.toObject();
        DcAuth d;
        d.dcId = static_cast<int>(r.reqInt(o, "dc_id"));
        d.address = r.optStr(o, "address").value_or(QString());
        d.port = static_cast<int>(r.optInt(o, "port").value_or(0));
        d.ipv6 = r.optBool(o, "ipv6").value_or(false);
        d.mediaOnly = r.optBool(o, "media_only").value_or(false);
        d.testMode = r.optBool(o, "test_mode");
        QByteArray key = r.bytes(o, "auth_key");
        d.authKey = SecretBytes::fromByteArray(key);
        wipe(key);
        if (auto id = r.optStr(o, "auth_key_id"); id && !d.authKey.isEmpty() && *id != d.authKeyId())
            r.fail(QStringLiteral("auth_key_id %1 does not match the key of DC %2").arg(*id).arg(d.dcId));
        d.salt = r.optInt(o, "salt");
        d.isTemp = r.optBool(o, "temporary").value_or(false);
        d.expiresAt = r.optInt(o, "expires_at");
        d.extra = extraFrom(o, "extra");
        s.dcs.push_back(std::move(d));
    }
    const QJsonValue us = a.value(QStringLiteral("update_state"));
    if (us.isObject()) {
        const QJsonObject o = us.toObject();
        UpdateState u;
        u.pts = r.optInt(o, "pts");
        u.qts = r.optInt(o, "qts");
        u.date = r.optInt(o, "date");
        u.seq = r.optInt(o, "seq");
        for (const QJsonValue &cv : r.array(o, "channels")) {
            const QJsonObject c = cv.toObject();
            u.channelPts.insert(r.reqInt(c, "id"), r.reqInt(c, "pts"));
        }
        s.updateState = u;
    }
    const QJsonArray peers = r.array(a, "peers");
    s.peers.reserve(static_cast<size_t>(peers.size()));
    for (const QJsonValue &pv : peers) {
        const QJsonObject o = pv.toObject();
        Peer p;
        p.id = r.reqInt(o, "id");
        const auto type = peerTypeFrom(r.optStr(o, "type").value_or(QString()));
        if (!type)
            r.fail(QStringLiteral("peer %1 has an unknown type").arg(p.id));
        p.type = type.value_or(PeerType::User);
        p.accessHash = r.optInt(o, "access_hash");
        for (const QJsonValue &u : r.array(o, "usernames"))
            p.usernames << u.toString();
        p.phone = r.optStr(o, "phone");
        p.name = r.optStr(o, "name");
        p.isMin = r.optBool(o, "min").value_or(false);
        p.updated = r.optInt(o, "updated");
        p.raw = r.bytes(o, "raw");
        p.rawFormat = r.optStr(o, "raw_format").value_or(QString());
        p.extra = extraFrom(o, "extra");
        s.peers.push_back(std::move(p));
        if (!r.error.isEmpty())
            break;
    }
    for (const QJsonValue &cv : r.array(a, "conversations")) {
        const QJsonObject o = cv.toObject();
        Conversation c;
        c.chatId = r.reqInt(o, "chat_id");
        c.userId = r.reqInt(o, "user_id");
        c.name = r.optStr(o, "name").value_or(QString());
        c.step = r.optStr(o, "step").value_or(QString());
        c.data = r.bytes(o, "data");
        c.created = r.optInt(o, "created");
        c.updated = r.optInt(o, "updated");
        c.extra = extraFrom(o, "extra");
        s.conversations.push_back(std::move(c));
    }
    s.extra = extraFrom(a, "extra");
    return s;
}

} // namespace

QByteArray encodeSessiondeskJson(const Store &store, qint64 exportedAt)
{
    QJsonArray accounts;
    for (const Session &s : store.accounts)
        accounts.append(sessionToJson(s));
    // Header first (detection reads the first bytes); QJsonObject would sort "accounts" ahead.
    QByteArray out = "{\"sessiondesk\": " + QByteArray::number(kSessiondeskJsonVersion)
        + ",\n \"format\": \"sessiondesk-json\",\n \"exported_at\": " + QByteArray::number(exportedAt);
    if (!store.formatId.isEmpty() && store.formatId != QLatin1String("sessiondesk-json"))
        out += ",\n \"source_format\": " + QJsonDocument(QJsonArray{store.formatId}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    out += ",\n \"accounts\": " + QJsonDocument(accounts).toJson(QJsonDocument::Indented) + "}\n";
    return out;
}

Result<Store> decodeSessiondeskJson(const QByteArray &data)
{
    QJsonParseError pe {};
    const QJsonDocument doc = QJsonDocument::fromJson(data, &pe);
    if (pe.error != QJsonParseError::NoError)
        return Error::badInput(QStringLiteral("not valid JSON at offset %1: %2").arg(pe.offset).arg(pe.errorString()));
    if (!doc.isObject())
        return Error::badInput(QStringLiteral("not a SessionDesk export (no top-level object)"));
    const QJsonObject root = doc.object();
    const QJsonValue version = root.value(QStringLiteral("sessiondesk"));
    if (!version.isDouble())
        return Error::badInput(QStringLiteral("not a SessionDesk export (no \"sessiondesk\" version)"));
    if (version.toInteger() != kSessiondeskJsonVersion)
        return Error::badInput(QStringLiteral("unsupported SessionDesk export version %1 (this build reads version %2)")
                                   .arg(version.toInteger())
                                   .arg(kSessiondeskJsonVersion));
    Reader r;
    Store store;
    store.formatId = QStringLiteral("sessiondesk-json");
    store.formatVersion = kSessiondeskJsonVersion;
    if (auto src = r.optStr(root, "source_format"))
        store.variant = QStringLiteral("from ") + *src;
    for (const QJsonValue &av : r.array(root, "accounts")) {
        if (!av.isObject())
            return Error::badInput(QStringLiteral("an account is not an object"));
        store.accounts.push_back(sessionFrom(av.toObject(), r));
        if (!r.error.isEmpty())
            break;
    }
    if (!r.error.isEmpty())
        return Error::badInput(QStringLiteral("corrupt SessionDesk export: %1").arg(r.error));
    if (store.accounts.empty())
        return Error::badInput(QStringLiteral("the SessionDesk export holds no account"));
    return store;
}

Capabilities sessiondeskCapabilities()
{
    using C = Capability;
    return C::DcId | C::Address | C::MediaDc | C::TestFlag | C::AuthKey | C::MultiDc | C::UserId | C::IsBot | C::ApiId
        | C::ApiHash | C::UpdateState | C::ChannelPts | C::Peers | C::PeerTimestamps | C::Phones | C::Conversations
        | C::MultiAccount;
}

void applyLoadOptions(Store &store, const ReadOptions &options)
{
    if (!options.loadPeers) {
        for (Session &s : store.accounts) {
            s.peerCountsOnly = s.peerCounts();
            s.peers.clear();
        }
    }
    if (!options.loadConversations) {
        for (Session &s : store.accounts) {
            s.conversationCountOnly = s.conversationCount();
            s.conversations.clear();
        }
    }
}

} // namespace sd
