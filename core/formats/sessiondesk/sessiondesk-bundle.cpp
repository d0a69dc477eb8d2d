// sessiondesk-bundle: an age v1 file (docs/formats.md 15) whose plaintext is a sessiondesk-json
// document holding one or more accounts. Detected by the age header line. Reading needs the
// secrets ReadOptions::bundleKeys provides (an identity file, a passphrase, or this machine's
// identity, docs/cli.md "Bundles"); the whole file is authenticated before anything is parsed.
// Written by `bundle create` (core/bundle/bundle.h), not by convert: a bundle needs recipients.
#include "bundle/age.h"
#include "bundle/bundle.h"
#include "formats/families.h"
#include "formats/sessiondesk/sdjsoncodec.h"
#include "io/atomicfile.h"
#include "io/inputfile.h"

namespace sd {

namespace {

constexpr qint64 kMaxBundleBytes = inputcap::kSessionDeskJson;

class SessiondeskBundleFormat : public Format {
public:
    const FormatDescriptor &descriptor() const override
    {
        static const FormatDescriptor d = [] {
            FormatDescriptor f;
            f.id = QStringLiteral("sessiondesk-bundle");
            f.displayName = QStringLiteral("SessionDesk bundle (age-encrypted)");
            f.sourceKind = SourceKind::File;
            f.capabilities = sessiondeskCapabilities();
            f.fileName = QStringLiteral("{base}.age");
            f.writable = false;
            return f;
        }();
        return d;
    }

    int detect(const Probe &p) const override
    {
        if (p.isDirectory || p.isSqlite)
            return 0;
        return age::looksLikeAge(p.head) ? 100 : 0;
    }

    Result<Store> read(const Source &source, const ReadOptions &options) const override
    {
        std::shared_ptr<age::KeySource> keys = options.bundleKeys ? options.bundleKeys : bundle::defaultKeySource();
        if (!keys)
            return Error::secret(QStringLiteral("an encrypted bundle needs --identity FILE, a passphrase, or this machine's identity"));
        QByteArray data;
        if (!source.text.isEmpty()) {
            data = source.text;
        } else {
            auto bytes = readFileLimited(source.path, kMaxBundleBytes);
            if (!bytes)
                return bytes.error();
            data = std::move(*bytes);
        }
        auto plain = age::decrypt(data, *keys);
        if (!plain)
            return plain.error();
        // The document is parsed only now that every chunk has authenticated.
        QByteArray doc = plain->exposeUnsafe();
        plain->clear();
        auto store = decodeSessiondeskJson(doc);
        wipe(doc);
        if (!store)
            return Error::badInput(QStringLiteral("the bundle decrypted but does not hold a SessionDesk document: %1")
                                       .arg(store.error().message));
        store->formatId = id();
        // Every peer and conversation is kept whatever options.loadPeers says: the plaintext is here
        // already, and a second read would decrypt again and ask for the identity or passphrase
        // again (the desktop app's peers panel and Export would prompt, from a worker thread).
        return store;
    }
};

} // namespace

std::unique_ptr<Format> make_sessiondesk_bundle()
{
    return std::make_unique<SessiondeskBundleFormat>();
}

} // namespace sd
