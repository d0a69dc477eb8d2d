#pragma once
// Shared by the gogram formats (and reused by ferogram for "ip:port" text): reading a string source,
// host:port text, the gogram DC-from-address rule, and Go-compatible JSON string escaping.
#include "domain/session.h"
#include "format/format.h"
#include "util/result.h"

#include <QByteArray>
#include <QString>

namespace sd::gogram {

// The session string of a source: the pasted text, or the content of a small text file, normalized
// (normalizeSessionString). Bad input when the file is too large to be a string.
Result<QByteArray> sourceString(const Source &source);

struct HostPort {
    QString host;   // without brackets
    int port = 0;
    bool ipv6 = false;
};
// "1.2.3.4:443" or "[2001:db8::1]:443". nullopt when the text is not host:port.
std::optional<HostPort> splitHostPort(const QString &text);
// The inverse; IPv6 (a host containing ':') is bracketed.
QString joinHostPort(const QString &host, int port);

// gogram's DCOptions.SearchAddr: the known-address table first (dcaddress.h), then gogram's prefix
// heuristic (91.108.56 -> 5, 149.154.175 -> 1, 149.154.167 -> 2, otherwise 4). formats.md 5.1.
int dcFromAddress(const QString &host);

// The address to write for a DC entry: its own, or the default table's for its DC id.
HostPort addressFor(const Session &session, const DcAuth *dc);

// The fields gogram's session file and string carry (formats.md 5.1/5.2).
struct Auth {
    QByteArray key;                 // 256 bytes; the caller wipes it
    QByteArray hash;                // 8 bytes, SHA1(key)[12:20] (as stored)
    std::optional<qint64> salt;     // file only
    QString hostPort;               // "ip:port" / "[ipv6]:port"
    int dcId = 0;                   // string only (0 = absent: derived from the address)
    qint32 appId = 0;
};
// Builds the session (DC derived from the address unless dcId is set). A stored hash that does not
// match the key is kept in DcAuth::extra["gogram_hash"] and reported in warnings.
Result<Session> toSession(const Auth &auth, QStringList *warnings);
Result<Auth> fromSession(const Session &session);

// A JSON string literal the way Go's encoding/json writes it (HTML-safe escaping).
QByteArray goJsonString(const QByteArray &utf8);

} // namespace sd::gogram
