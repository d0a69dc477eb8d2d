// gogram-cache: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_gogram_cache()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("gogram-cache"), QStringLiteral("gogram peer cache (gob)"), SourceKind::File,
        C::UserId | C::Peers, nullptr);
}

} // namespace sd
