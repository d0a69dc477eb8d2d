// pyrogram-sqlite: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_pyrogram_sqlite()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("pyrogram-sqlite"), QStringLiteral("Pyrogram / Kurigram / Pyrofork SQLite session"), SourceKind::File,
        C::DcId | C::TestFlag | C::AuthKey | C::UserId | C::IsBot | C::ApiId | C::UpdateState | C::Peers | C::PeerTimestamps | C::Phones,
        [](const Probe &p) { return p.hasTable(QStringLiteral("peers")) && p.hasColumn(QStringLiteral("version"), QStringLiteral("number")) ? 90 : 0; });
}

} // namespace sd
