// gogram-string: "1BvE" + base64url-no-pad(JSON) (current) and "1BvX" + base64url-no-pad(text)
// (legacy). docs/formats.md 5.2.
#include "formats/families.h"
#include "formats/gogram/gogram-common.h"

#include "domain/dcaddress.h"
#include "util/base64.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace sd {

namespace {

constexpr qsizetype kMaxString = 16 * 1024;
const QByteArray kPrefixJson = QByteArrayLiteral("1BvE");
const QByteArray kPrefixLegacy = QByteArrayLiteral("1BvX");

struct Decoded {
    gogram::Auth auth;
    QString variant; // "json" | "legacy"
};

Result<QByteArray> stdB64(const QJsonObject &o, const char *name)
{
    const QJsonValue v = o.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull())
        return QByteArray();
    if (!v.isString())
        return Error::badInput(QStringLiteral("gogram string: '%1' is not a string").arg(QLatin1String(name)));
    auto d = base64DecodeLenient(v.toString().toLatin1());
    if (!d)
        return Error::badInput(QStringLiteral("gogram string: '%1' is not base64").arg(QLatin1String(name)));
    return *d;
}

Result<qint64> intField(const QJsonObject &o, const char *name, qint64 lo, qint64 hi)
{
    const QJsonValue v = o.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull())
        return qint64(0);
    if (!v.isDouble())
        return Error::badInput(QStringLiteral("gogram string: '%1' is not a number").arg(QLatin1String(name)));
    const qint64 n = v.toInteger(lo - 1);
    if (n < lo || n > hi || static_cast<double>(n) != v.toDouble())
        return Error::badInput(QStringLiteral("gogram string: '%1' is out of range").arg(QLatin1String(name)));
    return n;
}

Result<gogram::Auth> decodeJson(const QByteArray &payload)
{
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return Error::badInput(QStringLiteral("gogram string: the payload is not a JSON object"));
    const QJsonObject o = doc.object();
    gogram::Auth a;
    auto key = stdB64(o, "key");
    if (!key)
        return key.error();
    a.key = *key;
    auto hash = stdB64(o, "hash");
    if (!hash)
        return hash.error();
    a.hash = *hash;
    if (!a.hash.isEmpty() && a.hash.size() != 8)
        return Error::badInput(QStringLiteral("gogram string: hash is %1 bytes, 8 expected").arg(a.hash.size()));
    auto dc = intField(o, "dc_id", 0, 1000000);
    if (!dc)
        return dc.error();
    a.dcId = static_cast<int>(*dc);
    auto app = intField(o, "app_id", INT32_MIN, INT32_MAX);
    if (!app)
        return app.error();
    a.appId = static_cast<qint32>(*app);
    const QJsonValue ip = o.value(QLatin1String("ip_addr"));
    if (ip.isString())
        a.hostPort = ip.toString();
    else if (!ip.isUndefined() && !ip.isNull())
        return Error::badInput(QStringLiteral("gogram string: 'ip_addr' is not a string"));
    if (a.hostPort.isEmpty() && a.dcId > 0)
        if (auto def = defaultDcAddress(a.dcId))
            a.hostPort = formatHostPort(def->address, def->port);
    if (a.key.isEmpty())
        return Error::badInput(QStringLiteral("gogram string: no auth key"));
    return a;
}

// key(raw) SEP hash(raw) SEP ip:port SEP dc SEP appId, SEP = ":_:" (new) or "::" (old).
Result<gogram::Auth> decodeLegacy(const QByteArray &t)
{
    gogram::Auth a;
    if (t.size() < 256 + 2 + 8 + 2)
        return Error::badInput(QStringLiteral("gogram legacy string: payload too short (%1 bytes)").arg(t.size()));
    a.key = t.left(256);
    QByteArray sep;
    if (t.mid(256, 3) == ":_:")
        sep = ":_:";
    else if (t.mid(256, 2) == "::")
        sep = "::";
    else
        return Error::badInput(QStringLiteral("gogram legacy string: no separator after the 256-byte key"));
    qsizetype pos = 256 + sep.size();
    a.hash = t.mid(pos, 8);
    pos += 8;
    if (t.mid(pos, sep.size()) != sep)
        return Error::badInput(QStringLiteral("gogram legacy string: no separator after the key hash"));
    pos += sep.size();
    const QByteArray rest = t.mid(pos);
    // ip:port: a bracketed IPv6 address may contain "::", so find the end of the port first.
    qsizetype hostEnd = 0;
    if (rest.startsWith('[')) {
        const qsizetype close = rest.indexOf("]:");
        if (close < 0)
            return Error::badInput(QStringLiteral("gogram legacy string: bad IPv6 address"));
        hostEnd = rest.indexOf(sep, close + 2);
    } else {
        hostEnd = rest.indexOf(sep);
    }
    if (hostEnd < 0)
        return Error::badInput(QStringLiteral("gogram legacy string: missing DC and app id"));
    a.hostPort = QString::fromLatin1(rest.left(hostEnd));
    const QByteArray r = rest.mid(hostEnd + sep.size());
    const qsizetype s2 = r.indexOf(sep);
    if (s2 < 0)
        return Error::badInput(QStringLiteral("gogram legacy string: missing app id"));
    const QList<QByteArray> parts = {r.left(s2), r.mid(s2 + sep.size())};
    bool ok1 = false, ok2 = false;
    const int dc = parts[0].toInt(&ok1);
    const qint32 app = parts[1].toInt(&ok2);
    if (!ok1 || !ok2 || dc < 0 || dc > 1000000)
        return Error::badInput(QStringLiteral("gogram legacy string: DC or app id is not a number"));
    a.dcId = dc;
    a.appId = app;
    return a;
}

