// gramjs-string: GramJS StringSession (docs/formats.md 3.1). "1" + standard base64 (padded) of
// dc u8 | N i16 BE | address text (N bytes: IPv4, IPv6 or a host name) | port i16 BE | auth key 256.
// GramJS's loader also accepts Telethon-layout strings; so does a forced read here, while
// detection claims only the text layout (a Telethon string is detected as telethon-string).
#include "formats/families.h"
#include "formats/strings/stringformat.h"
#include "util/base64.h"
#include "util/bytes.h"
#include "util/ipaddress.h"

namespace sd {

namespace strings {

namespace {
constexpr int kMaxAddress = 100; // GramJS: a length above 100 means a Telethon IPv6 string

bool addressChar(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == ':'
        || c == '-' || c == '[' || c == ']';
}

bool plausibleAddress(const QByteArray &a)
{
    if (a.isEmpty())
        return false;
    for (char c : a)
        if (!addressChar(c))
            return false;
    if (ipTextToBytes(QByteArrayView(a)))
        return true;
    // A host name: dotted labels of letters, digits and '-'.
    if (a.contains(':') || a.contains('[') || !a.contains('.'))
        return false;
    for (const QByteArray &label : a.split('.'))
        if (label.isEmpty() || label.size() > 63)
            return false;
    return true;
}

bool plausibleDc(int dc) { return (dc >= 1 && dc <= 5) || dc == 203; }
} // namespace

bool gramjsTextLayoutPlausible(const QByteArray &p)
{
    if (p.size() < 3)
        return false;
    const int n = (static_cast<quint8>(p[1]) << 8) | static_cast<quint8>(p[2]);
    if (n < 1 || n > kMaxAddress || p.size() != 1 + 2 + n + 2 + 256)
        return false;
    return plausibleAddress(QByteArray::fromRawData(p.constData() + 3, n));
}

Result<Decoded> decodeGramjs(const QByteArray &text, bool allowTelethonLayouts)
{
    if (!text.startsWith('1'))
        return Error::badInput(QStringLiteral("does not start with the version character '1'"));
    const QByteArray body = QByteArray::fromRawData(text.constData() + 1, text.size() - 1);
    auto payload = decodeB64(body);
    if (allowTelethonLayouts) {
        // GramJS's own rule: 352 characters after "1" is a Telethon IPv4 string; a length field
        // above 100 a Telethon IPv6 string.
        bool telethon = body.size() == 352;
        if (payload && payload->size() >= 3 && !telethon)
            telethon = ((static_cast<quint8>((*payload)[1]) << 8) | static_cast<quint8>((*payload)[2])) > kMaxAddress;
        if (telethon) {
            if (payload)
                wipe(*payload);
            auto d = decodeTelethon(text);
            if (!d)
                return d.error();
            d->variant = QStringLiteral("telethon-") + d->variant;
            return d;
        }
    }
    if (!payload)
        return Error::badInput(QStringLiteral("the part after '1' is not base64"));
    QByteArray &p = *payload;
    if (!gramjsTextLayoutPlausible(p)) {
        const qsizetype n = p.size();
        wipe(p);
        return Error::badInput(
            QStringLiteral("decodes to %1 bytes without a text address header (length 1-100 + address + port + 256-byte key)")
                .arg(n));
    }
    ByteReader r(p);
    const int dc = r.u8();
    const int n = r.u16be();
    const QString address = QString::fromLatin1(r.bytes(n));
    const int port = r.u16be();
    QByteArray key = r.bytes(256);
    wipe(p);
    auto bad = [&key](const QString &m) {
        wipe(key);
        return Error::badInput(m);
    };
    if (!r.ok() || !r.atEnd())
        return bad(QStringLiteral("truncated payload"));
    if (!plausibleDc(dc))
        return bad(QStringLiteral("DC id %1 is not a Telegram DC").arg(dc));
    if (port == 0 || port > 32767)
        return bad(QStringLiteral("port %1 is out of range").arg(port));
    if (auto problem = keyProblem(key))
        return bad(*problem);
    Decoded d;
    d.session = makeSession(dc, address, port, key, std::nullopt, true);
    d.variant = ipTextToBytes(address) ? (isIpv6Text(address) ? QStringLiteral("ipv6") : QStringLiteral("ipv4"))
                                : QStringLiteral("hostname");
    wipe(key);
    return d;
}

namespace {

class GramjsString final : public StringFormat {
public:
    GramjsString()
        : StringFormat(QStringLiteral("gramjs-string"), QStringLiteral("GramJS StringSession"),
                       Capability::DcId | Capability::Address | Capability::AuthKey, 90)
    {
    }

    Result<Decoded> decode(const QByteArray &text, bool forced) const override { return decodeGramjs(text, forced); }

    Result<QByteArray> encodeString(const Session &session, const WriteOptions &) const override
    {
        auto key = primaryKey(session);
        if (!key)
            return key.error();
        const DcAuth *p = session.primary();
        const int dc = p ? p->dcId : session.dcId;
        auto ep = endpointFor(session, false);
        auto fail = [&key](const QString &m) {
            wipe(*key);
            return Error::badInput(m);
        };
        if (dc < 1 || dc > 255)
            return fail(QStringLiteral("DC id %1 does not fit a GramJS string").arg(dc));
        if (!ep)
            return fail(QStringLiteral("no address known for DC %1").arg(dc));
        QString address = ep->address;
        if (address.startsWith(QLatin1Char('[')) && address.endsWith(QLatin1Char(']')))
            address = address.mid(1, address.size() - 2);
        const QByteArray a = address.toUtf8();
        if (a.isEmpty() || a.size() > kMaxAddress)
            return fail(QStringLiteral("address '%1' does not fit a GramJS string").arg(address));
        if (ep->port <= 0 || ep->port > 32767)
            return fail(QStringLiteral("port %1 does not fit GramJS's signed 16-bit field").arg(ep->port));
        ByteWriter w;
        w.data().reserve(1 + 2 + 100 + 2 + 256);
        w.u8(static_cast<quint8>(dc));
        w.u16be(static_cast<quint16>(a.size()));
        w.bytes(a);
        w.u16be(static_cast<quint16>(ep->port));
        w.bytes(*key);
        wipe(*key);
        QByteArray out = base64Encode(w.data(), B64::Standard, "1");
        wipe(w.data());
        return out;
    }
};

} // namespace
} // namespace strings

std::unique_ptr<Format> make_gramjs_string() { return std::make_unique<strings::GramjsString>(); }

} // namespace sd
