#include "prune.h"

#include "io/atomicfile.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <algorithm>
#include <unistd.h>

namespace sd {

Status validatePolicy(const PrunePolicy &policy, bool formatHasTimestamps, const QString &formatId)
{
    if (policy.olderThanDays && *policy.olderThanDays < 0)
        return Error::usage(QStringLiteral("--older-than needs a non-negative number of days"));
    if (policy.keepNewest && *policy.keepNewest < 0)
        return Error::usage(QStringLiteral("--keep-newest needs a non-negative number"));
    if (policy.olderThanDays && !formatHasTimestamps)
        return Error::usage(QStringLiteral("%1 keeps no peer timestamps; use --keep-newest N or --type instead of --older-than").arg(formatId));
    if (!policy.olderThanDays && !policy.keepNewest && !policy.clearAll && !policy.dropPhones && policy.types.isEmpty())
        return Error::usage(QStringLiteral("nothing to prune: give --older-than, --keep-newest, --type, --drop-phones or --clear"));
    return {};
}

Result<PruneReport> prunePeerCache(const Format &format, const QString &path, const PrunePolicy &policy,
                                   const PruneOptions &options)
{
    const QString id = format.id();
    const FormatDescriptor &d = format.descriptor();
    if (!d.canPrune() || !d.capabilities.testFlag(Capability::Peers))
        return Error::badInput(QStringLiteral("format %1 has no peer cache to prune").arg(id));
    // An SQL mapping decides per file (an old schema may lack the column); the rest by capability.
    const bool hasTs = d.capabilities.testFlag(Capability::PeerTimestamps) || d.sqlPeers.has_value();
    if (auto st = validatePolicy(policy, hasTs, id); !st)
        return st.error();
    if (d.pruneByFormat)
        return format.prune(path, policy, options);
    if (!QFileInfo::exists(path))
        return Error::badInput(QStringLiteral("no such file or folder"));
    if (d.sqlPeers)
        return pruneSqlite(format, path, policy, options);
    return pruneInMemory(format, path, policy, options);
}

QString backupPathFor(const QString &path, const QDateTime &when)
{
    QString clean = path;
    while (clean.size() > 1 && clean.endsWith(QLatin1Char('/')))
        clean.chop(1);
    const QString base = clean + QStringLiteral(".bak-") + when.toUTC().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString candidate = base;
    for (int i = 2; QFileInfo::exists(candidate) || QFileInfo(candidate).isSymLink(); ++i)
        candidate = base + QStringLiteral("-%1").arg(i);
    return candidate;
}

namespace {

// Copies src into a private (0600, O_EXCL|O_NOFOLLOW) temporary file beside dst, then link()s it
// to dst, which fails instead of replacing a file that appeared meanwhile.
Status backupFile(const QString &src, const QString &dst)
{
    auto tmp = reserveTempPath(dst);
    if (!tmp)
        return tmp.error();
    if (auto st = copyFilePrivate(src, *tmp); !st)
        return Error::output(QStringLiteral("backup of %1 failed: %2").arg(src, st.error().message));
    const QByteArray t = QFile::encodeName(*tmp), d = QFile::encodeName(dst);
    const int rc = ::link(t.constData(), d.constData());
    QFile::remove(*tmp);
    if (rc != 0)
        return Error::output(QStringLiteral("cannot create the backup %1 (exists?)").arg(dst));
    return {};
}

Status backupTree(const QString &src, const QString &dst)
{
    AtomicDirectory dir;
    if (auto st = dir.begin(dst, false); !st)
        return st;
    QDirIterator it(src, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    const QDir root(src);
    while (it.hasNext()) {
        const QString file = it.next();
        if (it.fileInfo().isSymLink())
            continue;
        const QString copy = dir.filePath(root.relativeFilePath(file));
        if (auto st = makePrivateDir(QFileInfo(copy).absolutePath()); !st)
            return st;
        if (auto st = copyFilePrivate(file, copy); !st)
            return Error::output(QStringLiteral("backup of %1 failed: %2").arg(file, st.error().message));
    }
    return dir.commit();
}

} // namespace

Result<QString> writeBackup(const QString &path)
{
    const QFileInfo fi(path);
    const QString dst = backupPathFor(path);
    if (fi.isDir()) {
        if (auto st = backupTree(path, dst); !st)
            return st.error();
        return dst;
    }
    if (auto st = backupFile(path, dst); !st)
        return st.error();
    const QString wal = path + QStringLiteral("-wal");
    if (QFileInfo(wal).size() > 0)
        if (auto st = backupFile(wal, dst + QStringLiteral("-wal")); !st)
            return st.error();
    return dst;
}

bool newerPeer(const std::optional<qint64> &aUpdated, qint64 aMarked, const std::optional<qint64> &bUpdated, qint64 bMarked)
{
    if (aUpdated.has_value() != bUpdated.has_value())
        return aUpdated.has_value();
    if (aUpdated && bUpdated && *aUpdated != *bUpdated)
        return *aUpdated > *bUpdated;
    return aMarked > bMarked;
}

PruneVerdict judgePeer(const Peer &peer, const PrunePolicy &policy, qint64 now, bool protectedByNewest)
{
    if (!policy.types.isEmpty() && !policy.types.contains(peer.kind()))
        return PruneVerdict::Keep;
    bool remove = false;
    if (policy.clearAll || (!policy.types.isEmpty() && !policy.olderThanDays && !policy.keepNewest)) {
        remove = true;
    } else if (policy.olderThanDays || policy.keepNewest) {
        remove = true;
        if (policy.olderThanDays)
            remove = peer.updated && *peer.updated < now - static_cast<qint64>(*policy.olderThanDays) * 86400;
        if (policy.keepNewest && protectedByNewest)
            remove = false;
    }
    if (remove)
        return PruneVerdict::Remove;
    if (policy.dropPhones && peer.phone && !peer.phone->isEmpty())
        return PruneVerdict::ClearPhone;
    return PruneVerdict::Keep;
}

std::vector<size_t> selectPeersToPrune(std::vector<Peer> &peers, const PrunePolicy &policy, qint64 now, bool apply,
                                       qint64 *phones)
{
    std::vector<char> protectedByN(peers.size(), 0);
    if (policy.keepNewest && !policy.clearAll) {
        std::vector<size_t> order;
        for (size_t i = 0; i < peers.size(); ++i)
            if (policy.types.isEmpty() || policy.types.contains(peers[i].kind()))
                order.push_back(i);
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
            return newerPeer(peers[a].updated, peers[a].markedId(), peers[b].updated, peers[b].markedId());
        });
        for (size_t k = 0; k < order.size() && static_cast<qint64>(k) < *policy.keepNewest; ++k)
            protectedByN[order[k]] = 1;
    }
    qint64 phoneCount = 0;
    std::vector<size_t> out;
    for (size_t i = 0; i < peers.size(); ++i) {
        switch (judgePeer(peers[i], policy, now, protectedByN[i])) {
        case PruneVerdict::Remove:
            out.push_back(i);
            break;
        case PruneVerdict::ClearPhone:
            ++phoneCount;
            if (apply)
                peers[i].phone.reset();
            break;
        case PruneVerdict::Keep:
            break;
        }
    }
    if (phones)
        *phones = phoneCount;
    return out;
}

} // namespace sd
