// gogram-string: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_gogram_string()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("gogram-string"), QStringLiteral("gogram string session"), SourceKind::String,
        C::DcId | C::Address | C::AuthKey | C::ApiId, nullptr);
}

} // namespace sd
