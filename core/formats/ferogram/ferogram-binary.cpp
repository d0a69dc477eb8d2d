// ferogram-binary: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_ferogram_binary()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("ferogram-binary"), QStringLiteral("ferogram binary session"), SourceKind::File,
        C::DcId | C::Address | C::AuthKey | C::MultiDc | C::UpdateState | C::ChannelPts | C::Peers, nullptr);
}

} // namespace sd
