// sessiondesk-json: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_sessiondesk_json()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("sessiondesk-json"), QStringLiteral("SessionDesk JSON export"), SourceKind::File,
        C::DcId | C::Address | C::MediaDc | C::TestFlag | C::AuthKey | C::MultiDc | C::UserId | C::IsBot | C::ApiId | C::ApiHash | C::UpdateState | C::ChannelPts | C::Peers | C::PeerTimestamps | C::Phones | C::Conversations | C::MultiAccount,
        [](const Probe &p) { return p.head.contains("\"sessiondesk\"") ? 95 : 0; });
}

} // namespace sd
