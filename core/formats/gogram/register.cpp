// Registration of the gogram family. Replace each PendingFormat with the real implementation.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

void registerGogramFormats(FormatList &out)
{
    using C = Capability;
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("gogram-string"), QStringLiteral("gogram string session"), SourceKind::String,
        C::DcId | C::Address | C::AuthKey | C::ApiId, nullptr));
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("gogram-file"), QStringLiteral("gogram session.dat"), SourceKind::File,
        C::DcId | C::Address | C::AuthKey | C::ApiId, nullptr));
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("gogram-cache"), QStringLiteral("gogram peer cache (gob)"), SourceKind::File,
        C::UserId | C::Peers, nullptr));
}

} // namespace sd
