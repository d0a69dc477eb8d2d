// pyrogram-string: Pyrogram / Kurigram / Pyrofork string sessions (docs/formats.md 2.5). URL-safe
// base64 without padding, no prefix, all integers big-endian:
//   OLD32   (263 bytes): dc u8 | test bool | key 256 | user u32 | bot bool
//   OLD64   (267 bytes): dc u8 | test bool | key 256 | user u64 | bot bool
//   current (271 bytes): dc u8 | api_id u32 | test bool | key 256 | user u64 | bot bool
// Every layout is read; the current one is written. The address comes from Pyrogram's own DC
// table (dcaddress.h), since the string carries none.
#include "formats/families.h"
#include "formats/strings/stringformat.h"
#include "util/base64.h"
#include "util/bytes.h"

#include <limits>

namespace sd {

namespace strings {

namespace {
constexpr qsizetype kOld32 = 1 + 1 + 256 + 4 + 1;
constexpr qsizetype kOld64 = 1 + 1 + 256 + 8 + 1;
constexpr qsizetype kCurrent = 1 + 4 + 1 + 256 + 8 + 1;

bool plausibleDc(int dc) { return (dc >= 1 && dc <= 5) || dc == 203; }
} // namespace

Result<Decoded> decodePyrogram(const QByteArray &text)
{
    auto payload = decodeB64(text);
    if (!payload)
        return Error::badInput(QStringLiteral("not base64"));
    QByteArray &p = *payload;
    const qsizetype n = p.size();
    if (n != kOld32 && n != kOld64 && n != kCurrent) {
        wipe(p);
        return Error::badInput(QStringLiteral("decodes to %1 bytes; a Pyrogram string holds %2 (current), %3 (old 64-bit) or %4 (old 32-bit)")
                                   .arg(n)
                                   .arg(kCurrent)
                                   .arg(kOld64)
                                   .arg(kOld32));
    }
    ByteReader r(p);
    const int dc = r.u8();
    std::optional<quint32> apiId;
    if (n == kCurrent)
        apiId = r.u32be();
    const quint8 test = r.u8();
    QByteArray key = r.bytes(256);
    const quint64 user = n == kOld32 ? r.u32be() : r.u64be();
    const quint8 bot = r.u8();
    wipe(p);
    auto bad = [&key](const QString &m) {
        wipe(key);
        return Error::badInput(m);
    };
    if (!r.ok() || !r.atEnd())
        return bad(QStringLiteral("truncated payload"));
    if (!plausibleDc(dc))
        return bad(QStringLiteral("DC id %1 is not a Telegram DC").arg(dc));
    if (test > 1)
        return bad(QStringLiteral("test-mode byte is %1, 0 or 1 expected").arg(test));
    if (bot > 1)
        return bad(QStringLiteral("bot byte is %1, 0 or 1 expected").arg(bot));
    if (user > static_cast<quint64>(std::numeric_limits<qint64>::max()))
        return bad(QStringLiteral("user id does not fit a signed 64-bit integer"));
    if (apiId && *apiId > static_cast<quint32>(std::numeric_limits<qint32>::max()))
        return bad(QStringLiteral("api id %1 is out of range").arg(*apiId));
    if (auto problem = keyProblem(key))
        return bad(*problem);
    Decoded d;
    d.session = makeSession(dc, QString(), 0, key, test == 1, false);
    wipe(key);
    if (user != 0)
        d.session.userId = static_cast<qint64>(user);
    if (user != 0 || bot != 0)
        d.session.isBot = bot == 1;
    if (apiId && *apiId != 0)
        d.session.apiId = static_cast<qint32>(*apiId);
    d.variant = n == kCurrent ? QStringLiteral("current") : n == kOld64 ? QStringLiteral("old64") : QStringLiteral("old32");
    if (n != kCurrent)
        d.warnings << QStringLiteral("old Pyrogram 1.x string layout (no api id); it is written back in the current layout");
    return d;
}

namespace {

class PyrogramString final : public StringFormat {
public:
    PyrogramString()
        : StringFormat(QStringLiteral("pyrogram-string"), QStringLiteral("Pyrogram string session"),
                       Capability::DcId | Capability::TestFlag | Capability::AuthKey | Capability::UserId
                           | Capability::IsBot | Capability::ApiId,
                       85)
    {
    }

    Result<Decoded> decode(const QByteArray &text, bool) const override { return decodePyrogram(text); }

    Result<QByteArray> encodeString(const Session &session, const WriteOptions &) const override
    {
        auto key = primaryKey(session);
        if (!key)
            return key.error();
        const DcAuth *p = session.primary();
        const int dc = p ? p->dcId : session.dcId;
        auto fail = [&key](const QString &m) {
            wipe(*key);
            return Error::badInput(m);
        };
        if (dc < 1 || dc > 255)
            return fail(QStringLiteral("DC id %1 does not fit a Pyrogram string").arg(dc));
        if (session.userId && *session.userId < 0)
            return fail(QStringLiteral("user id %1 is negative; Pyrogram stores an unsigned id").arg(*session.userId));
        if (session.apiId && *session.apiId < 0)
            return fail(QStringLiteral("api id %1 is negative").arg(*session.apiId));
        bool test = session.testMode.value_or(false);
        if (p && p->testMode)
            test = *p->testMode;
        ByteWriter w;
        w.u8(static_cast<quint8>(dc));
        w.u32be(static_cast<quint32>(session.apiId.value_or(0)));
        w.u8(test ? 1 : 0);
        w.bytes(*key);
        wipe(*key);
        w.u64be(static_cast<quint64>(session.userId.value_or(0)));
        w.u8(session.isBot.value_or(false) ? 1 : 0);
        QByteArray out = base64Encode(w.data(), B64::UrlNoPad);
        wipe(w.data());
        return out;
    }
};

} // namespace
} // namespace strings

std::unique_ptr<Format> make_pyrogram_string() { return std::make_unique<strings::PyrogramString>(); }

} // namespace sd
