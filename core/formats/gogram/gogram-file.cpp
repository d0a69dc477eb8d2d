// gogram-file: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_gogram_file()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("gogram-file"), QStringLiteral("gogram session.dat"), SourceKind::File,
        C::DcId | C::Address | C::AuthKey | C::ApiId, nullptr);
}

} // namespace sd
