// mtkruto-string: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_mtkruto_string()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("mtkruto-string"), QStringLiteral("MTKruto auth string"), SourceKind::String,
        C::DcId | C::TestFlag | C::AuthKey | C::UserId | C::IsBot | C::ApiId, nullptr);
}

} // namespace sd
