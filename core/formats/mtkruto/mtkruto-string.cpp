// mtkruto-string: MTKruto auth string (docs/formats.md 13). URL-safe base64 without padding of
// RLE( TL string dc ("1".."5", "N-test") | TL bytes key | i32 LE apiId | u8 isBot | i64 LE userId ).
// @mtcute/convert writes the string without the last three fields (docs/formats.md 12, pitfall 14);
// such a "short" string is read too and re-encoded the same way, so a round trip is exact.
#include "formats/families.h"
#include "formats/strings/stringformat.h"
#include "util/base64.h"
#include "util/bytes.h"

#include <QRegularExpression>

namespace sd {

namespace strings {

namespace {
const char kShortLayout[] = "mtkruto-string/short";
constexpr qsizetype kMaxRaw = 1024;
constexpr qsizetype kTail = 4 + 1 + 8;
} // namespace

Result<Decoded> decodeMtkruto(const QByteArray &text)
{
    auto b = decodeB64(text);
    if (!b)
        return Error::badInput(QStringLiteral("not base64"));
    auto raw = rleDecode(*b, kMaxRaw);
    wipe(*b);
    if (!raw)
        return Error::badInput(QStringLiteral("not a valid zero-run (RLE) encoding"));
    QByteArray &p = *raw;
    ByteReader r(p);
    const QByteArray dcText = r.tlBytes();
    QByteArray key = r.tlBytes();
    auto bad = [&key, &p](const QString &m) {
        wipe(key);
        wipe(p);
        return Error::badInput(m);
    };
    if (!r.ok())
        return bad(QStringLiteral("truncated TL data"));
    static const QRegularExpression dcRe(QStringLiteral("^([1-5])(-test)?$"));
    const auto m = dcRe.match(QString::fromLatin1(dcText));
    if (dcText.size() > 8 || !m.hasMatch())
        return bad(QStringLiteral("DC field is not \"1\"..\"5\" or \"N-test\""));
    const int dc = m.captured(1).toInt();
    const bool test = m.capturedLength(2) > 0;
    if (auto problem = keyProblem(key))
        return bad(*problem);
    std::optional<qint32> apiId;
    std::optional<quint8> bot;
    std::optional<qint64> user;
    if (r.remaining() == kTail) {
        apiId = r.i32le();
        bot = r.u8();
        user = r.i64le();
    } else if (r.remaining() != 0) {
        return bad(QStringLiteral("%1 bytes after the auth key, 0 or %2 expected").arg(r.remaining()).arg(kTail));
    }
    if (bot && *bot > 1)
        return bad(QStringLiteral("bot byte is %1, 0 or 1 expected").arg(*bot));
    Decoded d;
    d.session = makeSession(dc, QString(), 0, key, test, false);
    wipe(key);
    wipe(p);
    if (!apiId) {
        d.variant = QStringLiteral("short");
        d.session.extra.insert(QString::fromLatin1(kShortLayout), true);
        d.warnings << QStringLiteral("this string lacks apiId, isBot and userId (as @mtcute/convert writes it); MTKruto "
                                     "itself cannot import it: convert it to mtkruto-string with --api-id and --user-id");
        return d;
    }
    d.variant = QStringLiteral("full");
    if (*apiId != 0)
        d.session.apiId = *apiId;
    if (*user != 0)
        d.session.userId = *user;
    if (*user != 0 || *bot != 0)
        d.session.isBot = *bot == 1;
    return d;
}

namespace {

class MtkrutoString final : public StringFormat {
public:
    MtkrutoString()
        : StringFormat(QStringLiteral("mtkruto-string"), QStringLiteral("MTKruto auth string"),
                       Capability::DcId | Capability::TestFlag | Capability::AuthKey | Capability::UserId
                           | Capability::IsBot | Capability::ApiId,
                       87) // above Pyrogram's 85: the RLE + TL structure is the stricter check
    {
    }

    Result<Decoded> decode(const QByteArray &text, bool) const override { return decodeMtkruto(text); }

    Result<QByteArray> encodeString(const Session &session, const WriteOptions &) const override
    {
        auto key = primaryKey(session);
        if (!key)
            return key.error();
        const DcAuth *p = session.primary();
        const int dc = p ? p->dcId : session.dcId;
        bool test = session.testMode.value_or(false);
        if (p && p->testMode)
            test = *p->testMode;
        if (dc < 1 || dc > (test ? 3 : 5)) {
            wipe(*key);
            return Error::badInput(QStringLiteral("MTKruto has no %1DC %2").arg(test ? QStringLiteral("test ") : QString()).arg(dc));
        }
        ByteWriter w;
        w.tlString(QString::number(dc) + (test ? QStringLiteral("-test") : QString()));
        w.tlBytes(*key);
        wipe(*key);
        const bool shortLayout = session.extra.value(QString::fromLatin1(kShortLayout)).toBool() && !session.apiId
            && !session.userId && !session.isBot;
        if (!shortLayout) {
            w.i32le(session.apiId.value_or(0));
            w.u8(session.isBot.value_or(false) ? 1 : 0);
            w.i64le(session.userId.value_or(0));
        }
        QByteArray rle = rleEncode(w.data());
        wipe(w.data());
        QByteArray out = base64Encode(rle, B64::UrlNoPad);
        wipe(rle);
        return out;
    }
};

} // namespace
} // namespace strings

std::unique_ptr<Format> make_mtkruto_string() { return std::make_unique<strings::MtkrutoString>(); }

} // namespace sd
