#include "tdatakdf.h"

#include "crypto.h"
#include "domain/secretbytes.h"

#include <QtEndian>

namespace sd::crypto {

AesKeyIv::~AesKeyIv()
{
    wipe(key);
    wipe(iv);
}

QByteArray tdataPasscodeKey(const QByteArray &salt, const QByteArray &passcode)
{
    if (salt.size() != kTdataSaltSize)
        return {};
    QByteArray password = sha512({salt, passcode, salt});
    const int iterations = passcode.isEmpty() ? kTdataCheapIterations : kTdataStrongIterations;
    QByteArray key = pbkdf2Sha512(password, salt, iterations, kTdataKeySize);
    wipe(password);
    return key;
}

AesKeyIv oldMtprotoKdf(const QByteArray &authKey, const QByteArray &msgKey)
{
    AesKeyIv out;
    if (authKey.size() != kTdataKeySize || msgKey.size() != 16)
        return out;
    constexpr int x = 8;
    QByteArray a = sha1({msgKey, authKey.mid(x, 32)});
    QByteArray b = sha1({authKey.mid(32 + x, 16), msgKey, authKey.mid(48 + x, 16)});
    QByteArray c = sha1({authKey.mid(64 + x, 32), msgKey});
    QByteArray d = sha1({msgKey, authKey.mid(96 + x, 32)});
    out.key = a.left(8) + b.mid(8, 12) + c.mid(4, 12);
    out.iv = a.mid(8, 12) + b.left(8) + c.mid(16, 4) + d.left(8);
    wipe(a);
    wipe(b);
    wipe(c);
    wipe(d);
    return out;
}

Result<QByteArray> tdataDecryptLocal(const QByteArray &encrypted, const QByteArray &key)
{
    if (key.size() != kTdataKeySize)
        return Error::badInput(QStringLiteral("local key has a wrong size"));
    if (encrypted.size() < 32 || (encrypted.size() - 16) % 16 != 0)
        return Error::badInput(QStringLiteral("encrypted block has a bad size (%1 bytes)").arg(encrypted.size()));
    const QByteArray msgKey = encrypted.left(16);
    const QByteArray cipher = encrypted.mid(16);
    AesKeyIv kiv = oldMtprotoKdf(key, msgKey);
    auto plain = aesIgeDecrypt(cipher, kiv.key, kiv.iv);
    if (!plain)
        return Error::badInput(QStringLiteral("decryption failed"));
    QByteArray decrypted = std::move(*plain);
    const bool checksumOk = constantTimeEqual(sha1(decrypted).left(16), msgKey);
    if (!checksumOk) {
        wipe(decrypted);
        return Error::badInput(QStringLiteral("checksum mismatch"));
    }
    const quint32 dataLen = qFromLittleEndian<quint32>(decrypted.constData());
    if (dataLen < 4 || dataLen > static_cast<quint32>(decrypted.size())
        || dataLen <= static_cast<quint32>(cipher.size() - 16)) {
        wipe(decrypted);
        return Error::badInput(QStringLiteral("decrypted block has a bad length field"));
    }
    QByteArray payload = decrypted.mid(4, static_cast<qsizetype>(dataLen) - 4);
    wipe(decrypted);
    return payload;
}

QByteArray tdataEncryptLocal(const QByteArray &payload, const QByteArray &key)
{
    if (key.size() != kTdataKeySize)
        return {};
    const qsizetype full = payload.size() + 4;
    const qsizetype padded = (full + 15) / 16 * 16;
    QByteArray plain;
    plain.reserve(padded);
    char len[4];
    qToLittleEndian<quint32>(static_cast<quint32>(full), len);
    plain.append(len, 4);
    plain.append(payload);
    if (padded > full)
        plain.append(randomBytes(static_cast<int>(padded - full)));
    const QByteArray msgKey = sha1(plain).left(16);
    AesKeyIv kiv = oldMtprotoKdf(key, msgKey);
    auto cipher = aesIgeEncrypt(plain, kiv.key, kiv.iv);
    wipe(plain);
    if (!cipher)
        return {};
    return msgKey + *cipher;
}

} // namespace sd::crypto
