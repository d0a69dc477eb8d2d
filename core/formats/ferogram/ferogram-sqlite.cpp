// ferogram-sqlite: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_ferogram_sqlite()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("ferogram-sqlite"), QStringLiteral("ferogram SQLite session"), SourceKind::File,
        C::DcId | C::Address | C::AuthKey | C::MultiDc | C::UpdateState | C::ChannelPts | C::Peers,
        [](const Probe &p) { return p.hasTable(QStringLiteral("meta")) && p.hasTable(QStringLiteral("dcs")) ? 90 : 0; });
}

} // namespace sd
