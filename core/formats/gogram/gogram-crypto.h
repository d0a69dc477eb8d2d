#pragma once
// gogram session.dat containers (docs/formats.md 5.1), all through OpenSSL 3 EVP:
//   v2      A3 5C 02 00 | IV(16) | AES-256-CBC(PKCS#7) | HMAC-SHA256 tag(32)
//           encKey = SHA256("gogram-enc:" + keyString), macKey = SHA256("gogram-mac:" + keyString)
//   v1      A3 5C 01 00 | IV(16) | AES-CBC with the raw key string as key (16/24/32 bytes)
//   legacy  AES-CBC, key = raw key string, IV = its first 16 bytes
#include "util/result.h"

#include <QByteArray>

namespace sd::gogram {

inline constexpr char kDefaultAesKey[] = "1234567890123456";

enum class Container { V2, V1, Legacy };

struct Decrypted {
    QByteArray plain; // the caller wipes it
    Container container = Container::V2;
};

// The container variant from the first bytes; nullopt when it has no magic and a length that is not a
// positive multiple of 16.
std::optional<Container> sniffContainer(const QByteArray &data);
// Decrypts any variant. A wrong key gives Error::secret (tag mismatch or bad padding); a malformed
// container gives Error::badInput.
Result<Decrypted> decryptContainer(const QByteArray &data, const QByteArray &keyString);
// Writes the current (v2) container. iv must be 16 bytes (random in production, fixed in tests).
Result<QByteArray> encryptV2(const QByteArray &plain, const QByteArray &keyString, const QByteArray &iv);

// Primitives (EVP).
QByteArray sha256(const QByteArray &data);
QByteArray hmacSha256(const QByteArray &key, const QByteArray &data);
// AES-CBC with PKCS#7 padding; the key length picks AES-128/192/256. nullopt on failure (bad key
// length, bad padding on decrypt).
std::optional<QByteArray> aesCbc(bool encrypt, const QByteArray &key, const QByteArray &iv, const QByteArray &data);

} // namespace sd::gogram
