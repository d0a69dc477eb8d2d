#include "tdatafile.h"

#include "crypto/crypto.h"

#include <QRegularExpression>
#include <QtEndian>

namespace sd::tdata {

namespace {
const QByteArray kMagic("TDF$", 4);

QByteArray le32(qint32 v)
{
    char b[4];
    qToLittleEndian<qint32>(v, b);
    return QByteArray(b, 4);
}
} // namespace

QString dataName(const QString &keyName, int index)
{
    return index > 0 ? QStringLiteral("%1#%2").arg(keyName).arg(index + 1) : keyName;
}

QString filePart(const QString &dataName)
{
    static const char hex[] = "0123456789ABCDEF";
    const QByteArray md5 = crypto::md5(dataName.toUtf8());
    QString out;
    for (int i = 0; i < 8 && i < md5.size(); ++i) {
        const auto b = static_cast<quint8>(md5[i]);
        out += QLatin1Char(hex[b & 0x0F]);
        out += QLatin1Char(hex[b >> 4]);
    }
    return out;
}

bool hasTdfMagic(const QByteArray &head) { return head.startsWith(kMagic); }

Result<qint32> parseVersion(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch())
        return Error::usage(QStringLiteral("'%1' is not a Telegram Desktop version (X.Y.Z, e.g. 4.6.5)").arg(text));
    const qint64 v = m.captured(1).toLongLong() * 1000000 + m.captured(2).toLongLong() * 1000 + m.captured(3).toLongLong();
    if (v < kOldestWriteVersion || v > kNewestKnownVersion)
        return Error::usage(QStringLiteral("Telegram Desktop version %1 is outside what SessionDesk can write (%2 to %3)")
                                .arg(text, versionString(kOldestWriteVersion), versionString(kNewestKnownVersion)));
    return static_cast<qint32>(v);
}

QString versionString(qint32 version)
{
    return QStringLiteral("%1.%2.%3").arg(version / 1000000).arg(version / 1000 % 1000).arg(version % 1000);
}

Result<TdfFile> parseTdf(const QByteArray &bytes)
{
    if (bytes.size() < 4 || !bytes.startsWith(kMagic))
        return Error::badInput(QStringLiteral("not a TDF$ file (bad magic)"));
    if (bytes.size() < 24)
        return Error::badInput(QStringLiteral("TDF$ file is truncated (%1 bytes)").arg(bytes.size()));
    TdfFile f;
    const QByteArray versionBytes = bytes.mid(4, 4);
    f.version = qFromLittleEndian<qint32>(versionBytes.constData());
    const qsizetype n = bytes.size() - 24;
    f.data = bytes.mid(8, n);
    const QByteArray expected = crypto::md5({f.data, le32(static_cast<qint32>(n)), versionBytes, kMagic});
    if (expected != bytes.right(16))
        return Error::badInput(QStringLiteral("TDF$ checksum mismatch (file is corrupt)"));
    return f;
}

QByteArray buildTdf(const QByteArray &data, qint32 version)
{
    const QByteArray v = le32(version);
    return kMagic + v + data + crypto::md5({data, le32(static_cast<qint32>(data.size())), v, kMagic});
}

std::optional<QByteArray> readQByteArray(ByteReader &r)
{
    const quint32 len = r.u32be();
    if (!r.ok())
        return std::nullopt;
    if (len == 0xFFFFFFFFu)
        return QByteArray();
    if (static_cast<qint64>(len) > r.remaining()) {
        r.fail();
        return std::nullopt;
    }
    QByteArray b = r.bytes(static_cast<qsizetype>(len));
    if (!r.ok())
        return std::nullopt;
    return b;
}

void writeQByteArray(ByteWriter &w, const QByteArray &bytes)
{
    w.u32be(static_cast<quint32>(bytes.size()));
    w.bytes(bytes);
}

