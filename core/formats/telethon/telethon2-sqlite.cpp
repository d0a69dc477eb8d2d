// telethon2-sqlite: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_telethon2_sqlite()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("telethon2-sqlite"), QStringLiteral("Telethon v2 SQLite session"), SourceKind::File,
        C::DcId | C::Address | C::AuthKey | C::MultiDc | C::UserId | C::IsBot | C::UpdateState | C::ChannelPts,
        [](const Probe &p) { return p.hasTable(QStringLiteral("datacenter")) ? 90 : 0; });
}

} // namespace sd
