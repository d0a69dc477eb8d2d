// gramjs-store: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_gramjs_store()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("gramjs-store"), QStringLiteral("GramJS StoreSession folder"), SourceKind::Directory,
        C::DcId | C::Address | C::AuthKey | C::Peers,
        [](const Probe &p) { return p.isDirectory && p.entries.filter(QStringLiteral("%3AauthKey")).size() > 0 ? 80 : 0; });
}

} // namespace sd
