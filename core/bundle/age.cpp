// age v1 (docs/formats.md 15), on OpenSSL 3 primitives. Header grammar:
//   "age-encryption.org/v1\n"
//   stanzas: "-> TYPE ARG...\n" then a body in standard base64 without padding, wrapped at 64
//            columns; the body's last line is shorter than 64 (possibly empty)
//   "--- " base64(HMAC-SHA256(HKDF(file key, "", "header"), header up to "---")) "\n"
// Payload: 16-byte nonce, then ChaCha20-Poly1305 chunks of 64 KiB under
// HKDF(file key, nonce, "payload"); chunk nonce = 11-byte big-endian counter || last-chunk flag.
#include "age.h"

#include "bundle/bech32.h"
#include "crypto/crypto.h"
#include "crypto/modern.h"
#include "util/base64.h"

#include <QStringList>
#include <openssl/crypto.h>

namespace sd::age {

namespace {

constexpr QByteArrayView kX25519Label = "age-encryption.org/v1/X25519";
constexpr QByteArrayView kScryptLabel = "age-encryption.org/v1/scrypt";
constexpr qsizetype kFileKeySize = 16;
constexpr qsizetype kMaxHeader = 1024 * 1024;

Error corrupt(const QString &what) { return Error::badInput(QStringLiteral("not a valid age file: %1").arg(what)); }

// Canonical standard base64 without padding (age rejects any other spelling).
std::optional<QByteArray> b64Decode(const QByteArray &text)
{
    auto d = base64DecodeStrict(text, B64::StandardNoPad);
    if (!d || base64Encode(*d, B64::StandardNoPad) != text)
        return std::nullopt;
    return d;
}

QByteArray b64(const QByteArray &data) { return base64Encode(data, B64::StandardNoPad); }

void appendStanza(QByteArray &out, const QByteArray &type, const QList<QByteArray> &args, const QByteArray &body)
{
    out += "-> " + type;
    for (const QByteArray &a : args)
        out += ' ' + a;
    out += '\n';
    const QByteArray enc = b64(body);
    for (qsizetype i = 0; i <= enc.size(); i += 64) {
        out += enc.mid(i, 64);
        out += '\n';
    }
}

QByteArray zeroNonce() { return QByteArray(12, '\0'); }

SecretBytes headerMacKey(const SecretBytes &fileKey) { return crypto::hkdfSha256(fileKey, {}, "header", 32); }

bool isVchar(char c) { return c >= 0x21 && c <= 0x7e; }

// Unwraps an X25519 stanza body for one identity; nullopt when it is not for this identity.
std::optional<SecretBytes> unwrapX25519(const Stanza &s, const Identity &id, bool *lowOrder)
{
    const QByteArray share = *b64Decode(s.args[0]);
    auto shared = crypto::x25519(id.secret, share);
    if (!shared) {
        *lowOrder = true;
        return std::nullopt;
    }
    const SecretBytes wrap = crypto::hkdfSha256(*shared, share + id.publicKey(), kX25519Label.toByteArray(), 32);
    return crypto::chachaPolyOpen(wrap, zeroNonce(), s.body);
}

QByteArray chunkNonce(quint64 counter, bool last)
{
    QByteArray n(12, '\0');
    for (int i = 0; i < 8; ++i)
        n[10 - i] = static_cast<char>((counter >> (8 * i)) & 0xff);
    n[11] = last ? '\x01' : '\x00';
    return n;
}

SecretBytes payloadKey(const SecretBytes &fileKey, const QByteArray &nonce)
{
    return crypto::hkdfSha256(fileKey, nonce, "payload", 32);
}

} // namespace

// ---- keys --------------------------------------------------------------------------------------

Identity Identity::generate() { return Identity{SecretBytes::random(32)}; }

QByteArray Identity::publicKey() const { return crypto::x25519PublicKey(secret); }

QString Identity::recipient() const { return QString::fromLatin1(bech32::encode("age", publicKey())); }

SecretBytes Identity::encoded() const
{
    QByteArray raw = secret.exposeUnsafe();
    QByteArray text = bech32::encode("age-secret-key-", raw).toUpper();
    SecretBytes out = SecretBytes::fromByteArray(text);
    wipe(raw);
    wipe(text);
    return out;
}

Result<QByteArray> parseRecipient(const QString &text)
{
    const QByteArray t = text.trimmed().toLatin1();
    auto d = bech32::decode(t);
    if (!d || d->hrp != "age" || d->data.size() != 32 || t != t.toLower())
        return Error::usage(QStringLiteral("'%1' is not an age X25519 recipient (age1...)").arg(text.trimmed().left(80)));
    return d->data;
}

Result<std::vector<QByteArray>> parseRecipientsFile(const QByteArray &text)
{
    std::vector<QByteArray> out;
    int lineNo = 0;
    for (const QByteArray &raw : text.split('\n')) {
        ++lineNo;
        const QByteArray line = raw.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        auto r = parseRecipient(QString::fromLatin1(line));
        if (!r)
            return Error::usage(QStringLiteral("line %1: %2").arg(lineNo).arg(r.error().message));
        out.push_back(*r);
    }
    if (out.empty())
        return Error::usage(QStringLiteral("no recipient in the file"));
    return out;
}

Result<std::vector<Identity>> parseIdentityFile(const QByteArray &text)
{
    std::vector<Identity> out;
    int lineNo = 0;
    for (QByteArray line : text.split('\n')) {
        ++lineNo;
        if (line.endsWith('\r'))
            line.chop(1);
        QByteArray t = line.trimmed();
        wipe(line);
        if (t.isEmpty() || t.startsWith('#'))
            continue;
        auto d = bech32::decode(t);
        const bool upper = t == t.toUpper();
        wipe(t);
        if (!d || d->hrp != "age-secret-key-" || d->data.size() != 32 || !upper) {
            if (d)
                wipe(d->data);
            return Error::secret(QStringLiteral("line %1 is not an age X25519 identity (AGE-SECRET-KEY-1...)").arg(lineNo));
        }
        out.push_back(Identity{SecretBytes::fromByteArray(d->data)});
        wipe(d->data);
    }
    if (out.empty())
        return Error::secret(QStringLiteral("no identity (AGE-SECRET-KEY-1...) in the file"));
    return out;
}

bool looksLikeAge(QByteArrayView head) { return head.startsWith(kHeaderLine) && head.size() > kHeaderLine.size() && head[kHeaderLine.size()] == '\n'; }

// ---- header ------------------------------------------------------------------------------------

StanzaKind Stanza::kind() const
{
    if (type == "X25519")
        return StanzaKind::X25519;
    if (type == "scrypt")
        return StanzaKind::Scrypt;
    return StanzaKind::Other;
}

bool Header::isPassphrase() const
{
    for (const Stanza &s : stanzas)
        if (s.kind() == StanzaKind::Scrypt)
            return true;
    return false;
}

Result<Header> parseHeader(QByteArrayView file)
{
    if (!looksLikeAge(file))
        return corrupt(QStringLiteral("missing the age-encryption.org/v1 header line"));
    Header h;
    qsizetype pos = kHeaderLine.size() + 1;
    auto nextLine = [&](QByteArray *line) {
        const qsizetype nl = file.indexOf('\n', pos);
        if (nl < 0 || nl - pos > kMaxHeader)
            return false;
        *line = file.sliced(pos, nl - pos).toByteArray();
        pos = nl + 1;
        return true;
    };
    QByteArray line;
    for (;;) {
        if (pos > kMaxHeader)
            return corrupt(QStringLiteral("header larger than 1 MiB"));
        const qsizetype lineStart = pos;
        if (!nextLine(&line))
            return corrupt(QStringLiteral("truncated header"));
        if (line.startsWith("--- ")) {
            h.macInput = file.first(lineStart + 3).toByteArray();
            auto mac = b64Decode(line.mid(4));
            if (!mac || mac->size() != 32)
                return corrupt(QStringLiteral("malformed header MAC line"));
            h.mac = *mac;
            h.payloadOffset = pos;
            break;
        }
        if (!line.startsWith("-> "))
            return corrupt(QStringLiteral("unexpected header line"));
        const QList<QByteArray> parts = line.mid(3).split(' ');
        for (const QByteArray &p : parts) {
            if (p.isEmpty())
                return corrupt(QStringLiteral("empty stanza argument"));
            for (char c : p)
                if (!isVchar(c))
                    return corrupt(QStringLiteral("invalid character in a stanza"));
        }
        Stanza s;
        s.type = parts.first();
        s.args = parts.mid(1);
        QByteArray body64;
        for (;;) {
            if (!nextLine(&line))
                return corrupt(QStringLiteral("truncated stanza body"));
            if (line.size() > 64)
                return corrupt(QStringLiteral("stanza body line longer than 64 columns"));
            body64 += line;
            if (line.size() < 64)
                break;
        }
        auto body = b64Decode(body64);
        if (!body)
            return corrupt(QStringLiteral("malformed stanza body"));
        s.body = *body;
        h.stanzas.push_back(std::move(s));
    }
    if (h.stanzas.empty())
        return corrupt(QStringLiteral("no recipient stanza"));
    int scrypts = 0;
    for (const Stanza &s : h.stanzas) {
        switch (s.kind()) {
        case StanzaKind::X25519: {
            if (s.args.size() != 1)
                return corrupt(QStringLiteral("X25519 stanza needs one argument"));
            auto share = b64Decode(s.args[0]);
            if (!share || share->size() != 32 || s.body.size() != kFileKeySize + 16)
                return corrupt(QStringLiteral("malformed X25519 stanza"));
            break;
        }
        case StanzaKind::Scrypt: {
            ++scrypts;
            if (s.args.size() != 2)
                return corrupt(QStringLiteral("scrypt stanza needs two arguments"));
            auto salt = b64Decode(s.args[0]);
            const QByteArray &wf = s.args[1];
            bool digits = !wf.isEmpty() && wf.size() <= 2 && wf[0] != '0';
            for (char c : wf)
                digits = digits && c >= '0' && c <= '9';
            if (!salt || salt->size() != 16 || !digits || s.body.size() != kFileKeySize + 16)
                return corrupt(QStringLiteral("malformed scrypt stanza"));
            break;
        }
        case StanzaKind::Other:
            break;
        }
    }
    if (scrypts > 0 && h.stanzas.size() != 1)
        return corrupt(QStringLiteral("a scrypt stanza must be the only stanza"));
    return h;
}

// ---- decryption --------------------------------------------------------------------------------

Result<SecretBytes> unwrapFileKey(const Header &h, KeySource &keys, int maxWorkFactor)
{
    if (h.isPassphrase()) {
        const Stanza &s = h.stanzas.front();
        const int wf = s.args[1].toInt();
        if (wf > maxWorkFactor)
            return Error::badInput(QStringLiteral("scrypt work factor %1 is above the limit of %2").arg(wf).arg(maxWorkFactor));
        auto pass = keys.passphrase();
        if (!pass)
            return pass.error();
        const QByteArray salt = kScryptLabel.toByteArray() + *b64Decode(s.args[0]);
        auto key = crypto::scrypt(*pass, salt, wf, 8, 1, 32);
        if (!key)
            return Error::badInput(QStringLiteral("scrypt with work factor %1 failed (not enough memory?)").arg(wf));
        auto fileKey = crypto::chachaPolyOpen(*key, zeroNonce(), s.body);
        if (!fileKey)
            return Error::secret(QStringLiteral("wrong passphrase (or a damaged scrypt stanza)"));
        return std::move(*fileKey);
    }
    // Stanzas of other types (a plugin's, a post-quantum recipient, or a type whose name was damaged,
    // "x25519" for "X25519") are skipped, as the age specification says: a file with none we can
    // open is "no match" (Secret, exit 4; docs/formats.md 15.1), like one for another recipient.
    bool anyX25519 = false;
    QStringList otherTypes;
    for (const Stanza &s : h.stanzas) {
        anyX25519 |= s.kind() == StanzaKind::X25519;
        if (s.kind() == StanzaKind::Other && !otherTypes.contains(QString::fromLatin1(s.type)))
            otherTypes << QString::fromLatin1(s.type);
    }
    if (!anyX25519)
        return Error::secret(QStringLiteral("no X25519 or scrypt recipient in the file, only recipient types SessionDesk "
                                            "does not support (%1)").arg(otherTypes.join(QStringLiteral(", ")).left(200)));
    auto ids = keys.identities();
    if (!ids)
        return ids.error();
    for (const Stanza &s : h.stanzas) {
        if (s.kind() != StanzaKind::X25519)
            continue;
        for (const Identity &id : *ids) {
            bool lowOrder = false;
            auto fileKey = unwrapX25519(s, id, &lowOrder);
            if (lowOrder)
                return corrupt(QStringLiteral("X25519 stanza with an invalid ephemeral share"));
            if (fileKey)
                return std::move(*fileKey);
        }
    }
    return Error::secret(QStringLiteral("no identity matches: the bundle is addressed to another recipient (or its recipient lines are damaged)"));
}

Result<SecretBytes> decryptPayload(const SecretBytes &fileKey, QByteArrayView payload)
{
    if (payload.size() < 16)
        return corrupt(QStringLiteral("truncated payload (no nonce)"));
    const QByteArray nonce = payload.first(16).toByteArray();
    const QByteArrayView body = payload.sliced(16);
    constexpr qsizetype sealedChunk = kChunkSize + 16;
    if (body.isEmpty())
        return corrupt(QStringLiteral("truncated payload (no chunk)"));
    const qsizetype chunks = (body.size() + sealedChunk - 1) / sealedChunk;
    const qsizetype lastSize = body.size() - (chunks - 1) * sealedChunk;
    if (lastSize < 16)
        return corrupt(QStringLiteral("truncated payload chunk"));
    const SecretBytes key = payloadKey(fileKey, nonce);
    SecretBytes plain = SecretBytes::zeroed(static_cast<std::size_t>(body.size() - 16 * chunks));
    std::uint8_t scratch = 0;
    for (qsizetype i = 0; i < chunks; ++i) {
        const bool last = i == chunks - 1;
        const QByteArrayView sealed = body.sliced(i * sealedChunk, last ? lastSize : sealedChunk);
        std::uint8_t *out = plain.isEmpty() ? &scratch : plain.data() + i * kChunkSize;
        if (!crypto::chachaPolyOpenInto(key, chunkNonce(static_cast<quint64>(i), last), sealed, out)) {
            plain.clear();
            return corrupt(QStringLiteral("payload chunk %1 does not authenticate (corrupt or truncated)").arg(i));
        }
        if (last && i > 0 && sealed.size() == 16) {
            plain.clear();
            return corrupt(QStringLiteral("empty final chunk"));
        }
    }
    return plain;
}

Result<SecretBytes> decrypt(QByteArrayView file, KeySource &keys, int maxWorkFactor)
{
    auto h = parseHeader(file);
    if (!h)
        return h.error();
    auto fileKey = unwrapFileKey(*h, keys, maxWorkFactor);
    if (!fileKey)
        return fileKey.error();
    const QByteArray mac = crypto::hmacSha256(headerMacKey(*fileKey), h->macInput);
    if (!crypto::constantTimeEqual(mac, h->mac))
        return corrupt(QStringLiteral("header MAC mismatch (the header was modified)"));
    return decryptPayload(*fileKey, file.sliced(h->payloadOffset));
}

// ---- encryption --------------------------------------------------------------------------------

QByteArray encryptPayload(const SecretBytes &fileKey, const QByteArray &nonce, QByteArrayView plaintext)
{
    const SecretBytes key = payloadKey(fileKey, nonce);
    QByteArray out = nonce;
    const qsizetype chunks = plaintext.isEmpty() ? 1 : (plaintext.size() + kChunkSize - 1) / kChunkSize;
    out.reserve(16 + plaintext.size() + 16 * chunks);
    for (qsizetype i = 0; i < chunks; ++i) {
        const QByteArrayView part = plaintext.sliced(i * kChunkSize, std::min<qsizetype>(kChunkSize, plaintext.size() - i * kChunkSize));
        out += crypto::chachaPolySeal(key, chunkNonce(static_cast<quint64>(i), i == chunks - 1), part);
    }
    return out;
}

Result<QByteArray> encrypt(QByteArrayView plaintext, const EncryptOptions &o)
{
    if (o.passphrase && !o.recipients.empty())
        return Error::usage(QStringLiteral("a passphrase cannot be combined with recipients"));
    if (!o.passphrase && o.recipients.empty())
        return Error::usage(QStringLiteral("no recipient and no passphrase"));
    if (o.workFactor < 1 || o.workFactor > kMaxWorkFactor)
        return Error::usage(QStringLiteral("work factor must be 1..%1").arg(kMaxWorkFactor));
    const SecretBytes fileKey = SecretBytes::random(kFileKeySize);
    QByteArray header = kHeaderLine.toByteArray() + '\n';
    if (o.passphrase) {
        const QByteArray salt = crypto::randomBytes(16);
        auto key = crypto::scrypt(*o.passphrase, kScryptLabel.toByteArray() + salt, o.workFactor, 8, 1, 32);
        if (!key)
            return Error::output(QStringLiteral("scrypt failed"));
        appendStanza(header, "scrypt", QList<QByteArray>{b64(salt), QByteArray::number(o.workFactor)},
                     crypto::chachaPolySeal(*key, zeroNonce(), QByteArrayView(fileKey.data(), kFileKeySize)));
    }
    for (const QByteArray &recipient : o.recipients) {
        const Identity eph = Identity::generate();
        const QByteArray share = eph.publicKey();
        auto shared = crypto::x25519(eph.secret, recipient);
        if (!shared)
            return Error::usage(QStringLiteral("invalid X25519 recipient (low-order point)"));
        const SecretBytes wrap = crypto::hkdfSha256(*shared, share + recipient, kX25519Label.toByteArray(), 32);
        appendStanza(header, "X25519", QList<QByteArray>{b64(share)}, crypto::chachaPolySeal(wrap, zeroNonce(), QByteArrayView(fileKey.data(), kFileKeySize)));
    }
    header += "---";
    const QByteArray mac = crypto::hmacSha256(headerMacKey(fileKey), header);
    header += ' ' + b64(mac) + '\n';
    return QByteArray(header + encryptPayload(fileKey, crypto::randomBytes(16), plaintext));
}

} // namespace sd::age
