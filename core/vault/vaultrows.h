#pragma once
// Small helpers shared by the vault's row readers and writers.
#include "domain/session.h"

#include <QVariant>

namespace sd::vaultrows {

// QVariantMap <-> blob (QDataStream); an empty map is NULL.
QVariant encodeExtra(const QVariantMap &extra);
QVariantMap decodeExtra(const QByteArray &blob);
std::optional<PeerType> peerTypeFromName(const QString &name);

} // namespace sd::vaultrows
