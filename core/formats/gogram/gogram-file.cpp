// gogram-file: session.dat, compact JSON {key, hash, salt, hostname, app_id} inside an AES
// container (docs/formats.md 5.1). Reads v2, v1, legacy and unencrypted JSON; writes v2.
#include "formats/families.h"
#include "io/inputfile.h"
#include "formats/gogram/gogram-common.h"
#include "formats/gogram/gogram-crypto.h"

#include "io/atomicfile.h"
#include "util/base64.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

#include <openssl/rand.h>

namespace sd {

namespace {

constexpr qint64 kMaxFile = inputcap::kGogramFile;

QByteArray keyString(const std::optional<SecretBytes> &passcode)
{
    if (passcode && !passcode->isEmpty())
        return passcode->exposeUnsafe();
    return QByteArray(gogram::kDefaultAesKey);
}

Result<gogram::Auth> parsePlain(const QByteArray &plain)
{
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(plain, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return Error::badInput(QStringLiteral("gogram session file: the decrypted content is not a JSON object"));
    const QJsonObject o = doc.object();
    auto b64 = [&o](const char *name, QByteArray &out) -> bool {
        const QJsonValue v = o.value(QLatin1String(name));
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isString())
            return false;
        auto d = base64DecodeLenient(v.toString().toLatin1());
        if (!d)
            return false;
        out = *d;
        return true;
    };
    gogram::Auth a;
    QByteArray salt;
    if (!b64("key", a.key) || !b64("hash", a.hash) || !b64("salt", salt))
        return Error::badInput(QStringLiteral("gogram session file: key, hash or salt is not base64"));
    if (a.key.isEmpty())
        return Error::badInput(QStringLiteral("gogram session file: no auth key"));
    if (!a.hash.isEmpty() && a.hash.size() != 8)
        return Error::badInput(QStringLiteral("gogram session file: hash is %1 bytes, 8 expected").arg(a.hash.size()));
    if (salt.size() == 8)
        a.salt = qFromLittleEndian<qint64>(salt.constData());
    else if (!salt.isEmpty())
        return Error::badInput(QStringLiteral("gogram session file: salt is %1 bytes, 8 expected").arg(salt.size()));
    const QJsonValue host = o.value(QLatin1String("hostname"));
    if (!host.isString())
        return Error::badInput(QStringLiteral("gogram session file: no hostname"));
    a.hostPort = host.toString();
    const QJsonValue app = o.value(QLatin1String("app_id"));
    if (app.isDouble()) {
        const qint64 n = app.toInteger(-1LL << 40);
        if (n < INT32_MIN || n > INT32_MAX)
            return Error::badInput(QStringLiteral("gogram session file: app_id out of range"));
        a.appId = static_cast<qint32>(n);
    } else if (!app.isUndefined() && !app.isNull()) {
        return Error::badInput(QStringLiteral("gogram session file: app_id is not a number"));
    }
    return a;
}

QByteArray plainJson(const gogram::Auth &a)
{
    QByteArray salt(8, '\0');
    qToLittleEndian<qint64>(a.salt.value_or(0), salt.data());
    return "{\"key\":" + gogram::goJsonString(base64Encode(a.key, B64::Standard)) + ",\"hash\":"
        + gogram::goJsonString(base64Encode(a.hash, B64::Standard)) + ",\"salt\":"
        + gogram::goJsonString(base64Encode(salt, B64::Standard)) + ",\"hostname\":"
        + gogram::goJsonString(a.hostPort.toUtf8()) + ",\"app_id\":" + QByteArray::number(a.appId) + "}";
}

struct Opened {
    gogram::Auth auth;
    QString variant;
    int version = 0;
};

Result<Opened> open(const QByteArray &data, const QByteArray &key, bool customKey)
{
    Opened o;
    QByteArray plain;
    if (data.startsWith('{')) {
        plain = data;
        o.variant = QStringLiteral("plain");
    } else {
        auto d = gogram::decryptContainer(data, key);
        if (!d) {
            if (d.error().kind == ErrorKind::Secret && !customKey)
                return Error::secret(QStringLiteral("gogram session file is not readable with the default key "
                                                    "(encrypted with a custom SessionAESKey? give it with --passcode-file)"));
            return d.error();
        }
        plain = d->plain;
        wipe(d->plain);
        o.variant = d->container == gogram::Container::V2 ? QStringLiteral("v2")
            : d->container == gogram::Container::V1     ? QStringLiteral("v1")
                                                        : QStringLiteral("legacy");
        o.version = d->container == gogram::Container::V2 ? 2 : d->container == gogram::Container::V1 ? 1 : 0;
    }
    auto a = parsePlain(plain);
    wipe(plain);
    if (!a)
        return a.error();
    o.auth = *a;
    return o;
}

class GogramFile : public Format {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            using C = Capability;
            FormatDescriptor f;
            f.id = QStringLiteral("gogram-file");
            f.displayName = QStringLiteral("gogram session.dat");
            f.sourceKind = SourceKind::File;
            f.capabilities = C::DcId | C::Address | C::AuthKey | C::ApiId;
            f.fileName = QStringLiteral("{base}.dat");
            f.takesPasscode = true; // a custom file key (docs/formats.md 5.1)
            return f;
        }();
        return d;
    }

