#pragma once
// Small crypto toolkit on top of OpenSSL 3 (EVP only). Every primitive any format needs lives here:
//   - digests: md5, sha1, sha256, sha512 (one-shot over one or more buffers);
//   - pbkdf2Sha512 / pbkdf2Sha1 (PKCS #5 v2, OpenSSL's PKCS5_PBKDF2_HMAC);
//   - AES-IGE (Telegram's "infinite garble extension") built from the AES-ECB block primitive of
//     OpenSSL's EVP interface: no hand-written cipher, only the IGE chaining (docs/formats.md 9.4);
//   - randomBytes (RAND_bytes).
// Byte buffers are QByteArray; the caller wipes buffers holding secrets (sd::wipe).
// Functions that can fail (wrong sizes, OpenSSL error) return an empty/nullopt value.
#include <QByteArray>
#include <initializer_list>
#include <optional>

namespace sd::crypto {

QByteArray md5(const QByteArray &data);
QByteArray sha1(const QByteArray &data);
QByteArray sha256(const QByteArray &data);
QByteArray sha512(const QByteArray &data);
// The digest of the concatenation of parts (no temporary copy of the concatenation).
QByteArray sha1(std::initializer_list<QByteArray> parts);
QByteArray sha512(std::initializer_list<QByteArray> parts);
QByteArray md5(std::initializer_list<QByteArray> parts);

// PBKDF2-HMAC-SHA512 / -SHA1. iterations >= 1, dkLen > 0. Empty on failure.
QByteArray pbkdf2Sha512(const QByteArray &password, const QByteArray &salt, int iterations, int dkLen);
QByteArray pbkdf2Sha1(const QByteArray &password, const QByteArray &salt, int iterations, int dkLen);

// AES-IGE. key: 16, 24 or 32 bytes (AES-128/192/256); iv: 32 bytes (the two IGE chaining blocks:
// iv[0:16] = previous ciphertext block, iv[16:32] = previous plaintext block, as in OpenSSL's and
// Telegram's convention); data: a multiple of 16 bytes. nullopt on a size error.
std::optional<QByteArray> aesIgeEncrypt(const QByteArray &data, const QByteArray &key, const QByteArray &iv);
std::optional<QByteArray> aesIgeDecrypt(const QByteArray &data, const QByteArray &key, const QByteArray &iv);

// Cryptographically secure random bytes (RAND_bytes). Aborts the process if the RNG fails,
// because no caller can continue safely without randomness.
QByteArray randomBytes(int size);

// Constant-time comparison (CRYPTO_memcmp); false for different sizes.
bool constantTimeEqual(const QByteArray &a, const QByteArray &b);

} // namespace sd::crypto
