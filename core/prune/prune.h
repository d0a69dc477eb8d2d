#pragma once
// Peer-cache pruning, shared by every format with a peer cache (owned by the audit/prune work).
// Format::canPrune()/prune() delegate here by default, keyed on the format id.
#include "format/format.h"

namespace sd {

bool pruneSupported(const QString &formatId);
Result<PruneReport> prunePeerCache(const Format &format, const QString &path, const PrunePolicy &policy,
                                   const PruneOptions &options);

} // namespace sd
