#include "secretblob.h"

#include <QBuffer>
#include <QDataStream>
#include <cstring>
#include <openssl/crypto.h>

namespace sd {

namespace {
constexpr quint32 kBlobVersion = 1;
constexpr quint32 kMaxKeys = 256;
constexpr quint32 kMaxKeySize = 4096;
constexpr int kMaxBlob = 4 * 1024 * 1024;

QByteArray serializeMap(const QVariantMap &map)
{
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s.setVersion(QDataStream::Qt_6_4);
    s << map;
    return out;
}

Error corrupt(const QString &what)
{
    return Error::secret(QStringLiteral("the keychain entry is damaged (%1); remove the account and import it again").arg(what));
}

// The extras, read back from the QDataStream form serializeMap wrote, taking only the plain types
// the formats keep there (bool, integers, double, text, bytes, and lists and maps of them), at most
// kMaxExtraDepth deep, and no count larger than the bytes left could hold. QVariant's own reader
// constructs any registered type from the stream, and a damaged entry made it allocate 7.8 GB for
// a QEasingCurve (fuzz_vault_blob); the entry comes from the keychain, but a damaged or planted one
// must end in "damaged", never in the allocator.
constexpr int kMaxExtraDepth = 16;

bool countFits(QDataStream &s, quint32 n, int minBytesEach)
{
    const QIODevice *dev = s.device();
    return dev && static_cast<qint64>(n) * minBytesEach <= dev->bytesAvailable();
}

bool readPlainMap(QDataStream &s, QVariantMap &out, int depth);

bool readPlainVariant(QDataStream &s, QVariant &out, int depth)
{
    if (depth > kMaxExtraDepth)
        return false;
    quint32 type = 0;
    qint8 isNull = 0;
    s >> type >> isNull;
    if (s.status() != QDataStream::Ok)
        return false;
    switch (type) {
    case QMetaType::UnknownType: // an invalid QVariant: nothing follows (stream versions since Qt 5.0)
        out = QVariant();
        break;
    case QMetaType::Bool: { bool v = false; s >> v; out = v; break; }
    case QMetaType::Int: { qint32 v = 0; s >> v; out = v; break; }
    case QMetaType::UInt: { quint32 v = 0; s >> v; out = v; break; }
    case QMetaType::LongLong: { qint64 v = 0; s >> v; out = v; break; }
    case QMetaType::ULongLong: { quint64 v = 0; s >> v; out = v; break; }
    case QMetaType::Double: { double v = 0; s >> v; out = v; break; }
    case QMetaType::QString: { QString v; s >> v; out = v; break; }       // read in 1 MiB steps by Qt
    case QMetaType::QByteArray: { QByteArray v; s >> v; out = v; break; } // likewise
    case QMetaType::QStringList: {
        quint32 n = 0;
        s >> n;
        if (!countFits(s, n, 4))
            return false;
        QStringList l;
        for (quint32 i = 0; i < n && s.status() == QDataStream::Ok; ++i) {
            QString v;
            s >> v;
            l << v;
        }
        out = l;
        break;
    }
    case QMetaType::QVariantList: {
        quint32 n = 0;
        s >> n;
        if (!countFits(s, n, 5))
            return false;
        QVariantList l;
        for (quint32 i = 0; i < n; ++i) {
            QVariant v;
            if (!readPlainVariant(s, v, depth + 1))
                return false;
            l << v;
        }
        out = l;
        break;
    }
    case QMetaType::QVariantMap: {
        QVariantMap m;
        if (!readPlainMap(s, m, depth + 1))
            return false;
        out = m;
        break;
    }
    default:
        return false;
    }
    return s.status() == QDataStream::Ok;
}

bool readPlainMap(QDataStream &s, QVariantMap &out, int depth)
{
    if (depth > kMaxExtraDepth)
        return false;
    quint32 n = 0;
    s >> n;
    // Each entry: a key (at least its 4-byte length) and a value (at least type and null flag).
    if (s.status() != QDataStream::Ok || !countFits(s, n, 9))
        return false;
    for (quint32 i = 0; i < n; ++i) {
        QString key;
        s >> key;
        QVariant v;
        if (s.status() != QDataStream::Ok || !readPlainVariant(s, v, depth + 1))
            return false;
        out.insert(key, v);
    }
    return true;
}
} // namespace

SecretBytes encodeAccountSecrets(const Session &session)
{
    // Sized up front so that the buffer never reallocates and leaves unwiped copies of keys behind.
    QByteArray sessionExtra = serializeMap(session.extra);
    std::vector<QByteArray> dcExtras;
    qsizetype total = 64 + sessionExtra.size();
    for (const DcAuth &d : session.dcs) {
        total += 16 + static_cast<qsizetype>(d.authKey.size());
        dcExtras.push_back(d.extra.isEmpty() ? QByteArray() : serializeMap(d.extra));
        total += 8 + dcExtras.back().size();
    }
    total += 16 + 2 * session.apiHash.value_or(QString()).size();
    QByteArray buf;
    buf.reserve(total + 256);
    {
        QBuffer dev(&buf);
        dev.open(QIODevice::WriteOnly);
        QDataStream s(&dev);
        s.setVersion(QDataStream::Qt_6_4);
        s.writeRawData("SDVK", 4);
        s << kBlobVersion << static_cast<quint32>(session.dcs.size());
        for (size_t i = 0; i < session.dcs.size(); ++i) {
            const DcAuth &d = session.dcs[i];
            s << static_cast<qint32>(i) << static_cast<qint32>(d.dcId);
            s.writeBytes(reinterpret_cast<const char *>(d.authKey.data()), static_cast<uint>(d.authKey.size()));
        }
        s.writeRawData(sessionExtra.constData(), static_cast<int>(sessionExtra.size()));
        quint32 n = 0;
        for (const QByteArray &e : dcExtras)
            n += e.isEmpty() ? 0 : 1;
        s << n;
        for (size_t i = 0; i < dcExtras.size(); ++i) {
            if (dcExtras[i].isEmpty())
                continue;
            s << static_cast<qint32>(i);
            s.writeRawData(dcExtras[i].constData(), static_cast<int>(dcExtras[i].size()));
        }
        s << session.apiHash.has_value() << session.apiHash.value_or(QString());
    }
    SecretBytes out = SecretBytes::fromByteArray(buf);
    wipe(buf);
    wipe(sessionExtra);
    for (QByteArray &e : dcExtras)
        wipe(e);
    return out;
}

Status decodeAccountSecrets(const SecretBytes &blob, Session &session, const QStringList &expectedKeyIds)
{
    if (blob.size() < 12 || blob.size() > static_cast<size_t>(kMaxBlob))
        return corrupt(QStringLiteral("%1 bytes").arg(blob.size()));
    const QByteArray view = QByteArray::fromRawData(reinterpret_cast<const char *>(blob.data()),
                                                    static_cast<qsizetype>(blob.size()));
    QDataStream s(view);
    s.setVersion(QDataStream::Qt_6_4);
    char magic[4];
    if (s.readRawData(magic, 4) != 4 || std::memcmp(magic, "SDVK", 4) != 0)
        return corrupt(QStringLiteral("not a SessionDesk key entry"));
    quint32 version = 0, count = 0;
    s >> version >> count;
    if (version != kBlobVersion)
        return corrupt(QStringLiteral("entry version %1 is not supported").arg(version));
    if (count > kMaxKeys)
        return corrupt(QStringLiteral("%1 keys").arg(count));
    if (count != session.dcs.size())
        return corrupt(QStringLiteral("it holds %1 keys, the vault lists %2 DC entries").arg(count).arg(session.dcs.size()));
    for (quint32 k = 0; k < count; ++k) {
        qint32 index = -1, dc = 0;
        s >> index >> dc;
        char *raw = nullptr;
        uint len = 0;
        s.readBytes(raw, len);
        if (s.status() != QDataStream::Ok || index < 0 || static_cast<size_t>(index) >= session.dcs.size() || len > kMaxKeySize) {
            if (raw) {
                OPENSSL_cleanse(raw, len);
                delete[] raw;
            }
            return corrupt(QStringLiteral("key %1 is truncated").arg(k));
        }
        SecretBytes key(raw, len);
        if (raw) {
            OPENSSL_cleanse(raw, len);
            delete[] raw;
        }
        DcAuth &d = session.dcs[static_cast<size_t>(index)];
        const QString expected = static_cast<qsizetype>(index) < expectedKeyIds.size() ? expectedKeyIds[index] : QString();
        if (d.dcId != dc || authKeyId(key) != expected)
            return Error::secret(QStringLiteral("the keychain entry does not match the vault (DC %1: auth_key_id %2, "
                                                "expected %3); was the vault copied from another keychain?")
                                     .arg(dc)
                                     .arg(authKeyId(key).isEmpty() ? QStringLiteral("none") : authKeyId(key),
                                          expected.isEmpty() ? QStringLiteral("none") : expected));
        d.authKey = std::move(key);
    }
    QVariantMap extra;
    if (!readPlainMap(s, extra, 0))
        return corrupt(QStringLiteral("its extras are not readable"));
    quint32 n = 0;
    s >> n;
    if (s.status() != QDataStream::Ok || n > kMaxKeys)
        return corrupt(QStringLiteral("extras are truncated"));
    session.extra = extra;
    for (quint32 k = 0; k < n; ++k) {
        qint32 index = -1;
        QVariantMap e;
        s >> index;
        if (s.status() != QDataStream::Ok || !readPlainMap(s, e, 0) || index < 0 || static_cast<size_t>(index) >= session.dcs.size())
            return corrupt(QStringLiteral("DC extras are truncated"));
        session.dcs[static_cast<size_t>(index)].extra = e;
    }
    bool hasHash = false;
    QString hash;
    s >> hasHash >> hash;
    if (s.status() != QDataStream::Ok)
        return corrupt(QStringLiteral("truncated at the API hash"));
    if (hasHash)
        session.apiHash = hash;
    return {};
}

} // namespace sd
