// ferogram-string: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_ferogram_string()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("ferogram-string"), QStringLiteral("ferogram string session"), SourceKind::String,
        C::DcId | C::Address | C::AuthKey | C::UserId, nullptr);
}

} // namespace sd
