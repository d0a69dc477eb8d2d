// pyrogram-string: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_pyrogram_string()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("pyrogram-string"), QStringLiteral("Pyrogram string session"), SourceKind::String,
        C::DcId | C::TestFlag | C::AuthKey | C::UserId | C::IsBot | C::ApiId, nullptr);
}

} // namespace sd
