#pragma once
// After a conversion the output is read back and compared with what was meant to be written:
// anything the target silently could not keep is reported as dropped (never silently lost), and
// an output whose keys do not read back is an error.
#include "domain/session.h"
#include "format/format.h"
#include "util/result.h"

#include <QStringList>

namespace sd {

// Phrases for what `after` lost compared with `before` ("names of 12 peers", "update state").
// An Error when a target that carries auth keys reads back another key or DC (the output would
// not log in).
Result<QStringList> compareWritten(const Session &before, const Session &after, Capabilities targetCaps);

} // namespace sd
