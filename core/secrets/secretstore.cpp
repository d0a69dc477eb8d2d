#include "secretstore.h"

namespace sd {

Result<SecretBytes> SecretStore::read(const QString &key)
{
    auto found = find(key);
    if (!found)
        return found.error();
    if (!found->has_value())
        return Error::secret(QStringLiteral("%1 has no entry '%2'").arg(backendName(), key));
    return std::move(**found);
}

} // namespace sd
