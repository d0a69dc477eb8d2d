// gotd-bbolt: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_gotd_bbolt()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("gotd-bbolt"), QStringLiteral("gotd/botapi bbolt state"), SourceKind::File,
        C::DcId | C::Address | C::TestFlag | C::AuthKey | C::Peers, nullptr);
}

} // namespace sd
