#include "session.h"

#include <algorithm>

namespace sd {

PeerKind peerKind(PeerType type)
{
    switch (type) {
    case PeerType::User:
    case PeerType::Bot:
        return PeerKind::User;
    case PeerType::Chat:
        return PeerKind::Chat;
    case PeerType::Channel:
    case PeerType::Supergroup:
        return PeerKind::Channel;
    }
    return PeerKind::User;
}

QString peerKindName(PeerKind kind)
{
    switch (kind) {
    case PeerKind::User:
        return QStringLiteral("user");
    case PeerKind::Chat:
        return QStringLiteral("chat");
    case PeerKind::Channel:
        return QStringLiteral("channel");
    }
    return {};
}

QString peerSubtypeName(const Peer &peer)
{
    if (peer.kind() == PeerKind::Channel
        && (peer.extra.value(QStringLiteral("channel_kind")).toString() == QLatin1String("community")
            || peer.extra.value(QStringLiteral("ferogram_community")).toBool()))
        return QStringLiteral("community");
    return peerTypeName(peer.type);
}

QString peerTypeName(PeerType type)
{
    switch (type) {
    case PeerType::User:
        return QStringLiteral("user");
    case PeerType::Bot:
        return QStringLiteral("bot");
    case PeerType::Chat:
        return QStringLiteral("chat");
    case PeerType::Channel:
        return QStringLiteral("channel");
    case PeerType::Supergroup:
        return QStringLiteral("supergroup");
    }
    return {};
}

std::optional<PeerKind> peerKindFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("user") || n == QLatin1String("users") || n == QLatin1String("bot"))
        return PeerKind::User;
    if (n == QLatin1String("chat") || n == QLatin1String("chats") || n == QLatin1String("group"))
        return PeerKind::Chat;
    if (n == QLatin1String("channel") || n == QLatin1String("channels") || n == QLatin1String("supergroup"))
        return PeerKind::Channel;
    return std::nullopt;
}

qint64 markedId(qint64 bareId, PeerKind kind)
{
    switch (kind) {
    case PeerKind::User:
        return bareId;
    case PeerKind::Chat:
        return -bareId;
    case PeerKind::Channel:
        return kZeroChannelId - bareId;
    }
    return bareId;
}

std::optional<std::pair<qint64, PeerKind>> unmarkId(qint64 marked)
{
    if (marked > 0)
        return std::make_pair(marked, PeerKind::User);
    if (marked == 0)
        return std::nullopt;
    // Channel ids are marked below -1e12; basic groups are in (-1e12, 0).
    if (marked < kZeroChannelId)
        return std::make_pair(kZeroChannelId - marked, PeerKind::Channel);
    if (marked == kZeroChannelId)
        return std::nullopt;
    return std::make_pair(-marked, PeerKind::Chat);
}

void PeerCounts::add(PeerKind kind, qint64 n)
{
    switch (kind) {
    case PeerKind::User:
        users += n;
        break;
    case PeerKind::Chat:
        chats += n;
        break;
    case PeerKind::Channel:
        channels += n;
        break;
    }
}

const DcAuth *Session::primary() const
{
    return const_cast<Session *>(this)->primary();
}

DcAuth *Session::primary()
{
    DcAuth *fallback = nullptr;
    for (DcAuth &dc : dcs) {
        if (dc.isTemp)
            continue;
        if (dc.dcId == dcId && !dc.mediaOnly)
            return &dc;
        if (dc.dcId == dcId && !fallback)
            fallback = &dc;
    }
    if (fallback)
        return fallback;
    // No entry for the declared DC: the first permanent one.
    for (DcAuth &dc : dcs)
        if (!dc.isTemp)
            return &dc;
    return nullptr;
}

DcAuth &Session::upsertDc(int dc, bool mediaOnly, bool temp)
{
    for (DcAuth &d : dcs)
        if (d.dcId == dc && d.mediaOnly == mediaOnly && d.isTemp == temp)
            return d;
    DcAuth d;
    d.dcId = dc;
    d.mediaOnly = mediaOnly;
    d.isTemp = temp;
    dcs.push_back(std::move(d));
    return dcs.back();
}

PeerCounts Session::peerCounts() const
{
    if (peerCountsOnly)
        return *peerCountsOnly;
    PeerCounts c;
    for (const Peer &p : peers)
        c.add(p.kind());
    return c;
}

qint64 Session::conversationCount() const
{
    if (conversationCountOnly)
        return *conversationCountOnly;
    return static_cast<qint64>(conversations.size());
}

std::optional<qint64> Session::newestTimestamp() const
{
    std::optional<qint64> newest;
    auto consider = [&newest](std::optional<qint64> t) {
        if (t && *t > 0 && (!newest || *t > *newest))
            newest = t;
    };
    for (const Peer &p : peers)
        consider(p.updated);
    if (updateState)
        consider(updateState->date);
    for (const Conversation &c : conversations)
        consider(c.updated);
    if (auto it = extra.find(QStringLiteral("newest_timestamp")); it != extra.end())
        consider(it->toLongLong());
    return newest;
}

} // namespace sd
