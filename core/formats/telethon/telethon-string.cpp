// telethon-string: Telethon v1 StringSession (docs/formats.md 1.6). "1" + URL-safe base64 (padded) of
// dc u8 | packed IP (4 or 16 bytes) | port u16 BE | auth key 256.
#include "formats/families.h"
#include "formats/strings/stringformat.h"
#include "util/base64.h"
#include "util/bytes.h"
#include "util/ipaddress.h"

namespace sd {

namespace strings {

namespace {
constexpr qsizetype kIpv4Payload = 1 + 4 + 2 + 256;
constexpr qsizetype kIpv6Payload = 1 + 16 + 2 + 256;

bool plausibleDc(int dc) { return (dc >= 1 && dc <= 5) || dc == 203; }
} // namespace

Result<Decoded> decodeTelethon(const QByteArray &text)
{
    if (!text.startsWith('1'))
        return Error::badInput(QStringLiteral("does not start with the version character '1'"));
    auto payload = decodeB64(QByteArray::fromRawData(text.constData() + 1, text.size() - 1));
    if (!payload)
        return Error::badInput(QStringLiteral("the part after '1' is not base64"));
    QByteArray &p = *payload;
    if (p.size() != kIpv4Payload && p.size() != kIpv6Payload) {
        const qsizetype n = p.size();
        wipe(p);
        return Error::badInput(QStringLiteral("decodes to %1 bytes; a Telethon string holds %2 (IPv4) or %3 (IPv6)")
                                   .arg(n)
                                   .arg(kIpv4Payload)
                                   .arg(kIpv6Payload));
    }
    if (p.size() == kIpv6Payload && gramjsTextLayoutPlausible(p)) {
        wipe(p);
        return Error::badInput(QStringLiteral("holds a text address (a GramJS string, not Telethon)"));
    }
    const int ipLen = p.size() == kIpv4Payload ? 4 : 16;
    ByteReader r(p);
    const int dc = r.u8();
    const QByteArray ip = r.bytes(ipLen);
    const int port = r.u16be();
    QByteArray key = r.bytes(256);
    wipe(p);
    if (!r.ok() || !r.atEnd()) {
        wipe(key);
        return Error::badInput(QStringLiteral("truncated payload"));
    }
    if (!plausibleDc(dc)) {
        wipe(key);
        return Error::badInput(QStringLiteral("DC id %1 is not a Telegram DC").arg(dc));
    }
    if (port == 0) {
        wipe(key);
        return Error::badInput(QStringLiteral("port is 0"));
    }
    if (ipLen == 4 && static_cast<quint8>(ip[0]) == 0) {
        wipe(key);
        return Error::badInput(QStringLiteral("IPv4 address %1 is not routable").arg(ipBytesToText(ip)));
    }
    if (auto problem = keyProblem(key)) {
        wipe(key);
        return Error::badInput(*problem);
    }
    Decoded d;
    d.session = makeSession(dc, ipBytesToText(ip), port, key, std::nullopt, true);
    d.variant = ipLen == 4 ? QStringLiteral("ipv4") : QStringLiteral("ipv6");
    wipe(key);
    return d;
}

namespace {

class TelethonString final : public StringFormat {
public:
    TelethonString()
        : StringFormat(QStringLiteral("telethon-string"), QStringLiteral("Telethon StringSession"),
                       Capability::DcId | Capability::Address | Capability::AuthKey, 90)
    {
    }

    Result<Decoded> decode(const QByteArray &text, bool) const override { return decodeTelethon(text); }

    Result<QByteArray> encodeString(const Session &session, const WriteOptions &) const override
    {
        auto key = primaryKey(session);
        if (!key)
            return key.error();
        const DcAuth *p = session.primary();
        const int dc = p ? p->dcId : session.dcId;
        if (dc < 1 || dc > 255) {
            wipe(*key);
            return Error::badInput(QStringLiteral("DC id %1 does not fit a Telethon string").arg(dc));
        }
        auto ep = endpointFor(session, true);
        std::optional<QByteArray> ip = ep ? ipTextToBytes(ep->address) : std::nullopt;
        if (!ip) {
            wipe(*key);
            return Error::badInput(QStringLiteral("no IP address known for DC %1").arg(dc));
        }
        ByteWriter w;
        w.data().reserve(1 + 2 + 100 + 2 + 256);
        w.u8(static_cast<quint8>(dc));
        w.bytes(*ip);
        w.u16be(static_cast<quint16>(ep->port));
        w.bytes(*key);
        wipe(*key);
        QByteArray out = base64Encode(w.data(), B64::Url, "1");
        wipe(w.data());
        return out;
    }
};

} // namespace
} // namespace strings

std::unique_ptr<Format> make_telethon_string() { return std::make_unique<strings::TelethonString>(); }

} // namespace sd
