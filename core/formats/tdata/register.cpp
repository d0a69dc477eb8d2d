// Registration of the tdata family. Replace each PendingFormat with the real implementation.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

void registerTdataFormats(FormatList &out)
{
    using C = Capability;
    out.push_back(std::make_unique<PendingFormat>(QStringLiteral("tdata"), QStringLiteral("Telegram Desktop tdata folder"), SourceKind::Directory,
        C::DcId | C::AuthKey | C::MultiDc | C::UserId | C::MultiAccount,
        [](const Probe &p) { return p.isDirectory && (p.entries.contains(QStringLiteral("key_datas")) || p.entries.contains(QStringLiteral("key_data"))) ? 90 : 0; }));
}

} // namespace sd
