// Registration of the sessiondesk family. Replace each PendingFormat with the real implementation.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

void registerSessiondeskFormats(FormatList &out)
{
    using C = Capability;
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("sessiondesk-json"), QStringLiteral("SessionDesk JSON export"), SourceKind::File,
        C::DcId | C::Address | C::MediaDc | C::TestFlag | C::AuthKey | C::MultiDc | C::UserId | C::IsBot | C::ApiId | C::ApiHash | C::UpdateState | C::ChannelPts | C::Peers | C::PeerTimestamps | C::Phones | C::Conversations | C::MultiAccount,
        [](const Probe &p) { return p.head.contains("\"sessiondesk\"") ? 95 : 0; }));
}

} // namespace sd
