// ferogram-binary: BinaryFileBackend session file (docs/formats.md 8.1). Reads versions 1-8, writes 8.
#include "formats/families.h"
#include "formats/ferogram/ferogram-codec.h"

#include "io/atomicfile.h"

namespace sd {

namespace {

class FerogramBinary : public Format {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            using C = Capability;
            FormatDescriptor f;
            f.id = QStringLiteral("ferogram-binary");
            f.displayName = QStringLiteral("ferogram binary session");
            f.sourceKind = SourceKind::File;
            f.capabilities = C::DcId | C::Address | C::AuthKey | C::MultiDc | C::UpdateState | C::ChannelPts | C::Peers;
            f.fileName = QStringLiteral("{base}.session");
            f.pruneInMemory = true;
            return f;
        }();
        return d;
    }

    int detect(const Probe &probe) const override
    {
        if (probe.isDirectory || probe.isSqlite || probe.isString || probe.head.isEmpty())
            return 0;
        const auto first = static_cast<quint8>(probe.head[0]);
        const bool versioned = first >= 2 && first <= 8;
        if (probe.head.size() == probe.size) {
            auto d = ferogram::decodeBinary(probe.head, false);
            if (!d)
                return 0;
            // A v1 file has no version byte and little structure: weaker evidence.
            return versioned ? 90 : 60;
        }
        return ferogram::plausibleBinaryPrefix(probe.head) ? (versioned ? 80 : 50) : 0;
    }

    Result<Store> read(const Source &source, const ReadOptions &options) const override
    {
        if (source.isString())
            return Error::badInput(QStringLiteral("ferogram-binary is a file format; a native string is ferogram-string"));
        auto data = readFileLimited(source.path, ferogram::kMaxBinary);
        if (!data)
            return data.error();
        auto d = ferogram::decodeBinary(*data, options.loadPeers);
        wipe(*data);
        if (!d)
            return d.error();
        Store store;
        store.formatId = id();
        store.formatVersion = d->version;
        if (d->version == 1)
            store.warnings << QStringLiteral("legacy v1 file (no version byte): DC table only");
        store.accounts.push_back(std::move(d->session));
        return store;
    }

    Status write(const Store &store, const QString &path, const WriteOptions &options) const override
    {
        auto account = accountToWrite(store);
        if (!account)
            return account.error();
        if (!options.variant.isEmpty())
            return Error::usage(QStringLiteral("ferogram-binary has no variants (writes version 8)"));
        Session s = **account;
        if (!options.carryPeers)
            s.peers.clear();
        auto bytes = ferogram::encodeBinary(s);
        if (!bytes)
            return bytes.error();
        Status st = writeFileAtomic(path, *bytes, options.force);
        wipe(*bytes);
        return st;
    }
};

} // namespace

std::unique_ptr<Format> make_ferogram_binary() { return std::make_unique<FerogramBinary>(); }

} // namespace sd
