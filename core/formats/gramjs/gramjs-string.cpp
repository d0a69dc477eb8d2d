// gramjs-string: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_gramjs_string()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("gramjs-string"), QStringLiteral("GramJS StringSession"), SourceKind::String,
        C::DcId | C::Address | C::AuthKey, nullptr);
}

} // namespace sd
