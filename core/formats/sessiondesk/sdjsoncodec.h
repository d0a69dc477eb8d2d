#pragma once
// Encoder/decoder of the sessiondesk-json document (pure functions, fuzzable).
#include "domain/session.h"
#include "util/result.h"

namespace sd {

constexpr int kSessiondeskJsonVersion = 1;

QByteArray encodeSessiondeskJson(const Store &store, qint64 exportedAt);
Result<Store> decodeSessiondeskJson(const QByteArray &data);

} // namespace sd
