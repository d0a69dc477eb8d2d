// Registration of the gramjs family. Replace each PendingFormat with the real implementation.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

void registerGramjsFormats(FormatList &out)
{
    using C = Capability;
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("gramjs-string"), QStringLiteral("GramJS StringSession"), SourceKind::String,
        C::DcId | C::Address | C::AuthKey, nullptr));
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("gramjs-store"), QStringLiteral("GramJS StoreSession folder"), SourceKind::Directory,
        C::DcId | C::Address | C::AuthKey | C::Peers,
        [](const Probe &p) { return p.isDirectory && p.entries.filter(QStringLiteral("%3AauthKey")).size() > 0 ? 80 : 0; }));
}

} // namespace sd
