// Registration of the gotd family. Replace each PendingFormat with the real implementation.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

void registerGotdFormats(FormatList &out)
{
    using C = Capability;
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("gotd-json"), QStringLiteral("gotd session.json"), SourceKind::File,
        C::DcId | C::Address | C::TestFlag | C::AuthKey, nullptr));
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("gotd-bbolt"), QStringLiteral("gotd/botapi bbolt state"), SourceKind::File,
        C::DcId | C::Address | C::TestFlag | C::AuthKey | C::Peers, nullptr));
}

} // namespace sd