    int detect(const Probe &probe) const override
    {
        if (probe.isDirectory || probe.isSqlite || probe.size > kMaxFile || probe.head.size() != probe.size)
            return 0;
        const QByteArray &h = probe.head;
        if (h.startsWith('{')) {
            if (!h.contains("\"hostname\"") || !h.contains("\"key\""))
                return 0;
            auto o = open(h, {}, false);
            if (!o)
                return 0;
            const bool ok = gogram::toSession(o->auth, nullptr).ok();
            wipe(o->auth.key);
            return ok ? 70 : 0;
        }
        const auto kind = gogram::sniffContainer(h);
        if (!kind)
            return 0;
        auto o = open(h, QByteArray(gogram::kDefaultAesKey), false);
        if (o) {
            const bool ok = gogram::toSession(o->auth, nullptr).ok();
            wipe(o->auth.key);
            return ok ? 100 : 0;
        }
        // Magic but another key: still ours (inspect then asks for the key).
        if (*kind != gogram::Container::Legacy && o.error().kind == ErrorKind::Secret)
            return 80;
        return 0;
    }

    Result<Store> read(const Source &source, const ReadOptions &options) const override
    {
        if (source.isString())
            return Error::badInput(QStringLiteral("gogram-file is a file format, not a string"));
        auto data = readFileLimited(source.path, kMaxFile);
        if (!data)
            return data.error();
        QByteArray key = keyString(options.passcode);
        auto o = open(*data, key, options.passcode.has_value());
        wipe(key);
        wipe(*data);
        if (!o)
            return o.error();
        Store store;
        store.formatId = id();
        store.variant = o->variant;
        if (o->variant != QLatin1String("plain"))
            store.formatVersion = o->version;
        auto s = gogram::toSession(o->auth, &store.warnings);
        wipe(o->auth.key);
        if (!s)
            return s.error();
        store.accounts.push_back(std::move(*s));
        return store;
    }

    Status write(const Store &store, const QString &path, const WriteOptions &options) const override
    {
        auto account = accountToWrite(store);
        if (!account)
            return account.error();
        if (!options.variant.isEmpty() && options.variant != QLatin1String("v2"))
            return Error::usage(QStringLiteral("gogram-file writes only the current container (v2)"));
        auto a = gogram::fromSession(**account);
        if (!a)
            return a.error();
        QByteArray plain = plainJson(*a);
        wipe(a->key);
        QByteArray iv(16, '\0');
        if (RAND_bytes(reinterpret_cast<unsigned char *>(iv.data()), 16) != 1) {
            wipe(plain);
            return Error::output(QStringLiteral("no random bytes for the IV"));
        }
        QByteArray key = keyString(options.passcode);
        auto enc = gogram::encryptV2(plain, key, iv);
        wipe(key);
        wipe(plain);
        if (!enc)
            return enc.error();
        return writeFileAtomic(path, *enc, options.force);
    }
};

} // namespace

std::unique_ptr<Format> make_gogram_file() { return std::make_unique<GogramFile>(); }

} // namespace sd
