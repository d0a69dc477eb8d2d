// mtgo-sqlite: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_mtgo_sqlite()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("mtgo-sqlite"), QStringLiteral("mtgo-labs SQLite storage"), SourceKind::File,
        C::DcId | C::Address | C::TestFlag | C::AuthKey | C::UserId | C::IsBot | C::ApiId | C::ApiHash | C::UpdateState | C::ChannelPts | C::Peers | C::PeerTimestamps | C::Conversations,
        [](const Probe &p) { return p.hasColumn(QStringLiteral("sessions"), QStringLiteral("session_id")) || p.hasTable(QStringLiteral("durable_updates")) ? 90 : 0; });
}

} // namespace sd
