#pragma once
// The primitives of the age format (docs/formats.md 15), each one a thin call into OpenSSL 3:
//   - X25519 key agreement (EVP_PKEY X25519, RFC 7748);
//   - HKDF-SHA256 (EVP_KDF "HKDF", RFC 5869) and HMAC-SHA256 (EVP_MAC "HMAC");
//   - ChaCha20-Poly1305 (EVP_chacha20_poly1305, RFC 8439) with a 12-byte nonce and a 16-byte tag;
//   - scrypt (EVP_KDF "SCRYPT", RFC 7914).
// Nothing here is a hand-written primitive. Secrets travel as SecretBytes where a caller keeps them.
#include "domain/secretbytes.h"

#include <QByteArray>
#include <optional>

namespace sd::crypto {

// The X25519 public key (32 bytes) of a 32-byte private scalar. Empty on failure.
QByteArray x25519PublicKey(const SecretBytes &privateKey);
// The X25519 shared secret of privateKey and peerPublic (32 bytes each). nullopt on failure,
// including the all-zero result of a low-order peer point (RFC 7748 section 6.1).
std::optional<SecretBytes> x25519(const SecretBytes &privateKey, const QByteArray &peerPublic);

SecretBytes hkdfSha256(const SecretBytes &ikm, const QByteArray &salt, const QByteArray &info, int length);
QByteArray hmacSha256(const SecretBytes &key, const QByteArray &data);

// ChaCha20-Poly1305: key 32 bytes, nonce 12 bytes, optional associated data (age uses none). seal returns ciphertext || 16-byte tag.
// open returns nullopt when the tag does not authenticate (or on a size error).
QByteArray chachaPolySeal(const SecretBytes &key, const QByteArray &nonce, QByteArrayView plaintext, QByteArrayView aad = {});
std::optional<SecretBytes> chachaPolyOpen(const SecretBytes &key, const QByteArray &nonce, QByteArrayView sealed,
                                          QByteArrayView aad = {});
// Opens straight into out (which must have room for sealed.size() - 16 bytes). false on failure;
// out's bytes are then zeroed.
bool chachaPolyOpenInto(const SecretBytes &key, const QByteArray &nonce, QByteArrayView sealed, std::uint8_t *out,
                        QByteArrayView aad = {});

// scrypt(password, salt, N = 2^log2N, r, p) -> length bytes. nullopt on failure (e.g. not enough
// memory for the parameters).
std::optional<SecretBytes> scrypt(const SecretBytes &password, const QByteArray &salt, int log2N, int r, int p, int length);

} // namespace sd::crypto
