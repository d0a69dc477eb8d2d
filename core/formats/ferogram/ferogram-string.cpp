// ferogram-string: the compact string (V2 written by export_session_string(), V1 read) and the
// "native" string = base64url-no-pad of the binary session (docs/formats.md 8.2, 8.3).
#include "formats/families.h"
#include "formats/ferogram/ferogram-codec.h"

#include "util/base64.h"

namespace sd {

namespace {

constexpr qsizetype kMaxString = 1024 * 1024;

struct Parsed {
    ferogram::Decoded decoded;
    QString variant; // "v2" | "v1" | "native"
};

Result<Parsed> parse(const QByteArray &text, bool loadPeers)
{
    if (text.isEmpty())
        return Error::badInput(QStringLiteral("empty ferogram string"));
    if (text.size() > kMaxString)
        return Error::badInput(QStringLiteral("ferogram string: too long"));
    auto bytes = base64DecodeStrict(text, B64::UrlNoPad);
    if (!bytes)
        return Error::badInput(QStringLiteral("ferogram string: not unpadded base64url"));
    const auto first = bytes->isEmpty() ? 0 : static_cast<quint8>(bytes->at(0));
    Parsed p;
    if (first == 1 || first == 2) {
        auto c = ferogram::decodeCompact(*bytes);
        if (c) {
            p.variant = c->version == 2 ? QStringLiteral("v2") : QStringLiteral("v1");
            p.decoded = std::move(*c);
            wipe(*bytes);
            return p;
        }
    }
    auto b = ferogram::decodeBinary(*bytes, loadPeers);
    wipe(*bytes);
    if (!b)
        return Error::badInput(QStringLiteral("not a ferogram compact or native string (%1)").arg(b.error().message));
    p.variant = QStringLiteral("native");
    p.decoded = std::move(*b);
    return p;
}

class FerogramString : public Format {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            using C = Capability;
            FormatDescriptor f;
            f.id = QStringLiteral("ferogram-string");
            f.displayName = QStringLiteral("ferogram string session");
            f.sourceKind = SourceKind::String;
            f.capabilities = C::DcId | C::Address | C::AuthKey | C::UserId; // compact V2 (and V1)
            // The native string is the binary file (docs/formats.md 8.2): every DC, the update
            // state and the peer cache, no user id.
            f.variantCapabilities.insert(QStringLiteral("native"),
                                         C::DcId | C::Address | C::AuthKey | C::MultiDc | C::UpdateState | C::ChannelPts | C::Peers);
            f.fileName = QStringLiteral("{base}.txt");
            return f;
        }();
        return d;
    }

    int detect(const Probe &probe) const override
    {
        if (!probe.isString || probe.text.size() < 16)
            return 0;
        auto p = parse(probe.text, false);
        if (!p)
            return 0;
        if (p->variant == QLatin1String("native"))
            return p->decoded.version == ferogram::kCurrentBinaryVersion ? 95 : 85;
        return 95;
    }

    Result<Store> read(const Source &source, const ReadOptions &options) const override
    {
        auto text = readStringSource(source);
        if (!text)
            return text.error();
        auto p = parse(*text, options.loadPeers);
        wipe(*text);
        if (!p)
            return p.error();
        Store store;
        store.formatId = id();
        store.variant = p->variant;
        store.formatVersion = p->decoded.version;
        store.accounts.push_back(std::move(p->decoded.session));
        return store;
    }

    Result<QByteArray> encodeString(const Session &session, const WriteOptions &options) const override
    {
        const QString v = options.variant;
        Result<QByteArray> bytes = QByteArray();
        if (v.isEmpty() || v == QLatin1String("v2") || v == QLatin1String("compact")) {
            bytes = ferogram::encodeCompact(session, 2);
        } else if (v == QLatin1String("v1")) {
            bytes = ferogram::encodeCompact(session, 1);
        } else if (v == QLatin1String("native")) {
            Session s = session;
            if (!options.carryPeers)
                s.peers.clear();
            bytes = ferogram::encodeBinary(s);
        } else {
            return Error::usage(QStringLiteral("ferogram-string variants: v2 (default), v1, native"));
        }
        if (!bytes)
            return bytes.error();
        QByteArray out = base64Encode(*bytes, B64::UrlNoPad);
        wipe(*bytes);
        return out;
    }
};

} // namespace

std::unique_ptr<Format> make_ferogram_string() { return std::make_unique<FerogramString>(); }

} // namespace sd
