#include "gogram-crypto.h"

#include "domain/secretbytes.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>

namespace sd::gogram {

namespace {
const char kMagicV2[] = "\xA3\x5C\x02\x00";
const char kMagicV1[] = "\xA3\x5C\x01\x00";
constexpr int kIv = 16;
constexpr int kTag = 32;

struct CtxFree {
    void operator()(EVP_CIPHER_CTX *c) const { EVP_CIPHER_CTX_free(c); }
};

QByteArray derive(const char *label, const QByteArray &keyString)
{
    QByteArray in = QByteArray(label) + keyString;
    QByteArray out = sha256(in);
    wipe(in);
    return out;
}
} // namespace

QByteArray sha256(const QByteArray &data)
{
    QByteArray out(32, '\0');
    unsigned int len = 0;
    if (EVP_Digest(data.constData(), static_cast<size_t>(data.size()), reinterpret_cast<unsigned char *>(out.data()), &len,
                   EVP_sha256(), nullptr) != 1 || len != 32)
        return {};
    return out;
}

QByteArray hmacSha256(const QByteArray &key, const QByteArray &data)
{
    QByteArray out(32, '\0');
    size_t len = 0;
    char digest[] = "SHA256";
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, digest, nullptr, key.constData(), static_cast<size_t>(key.size()),
                   reinterpret_cast<const unsigned char *>(data.constData()), static_cast<size_t>(data.size()),
                   reinterpret_cast<unsigned char *>(out.data()), static_cast<size_t>(out.size()), &len)
        || len != 32)
        return {};
    return out;
}

std::optional<QByteArray> aesCbc(bool encrypt, const QByteArray &key, const QByteArray &iv, const QByteArray &data)
{
    const EVP_CIPHER *cipher = nullptr;
    switch (key.size()) {
    case 16: cipher = EVP_aes_128_cbc(); break;
    case 24: cipher = EVP_aes_192_cbc(); break;
    case 32: cipher = EVP_aes_256_cbc(); break;
    default: return std::nullopt;
    }
    if (iv.size() != kIv)
        return std::nullopt;
    std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
    if (!ctx)
        return std::nullopt;
    const auto *k = reinterpret_cast<const unsigned char *>(key.constData());
    const auto *v = reinterpret_cast<const unsigned char *>(iv.constData());
    if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, k, v, encrypt ? 1 : 0) != 1)
        return std::nullopt;
    QByteArray out(data.size() + 32, '\0');
    int n1 = 0, n2 = 0;
    auto *o = reinterpret_cast<unsigned char *>(out.data());
    if (EVP_CipherUpdate(ctx.get(), o, &n1, reinterpret_cast<const unsigned char *>(data.constData()), static_cast<int>(data.size())) != 1
        || EVP_CipherFinal_ex(ctx.get(), o + n1, &n2) != 1) {
        wipe(out);
        return std::nullopt;
    }
    out.truncate(n1 + n2);
    return out;
}

std::optional<Container> sniffContainer(const QByteArray &data)
{
    if (data.startsWith(QByteArray(kMagicV2, 4)))
        return Container::V2;
    if (data.startsWith(QByteArray(kMagicV1, 4)))
        return Container::V1;
    if (!data.isEmpty() && data.size() % 16 == 0)
        return Container::Legacy;
    return std::nullopt;
}

Result<Decrypted> decryptContainer(const QByteArray &data, const QByteArray &keyString)
{
    const auto kind = sniffContainer(data);
    if (!kind)
        return Error::badInput(QStringLiteral("not a gogram session file (no container magic, length not a multiple of 16)"));
    Decrypted d;
    d.container = *kind;
    if (*kind == Container::V2) {
        if (data.size() < 4 + kIv + 16 + kTag || (data.size() - 4 - kIv - kTag) % 16 != 0)
            return Error::badInput(QStringLiteral("gogram v2 container has a bad length (%1 bytes)").arg(data.size()));
        QByteArray macKey = derive("gogram-mac:", keyString);
        const QByteArray signedPart = data.left(data.size() - kTag);
        const QByteArray tag = hmacSha256(macKey, signedPart);
        wipe(macKey);
        if (tag.size() != kTag || CRYPTO_memcmp(tag.constData(), data.constData() + signedPart.size(), kTag) != 0)
            return Error::secret(QStringLiteral("gogram v2 container: authentication tag mismatch (wrong AES key, or the file is corrupt)"));
        QByteArray encKey = derive("gogram-enc:", keyString);
        auto plain = aesCbc(false, encKey, data.mid(4, kIv), data.mid(4 + kIv, data.size() - 4 - kIv - kTag));
        wipe(encKey);
        if (!plain)
            return Error::badInput(QStringLiteral("gogram v2 container: bad padding after a valid tag"));
        d.plain = *plain;
        return d;
    }
    if (keyString.size() != 16 && keyString.size() != 24 && keyString.size() != 32)
        return Error::secret(QStringLiteral("gogram v1/legacy containers need a 16, 24 or 32 byte AES key"));
    std::optional<QByteArray> plain;
    if (*kind == Container::V1) {
        if (data.size() < 4 + kIv + 16 || (data.size() - 4 - kIv) % 16 != 0)
            return Error::badInput(QStringLiteral("gogram v1 container has a bad length (%1 bytes)").arg(data.size()));
        plain = aesCbc(false, keyString, data.mid(4, kIv), data.mid(4 + kIv));
    } else {
        plain = aesCbc(false, keyString, keyString.left(kIv), data);
    }
    if (!plain)
        return Error::secret(QStringLiteral("gogram session file: bad padding (wrong AES key, or not a gogram file)"));
    d.plain = *plain;
    return d;
}

Result<QByteArray> encryptV2(const QByteArray &plain, const QByteArray &keyString, const QByteArray &iv)
{
    if (iv.size() != kIv)
        return Error::output(QStringLiteral("internal: IV must be 16 bytes"));
    QByteArray encKey = derive("gogram-enc:", keyString);
    auto ct = aesCbc(true, encKey, iv, plain);
    wipe(encKey);
    if (!ct)
        return Error::output(QStringLiteral("AES encryption failed"));
    QByteArray out = QByteArray(kMagicV2, 4) + iv + *ct;
    QByteArray macKey = derive("gogram-mac:", keyString);
    const QByteArray tag = hmacSha256(macKey, out);
    wipe(macKey);
    if (tag.size() != kTag)
        return Error::output(QStringLiteral("HMAC failed"));
    return QByteArray(out + tag);
}

} // namespace sd::gogram
