// Registration of the telethon family. Replace each PendingFormat with the real implementation.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

void registerTelethonFormats(FormatList &out)
{
    using C = Capability;
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("telethon-sqlite"), QStringLiteral("Telethon v1 SQLite session"), SourceKind::File,
        C::DcId | C::Address | C::AuthKey | C::UserId | C::UpdateState | C::ChannelPts | C::Peers | C::PeerTimestamps | C::Phones,
        [](const Probe &p) { return p.hasTable(QStringLiteral("entities")) && p.hasTable(QStringLiteral("sessions")) ? 90 : 0; }));
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("telethon2-sqlite"), QStringLiteral("Telethon v2 SQLite session"), SourceKind::File,
        C::DcId | C::Address | C::AuthKey | C::MultiDc | C::UserId | C::IsBot | C::UpdateState | C::ChannelPts,
        [](const Probe &p) { return p.hasTable(QStringLiteral("datacenter")) ? 90 : 0; }));
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("telethon-string"), QStringLiteral("Telethon StringSession"), SourceKind::String,
        C::DcId | C::Address | C::AuthKey, nullptr));
}

} // namespace sd
