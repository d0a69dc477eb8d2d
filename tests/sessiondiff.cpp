#include "sessiondiff.h"

#include <map>

namespace sdtest {

namespace {
template <typename T>
QString show(const std::optional<T> &v)
{
    if (!v)
        return QStringLiteral("null");
    if constexpr (std::is_same_v<T, QString>)
        return QLatin1Char('"') + *v + QLatin1Char('"');
    else if constexpr (std::is_same_v<T, bool>)
        return *v ? QStringLiteral("true") : QStringLiteral("false");
    else
        return QString::number(*v);
}

// Which keys of two extra maps differ, and how, so a failure names the drift.
QString extraDiff(const QVariantMap &a, const QVariantMap &b)
{
    QStringList parts;
    QStringList keys = a.keys() + b.keys();
    keys.removeDuplicates();
    for (const QString &k : keys) {
        if (a.value(k) == b.value(k))
            continue;
        auto txt = [](const QVariantMap &m, const QString &key) {
            return m.contains(key) ? m.value(key).toString().left(40) + QLatin1Char('(') + QLatin1String(m.value(key).typeName()) + QLatin1Char(')')
                                   : QStringLiteral("absent");
        };
        parts << QStringLiteral("%1: %2 != %3").arg(k, txt(a, k), txt(b, k));
    }
    return parts.join(QStringLiteral("; "));
}
} // namespace

QStringList diffSessions(const sd::Session &a, const sd::Session &b, const DiffOptions &o)
{
    QStringList d;
    auto cmp = [&d](const QString &what, const auto &x, const auto &y) {
        if (x != y)
            d << QStringLiteral("%1: %2 != %3").arg(what, show(x), show(y));
    };
    if (a.dcId != b.dcId)
        d << QStringLiteral("dc_id: %1 != %2").arg(a.dcId).arg(b.dcId);
    cmp(QStringLiteral("test_mode"), a.testMode, b.testMode);
    cmp(QStringLiteral("user_id"), a.userId, b.userId);
    cmp(QStringLiteral("is_bot"), a.isBot, b.isBot);
    cmp(QStringLiteral("api_id"), a.apiId.has_value() ? std::optional<qint64>(*a.apiId) : std::nullopt,
        b.apiId.has_value() ? std::optional<qint64>(*b.apiId) : std::nullopt);
    cmp(QStringLiteral("api_hash"), a.apiHash, b.apiHash);
    cmp(QStringLiteral("first_name"), a.firstName, b.firstName);
    cmp(QStringLiteral("last_name"), a.lastName, b.lastName);
    cmp(QStringLiteral("username"), a.username, b.username);
    cmp(QStringLiteral("phone"), a.phone, b.phone);
    cmp(QStringLiteral("takeout_id"), a.takeoutId, b.takeoutId);
    cmp(QStringLiteral("media_dc_id"), a.mediaDcId.has_value() ? std::optional<qint64>(*a.mediaDcId) : std::nullopt,
        b.mediaDcId.has_value() ? std::optional<qint64>(*b.mediaDcId) : std::nullopt);
    if (!o.homeDcOnly && a.dcs.size() != b.dcs.size())
        d << QStringLiteral("dcs: %1 entries != %2").arg(a.dcs.size()).arg(b.dcs.size());
    for (const sd::DcAuth &x : a.dcs) {
        if (o.homeDcOnly && &x != a.primary())
            continue;
        const sd::DcAuth *match = nullptr;
        for (const sd::DcAuth &y : b.dcs)
            // The same DC may be listed more than once (ferogram: one entry per flag set); the
            // entry with the same key and address is the counterpart, else the first alike.
            if (y.dcId == x.dcId && y.mediaOnly == x.mediaOnly && y.isTemp == x.isTemp && y.ipv6 == x.ipv6
                && (!match || (y.authKey == x.authKey && y.address == x.address && y.port == x.port)))
                match = &y;
        if (!match) {
            d << QStringLiteral("dc %1 missing").arg(x.dcId);
            continue;
        }
        if (!(x.authKey == match->authKey))
            d << QStringLiteral("dc %1 key: %2 != %3").arg(x.dcId).arg(x.authKeyId(), match->authKeyId());
        if (o.addresses && (x.address != match->address || x.port != match->port))
            d << QStringLiteral("dc %1 address: %2:%3 != %4:%5").arg(x.dcId).arg(x.address).arg(x.port).arg(match->address).arg(match->port);
        const QString w = QStringLiteral("dc %1 ").arg(x.dcId);
        if (o.salts)
            cmp(w + QStringLiteral("salt"), x.salt, match->salt);
        // A DC entry without its own test flag has the session's (as the audit reads it).
        cmp(w + QStringLiteral("test_mode"), x.testMode ? x.testMode : a.testMode, match->testMode ? match->testMode : b.testMode);
        cmp(w + QStringLiteral("expires_at"), x.expiresAt, match->expiresAt);
        if (o.extra && x.extra != match->extra)
            d << w + QStringLiteral("extra differs (") + extraDiff(x.extra, match->extra) + QLatin1Char(')');
    }
    if (o.updateState) {
        if (a.updateState.has_value() != b.updateState.has_value()) {
            d << QStringLiteral("update_state presence differs");
        } else if (a.updateState) {
            cmp(QStringLiteral("pts"), a.updateState->pts, b.updateState->pts);
            cmp(QStringLiteral("qts"), a.updateState->qts, b.updateState->qts);
            cmp(QStringLiteral("date"), a.updateState->date, b.updateState->date);
            cmp(QStringLiteral("seq"), a.updateState->seq, b.updateState->seq);
            if (a.updateState->channelPts != b.updateState->channelPts)
                d << QStringLiteral("channel pts differ (%1 vs %2 entries)").arg(a.updateState->channelPts.size()).arg(b.updateState->channelPts.size());
        }
    }
    if (o.peers) {
        if (a.peers.size() != b.peers.size())
            d << QStringLiteral("peers: %1 != %2").arg(a.peers.size()).arg(b.peers.size());
        std::map<qint64, const sd::Peer *> byId;
        for (const sd::Peer &p : b.peers)
            byId[p.markedId()] = &p;
        for (const sd::Peer &p : a.peers) {
            auto it = byId.find(p.markedId());
            if (it == byId.end()) {
                d << QStringLiteral("peer %1 missing").arg(p.markedId());
                continue;
            }
            const sd::Peer &q = *it->second;
            const QString w = QStringLiteral("peer %1 ").arg(p.markedId());
            if (p.type != q.type)
                d << w + QStringLiteral("type %1 != %2").arg(sd::peerTypeName(p.type), sd::peerTypeName(q.type));
            cmp(w + QStringLiteral("access_hash"), p.accessHash, q.accessHash);
            if (p.usernames != q.usernames)
                d << w + QStringLiteral("usernames %1 != %2").arg(p.usernames.join(QLatin1Char(',')), q.usernames.join(QLatin1Char(',')));
            cmp(w + QStringLiteral("phone"), p.phone, q.phone);
            cmp(w + QStringLiteral("name"), p.name, q.name);
            cmp(w + QStringLiteral("updated"), p.updated, q.updated);
            if (p.isMin != q.isMin)
                d << w + QStringLiteral("min flag differs");
            if (o.peerRaw && p.raw != q.raw)
                d << w + QStringLiteral("raw blob differs");
            if (o.extra && p.extra != q.extra)
                d << w + QStringLiteral("extra differs (") + extraDiff(p.extra, q.extra) + QLatin1Char(')');
            if (d.size() > 50)
                return d;
        }
    }
    if (o.conversations) {
        if (a.conversations.size() != b.conversations.size())
            d << QStringLiteral("conversations: %1 != %2").arg(a.conversations.size()).arg(b.conversations.size());
        for (size_t i = 0; i < std::min(a.conversations.size(), b.conversations.size()); ++i) {
            const auto &x = a.conversations[i];
            const auto &y = b.conversations[i];
            if (x.chatId != y.chatId || x.userId != y.userId || x.name != y.name || x.step != y.step || x.data != y.data
                || x.created != y.created || x.updated != y.updated)
                d << QStringLiteral("conversation %1 differs").arg(i);
        }
    }
    if (o.extra && a.extra != b.extra)
        d << QStringLiteral("session extra differs (") + extraDiff(a.extra, b.extra) + QLatin1Char(')');
    return d;
}

} // namespace sdtest
