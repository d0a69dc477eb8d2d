// telethon-sqlite: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_telethon_sqlite()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("telethon-sqlite"), QStringLiteral("Telethon v1 SQLite session"), SourceKind::File,
        C::DcId | C::Address | C::AuthKey | C::UserId | C::UpdateState | C::ChannelPts | C::Peers | C::PeerTimestamps | C::Phones,
        [](const Probe &p) { return p.hasTable(QStringLiteral("entities")) && p.hasTable(QStringLiteral("sessions")) ? 90 : 0; });
}

} // namespace sd