Result<Decoded> decodeString(const QByteArray &text)
{
    if (text.size() > kMaxString)
        return Error::badInput(QStringLiteral("gogram string: too long (%1 characters)").arg(text.size()));
    const bool json = text.startsWith(kPrefixJson);
    if (!json && !text.startsWith(kPrefixLegacy))
        return Error::badInput(QStringLiteral("not a gogram string (no 1BvE/1BvX prefix)"));
    auto payload = base64DecodeLenient(text.mid(4));
    if (!payload || text.mid(4).contains('='))
        return Error::badInput(QStringLiteral("gogram string: the text after the prefix is not unpadded base64url"));
    auto a = json ? decodeJson(*payload) : decodeLegacy(*payload);
    wipe(*payload);
    if (!a)
        return a.error();
    return Decoded{*a, json ? QStringLiteral("json") : QStringLiteral("legacy")};
}

QByteArray encodeJson(const gogram::Auth &a)
{
    QByteArray j = "{";
    auto sep = [&j]() {
        if (j.size() > 1)
            j += ',';
    };
    if (!a.key.isEmpty()) {
        j += "\"key\":" + gogram::goJsonString(base64Encode(a.key, B64::Standard));
    }
    if (!a.hash.isEmpty()) {
        sep();
        j += "\"hash\":" + gogram::goJsonString(base64Encode(a.hash, B64::Standard));
    }
    if (a.dcId != 0) {
        sep();
        j += "\"dc_id\":" + QByteArray::number(a.dcId);
    }
    if (!a.hostPort.isEmpty()) {
        sep();
        j += "\"ip_addr\":" + gogram::goJsonString(a.hostPort.toUtf8());
    }
    if (a.appId != 0) {
        sep();
        j += "\"app_id\":" + QByteArray::number(a.appId);
    }
    j += '}';
    QByteArray out = base64Encode(j, B64::UrlNoPad, kPrefixJson);
    wipe(j);
    return out;
}

QByteArray encodeLegacy(const gogram::Auth &a)
{
    const QByteArray sep = ":_:";
    QByteArray t = a.key + sep + a.hash + sep + a.hostPort.toLatin1() + sep + QByteArray::number(a.dcId) + sep
        + QByteArray::number(a.appId);
    QByteArray out = base64Encode(t, B64::UrlNoPad, kPrefixLegacy);
    wipe(t);
    return out;
}

class GogramString : public Format {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            using C = Capability;
            FormatDescriptor f;
            f.id = QStringLiteral("gogram-string");
            f.displayName = QStringLiteral("gogram string session");
            f.sourceKind = SourceKind::String;
            f.capabilities = C::DcId | C::Address | C::AuthKey | C::ApiId;
            f.fileName = QStringLiteral("{base}.txt");
            return f;
        }();
        return d;
    }

    int detect(const Probe &probe) const override
    {
        if (!probe.isString || !(probe.text.startsWith(kPrefixJson) || probe.text.startsWith(kPrefixLegacy)))
            return 0;
        auto d = decodeString(probe.text);
        if (!d)
            return 0;
        const bool ok = gogram::toSession(d->auth, nullptr).ok();
        wipe(d->auth.key);
        return ok ? 100 : 0;
    }

    Result<Store> read(const Source &source, const ReadOptions &) const override
    {
        auto text = readStringSource(source);
        if (!text)
            return text.error();
        auto d = decodeString(*text);
        wipe(*text);
        if (!d)
            return d.error();
        Store store;
        store.formatId = id();
        store.variant = d->variant;
        auto s = gogram::toSession(d->auth, &store.warnings);
        wipe(d->auth.key);
        if (!s)
            return s.error();
        store.accounts.push_back(std::move(*s));
        return store;
    }

    Result<QByteArray> encodeString(const Session &session, const WriteOptions &options) const override
    {
        const QString v = options.variant;
        if (!v.isEmpty() && v != QLatin1String("json") && v != QLatin1String("legacy"))
            return Error::usage(QStringLiteral("gogram-string variants: json (default), legacy"));
        auto a = gogram::fromSession(session);
        if (!a)
            return a.error();
        QByteArray out = v == QLatin1String("legacy") ? encodeLegacy(*a) : encodeJson(*a);
        wipe(a->key);
        return out;
    }
};

} // namespace

std::unique_ptr<Format> make_gogram_string() { return std::make_unique<GogramString>(); }

} // namespace sd
