// Registration of the pyrogram family. Replace each PendingFormat with the real implementation.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

void registerPyrogramFormats(FormatList &out)
{
    using C = Capability;
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("pyrogram-sqlite"), QStringLiteral("Pyrogram / Kurigram / Pyrofork SQLite session"), SourceKind::File,
        C::DcId | C::TestFlag | C::AuthKey | C::UserId | C::IsBot | C::ApiId | C::UpdateState | C::Peers | C::PeerTimestamps | C::Phones,
        [](const Probe &p) { return p.hasTable(QStringLiteral("peers")) && p.hasColumn(QStringLiteral("version"), QStringLiteral("number")) ? 90 : 0; }));
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("pyrogram-string"), QStringLiteral("Pyrogram string session"), SourceKind::String,
        C::DcId | C::TestFlag | C::AuthKey | C::UserId | C::IsBot | C::ApiId, nullptr));
}

} // namespace sd
