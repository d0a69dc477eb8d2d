#pragma once
// Encoder/decoder of the sessiondesk-json document (pure functions, fuzzable).
#include "domain/session.h"
#include "format/format.h"
#include "util/result.h"

namespace sd {

constexpr int kSessiondeskJsonVersion = 1;

QByteArray encodeSessiondeskJson(const Store &store, qint64 exportedAt);
Result<Store> decodeSessiondeskJson(const QByteArray &data);

// What a sessiondesk-json document carries (the whole domain model); also sessiondesk-bundle's.
Capabilities sessiondeskCapabilities();
// Drops peers / conversations the caller did not ask for, keeping their counts (ReadOptions).
void applyLoadOptions(Store &store, const ReadOptions &options);

} // namespace sd
