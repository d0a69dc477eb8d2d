// Diagnosis of a string that no string format accepted. The string-formats work replaces this
// with per-library shape checks (length, alphabet, version byte).
#include "format/registry.h"

namespace sd {

QString diagnoseUnknownString(const QByteArray &normalized)
{
    return QStringLiteral("not a session of any known format (%1 characters)").arg(normalized.size());
}

} // namespace sd