Result<MtpAuthorization> parseMtpAuthorization(const QByteArray &payload)
{
    ByteReader outer(payload);
    const qint32 block = outer.i32be();
    if (!outer.ok())
        return Error::badInput(QStringLiteral("account settings are empty"));
    if (block != kMtpAuthorizationBlock)
        return Error::badInput(QStringLiteral("account settings do not start with the MTP authorization block (got 0x%1)")
                                   .arg(static_cast<quint32>(block), 0, 16));
    auto blob = readQByteArray(outer);
    if (!blob)
        return Error::badInput(QStringLiteral("MTP authorization block is truncated"));
    ByteReader r(*blob);
    MtpAuthorization a;
    const qint32 legacyUser = r.i32be();
    const qint32 legacyDc = r.i32be();
    if (legacyUser == -1 && legacyDc == -1) {
        a.userId = r.i64be();
        a.mainDcId = r.i32be();
    } else {
        a.userId = legacyUser;
        a.mainDcId = legacyDc;
    }
    auto readKeys = [&r](std::vector<DcKey> &out) -> bool {
        const quint32 count = r.u32be();
        if (!r.ok() || count > static_cast<quint32>(kMaxKeys) || static_cast<qint64>(count) * 260 > r.remaining())
            return false;
        for (quint32 i = 0; i < count; ++i) {
            DcKey k;
            k.dcId = r.i32be();
            QByteArray key = r.bytes(256);
            if (!r.ok())
                return false;
            k.key = SecretBytes::fromByteArray(key);
            wipe(key);
            out.push_back(std::move(k));
        }
        return true;
    };
    if (!r.ok() || !readKeys(a.keys))
        return Error::badInput(QStringLiteral("MTP authorization keys are truncated or corrupt"));
    // keysToDestroy: absent in some very old files; a truncated list is corrupt.
    if (!r.atEnd() && !readKeys(a.keysToDestroy))
        return Error::badInput(QStringLiteral("MTP authorization keys-to-destroy list is corrupt"));
    if (a.mainDcId <= 0 || a.mainDcId > 10000)
        return Error::badInput(QStringLiteral("MTP authorization has an invalid main DC id %1").arg(a.mainDcId));
    return a;
}

QByteArray buildMtpAuthorization(const MtpAuthorization &auth)
{
    ByteWriter b;
    b.i32be(-1);
    b.i32be(-1);
    b.i64be(auth.userId);
    b.i32be(auth.mainDcId);
    for (const auto *list : {&auth.keys, &auth.keysToDestroy}) {
        b.u32be(static_cast<quint32>(list->size()));
        for (const DcKey &k : *list) {
            b.i32be(k.dcId);
            b.bytes(k.key.data(), static_cast<qsizetype>(k.key.size()));
        }
    }
    ByteWriter out;
    out.i32be(kMtpAuthorizationBlock);
    writeQByteArray(out, b.data());
    wipe(b.data());
    return out.data();
}

Result<KeyData> parseKeyData(const QByteArray &tdfData)
{
    ByteReader r(tdfData);
    auto salt = readQByteArray(r);
    auto key = readQByteArray(r);
    auto info = readQByteArray(r);
    if (!salt || !key || !info)
        return Error::badInput(QStringLiteral("key file is truncated"));
    if (salt->size() != 32)
        return Error::badInput(QStringLiteral("key file has a %1-byte salt (expected 32)").arg(salt->size()));
    return KeyData{*salt, *key, *info};
}

QByteArray buildKeyData(const KeyData &kd)
{
    ByteWriter w;
    writeQByteArray(w, kd.salt);
    writeQByteArray(w, kd.keyEncrypted);
    writeQByteArray(w, kd.infoEncrypted);
    return w.data();
}

Result<AccountList> parseAccountList(const QByteArray &info)
{
    ByteReader r(info);
    const qint32 count = r.i32be();
    if (!r.ok() || count < 0 || count > kMaxAccounts)
        return Error::badInput(QStringLiteral("account list is corrupt (count %1)").arg(count));
    AccountList l;
    for (qint32 i = 0; i < count; ++i) {
        const qint32 idx = r.i32be();
        if (!r.ok() || idx < 0 || idx >= kMaxAccounts)
            return Error::badInput(QStringLiteral("account list is corrupt (index %1)").arg(idx));
        l.indexes.push_back(idx);
    }
    l.active = r.i32be();
    if (!r.ok())
        return Error::badInput(QStringLiteral("account list is truncated"));
    return l;
}

QByteArray buildAccountList(const AccountList &list)
{
    ByteWriter w;
    w.i32be(static_cast<qint32>(list.indexes.size()));
    for (int i : list.indexes)
        w.i32be(i);
    w.i32be(list.active);
    return w.data();
}

} // namespace sd::tdata
