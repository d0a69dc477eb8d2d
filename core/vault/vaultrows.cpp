#include "vaultrows.h"

#include <QDataStream>
#include <QIODevice>

namespace sd::vaultrows {

QVariant encodeExtra(const QVariantMap &extra)
{
    if (extra.isEmpty())
        return QVariant();
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s.setVersion(QDataStream::Qt_6_4);
    s << extra;
    return out;
}

QVariantMap decodeExtra(const QByteArray &blob)
{
    QVariantMap map;
    if (blob.isEmpty() || blob.size() > 16 * 1024 * 1024)
        return map;
    QDataStream s(blob);
    s.setVersion(QDataStream::Qt_6_4);
    s >> map;
    if (s.status() != QDataStream::Ok)
        return {};
    return map;
}

std::optional<PeerType> peerTypeFromName(const QString &name)
{
    for (PeerType t : {PeerType::User, PeerType::Bot, PeerType::Chat, PeerType::Channel, PeerType::Supergroup})
        if (peerTypeName(t) == name)
            return t;
    return std::nullopt;
}

} // namespace sd::vaultrows
