// mtcute-sqlite: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_mtcute_sqlite()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("mtcute-sqlite"), QStringLiteral("mtcute SQLite storage"), SourceKind::File,
        C::DcId | C::Address | C::MediaDc | C::TestFlag | C::AuthKey | C::MultiDc | C::UserId | C::IsBot | C::UpdateState | C::ChannelPts | C::Peers | C::PeerTimestamps | C::Phones,
        [](const Probe &p) { return p.hasTable(QStringLiteral("mtcute_migrations")) || (p.hasTable(QStringLiteral("key_value")) && p.hasTable(QStringLiteral("auth_keys"))) ? 90 : 0; });
}

} // namespace sd
