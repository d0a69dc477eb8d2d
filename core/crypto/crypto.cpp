#include "crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <cstring>
#include <memory>

namespace sd::crypto {

namespace {

QByteArray digest(const EVP_MD *md, std::initializer_list<QByteArray> parts)
{
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1)
        return {};
    for (const QByteArray &p : parts)
        if (!p.isEmpty() && EVP_DigestUpdate(ctx.get(), p.constData(), static_cast<size_t>(p.size())) != 1)
            return {};
    QByteArray out(EVP_MD_get_size(md), '\0');
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &len) != 1)
        return {};
    out.resize(static_cast<qsizetype>(len));
    return out;
}

QByteArray pbkdf2(const EVP_MD *md, const QByteArray &password, const QByteArray &salt, int iterations, int dkLen)
{
    if (iterations < 1 || dkLen <= 0)
        return {};
    QByteArray out(dkLen, '\0');
    if (PKCS5_PBKDF2_HMAC(password.constData(), static_cast<int>(password.size()),
                          reinterpret_cast<const unsigned char *>(salt.constData()), static_cast<int>(salt.size()),
                          iterations, md, dkLen, reinterpret_cast<unsigned char *>(out.data())) != 1)
        return {};
    return out;
}

const EVP_CIPHER *ecbFor(qsizetype keySize)
{
    switch (keySize) {
    case 16: return EVP_aes_128_ecb();
    case 24: return EVP_aes_192_ecb();
    case 32: return EVP_aes_256_ecb();
    default: return nullptr;
    }
}

// IGE chaining over the AES-ECB block function:
//   encrypt: c_i = E(p_i ^ c_{i-1}) ^ p_{i-1}
//   decrypt: p_i = D(c_i ^ p_{i-1}) ^ c_{i-1}
// with c_0 = iv[0:16], p_0 = iv[16:32].
std::optional<QByteArray> ige(const QByteArray &data, const QByteArray &key, const QByteArray &iv, bool encrypt)
{
    const EVP_CIPHER *cipher = ecbFor(key.size());
    if (!cipher || iv.size() != 32 || data.size() % 16 != 0)
        return std::nullopt;
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx
        || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, reinterpret_cast<const unsigned char *>(key.constData()),
                             nullptr, encrypt ? 1 : 0) != 1
        || EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1)
        return std::nullopt;

    unsigned char prevOut[16]; // the previous block on the output side of this direction
    unsigned char prevIn[16];  // the previous block on the input side
    // Encrypting: x = plaintext, y = ciphertext; the chain is (y_prev = iv[0:16], x_prev = iv[16:32]).
    // Decrypting: x = ciphertext, y = plaintext; the chain is (y_prev = iv[16:32], x_prev = iv[0:16]).
    std::memcpy(prevOut, iv.constData() + (encrypt ? 0 : 16), 16);
    std::memcpy(prevIn, iv.constData() + (encrypt ? 16 : 0), 16);

    QByteArray out(data.size(), '\0');
    const auto *in = reinterpret_cast<const unsigned char *>(data.constData());
    auto *o = reinterpret_cast<unsigned char *>(out.data());
    unsigned char block[16];
    unsigned char done[16];
    bool good = true;
    for (qsizetype off = 0; off < data.size(); off += 16) {
        for (int i = 0; i < 16; ++i)
            block[i] = in[off + i] ^ prevOut[i];
        int len = 0;
        if (EVP_CipherUpdate(ctx.get(), done, &len, block, 16) != 1 || len != 16) {
            good = false;
            break;
        }
        for (int i = 0; i < 16; ++i)
            o[off + i] = done[i] ^ prevIn[i];
        std::memcpy(prevIn, in + off, 16);
        std::memcpy(prevOut, o + off, 16);
    }
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(done, sizeof done);
    OPENSSL_cleanse(prevIn, sizeof prevIn);
    OPENSSL_cleanse(prevOut, sizeof prevOut);
    if (!good) {
        OPENSSL_cleanse(out.data(), static_cast<size_t>(out.size()));
        return std::nullopt;
    }
    return out;
}

} // namespace

QByteArray md5(const QByteArray &data) { return digest(EVP_md5(), {data}); }
QByteArray sha1(const QByteArray &data) { return digest(EVP_sha1(), {data}); }
QByteArray sha256(const QByteArray &data) { return digest(EVP_sha256(), {data}); }
QByteArray sha512(const QByteArray &data) { return digest(EVP_sha512(), {data}); }
QByteArray sha1(std::initializer_list<QByteArray> parts) { return digest(EVP_sha1(), parts); }
QByteArray sha512(std::initializer_list<QByteArray> parts) { return digest(EVP_sha512(), parts); }
QByteArray md5(std::initializer_list<QByteArray> parts) { return digest(EVP_md5(), parts); }

QByteArray pbkdf2Sha512(const QByteArray &password, const QByteArray &salt, int iterations, int dkLen)
{
    return pbkdf2(EVP_sha512(), password, salt, iterations, dkLen);
}

QByteArray pbkdf2Sha1(const QByteArray &password, const QByteArray &salt, int iterations, int dkLen)
{
    return pbkdf2(EVP_sha1(), password, salt, iterations, dkLen);
}

std::optional<QByteArray> aesIgeEncrypt(const QByteArray &data, const QByteArray &key, const QByteArray &iv)
{
    return ige(data, key, iv, true);
}

std::optional<QByteArray> aesIgeDecrypt(const QByteArray &data, const QByteArray &key, const QByteArray &iv)
{
    return ige(data, key, iv, false);
}

QByteArray randomBytes(int size)
{
    if (size <= 0)
        return {};
    QByteArray out(size, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), size) != 1)
        std::abort();
    return out;
}

bool constantTimeEqual(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    if (a.isEmpty())
        return true;
    return CRYPTO_memcmp(a.constData(), b.constData(), static_cast<size_t>(a.size())) == 0;
}

} // namespace sd::crypto
