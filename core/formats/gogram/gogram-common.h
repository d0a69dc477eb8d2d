#pragma once
// Shared by the gogram formats: the gogram DC-from-address rule, the fields its session file and
// string carry, and Go-compatible JSON string escaping.
#include "domain/session.h"
#include "format/format.h"
#include "util/result.h"

#include <QByteArray>
#include <QString>

namespace sd::gogram {


// gogram's DCOptions.SearchAddr: the known-address table first (dcaddress.h), then gogram's prefix
// heuristic (91.108.56 -> 5, 149.154.175 -> 1, 149.154.167 -> 2, otherwise 4). docs/formats.md 5.1.
int dcFromAddress(const QString &host);


// The fields gogram's session file and string carry (docs/formats.md 5.1/5.2).
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
