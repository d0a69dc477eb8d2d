// Registration of the mtcute family. Replace each PendingFormat with the real implementation.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

void registerMtcuteFormats(FormatList &out)
{
    using C = Capability;
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("mtcute-string"), QStringLiteral("mtcute session string (v3)"), SourceKind::String,
        C::DcId | C::Address | C::MediaDc | C::TestFlag | C::AuthKey | C::UserId | C::IsBot, nullptr));
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("mtcute-sqlite"), QStringLiteral("mtcute SQLite storage"), SourceKind::File,
        C::DcId | C::Address | C::MediaDc | C::TestFlag | C::AuthKey | C::MultiDc | C::UserId | C::IsBot | C::UpdateState | C::ChannelPts | C::Peers | C::PeerTimestamps | C::Phones,
        [](const Probe &p) { return p.hasTable(QStringLiteral("mtcute_migrations")) || (p.hasTable(QStringLiteral("key_value")) && p.hasTable(QStringLiteral("auth_keys"))) ? 90 : 0; }));
}

} // namespace sd
