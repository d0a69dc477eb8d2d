// gotd-json: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_gotd_json()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("gotd-json"), QStringLiteral("gotd session.json"), SourceKind::File,
        C::DcId | C::Address | C::TestFlag | C::AuthKey, nullptr);
}

} // namespace sd
