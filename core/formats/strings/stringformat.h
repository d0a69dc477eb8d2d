#pragma once
// Shared machinery of the string session formats (Telethon, Pyrogram, GramJS, MTKruto strings):
// a Format base class that reads a pasted string (or a small text file holding one), the pure
// decoders used by detection and diagnosis, and small helpers (IP text <-> packed bytes, MTKruto's
// zero-run RLE, key checks). docs/formats.md 0.3, 1.6, 2.5, 3.1, 11.1, 13.
#include "format/format.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

namespace sd::strings {

// What a decoder produces: one session plus the layout it was found in ("ipv4", "old32"...).
struct Decoded {
    Session session;
    QString variant;
    QStringList warnings;
};

// Pure decoders: normalized string in (see normalizeSessionString), session out. Each accepts
// either base64 alphabet and missing padding, and rejects anything whose structure is not the
// library's own (wrong length, DC id out of range, implausible address...).
Result<Decoded> decodeTelethon(const QByteArray &text);
Result<Decoded> decodePyrogram(const QByteArray &text);
// allowTelethonLayouts: also accept Telethon-layout strings, as GramJS's own loader does
// (used when the user forces --format gramjs-string); detection never sets it.
Result<Decoded> decodeGramjs(const QByteArray &text, bool allowTelethonLayouts);
Result<Decoded> decodeMtkruto(const QByteArray &text);

// True when payload (the bytes after GramJS's "1") holds a GramJS text-address header:
// a big-endian length 1..100 followed by that many address characters and room for port + key.
bool gramjsTextLayoutPlausible(const QByteArray &payload);


// MTKruto / Telegram zero-run RLE (docs/formats.md 13). Decoding rejects a dangling or doubled zero
// marker and output larger than maxOut.
QByteArray rleEncode(const QByteArray &data);
std::optional<QByteArray> rleDecode(const QByteArray &data, qsizetype maxOut);

// Lenient base64 with a character-count guard (no decoding of megabyte blobs by detection).
std::optional<QByteArray> decodeB64(const QByteArray &text, qsizetype maxChars = 4096);

// Checks a 256-byte permanent key; the message names the problem.
std::optional<QString> keyProblem(const QByteArray &key);
// A one-DC session: dc entry with key, address, port; testMode inferred from a known address
// when the format does not carry it (inferTest).
Session makeSession(int dcId, const QString &address, int port, const QByteArray &key,
                    std::optional<bool> testMode, bool inferTest);
// The address to write for targets that hold one: the primary's own address if it has one and
// (when needIp) it is an IP literal, else the one DC table (dcaddress.h).
struct Endpoint {
    QString address;
    int port = 443;
};
std::optional<Endpoint> endpointFor(const Session &session, bool needIp);
// The primary key, or an error naming what is missing.
Result<QByteArray> primaryKey(const Session &session);

// Base class: id/name/capabilities, read() from a string or a small text file, detection by
// decoding. Subclasses provide decode() and encodeString().
class StringFormat : public Format {
public:
    StringFormat(QString id, QString name, Capabilities caps, int confidence) : m_confidence(confidence)
    {
        m_descriptor.id = std::move(id);
        m_descriptor.displayName = std::move(name);
        m_descriptor.sourceKind = SourceKind::String;
        m_descriptor.capabilities = caps;
        m_descriptor.fileName = QStringLiteral("{base}.txt");
    }
    const FormatDescriptor &descriptor() const override { return m_descriptor; }
    int detect(const Probe &probe) const override;
    Result<Store> read(const Source &source, const ReadOptions &options) const override;

    // Forced reading (--format) may be more lenient than detection.
    virtual Result<Decoded> decode(const QByteArray &normalized, bool forced) const = 0;

private:
    FormatDescriptor m_descriptor;
    int m_confidence;
};

} // namespace sd::strings
