#include "verify.h"

#include <QHash>
#include <algorithm>

namespace sd {

Result<QStringList> compareWritten(const Session &before, const Session &after, Capabilities caps)
{
    const DcAuth *a = before.primary();
    const DcAuth *b = after.primary();
    if (caps.testFlag(Capability::AuthKey) && a && !a->authKey.isEmpty()) {
        if (!b || !(a->authKey == b->authKey))
            return Error::output(QStringLiteral("the written output does not read back with the same auth key"));
        if (a->dcId != b->dcId)
            return Error::output(QStringLiteral("the written output reads back with DC %1 instead of %2").arg(b->dcId).arg(a->dcId));
    }
    QStringList lost;
    if (before.userId && !after.userId)
        lost << QStringLiteral("user id");
    if (before.isBot && !after.isBot)
        lost << QStringLiteral("bot flag");
    if (before.apiId && !after.apiId)
        lost << QStringLiteral("api id");
    int keys = 0;
    if (caps.testFlag(Capability::AuthKey)) {
        for (const DcAuth &d : before.dcs) {
            if (d.authKey.isEmpty())
                continue;
            const bool found = std::any_of(after.dcs.begin(), after.dcs.end(),
                                           [&d](const DcAuth &e) { return e.dcId == d.dcId && e.authKey == d.authKey; });
            keys += found ? 0 : 1;
        }
    }
    if (keys)
        lost << QStringLiteral("%1 auth key(s) for other DCs").arg(keys);
    if (before.updateState && !after.updateState)
        lost << QStringLiteral("update state");
    else if (before.updateState && after.updateState
             && after.updateState->channelPts.size() < before.updateState->channelPts.size())
        lost << QStringLiteral("%1 channel pts").arg(before.updateState->channelPts.size() - after.updateState->channelPts.size());
    if (before.conversations.size() > after.conversations.size())
        lost << QStringLiteral("%1 conversations").arg(before.conversations.size() - after.conversations.size());

    if (!before.peers.empty()) {
        QHash<qint64, const Peer *> byId;
        byId.reserve(static_cast<qsizetype>(after.peers.size()));
        for (const Peer &p : after.peers)
            byId.insert(p.markedId(), &p);
        qint64 missing = 0, names = 0, usernames = 0, phones = 0, hashes = 0, dates = 0;
        for (const Peer &p : before.peers) {
            const Peer *q = byId.value(p.markedId());
            if (!q) {
                ++missing;
                continue;
            }
            names += p.name && !p.name->isEmpty() && !q->name ? 1 : 0;
            usernames += q->usernames.size() < p.usernames.size() ? 1 : 0;
            phones += p.phone && !q->phone ? 1 : 0;
            hashes += p.accessHash && !q->accessHash ? 1 : 0;
            dates += p.updated && !q->updated ? 1 : 0;
        }
        if (missing)
            lost << QStringLiteral("%1 peers").arg(missing);
        if (names)
            lost << QStringLiteral("names of %1 peers").arg(names);
        if (usernames)
            lost << QStringLiteral("extra usernames of %1 peers").arg(usernames);
        if (phones)
            lost << QStringLiteral("phones of %1 peers").arg(phones);
        if (hashes)
            lost << QStringLiteral("access hashes of %1 peers").arg(hashes);
        if (dates)
            lost << QStringLiteral("timestamps of %1 peers").arg(dates);
    }
    return lost;
}

} // namespace sd
