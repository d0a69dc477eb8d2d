// sessiondesk-json: SessionDesk's own lossless, versioned export. Holds everything the domain model
// holds (every account, every DC key, peers with raw blobs, update state, conversations and the
// format-specific leftovers in `extra`), so any source can be parked here and read back unchanged.
//
// Layout (version 1): {"sessiondesk": 1, "format": "sessiondesk-json", "exported_at": <unix s>,
//   "source_format": "...", "accounts": [ ... ]}. The header keys are written first so that
// detection finds them in the first bytes of even a very large file. Byte arrays are standard
// base64; 64-bit integers are exact JSON integers. The file is written 0600: it holds auth keys.
#include "formats/families.h"
#include "io/inputfile.h"
#include "formats/sessiondesk/sdjsoncodec.h"
#include "io/atomicfile.h"

#include <QDateTime>
#include <QFileInfo>

namespace sd {

namespace {

constexpr qint64 kMaxFileBytes = inputcap::kSessionDeskJson;

class SessiondeskJsonFormat : public Format {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            FormatDescriptor f;
            f.id = QStringLiteral("sessiondesk-json");
            f.displayName = QStringLiteral("SessionDesk JSON export");
            f.sourceKind = SourceKind::File;
            f.capabilities = sessiondeskCapabilities();
            f.fileName = QStringLiteral("{base}.json");
            return f;
        }();
        return d;
    }

    int detect(const Probe &p) const override
    {
        if (p.isDirectory || p.isSqlite || p.head.isEmpty())
            return 0;
        const QByteArray start = p.head.left(256).trimmed();
        return start.startsWith('{') && start.contains("\"sessiondesk\"") ? 95 : 0;
    }

    Result<Store> read(const Source &source, const ReadOptions &options) const override
    {
        QByteArray data;
        if (!source.text.isEmpty()) {
            data = source.text;
        } else {
            auto bytes = readFileLimited(source.path, kMaxFileBytes);
            if (!bytes)
                return bytes.error();
            data = std::move(*bytes);
        }
        auto store = decodeSessiondeskJson(data);
        wipe(data);
        if (!store)
            return store.error();
        applyLoadOptions(*store, options);
        return store;
    }

    Status write(const Store &store, const QString &path, const WriteOptions &options) const override
    {
        if (store.accounts.empty()) // every account is written; an export of none would not read back
            return nothingToWrite();
        QByteArray doc = encodeSessiondeskJson(store, QDateTime::currentSecsSinceEpoch());
        auto st = writeFileAtomic(path, doc, options.force);
        wipe(doc);
        return st;
    }
};

} // namespace

std::unique_ptr<Format> make_sessiondesk_json()
{
    return std::make_unique<SessiondeskJsonFormat>();
}

} // namespace sd
