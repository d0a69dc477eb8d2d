#pragma once
// The age v1 file format (docs/formats.md 15): X25519 recipients, scrypt passphrases, the header
// MAC and the STREAM payload in 64 KiB chunks, on OpenSSL 3 primitives (crypto/modern.h).
//
// Decryption is all-or-nothing: the header MAC and every payload chunk are authenticated before
// the caller sees a single plaintext byte. Error kinds follow docs/cli.md: a wrong identity or
// passphrase (no stanza opens) is Secret (exit 4); anything malformed, corrupt or truncated is
// BadInput (exit 3). Note that a damaged recipient stanza cannot be told apart from a stanza
// addressed to someone else: that is Secret too, by the format's design. Stanzas of types other than
// X25519 and scrypt are skipped (age's rule); a file with only those is Secret as well.
#include "domain/secretbytes.h"
#include "util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <vector>

namespace sd::age {

constexpr QByteArrayView kHeaderLine = "age-encryption.org/v1";
constexpr int kChunkSize = 64 * 1024;
constexpr int kDefaultWorkFactor = 18;   // log2(N) that `age -p` writes
constexpr int kMaxWorkFactor = 22;       // the highest log2(N) accepted when reading

// An X25519 identity (the 32-byte private scalar).
struct Identity {
    SecretBytes secret;

    static Identity generate();
    QByteArray publicKey() const;
    QString recipient() const;            // "age1..."
    SecretBytes encoded() const;          // "AGE-SECRET-KEY-1..." (upper case)
};

// "age1..." -> the 32-byte public key. Error kind Usage (a bad --recipient is a usage error).
Result<QByteArray> parseRecipient(const QString &text);
// A recipients file: one "age1..." per line; blank lines and lines starting with '#' ignored.
Result<std::vector<QByteArray>> parseRecipientsFile(const QByteArray &text);
// An identity file (as age-keygen writes it): "AGE-SECRET-KEY-1..." lines, '#' comments and
// blank lines. Error kind Secret, naming the line.
Result<std::vector<Identity>> parseIdentityFile(const QByteArray &text);

bool looksLikeAge(QByteArrayView head); // starts with the v1 header line

struct EncryptOptions {
    std::vector<QByteArray> recipients;   // X25519 public keys
    std::optional<SecretBytes> passphrase; // scrypt; must be alone
    int workFactor = kDefaultWorkFactor;
};
Result<QByteArray> encrypt(QByteArrayView plaintext, const EncryptOptions &options);

// Where decryption gets its secrets, asked only for what the header needs.
class KeySource {
public:
    virtual ~KeySource() = default;
    virtual Result<std::vector<Identity>> identities() = 0;
    virtual Result<SecretBytes> passphrase() = 0;
};

enum class StanzaKind { X25519, Scrypt, Other };

struct Stanza {
    QByteArray type;
    QList<QByteArray> args;
    QByteArray body;
    StanzaKind kind() const;
};

struct Header {
    std::vector<Stanza> stanzas;
    QByteArray macInput;      // the header bytes up to and including "---"
    QByteArray mac;           // 32 bytes
    qsizetype payloadOffset = 0;
    bool isPassphrase() const; // a scrypt stanza
};

// Syntax and stanza shape checks only (no secrets). BadInput on anything malformed.
Result<Header> parseHeader(QByteArrayView file);

// The whole plaintext, authenticated. maxWorkFactor caps scrypt's log2(N).
Result<SecretBytes> decrypt(QByteArrayView file, KeySource &keys, int maxWorkFactor = kMaxWorkFactor);

// The key of a header's stanzas for given identities / passphrase (exposed for tests).
Result<SecretBytes> unwrapFileKey(const Header &header, KeySource &keys, int maxWorkFactor);
// Decrypts a STREAM payload (nonce || chunks) with a file key (exposed for tests).
Result<SecretBytes> decryptPayload(const SecretBytes &fileKey, QByteArrayView payload);
QByteArray encryptPayload(const SecretBytes &fileKey, const QByteArray &nonce, QByteArrayView plaintext);

} // namespace sd::age
