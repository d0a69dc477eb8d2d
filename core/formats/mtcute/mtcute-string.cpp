// mtcute-string: mtcute's exportSession()/importSession() string, version 3 (docs/formats.md 4.3).
// base64url without padding of: u8 3, int32 flags (1 self, 2 legacy test, 4 media DC), TL bytes
// BasicDcOption main, [TL bytes media], [int53 user id, Bool is_bot], TL bytes auth key.
#include "format/probe.h"
#include "formats/families.h"
#include "formats/mtcute/mtcute-tl.h"
#include "io/atomicfile.h"
#include "util/base64.h"
#include "util/bytes.h"

namespace sd {

namespace mtcute {

namespace {
constexpr quint32 kBoolTrue = 0x997275b5;
constexpr quint32 kBoolFalse = 0xbc799737;
constexpr qsizetype kMaxStringBytes = 8192;

Result<Session> decodeString(const QByteArray &text, QStringList &warnings)
{
    const QByteArray norm = normalizeSessionString(text);
    if (norm.isEmpty())
        return Error::badInput(QStringLiteral("empty session string"));
    if (norm.size() > kMaxStringBytes)
        return Error::badInput(QStringLiteral("too long for an mtcute session string"));
    auto raw = base64DecodeLenient(norm);
    if (!raw)
        return Error::badInput(QStringLiteral("not base64: an mtcute session string is base64url"));
    QByteArray data = std::move(*raw);
    struct Wiper {
        QByteArray &b;
        ~Wiper() { wipe(b); }
    } wiper{data};
    if (data.isEmpty())
        return Error::badInput(QStringLiteral("empty session string"));
    const int version = static_cast<quint8>(data[0]);
    if (version != 3)
        return Error::badInput(QStringLiteral("unsupported mtcute session string version %1 (only version 3 exists today)").arg(version));
    ByteReader r(data);
    r.skip(1);
    const quint32 flags = r.u32le();
    const auto main = parseDcOption(r.tlBytes());
    if (!r.ok() || !main)
        return Error::badInput(QStringLiteral("corrupt mtcute session string: bad primary DC option"));
    std::optional<DcOption> media;
    if (flags & 4) {
        media = parseDcOption(r.tlBytes());
        if (!r.ok() || !media)
            return Error::badInput(QStringLiteral("corrupt mtcute session string: bad media DC option"));
    }
    bool test = main->testMode();
    if (flags & 2)
        test = true;
    else if (media && media->testMode() != main->testMode())
        return Error::badInput(QStringLiteral("corrupt mtcute session string: main and media DC disagree on test mode"));
    Session s;
    if (flags & 1) {
        s.userId = r.i64le();
        const quint32 b = r.u32le();
        if (!r.ok() || (b != kBoolTrue && b != kBoolFalse))
            return Error::badInput(QStringLiteral("corrupt mtcute session string: bad self user"));
        s.isBot = b == kBoolTrue;
    }
    QByteArray key = r.tlBytes();
    if (!r.ok() || key.isEmpty())
        return Error::badInput(QStringLiteral("corrupt mtcute session string: auth key missing or truncated"));
    if (key.size() != 256)
        warnings << QStringLiteral("the auth key is %1 bytes, not 256").arg(key.size());
    if (!r.atEnd())
        warnings << QStringLiteral("%1 unexpected trailing bytes").arg(r.remaining());
    s.dcId = main->id;
    s.testMode = test;
    DcAuth &d = s.upsertDc(main->id);
    applyDcOption(d, *main);
    d.testMode = test;
    d.authKey = SecretBytes::fromByteArray(key);
    wipe(key);
    if (media) {
        s.mediaDcId = media->id;
        DcAuth &m = s.upsertDc(media->id, true);
        applyDcOption(m, *media);
        m.testMode = test;
    }
    if (flags & 2)
        s.extra.insert(QStringLiteral("mtcute_legacy_test_flag"), true);
    return s;
}

Result<QByteArray> encodeSession(const Session &s)
{
    const DcAuth *primary = s.primary();
    const int dcId = s.dcId > 0 ? s.dcId : primary ? primary->dcId : 0;
    if (dcId <= 0 || dcId > 255)
        return Error::badInput(QStringLiteral("an mtcute string needs a DC id between 1 and 255"));
    const DcEntries e = pickDcEntries(s, dcId);
    const DcAuth *keyed = e.main && !e.main->authKey.isEmpty() ? e.main : nullptr;
    if (!keyed)
        for (const DcAuth &d : s.dcs)
            if (!d.isTemp && d.dcId == dcId && !d.authKey.isEmpty()) {
                keyed = &d;
                break;
            }
    if (!keyed)
        return Error::badInput(QStringLiteral("no auth key for the primary DC %1").arg(dcId));
    const bool test = s.testMode.value_or(false);
    const DcOption mainOption = optionFor(e.main, dcId, test, false);
    if (mainOption.ip.isEmpty())
        return Error::badInput(QStringLiteral("no address is known for DC %1").arg(dcId));
    quint32 flags = 0;
    if (s.userId)
        flags |= 1;
    if (e.media)
        flags |= 4;
    ByteWriter w;
    w.u8(3);
    w.u32le(flags);
    w.tlBytes(serializeDcOption(mainOption));
    if (e.media)
        w.tlBytes(serializeDcOption(optionFor(e.media, e.mediaDcId, test, true)));
    if (s.userId) {
        w.i64le(*s.userId);
        w.u32le(s.isBot.value_or(false) ? kBoolTrue : kBoolFalse);
    }
    QByteArray key = keyed->authKey.exposeUnsafe();
    w.tlBytes(key);
    wipe(key);
    QByteArray out = base64Encode(w.data(), B64::UrlNoPad);
    wipe(w.data());
    return out;
}

class MtcuteStringFormat : public Format {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            using C = Capability;
            FormatDescriptor f;
            f.id = QStringLiteral("mtcute-string");
            f.displayName = QStringLiteral("mtcute session string (v3)");
            f.sourceKind = SourceKind::String;
            f.capabilities = C::DcId | C::Address | C::MediaDc | C::TestFlag | C::AuthKey | C::UserId | C::IsBot;
            f.fileName = QStringLiteral("{base}.txt");
            return f;
        }();
        return d;
    }
    int detect(const Probe &p) const override
    {
        if (p.text.size() < 40 || !p.text.startsWith("Aw") || p.text.contains('='))
            return 0;
        QStringList warnings;
        auto s = decodeString(p.text, warnings);
        return s ? (warnings.isEmpty() ? 95 : 70) : 0;
    }
    Result<Store> read(const Source &source, const ReadOptions &) const override
    {
        QByteArray text = source.text;
        if (text.isEmpty() && !source.path.isEmpty() && source.path != QLatin1String("-")) {
            auto f = readFileLimited(source.path, 64 * 1024);
            if (!f)
                return f.error();
            text = *f;
        }
        Store store;
        store.formatId = id();
        store.formatVersion = 3;
        auto s = decodeString(text, store.warnings);
        wipe(text);
        if (!s)
            return s.error();
        store.accounts.push_back(std::move(*s));
        return store;
    }
    Result<QByteArray> encodeString(const Session &session, const WriteOptions &) const override
    {
        return encodeSession(session);
    }
};

} // namespace
} // namespace mtcute

std::unique_ptr<Format> make_mtcute_string()
{
    return std::make_unique<mtcute::MtcuteStringFormat>();
}

} // namespace sd
