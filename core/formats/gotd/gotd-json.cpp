// gotd-json: gotd/td's session.json (session.FileStorage), docs/formats.md 6.1.
#include "formats/families.h"
#include "formats/gotd/gotdsession.h"

#include "io/atomicfile.h"

namespace sd {

namespace {

class GotdJson : public Format {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            using C = Capability;
            FormatDescriptor f;
            f.id = QStringLiteral("gotd-json");
            f.displayName = QStringLiteral("gotd session.json");
            f.sourceKind = SourceKind::File;
            f.capabilities = C::DcId | C::Address | C::TestFlag | C::AuthKey;
            f.fileName = QStringLiteral("{base}.json");
            return f;
        }();
        return d;
    }

    int detect(const Probe &p) const override
    {
        if (p.isDirectory || p.isSqlite)
            return 0;
        const QByteArray &t = p.head.isEmpty() ? p.text : p.head;
        if (t.size() >= 64 * 1024 || !gotd::looksLikeSessionJson(t))
            return 0;
        return t.contains("\"AuthKey\"") ? 95 : 70;
    }

    Result<Store> read(const Source &source, const ReadOptions &options) const override
    {
        QByteArray bytes;
        if (source.isString()) {
            bytes = source.text;
        } else {
            auto file = readFileLimited(source.path, gotd::kMaxSessionJson);
            if (!file)
                return file.error();
            bytes = std::move(*file);
        }
        Store store;
        store.formatId = id();
        store.formatVersion = gotd::kSessionVersion;
        auto s = gotd::parseSessionJson(bytes, options.ignoreVersion, &store.warnings);
        wipe(bytes);
        if (!s)
            return s.error();
        store.accounts.push_back(std::move(*s));
        return store;
    }

    Status write(const Store &store, const QString &path, const WriteOptions &options) const override
    {
        auto account = accountToWrite(store);
        if (!account)
            return account.error();
        auto json = gotd::buildSessionJson(**account);
        if (!json)
            return json.error();
        const Status st = writeFileAtomic(path, *json, options.force);
        wipe(*json);
        return st;
    }
};

} // namespace

std::unique_ptr<Format> make_gotd_json()
{
    return std::make_unique<GotdJson>();
}

} // namespace sd
