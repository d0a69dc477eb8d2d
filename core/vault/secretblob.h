#pragma once
// The one keychain entry per vault account: every DC key of the account (permanent, temporary,
// media) plus the few fields that may hold key material (the session's and the DC entries'
// format-specific extras, the API hash). The vault file keeps only auth_key_id and metadata.
//
// Layout (QDataStream, big-endian): "SDVK" u32 version=1, u32 count, count x { i32 index,
// i32 dc_id, bytes key }, QVariantMap session extra, u32 n, n x { i32 index, QVariantMap extra },
// bool has_api_hash, QString api_hash.
#include "domain/session.h"
#include "util/result.h"

namespace sd {

SecretBytes encodeAccountSecrets(const Session &session);
// Puts the keys and extras of blob back into session, whose dcs must already hold the vault's DC
// rows (same order). Each key's auth_key_id must match the row's, or the entry belongs to
// something else and an Error::secret is returned.
Status decodeAccountSecrets(const SecretBytes &blob, Session &session, const QStringList &expectedKeyIds);

} // namespace sd
