#pragma once
// Telegram Desktop local-storage cryptography (docs/formats.md 9.3, 9.4):
//   - the passcode key: PBKDF2-HMAC-SHA512(SHA512(salt | passcode | salt), salt, 1 or 100000, 256);
//   - the MTProto v1 ("old") message-key KDF with x = 8 that turns (256-byte key, msgKey) into an
//     AES-256-IGE key and IV;
//   - decryptLocal / encryptLocal: msgKey(16) | AES-IGE(u32 LE length | payload | padding).
#include "util/result.h"

#include <QByteArray>

namespace sd::crypto {

constexpr int kTdataKeySize = 256;
constexpr int kTdataSaltSize = 32;
constexpr int kTdataStrongIterations = 100000; // with a passcode
constexpr int kTdataCheapIterations = 1;       // without a passcode

// The key that encrypts the local key. passcode is UTF-8 (may be empty). Empty on bad input
// (salt not 32 bytes).
QByteArray tdataPasscodeKey(const QByteArray &salt, const QByteArray &passcode);

struct AesKeyIv {
    QByteArray key; // 32 bytes
    QByteArray iv;  // 32 bytes
    ~AesKeyIv();
};
// MTProto v1 KDF (x = 8, the "server" direction tdesktop uses for local files). authKey must be
// 256 bytes and msgKey 16 bytes; otherwise both outputs are empty.
AesKeyIv oldMtprotoKdf(const QByteArray &authKey, const QByteArray &msgKey);

// Decrypts msgKey | ciphertext with the 256-byte key. Errors: BadInput for a size problem;
// for a failed SHA-1 check the message is "checksum mismatch" (the caller decides whether that
// means a wrong passcode).
Result<QByteArray> tdataDecryptLocal(const QByteArray &encrypted, const QByteArray &key);
// Encrypts payload with the 256-byte key (random padding). Empty on a key size error.
QByteArray tdataEncryptLocal(const QByteArray &payload, const QByteArray &key);

} // namespace sd::crypto
