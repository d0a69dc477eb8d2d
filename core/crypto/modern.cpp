#include "modern.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <memory>

namespace sd::crypto {

namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char *u8(const char *p) { return reinterpret_cast<const unsigned char *>(p); }

KdfCtxPtr kdfContext(const char *name)
{
    EVP_KDF *kdf = EVP_KDF_fetch(nullptr, name, nullptr);
    KdfCtxPtr ctx(kdf ? EVP_KDF_CTX_new(kdf) : nullptr, &EVP_KDF_CTX_free);
    EVP_KDF_free(kdf);
    return ctx;
}

PkeyPtr privateKey(const SecretBytes &key)
{
    if (key.size() != 32)
        return PkeyPtr(nullptr, &EVP_PKEY_free);
    return PkeyPtr(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, key.data(), key.size()), &EVP_PKEY_free);
}

} // namespace

QByteArray x25519PublicKey(const SecretBytes &key)
{
    PkeyPtr pkey = privateKey(key);
    if (!pkey)
        return {};
    QByteArray out(32, '\0');
    size_t len = 32;
    if (EVP_PKEY_get_raw_public_key(pkey.get(), reinterpret_cast<unsigned char *>(out.data()), &len) != 1 || len != 32)
        return {};
    return out;
}

std::optional<SecretBytes> x25519(const SecretBytes &key, const QByteArray &peerPublic)
{
    PkeyPtr pkey = privateKey(key);
    if (!pkey || peerPublic.size() != 32)
        return std::nullopt;
    PkeyPtr peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, u8(peerPublic.constData()), 32), &EVP_PKEY_free);
    if (!peer)
        return std::nullopt;
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new(pkey.get(), nullptr), &EVP_PKEY_CTX_free);
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1)
        return std::nullopt;
    SecretBytes shared = SecretBytes::zeroed(32);
    size_t len = 32;
    // OpenSSL refuses an all-zero shared secret (low-order point) with an error.
    if (EVP_PKEY_derive(ctx.get(), shared.data(), &len) != 1 || len != 32 || shared.isAllZero())
        return std::nullopt;
    return shared;
}

SecretBytes hkdfSha256(const SecretBytes &ikm, const QByteArray &salt, const QByteArray &info, int length)
{
    KdfCtxPtr ctx = kdfContext("HKDF");
    if (!ctx || length <= 0)
        return {};
    char digest[] = "SHA256";
    // An empty salt is HKDF's default (a string of zeros); OpenSSL wants a non-null pointer.
    static const unsigned char none = 0;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t *>(ikm.data()), ikm.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                          salt.isEmpty() ? const_cast<unsigned char *>(&none)
                                                         : const_cast<unsigned char *>(u8(salt.constData())),
                                          static_cast<size_t>(salt.size())),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char *>(info.constData()),
                                          static_cast<size_t>(info.size())),
        OSSL_PARAM_construct_end(),
    };
    SecretBytes out = SecretBytes::zeroed(static_cast<std::size_t>(length));
    if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1)
        return {};
    return out;
}

QByteArray hmacSha256(const SecretBytes &key, const QByteArray &data)
{
    EVP_MAC *mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(mac ? EVP_MAC_CTX_new(mac) : nullptr, &EVP_MAC_CTX_free);
    EVP_MAC_free(mac);
    if (!ctx || key.isEmpty())
        return {};
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1
        || EVP_MAC_update(ctx.get(), u8(data.constData()), static_cast<size_t>(data.size())) != 1)
        return {};
    QByteArray out(32, '\0');
    size_t len = 0;
    if (EVP_MAC_final(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &len, 32) != 1 || len != 32)
        return {};
    return out;
}

QByteArray chachaPolySeal(const SecretBytes &key, const QByteArray &nonce, QByteArrayView plaintext, QByteArrayView aad)
{
    if (key.size() != 32 || nonce.size() != 12)
        return {};
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_chacha20_poly1305(), nullptr, key.data(), u8(nonce.constData())) != 1)
        return {};
    QByteArray out(plaintext.size() + 16, '\0');
    auto *o = reinterpret_cast<unsigned char *>(out.data());
    int len = 0;
    if (!aad.isEmpty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, u8(aad.data()), static_cast<int>(aad.size())) != 1)
        return {};
    len = 0;
    if (!plaintext.isEmpty()
        && EVP_EncryptUpdate(ctx.get(), o, &len, u8(plaintext.data()), static_cast<int>(plaintext.size())) != 1)
        return {};
    int fin = 0;
    if (EVP_EncryptFinal_ex(ctx.get(), o + len, &fin) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, 16, o + plaintext.size()) != 1)
        return {};
    return out;
}

bool chachaPolyOpenInto(const SecretBytes &key, const QByteArray &nonce, QByteArrayView sealed, std::uint8_t *out,
                        QByteArrayView aad)
{
    if (key.size() != 32 || nonce.size() != 12 || sealed.size() < 16)
        return false;
    const qsizetype n = sealed.size() - 16;
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_chacha20_poly1305(), nullptr, key.data(), u8(nonce.constData())) != 1)
        return false;
    int len = 0;
    if (!aad.isEmpty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, u8(aad.data()), static_cast<int>(aad.size())) != 1)
        return false;
    len = 0;
    bool ok = n == 0 || EVP_DecryptUpdate(ctx.get(), out, &len, u8(sealed.data()), static_cast<int>(n)) == 1;
    QByteArray tag(sealed.data() + n, 16);
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, 16, tag.data()) == 1;
    int fin = 0;
    ok = ok && EVP_DecryptFinal_ex(ctx.get(), out + len, &fin) == 1;
    if (!ok && n > 0)
        OPENSSL_cleanse(out, static_cast<size_t>(n));
    return ok;
}

std::optional<SecretBytes> chachaPolyOpen(const SecretBytes &key, const QByteArray &nonce, QByteArrayView sealed,
                                          QByteArrayView aad)
{
    if (sealed.size() < 16)
        return std::nullopt;
    SecretBytes out = SecretBytes::zeroed(static_cast<std::size_t>(sealed.size() - 16));
    std::uint8_t scratch = 0;
    if (!chachaPolyOpenInto(key, nonce, sealed, out.isEmpty() ? &scratch : out.data(), aad))
        return std::nullopt;
    return out;
}

std::optional<SecretBytes> scrypt(const SecretBytes &password, const QByteArray &salt, int log2N, int r, int p, int length)
{
    if (log2N < 1 || log2N > 40 || r < 1 || p < 1 || length <= 0)
        return std::nullopt;
    KdfCtxPtr ctx = kdfContext("SCRYPT");
    if (!ctx)
        return std::nullopt;
    uint64_t n = uint64_t(1) << log2N;
    uint32_t rr = static_cast<uint32_t>(r), pp = static_cast<uint32_t>(p);
    // Room for V (128 * r * N) and B (128 * r * p), plus slack; OpenSSL's default cap is lower.
    uint64_t maxmem = 128ull * rr * (n + pp) + (1ull << 20);
    static const unsigned char none = 0;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
                                          password.isEmpty() ? const_cast<unsigned char *>(&none)
                                                             : const_cast<std::uint8_t *>(password.data()),
                                          password.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char *>(salt.constData()),
                                          static_cast<size_t>(salt.size())),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &rr),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &pp),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
        OSSL_PARAM_construct_end(),
    };
    SecretBytes out = SecretBytes::zeroed(static_cast<std::size_t>(length));
    if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1)
        return std::nullopt;
    return out;
}

} // namespace sd::crypto
