// tdata: registered, not yet implemented. Replace this stub with the real format.
#include "formats/families.h"
#include "formats/pendingformat.h"

namespace sd {

std::unique_ptr<Format> make_tdata()
{
    using C = Capability;
    return std::make_unique<PendingFormat>(QStringLiteral("tdata"), QStringLiteral("Telegram Desktop tdata folder"), SourceKind::Directory,
        C::DcId | C::AuthKey | C::MultiDc | C::UserId | C::MultiAccount,
        [](const Probe &p) { return p.isDirectory && (p.entries.contains(QStringLiteral("key_datas")) || p.entries.contains(QStringLiteral("key_data"))) ? 90 : 0; });
}

} // namespace sd
