// telethon-string: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_telethon_string()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("telethon-string"), QStringLiteral("Telethon StringSession"), SourceKind::String,
        C::DcId | C::Address | C::AuthKey, nullptr);
}

} // namespace sd
