// mtcute-string: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_mtcute_string()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("mtcute-string"), QStringLiteral("mtcute session string (v3)"), SourceKind::String,
        C::DcId | C::Address | C::MediaDc | C::TestFlag | C::AuthKey | C::UserId | C::IsBot, nullptr);
}

} // namespace sd
