#include "gotdsession.h"

#include "domain/dcaddress.h"
#include "util/base64.h"
#include "util/hostport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sd::gotd {

namespace {

const QString kConfigExtra = QStringLiteral("gotd_config");

// "ip:port", "[v6]:port" or a bare address (gotd's tdesktop converter writes no port).
void splitAddr(const QString &addr, QString *host, int *port)
{
    if (const auto hp = parseHostPort(addr, PortRule::Optional)) {
        *host = hp->host;
        *port = hp->port;
    } else {
        *host = addr.trimmed();
        *port = 0;
    }
}

// A []byte field: standard padded base64, or null for a nil slice.
std::optional<QByteArray> bytesField(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return QByteArray();
    if (!v.isString())
        return std::nullopt;
    return base64DecodeStrict(v.toString().toLatin1(), B64::Standard);
}

std::optional<qint64> intField(const QJsonValue &v)
{
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isDouble())
        return std::nullopt;
    return v.toInteger();
}

} // namespace

bool looksLikeSessionJson(const QByteArray &text)
{
    const QByteArray t = text.trimmed();
    if (!t.startsWith('{') || !t.contains("\"Version\"") || !t.contains("\"Data\""))
        return false;
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(t, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    const QJsonObject o = doc.object();
    return o.contains(QStringLiteral("Version")) && o.value(QStringLiteral("Data")).isObject();
}

Result<Session> parseSessionJson(const QByteArray &json, bool ignoreVersion, QStringList *warnings)
{
    if (json.size() > kMaxSessionJson)
        return Error::badInput(QStringLiteral("gotd session JSON is too large"));
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(json.trimmed(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return Error::badInput(QStringLiteral("not valid gotd session JSON: %1").arg(err.errorString()));
    const QJsonObject root = doc.object();
    const QJsonValue version = root.value(QStringLiteral("Version"));
    const QJsonValue dataV = root.value(QStringLiteral("Data"));
    if (!version.isDouble() || !dataV.isObject())
        return Error::badInput(QStringLiteral("gotd session JSON needs \"Version\" and \"Data\""));
    if (version.toInteger() != kSessionVersion) {
        if (!ignoreVersion)
            return Error::badInput(QStringLiteral("unsupported gotd session version %1 (gotd reads only version 1 and treats "
                                                  "anything else as no session)").arg(version.toInteger()));
        if (warnings)
            *warnings << QStringLiteral("gotd session version %1 read as version 1").arg(version.toInteger());
    }
    const QJsonObject data = dataV.toObject();

    auto key = bytesField(data.value(QStringLiteral("AuthKey")));
    auto keyId = bytesField(data.value(QStringLiteral("AuthKeyID")));
    if (!key)
        return Error::badInput(QStringLiteral("AuthKey is not standard base64"));
    if (!keyId)
        return Error::badInput(QStringLiteral("AuthKeyID is not standard base64"));
    if (!key->isEmpty() && key->size() != 256) {
        const auto n = key->size();
        wipe(*key);
        return Error::badInput(QStringLiteral("AuthKey is %1 bytes (expected 256)").arg(n));
    }
    Session s;
    const SecretBytes authKey = SecretBytes::fromByteArray(*key);
    wipe(*key);
    if (!authKey.isEmpty() && *keyId != authKeyIdBytes(authKey))
        return Error::badInput(QStringLiteral("AuthKeyID does not match SHA1(AuthKey)[12:20]; gotd rejects this file "
                                              "(\"corrupted key\")"));

    const auto dc = intField(data.value(QStringLiteral("DC")));
    if (!dc || *dc < 0 || *dc > 10000)
        return Error::badInput(QStringLiteral("DC is missing or invalid"));
    s.dcId = static_cast<int>(*dc);

    const QJsonValue configV = data.value(QStringLiteral("Config"));
    QJsonArray options;
    if (configV.isObject()) {
        const QJsonObject config = configV.toObject();
        s.testMode = config.value(QStringLiteral("TestMode")).toBool(false);
        options = config.value(QStringLiteral("DCOptions")).toArray();
        s.extra[kConfigExtra] = config.toVariantMap();
    }

    if (s.dcId > 0 || !authKey.isEmpty()) {
        DcAuth &d = s.upsertDc(s.dcId);
        d.authKey = authKey;
        d.salt = intField(data.value(QStringLiteral("Salt"))).value_or(0);
        d.testMode = s.testMode;
        splitAddr(data.value(QStringLiteral("Addr")).toString(), &d.address, &d.port);
        if (d.address.isEmpty()) {
            // The first plain (non-media, non-CDN, non-TCPO-only) option of the DC, as gotd picks it.
            for (const QJsonValue &ov : options) {
                const QJsonObject o = ov.toObject();
                if (o.value(QStringLiteral("ID")).toInt() != s.dcId || o.value(QStringLiteral("MediaOnly")).toBool()
                    || o.value(QStringLiteral("CDN")).toBool() || o.value(QStringLiteral("TCPObfuscatedOnly")).toBool())
                    continue;
                d.address = o.value(QStringLiteral("IPAddress")).toString();
                d.port = o.value(QStringLiteral("Port")).toInt();
                d.ipv6 = o.value(QStringLiteral("Ipv6")).toBool();
                break;
            }
        } else {
            d.ipv6 = d.address.contains(QLatin1Char(':'));
        }
        if (d.address.isEmpty() || d.port == 0) {
            if (auto def = defaultDcAddress(s.dcId, s.testMode.value_or(false))) {
                if (d.address.isEmpty())
                    d.address = def->address;
                if (d.port == 0)
                    d.port = 443; // gotd connects on 443 for production and test DCs
            }
        }
    }
    return s;
}

Result<QByteArray> buildSessionJson(const Session &session)
{
    const DcAuth *p = session.primary();
    if (!p || p->authKey.size() != 256)
        return Error::badInput(QStringLiteral("the session has no 256-byte auth key for its main DC"));
    const int dc = session.dcId > 0 ? session.dcId : p->dcId;
    const bool test = session.testMode.value_or(p->testMode.value_or(false));

    QJsonObject config;
    const QVariantMap kept = session.extra.value(kConfigExtra).toMap();
    if (!kept.isEmpty()) {
        config = QJsonObject::fromVariantMap(kept);
    } else {
        config[QStringLiteral("BlockedMode")] = false;
        config[QStringLiteral("ForceTryIpv6")] = false;
        config[QStringLiteral("Date")] = 0;
        config[QStringLiteral("Expires")] = 0;
        config[QStringLiteral("ThisDC")] = 0;
        config[QStringLiteral("DCOptions")] = QJsonValue::Null;
        config[QStringLiteral("DCTxtDomainName")] = QString();
        config[QStringLiteral("TmpSessions")] = 0;
        config[QStringLiteral("WebfileDCID")] = 0;
    }
    config[QStringLiteral("TestMode")] = test;

    QString host = p->address;
    int port = p->port;
    if (host.isEmpty()) {
        if (auto def = defaultDcAddress(dc, test)) {
            host = def->address;
            port = 443;
        }
    }
    if (port == 0)
        port = 443;
    QString addr;
    if (!host.isEmpty())
        addr = host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]:%2").arg(host).arg(port)
                                               : QStringLiteral("%1:%2").arg(host).arg(port);

    QByteArray key = p->authKey.exposeUnsafe();
    QByteArray keyB64 = base64Encode(key, B64::Standard);
    wipe(key);
    QJsonObject data;
    data[QStringLiteral("Config")] = config;
    data[QStringLiteral("DC")] = dc;
    data[QStringLiteral("Addr")] = addr;
    data[QStringLiteral("AuthKey")] = QString::fromLatin1(keyB64);
    wipe(keyB64);
    data[QStringLiteral("AuthKeyID")] = QString::fromLatin1(base64Encode(authKeyIdBytes(p->authKey), B64::Standard));
    data[QStringLiteral("Salt")] = QJsonValue(p->salt.value_or(0));
    QJsonObject root;
    root[QStringLiteral("Version")] = kSessionVersion;
    root[QStringLiteral("Data")] = data;
    QByteArray out = QJsonDocument(root).toJson(QJsonDocument::Compact);
    // The QString copies inside the JSON objects go away with them; the caller wipes out.
    return out;
}

} // namespace sd::gotd
