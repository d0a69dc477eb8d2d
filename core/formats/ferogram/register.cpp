// Registration of the ferogram family. Replace each PendingFormat with the real implementation.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

void registerFerogramFormats(FormatList &out)
{
    using C = Capability;
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("ferogram-binary"), QStringLiteral("ferogram binary session"), SourceKind::File,
        C::DcId | C::Address | C::AuthKey | C::MultiDc | C::UpdateState | C::ChannelPts | C::Peers, nullptr));
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("ferogram-string"), QStringLiteral("ferogram string session"), SourceKind::String,
        C::DcId | C::Address | C::AuthKey | C::UserId, nullptr));
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("ferogram-sqlite"), QStringLiteral("ferogram SQLite session"), SourceKind::File,
        C::DcId | C::Address | C::AuthKey | C::MultiDc | C::UpdateState | C::ChannelPts | C::Peers,
        [](const Probe &p) { return p.hasTable(QStringLiteral("meta")) && p.hasTable(QStringLiteral("dcs")) ? 90 : 0; }));
}

} // namespace sd
