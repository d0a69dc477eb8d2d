// Registration of the mtkruto family. Replace each PendingFormat with the real implementation.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

void registerMtkrutoFormats(FormatList &out)
{
    using C = Capability;
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("mtkruto-string"), QStringLiteral("MTKruto auth string"), SourceKind::String,
        C::DcId | C::TestFlag | C::AuthKey | C::UserId | C::IsBot | C::ApiId, nullptr));
}

} // namespace sd
