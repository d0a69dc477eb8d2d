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
    s >> extra;
    quint32 n = 0;
    s >> n;
    if (s.status() != QDataStream::Ok || n > kMaxKeys)
        return corrupt(QStringLiteral("extras are truncated"));
    session.extra = extra;
    for (quint32 k = 0; k < n; ++k) {
        qint32 index = -1;
        QVariantMap e;
        s >> index >> e;
        if (s.status() != QDataStream::Ok || index < 0 || static_cast<size_t>(index) >= session.dcs.size())
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
