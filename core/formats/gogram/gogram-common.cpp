#include "gogram-common.h"

#include "domain/dcaddress.h"

namespace sd::gogram {

int dcFromAddress(const QString &host)
{
    if (auto known = lookupDcAddress(host))
        return known->dcId;
    if (host.startsWith(QLatin1String("91.108.56")))
        return 5;
    if (host.startsWith(QLatin1String("149.154.175")))
        return 1;
    if (host.startsWith(QLatin1String("149.154.167")))
        return 2;
    return 4;
}

Result<Session> toSession(const Auth &a, QStringList *warnings)
{
    if (a.key.size() != 256)
        return Error::badInput(QStringLiteral("auth key is %1 bytes, 256 expected").arg(a.key.size()));
    const auto hp = parseHostPort(a.hostPort);
    if (!hp)
        return Error::badInput(QStringLiteral("address '%1' is not ip:port").arg(a.hostPort.left(64)));
    Session s;
    s.dcId = a.dcId > 0 ? a.dcId : dcFromAddress(hp->host);
    DcAuth &d = s.upsertDc(s.dcId);
    d.address = hp->host;
    d.port = hp->port;
    d.ipv6 = hp->ipv6;
    d.authKey = SecretBytes::fromByteArray(a.key);
    d.salt = a.salt;
    if (auto known = lookupDcAddress(hp->host); known && known->test) {
        s.testMode = true;
        d.testMode = true;
    }
    if (!a.hash.isEmpty() && a.hash != authKeyIdBytes(d.authKey)) {
        d.extra.insert(QStringLiteral("gogram_hash"), a.hash);
        if (warnings)
            *warnings << QStringLiteral("the stored key hash does not match SHA1(auth key)[12:20]");
    }
    if (a.appId != 0)
        s.apiId = a.appId;
    return s;
}

Result<Auth> fromSession(const Session &s)
{
    const DcAuth *p = s.primary();
    if (!p || p->authKey.isEmpty())
        return Error::badInput(QStringLiteral("the session has no auth key for its DC"));
    if (p->authKey.size() != 256)
        return Error::badInput(QStringLiteral("auth key is %1 bytes, 256 expected").arg(p->authKey.size()));
    Auth a;
    a.key = p->authKey.exposeUnsafe();
    const QByteArray kept = p->extra.value(QStringLiteral("gogram_hash")).toByteArray();
    a.hash = kept.size() == 8 ? kept : authKeyIdBytes(p->authKey);
    a.salt = p->salt.value_or(0);
    const HostPort hp = dcEndpoint(s, p);
    if (hp.host.isEmpty())
        return Error::badInput(QStringLiteral("no address known for DC %1").arg(p->dcId));
    a.hostPort = formatHostPort(hp.host, hp.port);
    a.dcId = s.dcId > 0 ? s.dcId : p->dcId;
    a.appId = s.apiId.value_or(0);
    return a;
}

QByteArray goJsonString(const QByteArray &utf8)
{
    static const char hex[] = "0123456789abcdef";
    QByteArray out;
    out.reserve(utf8.size() + 2);
    out.append('"');
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c == '"' || c == '\\') {
            out.append('\\').append(static_cast<char>(c));
        } else if (c == '\n') {
            out.append("\\n");
        } else if (c == '\r') {
            out.append("\\r");
        } else if (c == '\t') {
            out.append("\\t");
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out.append("\\u00").append(hex[c >> 4]).append(hex[c & 15]);
        } else if (c == 0xe2 && i + 2 < utf8.size() && static_cast<unsigned char>(utf8[i + 1]) == 0x80
                   && (static_cast<unsigned char>(utf8[i + 2]) == 0xa8 || static_cast<unsigned char>(utf8[i + 2]) == 0xa9)) {
            out.append(static_cast<unsigned char>(utf8[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029");
            i += 2;
        } else {
            out.append(static_cast<char>(c));
        }
    }
    out.append('"');
    return out;
}

} // namespace sd::gogram
