// Prune of one mtgo-redis session (docs/formats.md 7.2, docs/cli.md prune). Redis has no query
// engine, so the rules are core/prune's in-memory ones (judgePeer), applied to the peers as they
// stream in (RedisStore::forEachPeer), never all held at once:
//  * --keep-newest N: a first pass keeps 16 bytes a peer (timestamp, marked id) and finds the N-th
//    newest; a peer at or before it in the "newest" order (newerPeer) is protected.
//  * the judging pass counts exactly (the dry run stops there) and lists what changes: the peer
//    keys to delete, the peer_uname keys that still point at them, the phones to clear.
//  * the change is one MULTI/EXEC: DELs in batches, and a SET (KEEPTTL) per cleared phone.
//  * the backup (sessiondesk-json) is written only when something changes; it holds the whole
//    session, so only then are all the peers read at once.
#include "formats/mtgo/mtgo-redis.h"

#include "formats/mtgo/mtgo-sqlstore.h"
#include "prune/prune.h"

#include <QDateTime>
#include <QDir>
#include <QRegularExpression>
#include <algorithm>

namespace sd::mtgo {

namespace {

constexpr qsizetype kDelBatch = 500;

struct NewestKey {
    std::optional<qint64> updated;
    qint64 marked = 0;
};

void appendDels(QList<QList<QByteArray>> &cmds, const QList<QByteArray> &keys)
{
    for (qsizetype i = 0; i < keys.size(); i += kDelBatch) {
        QList<QByteArray> del{QByteArrayLiteral("DEL")};
        del << keys.mid(i, kDelBatch);
        cmds << del;
    }
}

} // namespace

Result<PruneReport> RedisStore::prune(const QString &name, const PrunePolicy &policy, const PruneOptions &options)
{
    const qint64 now = policy.now > 0 ? policy.now : QDateTime::currentSecsSinceEpoch();
    auto exists = m_c->command({QByteArrayLiteral("EXISTS"), key(name, "session")});
    if (!exists)
        return exists.error();
    if (exists->integer <= 0)
        return Error::badInput(QStringLiteral("no session '%1' in %2").arg(name, label()));
    auto keys = sessionKeys(name);
    if (!keys)
        return keys.error();

    // --keep-newest: the N-th newest peer of the selected kinds is the boundary.
    enum class Protect { None, All, UpToBoundary } protect = Protect::None;
    NewestKey boundary;
    if (policy.keepNewest && !policy.clearAll && *policy.keepNewest > 0) {
        std::vector<NewestKey> newest;
        newest.reserve(keys->peerIds.size());
        auto st = forEachPeer(name, keys->peerIds, [&](std::vector<KeyedPeer> &batch) -> Result<bool> {
            for (const KeyedPeer &kp : batch) {
                const Peer p = peerFromRec(kp.rec);
                if (policy.types.isEmpty() || policy.types.contains(p.kind()))
                    newest.push_back({p.updated, p.markedId()});
            }
            return true;
        });
        if (!st)
            return st.error();
        const auto n = static_cast<size_t>(*policy.keepNewest);
        if (newest.size() <= n) {
            protect = Protect::All;
        } else {
            auto newer = [](const NewestKey &a, const NewestKey &b) { return newerPeer(a.updated, a.marked, b.updated, b.marked); };
            std::nth_element(newest.begin(), newest.begin() + static_cast<std::ptrdiff_t>(n - 1), newest.end(), newer);
            boundary = newest[n - 1];
            protect = Protect::UpToBoundary;
        }
    }
    auto isProtected = [&](const Peer &p) {
        switch (protect) {
        case Protect::None: return false;
        case Protect::All: return true;
        case Protect::UpToBoundary: return !newerPeer(boundary.updated, boundary.marked, p.updated, p.markedId());
        }
        return false;
    };

    PruneReport r;
    r.dryRun = options.dryRun;
    qint64 total = 0;
    bool anyTimestamp = false;
    QList<QByteArray> peerDels, unameKeys, unameIds;
    QList<QList<QByteArray>> phoneSets;
    auto st = forEachPeer(name, keys->peerIds, [&](std::vector<KeyedPeer> &batch) -> Result<bool> {
        for (const KeyedPeer &kp : batch) {
            const Peer p = peerFromRec(kp.rec);
            ++total;
            anyTimestamp = anyTimestamp || p.updated.has_value();
            switch (judgePeer(p, policy, now, isProtected(p))) {
            case PruneVerdict::Remove:
                r.removed.add(p.kind());
                if (!options.dryRun) {
                    peerDels << peerKey(name, kp.keyId);
                    for (const QString &u : p.usernames) {
                        unameKeys << key(name, "peer_uname:" + u.toUtf8());
                        unameIds << QByteArray::number(kp.rec.id);
                    }
                }
                break;
            case PruneVerdict::ClearPhone:
                ++r.kept;
                ++r.phonesCleared;
                if (!options.dryRun) {
                    PeerRec cleared = kp.rec;
                    cleared.phone.clear();
                    phoneSets << QList<QByteArray>{QByteArrayLiteral("SET"), peerKey(name, kp.keyId), peerToJson(cleared), QByteArrayLiteral("KEEPTTL")};
                }
                break;
            case PruneVerdict::Keep:
                ++r.kept;
                break;
            }
        }
        return true;
    });
    if (!st)
        return st.error();
    if (policy.olderThanDays && total > 0 && !anyTimestamp)
        return Error::usage(QStringLiteral("no peer of this session has a last_updated time (mtgo never sets it, docs/formats.md 7.1): "
                                           "--older-than would remove nothing; use --keep-newest N or --type"));
    if (options.dryRun || (peerDels.isEmpty() && phoneSets.isEmpty()))
        return r;

    QList<QList<QByteArray>> cmds;
    appendDels(cmds, peerDels);
    cmds << phoneSets;
    // A peer_uname key goes with its peer only while it still points at that peer.
    QList<QByteArray> unameDels;
    auto unameSt = m_c->mgetEach(unameKeys, [&](qsizetype first, std::vector<std::optional<QByteArray>> &values) -> Status {
        for (size_t i = 0; i < values.size(); ++i) {
            const qsizetype at = first + static_cast<qsizetype>(i);
            if (values[i] && values[i]->trimmed() == unameIds[at])
                unameDels << unameKeys[at];
        }
        return {};
    });
    if (!unameSt)
        return unameSt.error();
    appendDels(cmds, unameDels);

    if (options.backup) {
        ReadOptions all;
        auto whole = readSession(name, all);
        if (!whole)
            return whole.error();
        if (!*whole)
            return Error::badInput(QStringLiteral("no session '%1' in %2").arg(name, label()));
        QString file = QStringLiteral("mtgo-redis-%1").arg(name.isEmpty() ? QStringLiteral("session") : name);
        file.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
        auto b = writeSessionBackup(**whole, QStringLiteral("mtgo-redis"), QDir::current().filePath(file + QStringLiteral(".sessiondesk.json")));
        if (!b)
            return b.error();
        r.backup = *b;
    }
    if (auto t = m_c->transaction(cmds); !t)
        return t.error();
    return r;
}

} // namespace sd::mtgo
