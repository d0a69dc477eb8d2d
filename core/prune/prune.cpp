#include "prune.h"

namespace sd {

bool pruneSupported(const QString &) { return false; }

Result<PruneReport> prunePeerCache(const Format &format, const QString &, const PrunePolicy &, const PruneOptions &)
{
    return Error::badInput(QStringLiteral("pruning %1 is not implemented yet").arg(format.id()));
}

} // namespace sd
